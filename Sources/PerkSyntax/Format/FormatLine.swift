import PerkSource

/// One physical line of a file as the formatter sees it: its indentation, its tokens and the
/// comment after them.
struct FormatLine {
  /// The line's leading whitespace as the lexer counts it (a tab is 4).
  var indentation: Int
  /// The line's tokens, without the newline.
  var tokens: [Token]
  /// Whether whitespace came before each token (the first token's entry is unused).
  var spaced: [Bool]
  /// The comment, from `#` to the end of the line without trailing whitespace, if any.
  var comment: String?
  /// The code as written, trimmed: kept when the canonical spacing would change a token.
  var written: String

  var isBlank: Bool { tokens.isEmpty && comment == nil }
  var isCode: Bool { !tokens.isEmpty }
  /// The keyword the line starts with (`rule`, `keep`, `from`), if it starts with one.
  var firstKeyword: Keyword? { tokens.first.flatMap { $0.kind == .word ? Keyword(rawValue: $0.text.lowercased()) : nil } }

  /// The file's lines, each with the tokens that start on it.
  static func split(_ file: SourceFile, tokens: [Token]) -> [FormatLine] {
    let bytes = file.bytes
    var lines: [FormatLine] = []
    var tokenIndex = 0
    var start = 0
    while start < bytes.count {
      var end = start
      while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
      var lineTokens: [Token] = []
      // A line's newline token sits where its last token ends: it is taken with the line.
      while tokenIndex < tokens.count, tokens[tokenIndex].kind != .endOfFile,
        tokens[tokenIndex].kind == .newline || tokens[tokenIndex].range.start < end
      {
        let token = tokens[tokenIndex]
        tokenIndex += 1
        if token.kind != .newline { lineTokens.append(token) }
      }
      lines.append(FormatLine(bytes: bytes, start: start, end: end, tokens: lineTokens))
      start = end + 1
    }
    return lines
  }

  private init(bytes: [UInt8], start: Int, end: Int, tokens: [Token]) {
    func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") }
    var indentation = 0
    var first = start
    while first < end, isSpace(bytes[first]) {
      indentation += bytes[first] == UInt8(ascii: "\t") ? 4 : (bytes[first] == UInt8(ascii: " ") ? 1 : 0)
      first += 1
    }
    self.indentation = indentation
    self.tokens = tokens
    spaced = tokens.indices.map { i in i > 0 && tokens[i].range.start > tokens[i - 1].range.end }
    // What follows the last token is whitespace and perhaps a comment (the lexer skipped both).
    var rest = tokens.last?.range.end ?? first
    while rest < end, isSpace(bytes[rest]) { rest += 1 }
    var last = end
    while last > rest, isSpace(bytes[last - 1]) { last -= 1 }
    comment = rest < last && bytes[rest] == UInt8(ascii: "#") ? String(decoding: bytes[rest..<last], as: UTF8.self) : nil
    let codeEnd = tokens.last?.range.end ?? first
    written = String(decoding: bytes[first..<max(first, codeEnd)], as: UTF8.self)
  }

  // MARK: - Canonical spacing

  /// The tokens from `range` joined with canonical spacing: one space between tokens that were
  /// apart, none before `,` `)` `:` or after `(`, one after `,` and `:`, and spaces around
  /// comparisons. Nil when that spelling lexes differently (`12\tUSD` is two tokens,
  /// `12 USD` one), so the caller keeps the tokens as written.
  func canonical(_ range: Range<Int>) -> String? {
    var text = ""
    for i in range {
      let token = tokens[i]
      if i > range.lowerBound { text += gap(before: i) }
      text += Self.spelling(token)
    }
    return relexes(text, as: Array(tokens[range])) ? text : nil
  }

  /// The whole line's code: canonical if it lexes the same, else as written.
  var code: String { canonical(0..<tokens.count) ?? written }

  /// A token's text with the spaces inside it made one: `90   days`, `12.50  USD`.
  static func spelling(_ token: Token) -> String {
    switch token.kind {
    case .duration, .money:
      return token.text.split(separator: " ").joined(separator: " ")
    default:
      return token.text
    }
  }

  private func gap(before i: Int) -> String {
    let previous = tokens[i - 1].kind
    let kind = tokens[i].kind
    switch kind {
    case .comma, .rightParen, .colon: return ""
    default: break
    }
    switch previous {
    case .leftParen: return ""
    case .comma, .colon: return " "
    default: break
    }
    if Self.isComparison(kind) || Self.isComparison(previous) { return " " }
    return spaced[i] ? " " : ""
  }

  private static func isComparison(_ kind: TokenKind) -> Bool {
    switch kind {
    case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: return true
    default: return false
    }
  }

  /// Whether `text` lexes cleanly into the tokens of `expected`, as spelled canonically.
  func relexes(_ text: String, as expected: [Token]) -> Bool {
    var diagnostics = Diagnostics()
    let again = Lexer.tokenize(SourceFile(path: "<fmt>", text: text), into: &diagnostics)
      .filter { $0.kind != .newline && $0.kind != .endOfFile }
    guard !diagnostics.hasErrors, again.count == expected.count else { return false }
    return zip(again, expected).allSatisfy { $0.kind == $1.kind && $0.text == Self.spelling($1) }
  }
}
