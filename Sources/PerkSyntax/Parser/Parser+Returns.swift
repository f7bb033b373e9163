import PerkSource

/// The `on return …` clauses of programs, rules and stamp cards. (A points declaration's
/// `on return take back points, …` is in Parser+PointsLife.swift.)
extension Parser {
  /// ```
  /// return-policy = "on" "return" ( "recompute" "awards" | "keep" "awards"
  ///                               | "reverse" "awards" "by" "share" ) ;
  /// ```
  mutating func parseReturnPolicy() -> Located<ReturnPolicySyntax>? {
    parseReturnClause(choices: ReturnPolicySyntax.allCases.map { ($0.rawValue, $0) })
  }

  /// ```
  /// stamps-return = "on" "return" ( "take" "back" "stamps" | "keep" "stamps" ) ;
  /// ```
  mutating func parseStampReturn() -> Located<StampReturnSyntax>? {
    parseReturnClause(choices: StampReturnSyntax.allCases.map { ($0.rawValue, $0) })
  }

  /// `on return` and one of the phrases, ending the line; reports and skips it otherwise.
  private mutating func parseReturnClause<Choice>(choices: [(phrase: String, value: Choice)]) -> Located<Choice>? {
    let start = current
    advance()  // `on`
    guard expect("return", after: "`on`") != nil else {
      skipLine()
      return nil
    }
    let phrases = choices.map { $0.phrase.split(separator: " ").map(String.init) }
    // The phrase whose first word is next; then every further word must follow.
    guard let chosen = phrases.firstIndex(where: { at($0[0]) }) else {
      let word = current.kind == .word ? current.text.lowercased() : ""
      let suggestion = Suggestions.closest(to: word, in: choices.map(\.phrase))
        ?? Suggestions.closest(to: word, in: phrases.map { $0[0] }).flatMap { first in choices.first { $0.phrase.hasPrefix(first) }?.phrase }
      let listed = choices.map { "`\($0.phrase)`" }
      report(.expectedToken, "expected \(listed.dropLast().joined(separator: ", ")) or \(listed.last ?? "")"
               + " after `on return`, found \(current.phrase)", at: current.range,
             help: suggestion.map { "did you mean `on return \($0)`?" })
      skipLine()
      return nil
    }
    var said = "`on return"
    for word in phrases[chosen] {
      guard expect(word, after: said + "`") != nil else {
        skipLine()
        return nil
      }
      said += " " + word
    }
    let clauseRange = range(from: start)
    return finishLine("the return clause") ? Located(choices[chosen].value, range: clauseRange) : nil
  }
}
