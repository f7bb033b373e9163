import PerkSource
import Testing

@testable import PerkSyntax

struct LexCase: Sendable, CustomTestStringConvertible {
  let source: String
  let kinds: [TokenKind]
  var codes: [DiagnosticCode] = []
  var testDescription: String { source }
}

func money(_ significand: Int64, _ scale: Int, _ currency: MoneyLiteral.Currency) -> TokenKind {
  .money(MoneyLiteral(amount: DecimalLiteral(significand: significand, scale: scale), currency: currency))
}

let lexCases: [LexCase] = [
  LexCase(source: "$4.50", kinds: [money(450, 2, .symbol("$"))]),
  LexCase(source: "€10,000", kinds: [money(10000, 0, .symbol("€"))]),
  LexCase(source: "12.50 USD", kinds: [money(1250, 2, .code("USD"))]),
  LexCase(source: "3.5%", kinds: [.percent(DecimalLiteral(significand: 35, scale: 1))]),
  LexCase(source: "90 days", kinds: [.duration(DurationLiteral(count: 90, unit: .day))]),
  LexCase(source: "1 year", kinds: [.duration(DurationLiteral(count: 1, unit: .year))]),
  LexCase(source: "2028-02-29", kinds: [.date(DateLiteral(year: 2028, month: 2, day: 29))]),
  LexCase(source: "09:00", kinds: [.time(TimeLiteral(hour: 9, minute: 0))]),
  LexCase(source: "Tuesday MAY", kinds: [.weekday(2), .month(5)]),
  LexCase(source: "x1.5 × 2", kinds: [.times, .number(DecimalLiteral(significand: 15, scale: 1)), .times, .number(DecimalLiteral(significand: 2, scale: 0))]),
  LexCase(source: "coffee, tea", kinds: [.word, .comma, .word]),
  LexCase(source: "\"a \\\"b\\\"\"", kinds: [.string("a \"b\"")]),
  LexCase(source: ">= <= != = < > ( ) : /", kinds: [.greaterEqual, .lessEqual, .notEqual, .equal, .less, .greater, .leftParen, .rightParen, .colon, .slash]),
  LexCase(source: "earn # a comment", kinds: [.word]),
  LexCase(source: "2026-02-30", kinds: [.invalid], codes: [.malformedDate]),
  LexCase(source: "25:00", kinds: [.invalid], codes: [.malformedTime]),
  LexCase(source: "\"open", kinds: [.invalid], codes: [.unterminatedString]),
  LexCase(source: "\"a\\qb\"", kinds: [.invalid], codes: [.invalidEscape]),
  LexCase(source: "$", kinds: [.invalid], codes: [.malformedMoney]),
  LexCase(source: "$1.23456", kinds: [.invalid], codes: [.malformedMoney]),
  LexCase(source: "12abc", kinds: [.invalid], codes: [.malformedNumber]),
  LexCase(source: "99999999999999999999", kinds: [.invalid], codes: [.literalTooLarge]),
  LexCase(source: "1,500", kinds: [.number(DecimalLiteral(significand: 1500, scale: 0))]),
  LexCase(source: "1,50", kinds: [.number(DecimalLiteral(significand: 1, scale: 0)), .comma, .number(DecimalLiteral(significand: 50, scale: 0))]),
  LexCase(source: "£3 ¥500", kinds: [money(3, 0, .symbol("£")), money(500, 0, .symbol("¥"))]),
  LexCase(source: "10 JPY", kinds: [money(10, 0, .code("JPY"))]),
  LexCase(source: "10 usd", kinds: [.number(DecimalLiteral(significand: 10, scale: 0)), .word]),
  LexCase(source: "2 weeks", kinds: [.duration(DurationLiteral(count: 2, unit: .week))]),
  LexCase(source: "xbox x2", kinds: [.word, .times, .number(DecimalLiteral(significand: 2, scale: 0))]),
  LexCase(source: "a\r\nb", kinds: [.word, .word]),
  LexCase(source: "\"a\\nb\\t\\\\\"", kinds: [.string("a\nb\t\\")]),
  LexCase(source: "- 5 + * ", kinds: [.minus, .number(DecimalLiteral(significand: 5, scale: 0)), .plus, .star]),
  LexCase(source: "2027-02-29", kinds: [.invalid], codes: [.malformedDate]),
  LexCase(source: "12:60", kinds: [.invalid], codes: [.malformedTime]),
  LexCase(source: "a ~ b @ c", kinds: [.word, .invalid, .word, .invalid, .word], codes: [.invalidCharacter, .invalidCharacter]),
  LexCase(source: "a { b", kinds: [.word, .invalid, .word], codes: [.invalidCharacter]),
]

@Test(arguments: lexCases)
func lexes(_ lexCase: LexCase) {
  var diagnostics = Diagnostics()
  let file = SourceFile(path: "t", text: lexCase.source)
  let tokens = Lexer.tokenize(file, into: &diagnostics)
  let kinds = tokens.map(\.kind).filter { $0 != .newline && $0 != .endOfFile }
  #expect(kinds == lexCase.kinds)
  #expect(diagnostics.all.map(\.code) == lexCase.codes)
  #expect(tokens.last?.kind == .endOfFile)
  #expect(tokens.last?.range.start == file.bytes.count)
}

