import Foundation

/// A parsed JSON value for schema checks: numbers keep their text, objects their member order.
public indirect enum JSONDocument: Equatable, Sendable {
  /// `null`
  case null
  /// `true` / `false`
  case bool(Bool)
  /// A number, as written.
  case number(String)
  /// A string.
  case string(String)
  /// An array.
  case array([JSONDocument])
  /// An object, members in file order.
  case object([(key: String, value: JSONDocument)])

  /// Parses one JSON value (RFC 8259); nil when the text is not JSON.
  public static func parse(_ text: String) -> JSONDocument? {
    var parser = Parser(bytes: Array(text.utf8))
    guard let value = parser.value() else { return nil }
    parser.skipSpace()
    return parser.index == parser.bytes.count ? value : nil
  }

  /// The value of `key` in an object.
  public subscript(key: String) -> JSONDocument? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.key == key }?.value
  }

  /// Equal values; objects are equal whatever the order of their members.
  public static func == (a: JSONDocument, b: JSONDocument) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count && x.allSatisfy { member in y.contains { $0.key == member.key && $0.value == member.value } }
    default: return false
    }
  }

  private struct Parser {
    let bytes: [UInt8]
    var index = 0

    mutating func skipSpace() {
      while index < bytes.count, [9, 10, 13, 32].contains(bytes[index]) { index += 1 }
    }

    mutating func literal(_ word: String) -> Bool {
      let w = Array(word.utf8)
      guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else { return false }
      index += w.count
      return true
    }

    mutating func value() -> JSONDocument? {
      skipSpace()
      guard index < bytes.count else { return nil }
      switch bytes[index] {
      case UInt8(ascii: "n"): return literal("null") ? .null : nil
      case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
      case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
      case UInt8(ascii: "\""): return string().map { .string($0) }
      case UInt8(ascii: "["):
        index += 1
        var elements: [JSONDocument] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array([]) }
        while true {
          guard let element = value() else { return nil }
          elements.append(element)
          skipSpace()
          guard index < bytes.count else { return nil }
          if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
          guard bytes[index] == UInt8(ascii: ",") else { return nil }
          index += 1
        }
      case UInt8(ascii: "{"):
        index += 1
        var members: [(key: String, value: JSONDocument)] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object([]) }
        while true {
          skipSpace()
          guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else { return nil }
          skipSpace()
          guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
          index += 1
          guard let member = value() else { return nil }
          members.append((key, member))
          skipSpace()
          guard index < bytes.count else { return nil }
          if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
          guard bytes[index] == UInt8(ascii: ",") else { return nil }
          index += 1
        }
      default:
        let start = index
        while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        return Double(text) != nil && !text.isEmpty ? .number(text) : nil
      }
    }

    mutating func string() -> String? {
      index += 1
      var scalars = String.UnicodeScalarView()
      var raw: [UInt8] = []
      func flush() { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars); raw = [] }
      while index < bytes.count {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\"") { flush(); return String(scalars) }
        guard byte == UInt8(ascii: "\\") else { raw.append(byte); continue }
        guard index < bytes.count else { return nil }
        let escape = bytes[index]
        index += 1
        flush()
        switch escape {
        case UInt8(ascii: "n"): scalars.append("\n")
        case UInt8(ascii: "t"): scalars.append("\t")
        case UInt8(ascii: "r"): scalars.append("\r")
        case UInt8(ascii: "b"): scalars.append("\u{8}")
        case UInt8(ascii: "f"): scalars.append("\u{c}")
        case UInt8(ascii: "u"):
          guard index + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
          else { return nil }
          index += 4
          var value = code
          if (0xD800..<0xDC00).contains(code), index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
             let low = UInt32(String(decoding: bytes[index + 2..<index + 6], as: UTF8.self), radix: 16) {
            index += 6
            value = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let scalar = Unicode.Scalar(value) else { return nil }
          scalars.append(scalar)
        default: scalars.append(Unicode.Scalar(escape))
        }
      }
      return nil
    }
  }
}

/// A JSON Schema (draft 2020-12) validator for the subset of keywords Perk's schemas use
/// (docs/schemas/): `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`,
/// `const`, `pattern`, `minimum`, `minItems`, `oneOf`, `$ref` (`#/$defs/NAME`, or
/// `FILE#/$defs/NAME` for another schema of the set) and `$defs`, with the annotations
/// `$schema`, `$id`, `title`, `description` and `examples`. A schema using any other keyword is
/// reported as an error, so the schemas cannot drift outside what is checked.
public struct JSONSchemaSet: Sendable {
  /// The schemas by file name (`outcome.schema.json`).
  public var schemas: [String: JSONDocument]

  static let keywords: Set<String> = [
    "type", "properties", "required", "additionalProperties", "items", "enum", "const", "pattern", "minimum", "minItems",
    "oneOf", "$ref", "$defs", "$schema", "$id", "title", "description", "examples",
  ]

  /// Creates a set from parsed schemas by file name.
  public init(schemas: [String: JSONDocument]) { self.schemas = schemas }

