import Foundation
import PerkSource
import PerkTestSupport
import Testing

@testable import PerkSyntax

/// `perk fmt`'s layout (docs/fmt.md), on exact texts.
struct FormatterTests {
  func format(_ text: String) -> String? {
    guard case .success(let formatted) = Formatter.format(SourceFile(path: "t.perk", text: text)) else { return nil }
    return formatted
  }

  @Test func layoutIsCanonical() {
    let messy = """
      program  "X"   # head
          currency USD



        timezone\tAmerica/New_York
      # c0
      points stars
        worth $0.01
        # trailing
      rule a

        on purchase
        when basket total>=$20 and (weekday is Tuesday )
        earn 2 stars per $1 spent on category coffee ,tea
      \n\n# before b

      rule b
        on purchase
        earn 1 stars
      reward x costs 5 stars, worth $1
      reward y costs 5 stars, worth $1
      """
    let expected = """
      program "X"  # head
        currency USD

        timezone America/New_York

      # c0
      points stars
        worth $0.01
        # trailing

      rule a
        on purchase
        when basket total >= $20 and (weekday is Tuesday)
        earn 2 stars per $1 spent on category coffee, tea

      # before b

      rule b
        on purchase
        earn 1 stars

      reward x costs 5 stars, worth $1
      reward y costs 5 stars, worth $1

      """
    #expect(format(messy) == expected)
    #expect(format(expected) == expected)
  }

  /// A construct the formatter has no rule for (here one the parser does not know either, as a
  /// clause added to the language later would be) keeps every token; inside a declaration it is
  /// a clause.
  @Test func unknownConstructKeepsEveryToken() {
    let text = "rule a\n   on purchase\n   frobnicate   the    widgets  ,  daily   # new\n        every  3 : weeks\n"
    #expect(format(text) == "rule a\n  on purchase\n  frobnicate the widgets, daily  # new\n  every 3: weeks\n")
  }

