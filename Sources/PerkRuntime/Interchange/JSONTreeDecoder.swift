/// Decodes a `Decodable` value from a JSON tree read by ``JSONNode/parse(_:path:)``, strictly.
///
/// Foundation's `JSONDecoder` ignores keys a type does not read, keeps one of two duplicate
/// keys, and reports a coding path instead of a line. Reading the tree instead gives every
/// error a line and column, refuses duplicate keys in every object, and refuses unknown keys
/// in every object decoded with `CodingKeys` that are `CaseIterable` — the known keys are the
/// type's own coding keys, so a field added to a type is known here without a second list.
/// Objects decoded with other keys (a dictionary's, whose keys are names from the data) are
/// checked for duplicates only.
struct JSONTreeDecoder {
  /// Records the coding-key types whose objects could not be checked for unknown keys
  /// (tests use it to prove every fixed-key object of a state is checked).
  final class Audit {
    var uncheckedKeyTypes: Set<String> = []
  }

  /// Decodes `type` from `node`; `what` names the root object in messages (`the state`).
  static func decode<T: Decodable>(_ type: T.Type, from node: JSONNode, path: String, what: String,
                                   audit: Audit? = nil) throws(InputError) -> T {
    let decoder = TreeDecoder(node: node, codingPath: [], context: TreeDecoder.Context(path: path, root: what, audit: audit))
    do {
      return try T(from: decoder)
    } catch let error as InputError {
      throw error
    } catch let error as DecodingError {
      // Errors a type's own `init(from:)` raises (an unsupported version, a malformed date)
      // carry a coding path: found in the tree, it gives the line and column.
      let (codingPath, message) = describe(error)
      let at = node.descendant(at: codingPath) ?? node
      throw InputError(path: path, line: at.line, column: at.column, message: "\(message) (at \(name(codingPath, root: what)))")
    } catch {
      throw InputError(path: path, line: node.line, column: node.column, message: "\(error)")
    }
  }

  private static func describe(_ error: DecodingError) -> ([any CodingKey], String) {
    switch error {
    case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
      return (context.codingPath, context.debugDescription)
    case .keyNotFound(let key, let context):
      return (context.codingPath, "missing `\(key.stringValue)`")
    @unknown default:
      return ([], "\(error)")
    }
  }

  /// `records[0].lines[1]`, or the root's name for the root.
  static func name(_ codingPath: [any CodingKey], root: String) -> String {
    guard !codingPath.isEmpty else { return root }
    var text = ""
    for key in codingPath {
      if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
    }
    return "`\(text)`"
  }
}

extension JSONNode {
  /// The node a coding path leads to (array elements by index, object members by key).
  func descendant(at codingPath: [any CodingKey]) -> JSONNode? {
    var node = self
    for key in codingPath {
      switch node.value {
      case .array(let elements):
        guard let index = key.intValue, elements.indices.contains(index) else { return nil }
        node = elements[index]
      case .object(let members):
        guard let member = members.first(where: { $0.key == key.stringValue }) else { return nil }
        node = member.value
      default:
        return nil
      }
    }
    return node
  }
}

/// The `Decoder` over one node of the tree.
private struct TreeDecoder: Decoder {
  final class Context {
    let path: String
    let root: String
    let audit: JSONTreeDecoder.Audit?
    init(path: String, root: String, audit: JSONTreeDecoder.Audit?) {
      self.path = path
      self.root = root
      self.audit = audit
    }
  }

  let node: JSONNode
  let codingPath: [any CodingKey]
  let context: Context
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  var name: String { JSONTreeDecoder.name(codingPath, root: context.root) }

  func error(_ message: String, at node: JSONNode? = nil) -> InputError {
    let at = node ?? self.node
    return InputError(path: context.path, line: at.line, column: at.column, message: message)
  }

  func child(_ node: JSONNode, _ key: any CodingKey) -> TreeDecoder {
    TreeDecoder(node: node, codingPath: codingPath + [key], context: context)
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    let known = ObjectKeys.names(of: type)
    if known == nil { context.audit?.uncheckedKeyTypes.insert(String(reflecting: type)) }
    let members = try ObjectKeys.check(node, known: known, what: name, path: context.path)
    return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self, members: members))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard case .array(let elements) = node.value else { throw error("\(name) must be a JSON array") }
    return UnkeyedContainer(decoder: self, elements: elements)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

  // MARK: Values

  func string() throws(InputError) -> String {
    guard case .string(let text) = node.value else { throw error("\(name) must be a string") }
    return text
  }

  func bool() throws(InputError) -> Bool {
    guard case .bool(let value) = node.value else { throw error("\(name) must be `true` or `false`") }
    return value
  }

  func integer<T: FixedWidthInteger>(_ type: T.Type) throws(InputError) -> T {
    // Exactly the digits: `1.0` or `1e3` is not taken for a count.
    guard case .number(let text) = node.value, let value = T(text) else {
      throw error("\(name) must be a whole number from \(T.min) to \(T.max)")
    }
    return value
  }

  /// No state holds a binary floating-point number (money and points are exact integers), so
  /// a type that asks for one is refused rather than given an inexact value.
  func floating<T>(_ type: T.Type) throws(InputError) -> T {
    throw error("\(name): Perk reads no floating-point numbers (amounts are exact minor units)")
  }
}

