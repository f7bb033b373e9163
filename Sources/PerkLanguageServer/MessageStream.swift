import Foundation
import PerkOutput

/// JSON-RPC messages framed as the Language Server Protocol frames them: `Content-Length: N`,
/// a blank line, then N bytes of JSON, over two file descriptors.
final class MessageStream {
  /// Why reading stopped.
  enum ReadError: Error, Equatable, CustomStringConvertible {
    /// The client closed its end.
    case endOfInput
    /// A header without a usable `Content-Length`; the stream cannot be resynchronised.
    case badHeader(String)

    var description: String {
      switch self {
      case .endOfInput: return "the input ended"
      case .badHeader(let line): return "bad message header `\(line)` (expected `Content-Length: N` up to \(MessageStream.maximumBodySize) bytes)"
      }
    }
  }

  /// Bodies larger than this are refused: a wrong length must not make the server allocate
  /// whatever number it was sent.
  static let maximumBodySize = 64 << 20

  private let input: Int32
  private let output: Int32
  private var buffer: [UInt8] = []
  private var start = 0

  init(input: Int32, output: Int32) {
    self.input = input
    self.output = output
  }

  /// The next message's body.
  func read() throws(ReadError) -> [UInt8] {
    var length: Int?
    while true {
      let line = try readLine()
      if line.isEmpty { break }
      let parts = line.split(separator: ":", maxSplits: 1)
      guard parts.count == 2 else { throw .badHeader(line) }
      if parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-length" {
        guard let value = Int(parts[1].trimmingCharacters(in: .whitespaces)), value >= 0,
          value <= Self.maximumBodySize
        else { throw .badHeader(line) }
        length = value
      }
    }
    guard let length else { throw .badHeader("no Content-Length header") }
    return try readBytes(length)
  }

  /// Writes one message; false when the client is gone.
  @discardableResult
  func write(_ body: [UInt8]) -> Bool {
    let message = Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    return OutputFile.writeAll(message, to: output) == nil
  }

  // MARK: - Reading

  private func fill() throws(ReadError) {
    if start > 0, start == buffer.count {
      buffer.removeAll(keepingCapacity: true)
      start = 0
    }
    var chunk = [UInt8](repeating: 0, count: 65536)
    let count = chunk.withUnsafeMutableBytes { Foundation.read(input, $0.baseAddress, $0.count) }
    if count < 0, errno == EINTR { return }
    guard count > 0 else { throw .endOfInput }
    buffer.append(contentsOf: chunk[0..<count])
  }

  /// A header line without its `\r\n`.
  private func readLine() throws(ReadError) -> String {
    while true {
      if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
        var end = newline
        if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = String(decoding: buffer[start..<end], as: UTF8.self)
        start = newline + 1
        return line
      }
      if buffer.count - start > 8192 { throw .badHeader("a header line longer than 8192 bytes") }
      try fill()
    }
  }

  private func readBytes(_ count: Int) throws(ReadError) -> [UInt8] {
    while buffer.count - start < count { try fill() }
    let bytes = Array(buffer[start..<start + count])
    start += count
    return bytes
  }
}