  /// `12 USD` is one money token, `12<tab>USD` a number and a word: respacing would change it.
  @Test func aLineWhoseTokensWouldChangeIsKeptAsWritten() {
    #expect(format("rule a\n  earn 12\tUSD  ,  x\n") == "rule a\n  earn 12\tUSD  ,  x\n")
    // `x1.5` stays glued: `x 1.5` would be a word and a number.
    #expect(format("rule a\n  hold 90    days\n  earn 12.50   USD\n") == "rule a\n  hold 90 days\n  earn 12.50 USD\n")
    #expect(format("tiers by spend over last 12 months\n  gold from $5 earn x1.5\n")
      == "tiers by spend over last 12 months\n  gold  from $5    earn x1.5\n")
  }

  @Test func aHashInAStringIsNotAComment() {
    #expect(format("rule a\n  give voucher   \"No #1  gift\"  worth $5   #  why\n")
      == "rule a\n  give voucher \"No #1  gift\" worth $5  #  why\n")
  }

  @Test func tabsAndCarriageReturnsBecomeSpacesAndNewlines() {
    #expect(format("rule a\r\n\ton purchase\r\n\tearn\t1 stars\r\n") == "rule a\n  on purchase\n  earn 1 stars\n")
  }

  @Test func tierAndBracketTablesAreAligned() {
    let text = """
      tiers by spend or visits over last 12 months
        blue from $0
          silver   from $2,500 or 25 visits earn x1.5
        gold from $6,000   earn x2
        keep for 12 months from reaching

      rebate volume
        measure net spend per calendar year
        retroactive
          below €10,000 0%
          from €10,000 2%
          from €100,000 at 3.5%
      """
    #expect(format(text) == """
      tiers by spend or visits over last 12 months
        blue    from $0
        silver  from $2,500 or 25 visits    earn x1.5
        gold    from $6,000                 earn x2
        keep for 12 months from reaching

      rebate volume
        measure net spend per calendar year
        retroactive
          below €10,000     0%
          from  €10,000     2%
          from  €100,000    at 3.5%

      """)
  }

  @Test func lexicalErrorsStopFormatting() {
    let result = Formatter.format(SourceFile(path: "t.perk", text: "rule a\n  earn 10 stars @ 3\n"))
    guard case .failure(.lexicalErrors(let diagnostics)) = result else {
      Issue.record("a lexical error was formatted")
      return
    }
    #expect(diagnostics.map(\.code) == [.invalidCharacter])
  }

  /// The check the formatter makes on its own output: what the parser reads is the tokens, the
  /// line breaks and whether a line starts at column 1.
  @Test func theParserLayoutCheckSeesWhatMatters() {
    func tokens(_ text: String) -> [Token] {
      var diagnostics = Diagnostics()
      return Lexer.tokenize(SourceFile(path: "t", text: text), into: &diagnostics)
    }
    let original = tokens("rule a\n  on purchase\n  earn 1 stars\n")
    #expect(Formatter.sameLayoutForTheParser(original, tokens("rule   a\n\n\n      on purchase # c\n earn 1 stars")))
    #expect(!Formatter.sameLayoutForTheParser(original, tokens("rule a\non purchase\n  earn 1 stars\n")))
    #expect(!Formatter.sameLayoutForTheParser(original, tokens("rule a\n  on purchase earn 1 stars\n")))
    #expect(!Formatter.sameLayoutForTheParser(original, tokens("rule a\n  on purchase\n  earn 2 stars\n")))
  }

  @Test func emptyAndBlankFilesBecomeEmpty() {
    #expect(format("") == "")
    #expect(format("\n \n\t\n") == "")
    #expect(format("# only a comment   ") == "# only a comment\n")
  }

  @Test func theSyntaxComparisonIgnoresPositionsOnly() {
    let a = SourceFile(path: "a", text: "rule a\n  on purchase\n  earn 1 stars\n  frobnicate\n")
    let b = SourceFile(path: "a", text: "rule   a\n\n      on purchase\n   earn 1   stars\n frobnicate\n")
    let c = SourceFile(path: "a", text: "rule a\n  on purchase\n  earn 2 stars\n  frobnicate\n")
    #expect(Formatter.syntaxWithoutPositions(a) == Formatter.syntaxWithoutPositions(b))
    #expect(Formatter.syntaxWithoutPositions(a) != Formatter.syntaxWithoutPositions(c))
  }

  /// Broken files (prefixes of two rule files, and the files with one line dropped): the
  /// formatter refuses (a lexical error) or gives a text that formats to
  /// itself and parses to the same tree, errors and all.
  @Test(arguments: ["rules/cafe.perk", "rules/rebate-true-ups.perk"])
  func brokenFilesFormatSafely(path: String) throws {
    let text = try String(contentsOf: PerkExecutable.repositoryRoot().appendingPathComponent(path), encoding: .utf8)
    let bytes = Array(text.utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    // 25 cuts and 25 dropped lines, spread evenly: the tree dump is slow in a debug build.
    var inputs = (0..<25).map { String(decoding: bytes[..<(bytes.count * $0 / 25 + $0 % 7)], as: UTF8.self) }
    inputs += (0..<25).map { i in
      let dropped = lines.count * i / 25
      return lines.enumerated().filter { $0.offset != dropped }.map(\.element).joined(separator: "\n")
    }
    var formattedCount = 0
    for input in inputs {
      let file = SourceFile(path: path, text: input)
      guard case .success(let formatted) = Formatter.format(file) else { continue }
      formattedCount += 1
      let again = SourceFile(path: path, text: formatted)
      #expect(format(formatted) == formatted, "not idempotent on \(input.utf8.count) bytes of \(path)")
      #expect(Formatter.syntaxWithoutPositions(file) == Formatter.syntaxWithoutPositions(again),
              "the tree changed on \(input.utf8.count) bytes of \(path)")
    }
    #expect(formattedCount > inputs.count / 2)
  }
}
