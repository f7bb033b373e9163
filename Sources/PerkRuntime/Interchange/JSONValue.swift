/// A JSON value that keeps numbers as their exact text, with the position it was read at.
///
/// Foundation's parser turns numbers into binary floating point, which cannot hold
/// `4.10` exactly; Perk's reader keeps the digits so money stays exact.
public indirect enum JSONValue: Hashable, Sendable {
  /// `null`
  case null
  /// `true` or `false`
  case bool(Bool)
  /// A number, as written.
  case number(String)
  /// A string.
  case string(String)
  /// An array, with each element's position.
  case array([JSONNode])
  /// An object: members in file order, with their positions.
  case object([(key: String, value: JSONNode)])

  /// Compares values (object members in order).
  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)), (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: return false
    }
  }

  /// Hashes the value.
  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case .bool(let v): hasher.combine(v)
    case .number(let v), .string(let v): hasher.combine(v)
    case .array(let v): hasher.combine(v)
    case .object(let v): for member in v { hasher.combine(member.key); hasher.combine(member.value) }
    }
  }
}

/// A JSON value with the 1-based line and column where it starts.
public struct JSONNode: Hashable, Sendable {
  /// The value.
  public var value: JSONValue
  /// The line where it starts.
  public var line: Int
  /// The column where it starts.
  public var column: Int

  /// The member named `key`, if this is an object that has it.
  public subscript(key: String) -> JSONNode? {
    guard case .object(let members) = value else { return nil }
    return members.first { $0.key == key }?.value
  }

  /// Reads one JSON document; any error names its line and column.
  public static func parse(_ bytes: [UInt8], path: String) throws(InputError) -> JSONNode {
    var reader = JSONReader(bytes: bytes, path: path)
    reader.skipSpace()
    let node = try reader.value(depth: 0)
    reader.skipSpace()
    guard reader.offset == bytes.count else { throw reader.error("unexpected text after the JSON value") }
    return node
  }
}

/// A small recursive-descent JSON reader (RFC 8259) with positions.
struct JSONReader {
  let bytes: [UInt8]
  let path: String
  var offset = 0
  var line = 1
  var lineStart = 0
  static let maximumDepth = 200

  init(bytes: [UInt8], path: String) {
    self.bytes = bytes
    self.path = path
  }

  var column: Int { String(decoding: bytes[lineStart..<min(offset, bytes.count)], as: UTF8.self).count + 1 }

  func error(_ message: String) -> InputError {
    InputError(path: path, line: line, column: column, message: message)
  }

  mutating func skipSpace() {
    while offset < bytes.count {
      switch bytes[offset] {
      case 0x20, 0x09, 0x0D: offset += 1
      case 0x0A:
        offset += 1
        line += 1
        lineStart = offset
      default: return
      }
    }
  }

