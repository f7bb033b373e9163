import PerkSource

/// What a token is. Keywords are not token kinds: every alphabetic word is a
/// `.word`, and the parser decides from context whether it is a keyword.
package enum TokenKind: Hashable, Sendable {
  case word
  case money(MoneyLiteral)
  case percent(DecimalLiteral)
  case number(DecimalLiteral)
  case date(DateLiteral)
  case time(TimeLiteral)
  case duration(DurationLiteral)
  case string(String)
  case weekday(Int)
  case month(Int)
  /// `×`, or `x` directly followed by a digit (`x1.5`).
  case times
  case leftParen, rightParen, comma, colon, slash, plus, minus, star
  case less, lessEqual, greater, greaterEqual, equal, notEqual
  case newline
  case endOfFile
  /// Text the lexer could not read; it has already reported why.
  case invalid

  /// How the token is described in messages: "a money amount", "end of line".
  package var phrase: String {
    switch self {
    case .word: return "a word"
    case .money: return "a money amount"
    case .percent: return "a percentage"
    case .number: return "a number"
    case .date: return "a date"
    case .time: return "a time of day"
    case .duration: return "a duration"
    case .string: return "a string"
    case .weekday: return "a weekday"
    case .month: return "a month"
    case .times: return "`×`"
    case .leftParen: return "`(`"
    case .rightParen: return "`)`"
    case .comma: return "`,`"
    case .colon: return "`:`"
    case .slash: return "`/`"
    case .plus: return "`+`"
    case .minus: return "`-`"
    case .star: return "`*`"
    case .less: return "`<`"
    case .lessEqual: return "`<=`"
    case .greater: return "`>`"
    case .greaterEqual: return "`>=`"
    case .equal: return "`=`"
    case .notEqual: return "`!=`"
    case .newline: return "end of line"
    case .endOfFile: return "end of file"
    case .invalid: return "invalid text"
    }
  }
}

/// One lexical token: what it is, where it is, and its place in the layout.
package struct Token: Hashable, Sendable {
  /// What the token is.
  package var kind: TokenKind
  /// The bytes it covers.
  package var range: SourceRange
  /// The token's text, for words (lowercased comparisons are done by the parser).
  package var text: String
  /// Whether the token is the first on its line.
  package var isAtStartOfLine: Bool
  /// The 0-based byte column of the first token on this token's line; 0 means a declaration line.
  package var indentation: Int

  package init(kind: TokenKind, range: SourceRange, text: String, isAtStartOfLine: Bool, indentation: Int) {
    self.kind = kind
    self.range = range
    self.text = text
    self.isAtStartOfLine = isAtStartOfLine
    self.indentation = indentation
  }

  /// How the token is described in "expected X, found Y" messages.
  package var phrase: String {
    switch kind {
    case .word: return "`\(text)`"
    case .newline, .endOfFile: return kind.phrase
    default: return text.isEmpty ? kind.phrase : "`\(text)`"
    }
  }
}
