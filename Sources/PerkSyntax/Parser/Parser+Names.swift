import PerkSource

/// Names are runs of words that end where the surrounding clause says they end (a stop word, punctuation
/// or the end of the line), or a string.
extension Parser {
  /// ```
  /// name      = name-word { name-word } | STRING ;
  /// name-word = WORD | WEEKDAY | MONTH ;
  /// ```
  /// A name ends at the end of the line, at punctuation, or at a word in `stops`.
  mutating func parseName(stoppingAt stops: Set<String>) -> Name? {
    if case .string(let text) = current.kind {
      return Name(text, range: advance().range)
    }
    var words: [String] = []
    var nameRange: SourceRange?
    while !atLineEnd {
      switch current.kind {
      case .word, .weekday, .month:
        if current.kind == .word, stops.contains(current.text.lowercased()) { break }
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
