/// A JSON document to write: objects are written with sorted keys, so the same value
/// always gives the same bytes.
public indirect enum JSONOutput: Hashable, Sendable {
  /// `null`
  case null
  /// `true` / `false`
  case bool(Bool)
  /// A whole number.
  case integer(Int64)
  /// A string.
  case string(String)
  /// An array.
  case array([JSONOutput])
  /// An object; keys are sorted when written.
  case object([String: JSONOutput])

  /// The document, pretty-printed with two-space indentation and a final newline.
  public func rendered() -> String {
    var bytes: [UInt8] = []
    write(into: &bytes, indent: 0)
    bytes.append(UInt8(ascii: "\n"))
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The document on one line with sorted keys and no spaces (a trace line, JSON Lines, a log line).
  public func line() -> String { compactRendered() }

  /// The document on one line with sorted keys and no spaces (a trace line, JSON Lines).
  public func compactRendered() -> String {
    var bytes: [UInt8] = []
    writeCompact(into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  // Written as UTF-8 bytes into one array: appending to a `String` piece by piece cost about
  // 370 instructions per byte of a report.

  private func writeCompact(into bytes: inout [UInt8]) {
    switch self {
    case .array(let elements):
      bytes.append(UInt8(ascii: "["))
      for (index, element) in elements.enumerated() {
        if index > 0 { bytes.append(UInt8(ascii: ",")) }
        element.writeCompact(into: &bytes)
      }
      bytes.append(UInt8(ascii: "]"))
    case .object(let members):
      bytes.append(UInt8(ascii: "{"))
      for (index, key) in members.keys.sorted().enumerated() {
        if index > 0 { bytes.append(UInt8(ascii: ",")) }
        JSONOutput.quote(key, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        members[key]!.writeCompact(into: &bytes)
      }
      bytes.append(UInt8(ascii: "}"))
    default: write(into: &bytes, indent: 0)
    }
  }

  private func write(into bytes: inout [UInt8], indent: Int) {
    switch self {
    case .null: bytes.append(contentsOf: "null".utf8)
    case .bool(let value): bytes.append(contentsOf: (value ? "true" : "false").utf8)
    case .integer(let value): bytes.append(contentsOf: String(value).utf8)
    case .string(let value): JSONOutput.quote(value, into: &bytes)
    case .array(let elements):
      if elements.isEmpty { bytes.append(contentsOf: "[]".utf8); return }
      bytes.append(contentsOf: "[\n".utf8)
      for (index, element) in elements.enumerated() {
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent + 2))
        element.write(into: &bytes, indent: indent + 2)
        if index < elements.count - 1 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\n"))
      }
      bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
      bytes.append(UInt8(ascii: "]"))
    case .object(let members):
      if members.isEmpty { bytes.append(contentsOf: "{}".utf8); return }
      bytes.append(contentsOf: "{\n".utf8)
      let keys = members.keys.sorted()
      for (index, key) in keys.enumerated() {
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent + 2))
        JSONOutput.quote(key, into: &bytes)
        bytes.append(contentsOf: ": ".utf8)
        members[key]!.write(into: &bytes, indent: indent + 2)
        if index < keys.count - 1 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\n"))
      }
      bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
      bytes.append(UInt8(ascii: "}"))
    }
  }

  /// `value` as a JSON string: quotes, backslashes and control characters escaped, everything
  /// else as its UTF-8 bytes.
  static func quote(_ value: String, into bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "\""))
    for byte in value.utf8 {
      switch byte {
      case UInt8(ascii: "\""): bytes.append(contentsOf: "\\\"".utf8)
      case UInt8(ascii: "\\"): bytes.append(contentsOf: "\\\\".utf8)
      case UInt8(ascii: "\n"): bytes.append(contentsOf: "\\n".utf8)
      case UInt8(ascii: "\r"): bytes.append(contentsOf: "\\r".utf8)
      case UInt8(ascii: "\t"): bytes.append(contentsOf: "\\t".utf8)
      case ..<0x20:
        let digits = Array("0123456789abcdef".utf8)
        bytes.append(contentsOf: "\\u00".utf8)
        bytes.append(digits[Int(byte >> 4)])
        bytes.append(digits[Int(byte & 0xF)])
      default: bytes.append(byte)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }
}