@Test func invalidUTF8IsReportedAndSkipped() {
  var diagnostics = Diagnostics()
  let file = SourceFile(path: "t", bytes: Array("rule ".utf8) + [0xFF] + Array(" x".utf8))
  let tokens = Lexer.tokenize(file, into: &diagnostics)
  #expect(diagnostics.all.map(\.code) == [.invalidUTF8])
  #expect(tokens.map(\.kind) == [.word, .invalid, .word, .newline, .endOfFile])
}

/// E0107 in strings and comments, where the bytes used to be decoded with U+FFFD silently.
@Test func invalidUTF8InAStringOrCommentIsE0107AtTheFirstBadByte() {
  // A Latin-1 `é` (0xE9) in a string: one error at its byte, the token still a string.
  var diagnostics = Diagnostics()
  let string = SourceFile(path: "t", bytes: Array("reward \"caf".utf8) + [0xE9, 0xE9] + Array("\"\n".utf8))
  let tokens = Lexer.tokenize(string, into: &diagnostics)
  #expect(diagnostics.all.map(\.code) == [.invalidUTF8])
  #expect(diagnostics.all.map(\.message) == ["invalid UTF-8 byte 0xE9 in a string"])
  #expect(diagnostics.all.map(\.range.start) == [11])
  #expect(tokens.map(\.kind) == [.word, .string("caf\u{FFFD}\u{FFFD}"), .newline, .endOfFile])

  var commentDiagnostics = Diagnostics()
  let comment = SourceFile(path: "t", bytes: Array("rule a # na".utf8) + [0xEF, 0x76, 0x65] + Array("\n".utf8))
  let commentTokens = Lexer.tokenize(comment, into: &commentDiagnostics)
  #expect(commentDiagnostics.all.map(\.message) == ["invalid UTF-8 byte 0xEF in a comment"])
  #expect(commentDiagnostics.all.map(\.range) == [SourceRange(file: 0, start: 11, end: 12)])
  #expect(commentTokens.map(\.kind) == [.word, .word, .newline, .endOfFile])
}

/// Overlong forms, surrogates and code points above U+10FFFF are not UTF-8 either.
@Test(arguments: [[0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF0, 0x80, 0x80, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] as [[UInt8]])
func malformedSequencesInAStringAreE0107(_ sequence: [UInt8]) {
  var diagnostics = Diagnostics()
  _ = Lexer.tokenize(SourceFile(path: "t", bytes: Array("\"".utf8) + sequence + Array("\"".utf8)), into: &diagnostics)
  #expect(diagnostics.all.map(\.code) == [.invalidUTF8])
}

@Test func validUTF8InStringsAndCommentsIsKept() {
  var diagnostics = Diagnostics()
  let tokens = Lexer.tokenize(SourceFile(path: "t", text: "reward \"café 🥐 €\" # naïve 日本\n"), into: &diagnostics)
  #expect(diagnostics.all.isEmpty)
  #expect(tokens.map(\.kind) == [.word, .string("café 🥐 €"), .newline, .endOfFile])
}

/// A byte-order mark at the start of a file is not text: no error, and columns count from after it.
@Test func aLeadingByteOrderMarkIsDropped() {
  var diagnostics = Diagnostics()
  let file = SourceFile(path: "t", bytes: [0xEF, 0xBB, 0xBF] + Array("rule a\n".utf8))
  let tokens = Lexer.tokenize(file, into: &diagnostics)
  #expect(diagnostics.all.isEmpty)
  #expect(tokens.map(\.kind) == [.word, .word, .newline, .endOfFile])
  #expect(file.location(of: tokens[1].range.start).column == 6)
  // Anywhere else U+FEFF is a character no token starts with.
  var inside = Diagnostics()
  _ = Lexer.tokenize(SourceFile(path: "t", bytes: Array("rule ".utf8) + [0xEF, 0xBB, 0xBF] + Array("a\n".utf8)), into: &inside)
  #expect(inside.all.map(\.code) == [.invalidCharacter])
}

@Test func indentationAndLineStarts() {
  var diagnostics = Diagnostics()
  let tokens = Lexer.tokenize(SourceFile(path: "t", text: "rule a\n  on purchase\n"), into: &diagnostics)
  #expect(tokens[0].isAtStartOfLine && tokens[0].indentation == 0)
  #expect(tokens[3].text == "on" && tokens[3].isAtStartOfLine && tokens[3].indentation == 2)
  #expect(!tokens[4].isAtStartOfLine)
}

@Test func freeTokenizeMatchesLexerAndPhrases() {
  var diagnostics = Diagnostics()
  let tokens = tokenize(SourceFile(path: "t", text: "earn $5"), into: &diagnostics)
  #expect(tokens.map(\.kind) == [.word, money(5, 0, .symbol("$")), .newline, .endOfFile])
  #expect(tokens[1].kind.phrase == "a money amount")
  #expect(tokens[0].phrase == "`earn`")
  #expect(tokens[2].phrase == "end of line")
}
