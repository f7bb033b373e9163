import Foundation
import Perk
import PerkRuntime
import Testing
@testable import PerkSimulator

/// Pass two decodes a row without checking each byte of its numbers against the end when 52
/// bytes are left, and reads short texts' lengths with unchecked arithmetic: the same rows and
/// the same refusals (nil) as the checked path a row near the end of the bytes takes.
@Suite struct RowDecodingTests {
  static let rows = [
    HistoryRow(customer: "c1", txn: "t", time: Instant(secondsSince1970: 1_780_000_000), seq: 338_311, kind: .purchase, sku: "cd-catalog",
               category: "cd", quantity: 2, unitMinor: 1_199, totalMinor: 2_398),
    HistoryRow(customer: "ç-1", txn: "", time: Instant(secondsSince1970: -5), seq: 0, kind: .return, sku: "s", category: "",
               quantity: Int64.max, unitMinor: Int64.min, totalMinor: Int64.min, store: "st", channel: "web", originalTxn: "o"),
    HistoryRow(customer: String(repeating: "x", count: 64), txn: String(repeating: "t", count: 200), time: Instant(secondsSince1970: Int64.min),
               seq: Int64.max, kind: .custom, quantity: 0, unitMinor: nil, totalMinor: 0, name: String(repeating: "n", count: 63)),
    HistoryRow(customer: "", txn: "", time: Instant(secondsSince1970: 0), seq: 1, kind: .redeem, quantity: -64, totalMinor: 63, name: "r"),
  ]

  /// Each row decoded with 0 to 80 bytes after it: those under 52 take the checked path.
  @Test func rowsDecodeTheSameNearAndFarFromTheEnd() {
    for row in Self.rows {
      var encoded: [UInt8] = []
      RowCodec.encode(row, into: &encoded)
      for padding in 0...80 {
        let bytes = encoded + [UInt8](repeating: 0x55, count: padding)
        var offset = 0
        let decoded = bytes.withUnsafeBufferPointer { RowCodec.decode($0, offset: &offset) }
        #expect(decoded == row, "padding \(padding)")
        #expect(offset == encoded.count)
      }
    }
  }

  /// The exact bytes of a row as pass one writes it (zig-zag numbers, lengths before texts),
  /// which both paths read.
  @Test func aRowsBytesAreTheCodecs() {
    var encoded: [UInt8] = []
    RowCodec.encode(Self.rows[0], into: &encoded)
    let expected: [UInt8] = [0x80, 0x94, 0xC5, 0xA1, 0x0D, 0x8E, 0xA6, 0x29, 0x00, 0x04, 0x01, 0xDE, 0x12, 0xBC, 0x25,
                             0x04, 0x63, 0x31, 0x02, 0x74, 0x14] + Array("cd-catalog".utf8) + [0x04] + Array("cd".utf8) + [0, 0, 0, 0]
    #expect(encoded == expected)
  }

  /// A row cut short anywhere is refused however many bytes of another row follow it, and a
  /// number of more than ten bytes or a negative length is refused on both paths.
  @Test func brokenRowsAreRefusedOnBothPaths() {
    var encoded: [UInt8] = []
    RowCodec.encode(Self.rows[0], into: &encoded)
    for cut in 0..<encoded.count {
      var offset = 0
      let decoded = Array(encoded[..<cut]).withUnsafeBufferPointer { RowCodec.decode($0, offset: &offset) }
      #expect(decoded == nil, "cut at \(cut)")
    }
    for padding in [0, 80] {
      let tail = [UInt8](repeating: 0, count: padding)
      let longTime = [UInt8](repeating: 0x81, count: 11) + [0x00] + Array(encoded.dropFirst(5)) + tail
      let negativeLength = Array(encoded[..<15]) + [0x03, 0x63, 0x31] + Array(encoded.dropFirst(18)) + tail
      let textPastTheEnd = Array(encoded[..<(encoded.count - 1)]) + [0x7E] + tail.prefix(padding / 2)
      for bytes in [longTime, negativeLength, textPastTheEnd] {
        var offset = 0
        #expect(bytes.withUnsafeBufferPointer { RowCodec.decode($0, offset: &offset) } == nil, "padding \(padding)")
      }
    }
  }

  /// Texts of every length up to 40 are the same exactly when their bytes are, wherever the
  /// in-place comparison loads words, halves or bytes.
  @Test func textsCompareByTheirBytes() {
    var buffer: [UInt8] = []
    for n in 0...40 {
      buffer += (0..<n).map { UInt8(97 + $0 % 26) }
      buffer += (0..<n).map { UInt8(97 + $0 % 26) }
      // The same but one byte, at each position in turn.
      for k in 0..<n { buffer += (0..<n).map { UInt8(97 + $0 % 26) &+ ($0 == k ? 1 : 0) } }
    }
    buffer.withUnsafeBufferPointer { pointer in
      let bytes = EncodedBytes(buffer: pointer)
      var at = 0
      for n in 0...40 {
        let a = at..<(at + n), b = (at + n)..<(at + 2 * n)
        #expect(bytes.same(a, b), "length \(n)")
        at += 2 * n
        for k in 0..<n {
          #expect(!bytes.same(a, at..<(at + n)), "length \(n), byte \(k)")
          at += n
        }
        if n > 0 { #expect(!bytes.same(a, a.lowerBound..<(a.upperBound - 1))) }
      }
    }
  }
}
