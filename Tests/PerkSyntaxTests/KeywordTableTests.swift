import Foundation
import PerkTestSupport
import Testing

@testable import PerkSyntax

/// The keyword table and the parser cannot drift apart: every word literal the parser reads is a
/// `Keyword`, and every `Keyword` is still read somewhere.
struct KeywordTableTests {
  /// Word literals in the parser that are not keywords: a plural suffix and a word of a message.
  static let notKeywords: Set<String> = ["s", "settlement"]

  static func parserWordLiterals() throws -> Set<String> {
    let directory = PerkExecutable.repositoryRoot().appendingPathComponent("Sources/PerkSyntax/Parser")
    var words: Set<String> = []
    let pattern = try NSRegularExpression(pattern: "\"([a-z]+)\"")
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".swift") {
      let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
      for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
        let line = String(line)
        for match in pattern.matches(in: line, range: NSRange(line.startIndex..., in: line)) {
          words.insert(String(line[Range(match.range(at: 1), in: line)!]))
        }
      }
    }
    return words.subtracting(notKeywords)
  }

  @Test func everyWordTheParserReadsIsInTheTable() throws {
    let words = try Self.parserWordLiterals()
    #expect(words.count > 150)
    let missing = words.filter { Keyword(rawValue: $0) == nil }.sorted()
    #expect(missing == [], "add these to Sources/PerkSyntax/Lexer/Keyword.swift")
  }

  @Test func everyKeywordIsStillRead() throws {
    let words = try Self.parserWordLiterals()
    // Calendar periods are read through `CalendarPeriodSyntax`'s raw values.
    let periods: Set<String> = ["day", "week", "month", "quarter", "year"]
    let unread = Keyword.allCases.map(\.rawValue).filter { !words.contains($0) && !periods.contains($0) }
    #expect(unread == [], "remove these from the keyword table, or read them")
  }

  @Test func theParserListsComeFromTheTable() {
    #expect(Parser.declarationKeywords == ["program", "points", "tiers", "stamps", "rule", "reward", "rebate", "test"])
    #expect(Parser.testClaimVerbs.contains("accrues"))
    #expect(Keyword.list(Keyword.testClaims.map(\.phrase)).hasSuffix("`is rejected` or `accrues`"))
    #expect(Keyword.contains("EARN") && !Keyword.contains("latte"))
  }
}
