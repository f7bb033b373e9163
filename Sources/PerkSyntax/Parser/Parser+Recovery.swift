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
      let (help, labels) = trailingTextHelp(after: context)
      report(.unexpectedTrailingText, "unexpected \(current.phrase) after \(context)",
             at: rangeToLineEnd(), label: "not part of \(context)", labels: labels,
             help: help ?? (context == "the expression"
               ? "an expression is one quantity or comparison, such as `stars balance` or `basket total >= $20`"
               : "put one clause on each line"))
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
  mutating func expected(_ what: String, after context: String? = nil, help: String? = nil) {
    if current.kind == .invalid { lineHasError = true; return }
    let suffix = context.map { " after \($0)" } ?? ""
    report(.expectedToken, "expected \(what)\(suffix), found \(current.phrase)", at: current.range, help: help)
  }

  /// Words that leftover text after each kind of clause is most often a misspelling of; `per`
  /// first, so a tie goes to it. Other clauses get no guess: `on purchase now` is no typo.
  static let trailingKeywords: [String: [String]] = [
    "the limit": ["per", "times"],
    "the effect": ["per", "spent", "item", "items", "held", "before", "after", "discounts", "whole", "for"],
    "the condition": ["balance", "stamps", "total", "items", "and", "or"],
    "the expression": ["balance", "stamps", "total", "items", "and", "or"],
  ]

  /// Two-word quantities whose misspelt first word leaves the second over.
  static let quantityPhrases = ["basket total", "basket items", "birthday month", "signup date", "visit streak",
                                "first purchase"]

  /// Targeted help for text left over at the end of a clause, instead of the generic "put one clause
  /// on each line": a 12-hour time, a unit after a number in a condition, or a misspelt keyword — the
  /// leftover word itself, or the word before it, which a name swallowed (`earn 2 stars pr $1`).
  func trailingTextHelp(after context: String) -> (help: String?, labels: [Diagnostic.Label]) {
    let keywords = Parser.trailingKeywords[context] ?? []
    let previous = index > 0 ? tokens[index - 1] : current
    let sameLine = index > 0 && !current.isAtStartOfLine && previous.kind != .newline
    if sameLine, case .time(let t) = previous.kind, current.kind == .word,
       ["am", "pm"].contains(current.text.lowercased()) {
      let hour = t.hour % 12 + (current.text.lowercased() == "pm" ? 12 : 0)
      let written = "\(hour):" + (t.minute < 10 ? "0" : "") + "\(t.minute)"
      return ("times are written on the 24-hour clock: `\(written)`", [])
    }
    // `basket total >= 20 stars`: a unit after a number, unless the word is one typo from a keyword.
    if sameLine, ["the condition", "the expression"].contains(context), case .number = previous.kind, current.kind == .word,
       !keywords.contains(where: { Suggestions.editDistance($0, current.text) <= 1 }) {
      let number = previous.text
      if lineMentions(["total", "spend", "spent"]) {
        return ("this compares money, written with its currency: `$\(number)`, not `\(number) \(current.text)`", [])
      }
      return ("a number in a condition has no unit: write `\(number)`, not `\(number) \(current.text)`", [])
    }
    // `baskt total`: a misspelt quantity reads as a name, and its second word is left over.
    if sameLine, ["the condition", "the expression"].contains(context), previous.kind == .word, current.kind == .word {
      let second = current.text.lowercased()
      let firsts = Parser.quantityPhrases.filter { $0.hasSuffix(" " + second) }.map { String($0.prefix { $0 != " " }) }
      if let first = Suggestions.closest(to: previous.text.lowercased(), in: firsts) {
        return ("did you mean `\(first) \(second)`?", [.init("read as a name", at: previous.range)])
      }
    }
    if current.kind == .word, let word = Suggestions.closest(to: current.text.lowercased(), in: keywords) {
      return ("did you mean `\(word)`?", [])
    }
    if sameLine, previous.kind == .word, current.kind != .word,
       let word = Suggestions.closest(to: previous.text.lowercased(), in: ["per"]) {
      return ("did you mean `\(word)`?", [.init("`\(previous.text)` was read as part of a name", at: previous.range)])
    }
    return (nil, [])
  }

  /// Whether a word of the current line, before the current token, is one of `words`.
  private func lineMentions(_ words: Set<String>) -> Bool {
    var i = index - 1
    while i >= 0, tokens[i].kind != .newline {
      if tokens[i].kind == .word, words.contains(tokens[i].text.lowercased()) { return true }
      if tokens[i].isAtStartOfLine { break }
      i -= 1
    }
    return false
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