  mutating func value(depth: Int) throws(InputError) -> JSONNode {
    guard depth < JSONReader.maximumDepth else { throw error("JSON nested deeper than \(JSONReader.maximumDepth) levels") }
    let (startLine, startColumn) = (line, column)
    func node(_ value: JSONValue) -> JSONNode { JSONNode(value: value, line: startLine, column: startColumn) }
    guard offset < bytes.count else { throw error("expected a JSON value, found end of file") }
    switch bytes[offset] {
    case UInt8(ascii: "{"):
      offset += 1
      var members: [(key: String, value: JSONNode)] = []
      skipSpace()
      if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") { offset += 1; return node(.object(members)) }
      while true {
        skipSpace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw error("expected a member name in quotes") }
        let key = try string()
        skipSpace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { throw error("expected `:` after the member name") }
        offset += 1
        skipSpace()
        members.append((key, try value(depth: depth + 1)))
        skipSpace()
        guard offset < bytes.count else { throw error("expected `,` or `}`, found end of file") }
        if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
        if bytes[offset] == UInt8(ascii: "}") { offset += 1; return node(.object(members)) }
        throw error("expected `,` or `}` in the object")
      }
    case UInt8(ascii: "["):
      offset += 1
      var elements: [JSONNode] = []
      skipSpace()
      if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") { offset += 1; return node(.array(elements)) }
      while true {
        skipSpace()
        elements.append(try value(depth: depth + 1))
        skipSpace()
        guard offset < bytes.count else { throw error("expected `,` or `]`, found end of file") }
        if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
        if bytes[offset] == UInt8(ascii: "]") { offset += 1; return node(.array(elements)) }
        throw error("expected `,` or `]` in the array")
      }
    case UInt8(ascii: "\""):
      return node(.string(try string()))
    case UInt8(ascii: "t"): try literal("true"); return node(.bool(true))
    case UInt8(ascii: "f"): try literal("false"); return node(.bool(false))
    case UInt8(ascii: "n"): try literal("null"); return node(.null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      let start = offset
      if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
      var digits = 0
      while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) || bytes[offset] == UInt8(ascii: ".")
        || bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") || bytes[offset] == UInt8(ascii: "+")
        || (bytes[offset] == UInt8(ascii: "-") && offset > start) {
        offset += 1
        digits += 1
      }
      guard digits > 0 else { throw error("expected digits after `-`") }
      return node(.number(String(decoding: bytes[start..<offset], as: UTF8.self)))
    default:
      let character = String(decoding: bytes[offset..<min(bytes.count, offset + 1)], as: UTF8.self)
      throw error("unexpected character `\(character)`; expected a JSON value")
    }
  }

  mutating func literal(_ word: String) throws(InputError) {
    let expected = Array(word.utf8)
    guard offset + expected.count <= bytes.count, Array(bytes[offset..<offset + expected.count]) == expected else {
      throw error("expected `\(word)`")
    }
    offset += expected.count
  }

  /// `\\u0041`: a code unit as the escape that wrote it.
  static func escape(_ code: UInt32) -> String {
    let digits = String(code, radix: 16)
    return "\\u" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  /// The four hex digits of a `\\u` escape (the reader is just past the `u`).
  mutating func hexEscape() throws(InputError) -> UInt32 {
    guard offset + 4 <= bytes.count else { throw error("bad `\\u` escape in string") }
    var code: UInt32 = 0
    for byte in bytes[offset..<offset + 4] {
      // Digits only: `UInt32(_:radix:)` would also take a sign.
      guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { throw error("bad `\\u` escape in string") }
      code = code * 16 + UInt32(digit)
    }
    offset += 4
    return code
  }

  mutating func string() throws(InputError) -> String {
    offset += 1
    var result: [UInt8] = []
    while offset < bytes.count {
      let byte = bytes[offset]
      switch byte {
      case UInt8(ascii: "\""):
        offset += 1
        return String(decoding: result, as: UTF8.self)
      case UInt8(ascii: "\\"):
        guard offset + 1 < bytes.count else { throw error("unfinished escape in string") }
        let escaped = bytes[offset + 1]
        offset += 2
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): result.append(escaped)
        case UInt8(ascii: "n"): result.append(0x0A)
        case UInt8(ascii: "t"): result.append(0x09)
        case UInt8(ascii: "r"): result.append(0x0D)
        case UInt8(ascii: "b"): result.append(0x08)
        case UInt8(ascii: "f"): result.append(0x0C)
        case UInt8(ascii: "u"):
          var code = try hexEscape()
          // Characters beyond U+FFFF come as a surrogate pair (`\ud83d\ude00`); half of one is
          // not a character, and replacing it with U+FFFD would change a name silently.
          if (0xD800...0xDBFF).contains(code) {
            guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
              throw error("`\(JSONReader.escape(code))` begins a surrogate pair that is not finished by a `\\uDC00`–`\\uDFFF` escape")
            }
            offset += 2
            let low = try hexEscape()
            guard (0xDC00...0xDFFF).contains(low) else {
              throw error("`\(JSONReader.escape(low))` cannot finish the surrogate pair begun by `\(JSONReader.escape(code))`")
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let scalar = Unicode.Scalar(code) else {
            throw error("`\(JSONReader.escape(code))` is half of a surrogate pair, not a character")
          }
          result.append(contentsOf: Array(String(Character(scalar)).utf8))
        default: throw error("unknown escape `\\\(String(decoding: [escaped], as: UTF8.self))` in string")
        }
      case 0x0A: throw error("string is not closed before the end of the line")
      default:
        result.append(byte)
        offset += 1
      }
    }
    throw error("string is not closed before the end of the file")
  }
}
