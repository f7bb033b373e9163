import Foundation
import PerkTestSupport
import Testing

@testable import PerkSyntax

/// editors/perk.tmLanguage.json highlights the language's keywords: every word of the keyword
/// table, the declaration words at column 1, and the lexer's currency codes.
struct EditorGrammarTests {
  static func repository() throws -> [String: Any] {
    let url = PerkExecutable.repositoryRoot().appendingPathComponent("editors/perk.tmLanguage.json")
    let grammar = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
    return try #require(grammar?["repository"] as? [String: Any])
  }

  static func pattern(_ name: String) throws -> String {
    let entry = try #require(try repository()[name] as? [String: Any])
    return try #require(entry["match"] as? String)
  }

  /// The words of a `\b(?:a|b|c)\b` alternation.
  static func alternation(_ pattern: String) -> Set<String> {
    guard let open = pattern.range(of: "(?:") ?? pattern.range(of: "^("),
      let close = pattern[open.upperBound...].firstIndex(of: ")")
    else { return [] }
    return Set(pattern[open.upperBound..<close].split(separator: "|").map(String.init))
  }

  @Test func everyKeywordIsHighlighted() throws {
    let words = Self.alternation(try Self.pattern("keywords"))
    let missing = Keyword.allCases.map(\.rawValue).filter { !words.contains($0) }
    #expect(missing == [], "add these to editors/perk.tmLanguage.json")
    #expect(words.subtracting(Keyword.allCases.map(\.rawValue)) == [], "no longer keywords")
    let declarations = Self.alternation(try Self.pattern("declaration"))
    #expect(declarations == Set(Keyword.declarations.map(\.rawValue)))
  }

  @Test func thePatternsMatchWhatTheLexerReads() throws {
    func matches(_ name: String, _ text: String) throws -> Bool {
      let regex = try NSRegularExpression(pattern: try Self.pattern(name))
      return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
    #expect(try matches("keywords", "  EARN 2 stars"))
    #expect(try !matches("keywords", "latte"))
    #expect(try matches("declaration", "rule base earn"))
    #expect(try !matches("declaration", "  rule base earn"))
    #expect(try matches("date", "on 2026-03-02 10:00"))
    #expect(try matches("percent", "discount 15%"))
    let money = try #require(try Self.repository()["money"] as? [String: Any])
    let codes = (money["patterns"] as? [[String: Any]] ?? []).compactMap { $0["match"] as? String }.joined()
    for code in Lexer.currencyCodes { #expect(codes.contains(code)) }
  }
}