extension TreeDecoder: SingleValueDecodingContainer {
  func decodeNil() -> Bool { node.value == .null }
  func decode(_ type: Bool.Type) throws -> Bool { try bool() }
  func decode(_ type: String.Type) throws -> String { try string() }
  func decode(_ type: Double.Type) throws -> Double { try floating(type) }
  func decode(_ type: Float.Type) throws -> Float { try floating(type) }
  func decode(_ type: Int.Type) throws -> Int { try integer(type) }
  func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
  func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
  func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
  func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
  func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    if node.value == .null { throw error("\(name) must not be null") }
    return try T(from: self)
  }
}

/// An object's members, checked by ``ObjectKeys``.
private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let decoder: TreeDecoder
  let members: [String: JSONNode]

  var codingPath: [any CodingKey] { decoder.codingPath }

  var allKeys: [Key] {
    guard case .object(let ordered) = decoder.node.value else { return [] }
    return ordered.compactMap { Key(stringValue: $0.key) }
  }

  func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

  func member(_ key: Key) throws(InputError) -> TreeDecoder {
    guard let node = members[key.stringValue] else { throw decoder.error("missing `\(key.stringValue)` in \(decoder.name)") }
    return decoder.child(node, key)
  }

  func decodeNil(forKey key: Key) throws -> Bool { try member(key).decodeNil() }
  func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try member(key).bool() }
  func decode(_ type: String.Type, forKey key: Key) throws -> String { try member(key).string() }
  func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try member(key).floating(type) }
  func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try member(key).floating(type) }
  func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try member(key).integer(type) }
  func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try member(key).integer(type) }
  func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try member(key).integer(type) }
  func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try member(key).integer(type) }
  func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try member(key).integer(type) }
  func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try member(key).integer(type) }
  func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try member(key).integer(type) }
  func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try member(key).integer(type) }
  func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try member(key).integer(type) }
  func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try member(key).integer(type) }
  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try member(key).decode(type) }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
    try member(key).container(keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try member(key).unkeyedContainer() }
  func superDecoder() throws -> any Decoder { decoder }
  func superDecoder(forKey key: Key) throws -> any Decoder { try member(key) }
}

/// An array's elements, in order.
private struct UnkeyedContainer: UnkeyedDecodingContainer {
  let decoder: TreeDecoder
  let elements: [JSONNode]
  var currentIndex = 0

  init(decoder: TreeDecoder, elements: [JSONNode]) {
    self.decoder = decoder
    self.elements = elements
  }

  var codingPath: [any CodingKey] { decoder.codingPath }
  var count: Int? { elements.count }
  var isAtEnd: Bool { currentIndex >= elements.count }

  /// The next element's decoder; moves past it.
  mutating func next() throws(InputError) -> TreeDecoder {
    guard !isAtEnd else { throw decoder.error("\(decoder.name) has too few elements") }
    defer { currentIndex += 1 }
    return decoder.child(elements[currentIndex], IndexKey(intValue: currentIndex))
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd, elements[currentIndex].value == .null else { return false }
    currentIndex += 1
    return true
  }

  mutating func decode(_ type: Bool.Type) throws -> Bool { try next().bool() }
  mutating func decode(_ type: String.Type) throws -> String { try next().string() }
  mutating func decode(_ type: Double.Type) throws -> Double { try next().floating(type) }
  mutating func decode(_ type: Float.Type) throws -> Float { try next().floating(type) }
  mutating func decode(_ type: Int.Type) throws -> Int { try next().integer(type) }
  mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().integer(type) }
  mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().integer(type) }
  mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().integer(type) }
  mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().integer(type) }
  mutating func decode(_ type: UInt.Type) throws -> UInt { try next().integer(type) }
  mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().integer(type) }
  mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().integer(type) }
  mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().integer(type) }
  mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().integer(type) }
  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
    try next().container(keyedBy: type)
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
  mutating func superDecoder() throws -> any Decoder { try next() }
}

/// An array index in a coding path.
private struct IndexKey: CodingKey {
  let intValue: Int?
  var stringValue: String { "\(intValue ?? 0)" }
  init(intValue: Int) { self.intValue = intValue }
  init?(stringValue: String) { return nil }
}
