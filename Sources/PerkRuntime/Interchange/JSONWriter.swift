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

  fileprivate func write(into bytes: inout [UInt8], indent: Int) {
    switch self {
    case .null: bytes.append(contentsOf: "null".utf8)
    case .bool(let value): bytes.append(contentsOf: (value ? "true" : "false").utf8)
    case .integer(let value): JSONOutput.integer(value, into: &bytes)
    case .string(let value): JSONOutput.quote(value, into: &bytes)
    case .array(let elements):
      if elements.isEmpty { bytes.append(contentsOf: "[]".utf8); return }
      bytes.append(contentsOf: "[\n".utf8)
      for (index, element) in elements.enumerated() {
        JSONOutput.spaces(indent + 2, into: &bytes)
        element.write(into: &bytes, indent: indent + 2)
        if index < elements.count - 1 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\n"))
      }
      JSONOutput.spaces(indent, into: &bytes)
      bytes.append(UInt8(ascii: "]"))
    case .object(let members):
      if members.isEmpty { bytes.append(contentsOf: "{}".utf8); return }
      bytes.append(contentsOf: "{\n".utf8)
      let keys = members.keys.sorted()
      for (index, key) in keys.enumerated() {
        JSONOutput.spaces(indent + 2, into: &bytes)
        JSONOutput.quote(key, into: &bytes)
        bytes.append(contentsOf: ": ".utf8)
        members[key]!.write(into: &bytes, indent: indent + 2)
        if index < keys.count - 1 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\n"))
      }
      JSONOutput.spaces(indent, into: &bytes)
      bytes.append(UInt8(ascii: "}"))
    }
  }

  /// `count` spaces (an indent). (Copying them from a static run of spaces measured no faster.)
  static func spaces(_ count: Int, into bytes: inout [UInt8]) {
    bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
  }

  /// `value` in decimal, as `String(value)` spells it: digits straight into the bytes, without
  /// a string made for each number (a report has a few for each of its customers).
  static func integer(_ value: Int64, into bytes: inout [UInt8]) {
    if value >= 0, value < 10 {
      bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value))
      return
    }
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    // At most 20 digits, written from the last into 24 bytes on the stack.
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &digits) { buffer in
      var start = buffer.count
      repeat {
        let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: 10)
        start -= 1
        buffer[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remainder)
        magnitude = quotient
      } while magnitude != 0
      bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start...]))
    }
  }

  /// `value` as a JSON string: quotes, backslashes and control characters escaped, everything
  /// else as its UTF-8 bytes.
  static func quote(_ value: String, into bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "\""))
    // Most strings (ids, names) need no escape: copied at once, not byte by byte.
    var plain = true
    for byte in value.utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
      plain = false
      break
    }
    if plain {
      bytes.append(contentsOf: value.utf8)
      bytes.append(UInt8(ascii: "\""))
      return
    }
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

/// Writes JSON as bytes in the layout of ``JSONOutput/rendered()`` (two-space indentation,
/// sorted keys, the same spelling of every value), for a document with parts too large to build
/// as ``JSONOutput`` values first: a simulation report made a dictionary for each of its tens of
/// thousands of customers, and sorted its keys again to write it.
///
/// Members written by a closure or under ``JSONKeys`` must come out as the values they stand
/// for would: the caller writes them with this writer's own methods.
package struct JSONWriter {
  /// The document so far.
  package private(set) var bytes: [UInt8] = []

  /// An empty document.
  package init() {}

  /// The document with the final newline ``JSONOutput/rendered()`` ends with.
  package consuming func rendered() -> String {
    bytes.append(UInt8(ascii: "\n"))
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Writes `value` as ``JSONOutput/rendered()`` writes it as a member `indent` spaces deep.
  package mutating func write(_ value: JSONOutput, indent: Int) {
    value.write(into: &bytes, indent: indent)
  }

  /// Writes a whole number.
  package mutating func write(integer value: Int64) {
    JSONOutput.integer(value, into: &bytes)
  }

  /// Writes a string, quoted and escaped.
  package mutating func write(string value: String) {
    JSONOutput.quote(value, into: &bytes)
  }

  /// A member written by a closure: the writer, and the indent of the member's value.
  package typealias Member = (inout JSONWriter, _ indent: Int) -> Void

  /// Writes the object of `members` and of the members `written` writes (no key is in both),
  /// keys sorted as ``JSONOutput/object(_:)``'s are.
  package mutating func writeObject(_ members: [String: JSONOutput], written: [String: Member], indent: Int) {
    precondition(written.keys.allSatisfy { members[$0] == nil }, "a member is given twice")
    if members.isEmpty && written.isEmpty {
      bytes.append(contentsOf: "{}".utf8)
      return
    }
    bytes.append(contentsOf: "{\n".utf8)
    let keys = (Array(members.keys) + Array(written.keys)).sorted()
    for (index, key) in keys.enumerated() {
      spaces(indent + 2)
      JSONOutput.quote(key, into: &bytes)
      bytes.append(contentsOf: ": ".utf8)
      if let value = members[key] {
        value.write(into: &bytes, indent: indent + 2)
      } else {
        written[key]!(&self, indent + 2)
      }
      if index < keys.count - 1 { bytes.append(UInt8(ascii: ",")) }
      bytes.append(UInt8(ascii: "\n"))
    }
    spaces(indent)
    bytes.append(UInt8(ascii: "}"))
  }

  /// Writes an array of `count` elements, each written by `element` (given its index and
  /// indent).
  package mutating func writeArray(count: Int, indent: Int, element: (inout JSONWriter, _ index: Int, _ indent: Int) -> Void) {
    if count == 0 {
      bytes.append(contentsOf: "[]".utf8)
      return
    }
    bytes.append(contentsOf: "[\n".utf8)
    for index in 0..<count {
      spaces(indent + 2)
      element(&self, index, indent + 2)
      if index < count - 1 { bytes.append(UInt8(ascii: ",")) }
      bytes.append(UInt8(ascii: "\n"))
    }
    spaces(indent)
    bytes.append(UInt8(ascii: "]"))
  }

  /// Writes an object with the members `keys`, each value written by `value` (given the key's
  /// index in `keys` and the value's indent).
  package mutating func writeObject(keys: JSONKeys, indent: Int, value: (inout JSONWriter, _ key: Int, _ indent: Int) -> Void) {
    bytes.append(contentsOf: "{\n".utf8)
    for index in keys.quoted.indices {
      spaces(indent + 2)
      bytes.append(contentsOf: keys.quoted[index])
      value(&self, index, indent + 2)
      if index < keys.quoted.count - 1 { bytes.append(UInt8(ascii: ",")) }
      bytes.append(UInt8(ascii: "\n"))
    }
    spaces(indent)
    bytes.append(UInt8(ascii: "}"))
  }

  private mutating func spaces(_ count: Int) {
    JSONOutput.spaces(count, into: &bytes)
  }
}

/// The keys of objects a ``JSONWriter`` writes many of, quoted once.
package struct JSONKeys: Sendable {
  /// Each key quoted and followed by `: `, in sorted order.
  fileprivate let quoted: [[UInt8]]

  /// The keys, which must be sorted as ``JSONOutput/object(_:)`` sorts them (and at least one).
  package init(_ keys: [String]) {
    precondition(!keys.isEmpty && keys == keys.sorted() && Set(keys).count == keys.count, "keys must be sorted and distinct")
    quoted = keys.map { key in
      var bytes: [UInt8] = []
      JSONOutput.quote(key, into: &bytes)
      bytes.append(contentsOf: ": ".utf8)
      return bytes
    }
  }
}
