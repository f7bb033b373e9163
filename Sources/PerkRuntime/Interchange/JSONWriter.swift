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
    var text = ""
    write(into: &text, indent: 0)
    return text + "\n"
  }

  /// The document on one line with sorted keys and no spaces (a trace line, JSON Lines, a log line).
  public func line() -> String { compactRendered() }

  /// The document on one line with sorted keys and no spaces (a trace line, JSON Lines).
  public func compactRendered() -> String {
    var text = ""
    writeCompact(into: &text)
    return text
  }

  private func writeCompact(into text: inout String) {
    switch self {
    case .array(let elements):
      text += "["
      for (index, element) in elements.enumerated() {
        if index > 0 { text += "," }
        element.writeCompact(into: &text)
      }
      text += "]"
    case .object(let members):
      text += "{"
      for (index, key) in members.keys.sorted().enumerated() {
        if index > 0 { text += "," }
        JSONOutput.quote(key, into: &text)
        text += ":"
        members[key]!.writeCompact(into: &text)
      }
      text += "}"
    default: write(into: &text, indent: 0)
    }
  }

  private func write(into text: inout String, indent: Int) {
    let pad = String(repeating: " ", count: indent + 2)
    switch self {
    case .null: text += "null"
    case .bool(let value): text += value ? "true" : "false"
    case .integer(let value): text += String(value)
    case .string(let value): JSONOutput.quote(value, into: &text)
    case .array(let elements):
      if elements.isEmpty { text += "[]"; return }
      text += "[\n"
      for (index, element) in elements.enumerated() {
        text += pad
        element.write(into: &text, indent: indent + 2)
        text += index == elements.count - 1 ? "\n" : ",\n"
      }
      text += String(repeating: " ", count: indent) + "]"
    case .object(let members):
      if members.isEmpty { text += "{}"; return }
      text += "{\n"
      let keys = members.keys.sorted()
      for (index, key) in keys.enumerated() {
        text += pad
        JSONOutput.quote(key, into: &text)
        text += ": "
        members[key]!.write(into: &text, indent: indent + 2)
        text += index == keys.count - 1 ? "\n" : ",\n"
      }
      text += String(repeating: " ", count: indent) + "}"
    }
  }

  static func quote(_ value: String, into text: inout String) {
    text += "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": text += "\\\""
      case "\\": text += "\\\\"
      case "\n": text += "\\n"
      case "\r": text += "\\r"
      case "\t": text += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: text.unicodeScalars.append(scalar)
      }
    }
    text += "\""
  }
}
