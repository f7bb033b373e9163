import PerkSource

/// A hand-written recursive-descent parser for Perk rule files.
///
/// The parser's implementation is divided among files named for the family of
/// productions they parse (`Parser+Declarations.swift`, `Parser+Clauses.swift`,
/// `Parser+Expressions.swift`). Every parse function's doc comment starts with the
/// production it implements, exactly as written in `grammar/perk.ebnf`.
///
/// Layout is syntax: a declaration starts with its keyword at column 1 and owns the
/// indented lines under it; each indented line is one clause. Recovery follows the
/// layout too: a clause reports at most one syntax error and the parser resumes on
/// the next line; a broken declaration header resumes at the next column-1 keyword.
/// Functions that consume tokens are `mutating`; those that only look are not.
package struct Parser {
  /// How deep expressions may nest. Swift stacks are fixed and debug frames are
  /// large, so the limit is small (as in swift-experimental-string-processing);
  /// deeper input is an error, never a stack overflow.
  static let maximumNestingDepth = 64

  // Immutable input.
  let file: SourceFile
  let tokens: [Token]

  // Parsing state.
  var index = 0
  var depth = 0
  /// Set once a nesting overflow is reported; the rest of the declaration is skipped quietly.
  var nestingOverflowed = false
  /// Set once the current line has reported a syntax error, so one typo gives one error.
  var lineHasError = false

  // Output.
  var diagnostics: [Diagnostic] = []
  /// Every item filter read, for ``SourceFileSyntax/itemFilters``.
  var itemFilters: [ItemFilter] = []

  init(file: SourceFile, tokens: [Token]) {
    self.file = file
    self.tokens = tokens
  }

  // MARK: - Looking at tokens

  var current: Token { tokens[min(index, tokens.count - 1)] }

  func peek(_ distance: Int = 1) -> Token { tokens[min(index + distance, tokens.count - 1)] }

  /// Whether the current token is the word `keyword` (keywords ignore letter case).
  func at(_ keyword: String) -> Bool { isWord(current, keyword) }

  func isWord(_ token: Token, _ keyword: String) -> Bool {
    token.kind == .word && token.text.lowercased() == keyword
  }

  var atLineEnd: Bool { current.kind == .newline || current.kind == .endOfFile }

  /// Whether the current token starts a declaration (a word at column 1).
  var atDeclarationStart: Bool { current.isAtStartOfLine && current.indentation == 0 }

  // MARK: - Consuming tokens

  @discardableResult
  mutating func advance() -> Token {
    let token = current
    if index < tokens.count - 1 { index += 1 }
    return token
  }

  /// Consumes the word `keyword` if it is next.
  mutating func consume(_ keyword: String) -> Token? {
    at(keyword) ? advance() : nil
  }

  /// Consumes the word `keyword` or reports "expected `keyword`, found …".
  @discardableResult
  mutating func expect(_ keyword: String, after context: String? = nil) -> Token? {
    if let token = consume(keyword) { return token }
    expected("`\(keyword)`", after: context)
    return nil
  }

  /// Consumes a token of the given kind or reports.
  @discardableResult
  mutating func expect(_ kind: TokenKind, _ description: String, after context: String? = nil) -> Token? {
    if current.kind == kind { return advance() }
    expected(description, after: context)
    return nil
  }

  // MARK: - Ranges

  /// The range from the current token to the last token on this line.
  func rangeToLineEnd() -> SourceRange {
    var last = index
    while last + 1 < tokens.count, tokens[last + 1].kind != .newline, tokens[last + 1].kind != .endOfFile { last += 1 }
    return current.range.union(tokens[last].range)
  }

  /// The range from a starting token to the token before the current one.
  func range(from start: Token) -> SourceRange {
    let previous = tokens[max(0, index - 1)]
    return start.range.union(index > 0 && previous.range.start >= start.range.start ? previous.range : start.range)
  }
}

/// The public entry points of the parser.
public enum PerkParser {
  /// Lexes and parses one file, appending every lexical and syntax diagnostic.
  ///
  /// Always returns a tree: broken parts become `.invalid` nodes.
  /// - Complexity: O(n) in the size of the file.
  public static func parse(_ file: SourceFile, diagnostics: inout Diagnostics) -> SourceFileSyntax {
    let tokens = Lexer.tokenize(file, into: &diagnostics)
    var parser = Parser(file: file, tokens: tokens)
    let syntax = parser.parseFile()
    diagnostics.append(contentsOf: parser.diagnostics)
    return syntax
  }

  /// Parses a single expression (for the REPL): the whole text must be one expression.
  public static func parseExpression(_ file: SourceFile, diagnostics: inout Diagnostics) -> Expression {
    let tokens = Lexer.tokenize(file, into: &diagnostics)
    var parser = Parser(file: file, tokens: tokens)
    while parser.current.kind == .newline { parser.advance() }
    let expression = parser.parseExpression()
    parser.finishLine("the expression")
    diagnostics.append(contentsOf: parser.diagnostics)
    return expression
  }
}