  /// Reads every `*.schema.json` in a directory.
  public init(directory: URL) throws {
    var schemas: [String: JSONDocument] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".schema.json") {
      let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
      guard let document = JSONDocument.parse(text) else { throw SchemaFileError(name: name) }
      schemas[name] = document
    }
    self.schemas = schemas
  }

  /// A schema file that is not JSON.
  public struct SchemaFileError: Error, CustomStringConvertible {
    /// The file's name.
    public var name: String
    /// For people.
    public var description: String { "\(name) is not JSON" }
  }

  /// Every way `document` fails the schema `name`, each as `pointer: problem`; empty when it is valid.
  public func validate(_ document: JSONDocument, against name: String) -> [String] {
    guard let schema = schemas[name] else { return ["no schema \(name)"] }
    var errors: [String] = []
    check(document, schema, file: name, at: "", depth: 0, errors: &errors)
    return errors
  }

  private func resolve(_ reference: String, file: String) -> (JSONDocument, String)? {
    let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
    let target = parts[0].isEmpty ? file : String(parts[0])
    guard var node = schemas[target] else { return nil }
    if parts.count == 2, !parts[1].isEmpty {
      for component in parts[1].split(separator: "/") {
        guard let next = node[String(component)] else { return nil }
        node = next
      }
    }
    return (node, target)
  }

  private func check(_ value: JSONDocument, _ schema: JSONDocument, file: String, at pointer: String, depth: Int,
                     errors: inout [String]) {
    let here = pointer.isEmpty ? "/" : pointer
    guard depth < 64 else { errors.append("\(here): schema references nest too deep"); return }
    if case .bool(let allowed) = schema {
      if !allowed { errors.append("\(here): no value is allowed here") }
      return
    }
    guard case .object(let keywords) = schema else { errors.append("\(here): the schema is not an object"); return }
    for (keyword, _) in keywords where !Self.keywords.contains(keyword) {
      errors.append("\(here): the schema uses `\(keyword)`, which this validator does not check")
    }
    if case .string(let reference)? = schema["$ref"] {
      if let (target, targetFile) = resolve(reference, file: file) {
        check(value, target, file: targetFile, at: pointer, depth: depth + 1, errors: &errors)
      } else {
        errors.append("\(here): unresolved $ref \(reference)")
      }
    }
    if let type = schema["type"] {
      var names: [String] = []
      if case .string(let one) = type { names = [one] }
      if case .array(let many) = type { names = many.compactMap { if case .string(let s) = $0 { s } else { nil } } }
      guard names.contains(where: { Self.has(value, type: $0) }) else {
        errors.append("\(here): expected \(names.joined(separator: " or ")), found \(Self.describe(value))")
        return
      }
    }
    if case .array(let options)? = schema["enum"], !options.contains(value) {
      errors.append("\(here): \(Self.describe(value)) is not one of the allowed values")
    }
    if let constant = schema["const"], constant != value {
      errors.append("\(here): \(Self.describe(value)) is not the required value")
    }
    if case .string(let pattern)? = schema["pattern"], case .string(let text) = value {
      let matches = (try? NSRegularExpression(pattern: pattern)).map {
        $0.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
      }
      if matches != true { errors.append("\(here): \"\(text)\" does not match \(pattern)") }
    }
    if case .number(let limit)? = schema["minimum"], case .number(let text) = value,
       let bound = Decimal(string: limit), let number = Decimal(string: text), number < bound {
      errors.append("\(here): \(text) is below the minimum \(limit)")
    }
    if case .array(let elements) = value {
      if case .number(let least)? = schema["minItems"], let count = Int(least), elements.count < count {
        errors.append("\(here): fewer than \(count) items")
      }
      if let items = schema["items"] {
        for (index, element) in elements.enumerated() {
          check(element, items, file: file, at: "\(pointer)/\(index)", depth: depth, errors: &errors)
        }
      }
    }
    if case .object(let members) = value {
      let properties: [(key: String, value: JSONDocument)]
      if case .object(let declared)? = schema["properties"] { properties = declared } else { properties = [] }
      if case .array(let required)? = schema["required"] {
        for case .string(let key) in required where !members.contains(where: { $0.key == key }) {
          errors.append("\(here): missing required key `\(key)`")
        }
      }
      for (key, member) in members {
        let path = "\(pointer)/\(key)"
        if let property = properties.first(where: { $0.key == key }) {
          check(member, property.value, file: file, at: path, depth: depth, errors: &errors)
        } else if let additional = schema["additionalProperties"] {
          if case .bool(false) = additional { errors.append("\(path): unknown key `\(key)`") }
          else { check(member, additional, file: file, at: path, depth: depth, errors: &errors) }
        }
      }
    }
    if case .array(let options)? = schema["oneOf"] {
      var passing = 0
      var firstErrors: [[String]] = []
      for option in options {
        var optionErrors: [String] = []
        check(value, option, file: file, at: pointer, depth: depth + 1, errors: &optionErrors)
        if optionErrors.isEmpty { passing += 1 } else { firstErrors.append(optionErrors) }
      }
      if passing != 1 {
        let closest = firstErrors.min { $0.count < $1.count } ?? []
        errors.append("\(here): matches \(passing) of the \(options.count) `oneOf` schemas, not exactly one"
          + (closest.isEmpty ? "" : " (closest: \(closest.joined(separator: "; ")))"))
      }
    }
  }

  static func has(_ value: JSONDocument, type: String) -> Bool {
    switch (type, value) {
    case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("number", .number):
      return true
    case ("integer", .number(let text)): return !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
    default: return false
    }
  }

  static func describe(_ value: JSONDocument) -> String {
    switch value {
    case .null: return "null"
    case .bool(let b): return String(b)
    case .number(let n): return n
    case .string(let s): return "\"\(s)\""
    case .array: return "an array"
    case .object: return "an object"
    }
  }
}
