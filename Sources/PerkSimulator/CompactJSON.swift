/// One-line JSON with sorted keys (trace lines): the same value always gives the same bytes.
package indirect enum CompactJSON: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int64)
  case string(String)
  case array([CompactJSON])
  case object([String: CompactJSON])

  package var rendered: String {
    var out = ""
    write(&out)
    return out
  }

  func write(_ out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let v): out += String(v)
    case .string(let s): CompactJSON.quote(s, &out)
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        item.write(&out)
      }
      out += "]"
    case .object(let fields):
      out += "{"
      for (i, key) in fields.keys.sorted().enumerated() {
        if i > 0 { out += "," }
        CompactJSON.quote(key, &out)
        out += ":"
        fields[key]!.write(&out)
      }
      out += "}"
    }
  }

  static func quote(_ s: String, _ out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}
