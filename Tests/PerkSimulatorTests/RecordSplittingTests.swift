import Foundation
import Perk
import Testing
@testable import PerkSimulator

/// Records are split with field ends found eight bytes at a time, rows are parsed in place with
/// absent columns as no bytes, and the record reader keeps its state in a struct: the same
/// fields, rows, rejections and messages as byte by byte.
@Suite struct RecordSplittingTests {
  @Test func firstIndexFindsTheFirstMatchAtAnyOffset() {
    var generator = SplitMix64(seed: 41)
    for target: UInt8 in [44, 59, 9, 0, 0x80, 0xFF] {
      // The neighbours of a match are the bytes a word-at-a-time search could mistake for it.
      let alphabet: [UInt8] = [target, target ^ 1, target ^ 0x80, target &+ 1, target &- 1, 0, 0xFF, 97]
      for length in 0...40 {
        for _ in 0..<20 {
          let line = (0..<length).map { _ in alphabet[Int(generator.below(UInt64(alphabet.count)))] }
          line.withUnsafeBufferPointer { buffer in
            for start in 0...length {
              let expected = line[start...].firstIndex(of: target) ?? length
              #expect(HistoryFormat.firstIndex(of: target, in: buffer, from: start) == expected, "\(line) from \(start)")
            }
          }
        }
      }
    }
    [UInt8]().withUnsafeBufferPointer { empty in
      #expect(HistoryFormat.firstIndex(of: 44, in: empty, from: 0) == 0)
    }
  }

  static func split(_ text: String, _ format: HistoryFormat) -> (fields: [String], problem: HistoryFormat.SplitProblem?) {
    var ranges: [Range<Int>] = []
    var unquoted: [[UInt8]] = []
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { line in
      let problem = HistoryFormat.split(line, format: format, into: &ranges, unquoted: &unquoted)
      let fields = ranges.map { r in
        r.lowerBound < 0 ? String(decoding: unquoted[-r.lowerBound - 1], as: UTF8.self) : String(decoding: bytes[r], as: UTF8.self)
      }
      return (fields, problem)
    }
  }

  @Test func recordsSplitIntoTheirFields() {
    #expect(Self.split("", .csv).fields == [""])
    #expect(Self.split(",", .csv).fields == ["", ""])
    #expect(Self.split("a,,b,", .csv).fields == ["a", "", "b", ""])
    #expect(Self.split("a-long-customer-id,t1,2026-01-05T10:00:00,,x", .csv).fields
      == ["a-long-customer-id", "t1", "2026-01-05T10:00:00", "", "x"])
    #expect(Self.split("caf\u{E9} au lait long name,\"x,\"\"y\"\"\",z", .csv).fields == ["caf\u{E9} au lait long name", "x,\"y\"", "z"])
    #expect(Self.split("a;4,50;\"b;c\";d,e;", .semicolon).fields == ["a", "4,50", "b;c", "d,e", ""])
    #expect(Self.split("a\tb,c\t\tlonger than eight bytes\t", .tsv).fields == ["a", "b,c", "", "longer than eight bytes", ""])
    #expect(Self.split("\t", .tsv).fields == ["", ""])
    #expect(Self.split("a,\"b", .csv).problem == .unterminatedQuote)
    #expect(Self.split("a,\"b\"c,d", .csv).problem == .textAfterClosingQuote)
    // A quoted record after an unquoted one starts with no copies left from before.
    var ranges: [Range<Int>] = []
    var unquoted: [[UInt8]] = []
    for (text, copies) in [("\"a\",\"b\"", 2), ("a,b", 0), ("\"c\",d", 1)] {
      Array(text.utf8).withUnsafeBufferPointer { line in
        #expect(HistoryFormat.split(line, format: .csv, into: &ranges, unquoted: &unquoted) == nil)
      }
      #expect(unquoted.count == copies, "\(text)")
      #expect(ranges.count == 2, "\(text)")
    }
  }

  @Test func absentColumnsReadAsEmptyTexts() throws {
    let program = Fixture.program()
    let text = "customer,time,amount\nc1,2026-01-05T10:00:00,4.50\nc2,2026-01-06,-3.00\n"
    let reader = HistoryReader(source: Fixture.bytes(text), options: HistoryReadOptions(), currency: program.currency,
                               zone: program.timeZone)
    var rows: [HistoryRow] = []
    var bad: [String] = []
    _ = try reader.readParsed(row: { parsed in
      #expect(parsed.store.isEmpty && parsed.channel.isEmpty && parsed.name.isEmpty && parsed.txn.isEmpty)
      #expect(parsed.store.utf8Count == 0 && parsed.name.text == "")
      var direct: [UInt8] = []
      RowCodec.encode(parsed, into: &direct)
      var viaStrings: [UInt8] = []
      RowCodec.encode(HistoryRow(parsed), into: &viaStrings)
      #expect(direct == viaStrings)
      rows.append(HistoryRow(parsed))
    }, bad: { bad.append($0.description) })
    #expect(rows.count == 1)
    #expect(rows.first == HistoryRow(customer: "c1", txn: "", time: program.timeZone.instant(of: LocalDate(iso: "2026-01-05")!,
                                                                                            secondOfDay: 36_000),
                                      seq: 2, kind: .purchase, sku: "item", quantity: 1, totalMinor: 450))
    #expect(bad == ["<test>:3: amount `-3.00` is negative; a refund is a row with a negative `qty`"])
  }

  @Test func anOpenQuoteStopsAStrictReadOnTheLinesReadAgain() throws {
    // The open quote on line 2 takes the next lines until the end; they are read again on
    // their own, and the first bad one of them stops a strict read.
    let text = "customer,time,amount\nc1,\"2026-01-05,4.50\nc2,2026-01-06,4.50\nc3,2026-13-06,4.50\nc4,2026-01-07,1.00\n"
    let (rows, bad, counts) = try Fixture.read(Fixture.bytes(text))
    #expect(rows.map(\.customer) == ["c2", "c4"])
    #expect(bad.map(\.line) == [2, 4])
    #expect(bad[1].reason.hasPrefix("time `2026-13-06` does not match ISO 8601"))
    #expect(counts == ReadCounts(read: 4, rejected: 2, sawHeader: true))
    var options = HistoryReadOptions()
    options.strict = true
    do {
      _ = try Fixture.read(Fixture.bytes(text), options)
      Issue.record("a strict read went on")
    } catch let failure as BadRow {
      #expect(failure.line == 2)
    }
  }
}
