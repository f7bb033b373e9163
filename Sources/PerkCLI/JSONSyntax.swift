/// A JSON syntax check that says where the input goes wrong, as `line:column`.
///
/// Foundation's parser reports at best a byte offset; people need a line and a column
/// (counted in characters) to fix an event file by hand.
struct JSONSyntax {
  struct Failure: Error, Equatable {
    var line: Int
    var column: Int
    var message: String
  }

  private let bytes: [UInt8]
  private var index = 0
  private var depth = 0
  private static let maxDepth = 256

  /// Checks `bytes`; nil when they are one valid JSON value.
  static func check(_ bytes: [UInt8]) -> Failure? {
    var parser = JSONSyntax(bytes: bytes)
    do {
      parser.skipSpace()
      try parser.value()
      parser.skipSpace()
      if parser.index < bytes.count { throw parser.failure("unexpected text after the JSON value") }
      return nil
    } catch let failure as Failure {
      return failure
    } catch {
      return nil
    }
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  private func failure(_ message: String) -> Failure {
    var line = 1
    var lineStart = 0
    for i in 0..<min(index, bytes.count) where bytes[i] == UInt8(ascii: "\n") {
      line += 1
      lineStart = i + 1
    }
    let column = String(decoding: bytes[lineStart..<min(index, bytes.count)], as: UTF8.self).count + 1
    return Failure(line: line, column: column, message: message)
  }

  private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

  private mutating func skipSpace() {
    while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { index += 1 }
  }

  private mutating func value() throws {
    guard let c = current else { throw failure("unexpected end of input, expected a value") }
    switch c {
    case UInt8(ascii: "{"): try object()
    case UInt8(ascii: "["): try array()
    case UInt8(ascii: "\""): try string()
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
    case UInt8(ascii: "t"): try literal("true")
    case UInt8(ascii: "f"): try literal("false")
    case UInt8(ascii: "n"): try literal("null")
    default: throw failure("unexpected character `\(String(decoding: [c], as: UTF8.self))`, expected a value")
    }
  }

  private mutating func nest(_ body: (inout JSONSyntax) throws -> Void) throws {
    depth += 1
    if depth > Self.maxDepth { throw failure("JSON nested too deeply") }
    try body(&self)
    depth -= 1
  }

  private mutating func object() throws {
    try nest { p in
      p.index += 1
      p.skipSpace()
      if p.current == UInt8(ascii: "}") { p.index += 1; return }
      while true {
        p.skipSpace()
        guard p.current == UInt8(ascii: "\"") else { throw p.failure("expected a string key") }
        try p.string()
        p.skipSpace()
        guard p.current == UInt8(ascii: ":") else { throw p.failure("expected `:` after the key") }
        p.index += 1
        p.skipSpace()
        try p.value()
        p.skipSpace()
        if p.current == UInt8(ascii: ",") { p.index += 1; continue }
        if p.current == UInt8(ascii: "}") { p.index += 1; return }
        throw p.failure("expected `,` or `}` in object")
      }
    }
  }

  private mutating func array() throws {
    try nest { p in
      p.index += 1
      p.skipSpace()
      if p.current == UInt8(ascii: "]") { p.index += 1; return }
      while true {
        p.skipSpace()
        try p.value()
        p.skipSpace()
        if p.current == UInt8(ascii: ",") { p.index += 1; continue }
        if p.current == UInt8(ascii: "]") { p.index += 1; return }
        throw p.failure("expected `,` or `]` in array")
      }
    }
  }

  private mutating func string() throws {
    index += 1
    while let c = current {
      switch c {
      case UInt8(ascii: "\""): index += 1; return
      case UInt8(ascii: "\\"): index += 2
      case 0..<0x20: throw failure("control character in string")
      default: index += 1
      }
    }
    throw failure("unterminated string")
  }

  private mutating func number() throws {
    let start = index
    if current == UInt8(ascii: "-") { index += 1 }
    var digits = 0
    while let c = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || c == UInt8(ascii: ".")
      || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
    {
      if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) { digits += 1 }
      index += 1
    }
    if digits == 0 {
      index = start
      throw failure("malformed number")
    }
  }

  private mutating func literal(_ word: String) throws {
    let w = Array(word.utf8)
    guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else {
      throw failure("unexpected character, expected `\(word)`")
    }
    index += w.count
  }
}
