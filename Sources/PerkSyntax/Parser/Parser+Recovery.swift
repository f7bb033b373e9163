import PerkSource

/// Error reporting and resynchronisation (Go's scanner/parser style): at most one syntax error per
/// clause line, skip to the next line inside a declaration, skip to the next column-1 line after a bad
/// header, and one nesting-limit error per declaration.
extension Parser {
  /// Skips the rest of the current line, including its newline.
  mutating func skipLine() {
    while !atLineEnd { advance() }
    if current.kind == .newline { advance() }
    lineHasError = false
  }

  /// Ends a clause: reports leftover text once, then moves to the next line.
  /// Returns whether the line was free of errors, so a clause with a syntax error can
  /// become `.invalid` and later stages stay quiet about it (one typo, one error).
  @discardableResult
  mutating func finishLine(_ context: String) -> Bool {
    if !atLineEnd, !lineHasError, !nestingOverflowed, current.kind != .invalid {
      report(.unexpectedTrailingText, "unexpected \(current.phrase) after \(context)",
             at: rangeToLineEnd(), label: "not part of \(context)",
             help: "put one clause on each line")
    }
    let clean = atLineEnd && !lineHasError && !nestingOverflowed
    skipLine()
    return clean
  }

  /// Reports a syntax error unless this line already has one (no cascades), or the
  /// current token is one the lexer already reported.
  mutating func report(_ code: DiagnosticCode, _ message: String, at range: SourceRange,
                       label: String? = nil, labels: [Diagnostic.Label] = [], help: String? = nil) {
    guard !lineHasError, !nestingOverflowed else { return }
    lineHasError = true
    diagnostics.append(Diagnostic(code, message, at: range, label: label, labels: labels, help: help))
  }

  /// "expected X, found Y" (Go's `errorExpected`), pointing at the token found.
  mutating func expected(_ what: String, after context: String? = nil) {
    if current.kind == .invalid { lineHasError = true; return }
    let suffix = context.map { " after \($0)" } ?? ""
    report(.expectedToken, "expected \(what)\(suffix), found \(current.phrase)", at: current.range)
  }

  /// Skips to the next line that starts at column 1.
  mutating func skipDeclaration() {
    skipLine()
    while current.kind != .endOfFile, !atDeclarationStart { skipLine() }
  }

  /// Reports an unknown clause keyword with a suggestion from this declaration's clauses.
  mutating func unknownClause(in declaration: String, keywords: [String]) {
    let word = current.kind == .word ? current.text : ""
    let suggestion = Suggestions.closest(to: word.lowercased(), in: keywords)
    if current.kind != .invalid {
      report(.unknownClause, "unknown clause \(current.phrase) in \(declaration)", at: current.range,
             help: suggestion.map { "did you mean `\($0)`?" }
               ?? "\(declaration) clauses start with " + keywords.map { "`\($0)`" }.joined(separator: ", "))
    }
    skipLine()
  }

  /// Counts one level of nesting; on overflow reports once and returns false.
  mutating func enterNesting() -> Bool {
    if nestingOverflowed { return false }
    depth += 1
    if depth > Parser.maximumNestingDepth {
      lineHasError = false
      report(.nestingTooDeep, "expression is nested too deeply", at: current.range,
             help: "Perk allows \(Parser.maximumNestingDepth) levels of parentheses and operators; split the condition into simpler parts")
      nestingOverflowed = true
      depth -= 1
      return false
    }
    return true
  }

  mutating func invalidExpression(from start: Token? = nil) -> Expression {
    Expression(.invalid, range: (start ?? current).range)
  }
}
