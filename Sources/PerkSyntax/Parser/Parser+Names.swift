import PerkSource

/// Names are runs of words that end where the surrounding clause says they end (a stop word, punctuation
/// or the end of the line), or a string.
extension Parser {
  /// ```
  /// name      = name-word { name-word } | STRING ;
  /// name-word = WORD | WEEKDAY | MONTH ;
  /// ```
  /// A name ends at the end of the line, at punctuation, or at a word in `stops`.
  mutating func parseName(stoppingAt stops: Set<String>, allowingNumbers: Bool = false) -> Name? {
    if case .string(let text) = current.kind {
      return Name(text, range: advance().range)
    }
    var words: [String] = []
    var nameRange: SourceRange?
    while !atLineEnd {
      switch current.kind {
      case .word, .weekday, .month, .number:
        if current.kind == .word, stops.contains(current.text.lowercased()) { break }
        // Rule and reward names may hold a whole number after the first word
        // (`rule summer bonus 2026`); currency and card names may not, so that
        // `multiply stars 2` reads as a missing `by`.
        if case .number(let number) = current.kind, !allowingNumbers || words.isEmpty || number.scale != 0 { break }
        let token = advance()
        words.append(token.text)
        nameRange = nameRange.map { $0.union(token.range) } ?? token.range
        continue
      default:
        break
      }
      break
    }
    guard let nameRange else { return nil }
    return Name(words.joined(separator: " "), range: nameRange)
  }

  func isString(_ token: Token) -> Bool {
    if case .string = token.kind { return true }
    return false
  }

  func isNameWord(_ token: Token) -> Bool {
    switch token.kind {
    case .word, .weekday, .month: return true
    default: return false
    }
  }

  func isNumber(_ token: Token) -> Bool {
    if case .number = token.kind { return true }
    return false
  }
}
