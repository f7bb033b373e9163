import Foundation
@testable import PerkCompiler
import PerkSource
import Testing

/// Diagnostics from source text: code, line and column of each, in order.
@Suite struct SourceDiagnosticsTests {
  /// Lines 1–10; a tested body starts on line 12.
  static let header = """
    program "Test"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    rule base earn
      on purchase
      earn 1 stars per $1 spent


    """

  struct Found: Equatable, CustomStringConvertible {
    var code: String
    var line: Int
    var column: Int
    var description: String { "\(code)@\(line):\(column)" }
  }

  struct Result {
    var files: [SourceFile]
    var diagnostics: [Diagnostic]
    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
  }
  func compile(source: String, path: String = "test.perk") -> Result {
    let file = SourceFile(id: 0, path: path, text: source)
    var diagnostics = Diagnostics()
    _ = checkSources([file], diagnostics: &diagnostics)
    return Result(files: [file], diagnostics: diagnostics.sorted())
  }

  func found(_ source: String) -> [Found] {
    let compilation = compile(source: source, path: "test.perk")
    return compilation.diagnostics.map { d in
      let location = compilation.files[0].location(of: d.range.start)
      return Found(code: d.code.rawValue, line: location.line, column: location.column)
    }
  }
  func body(_ text: String) -> [Found] { found(Self.header + text) }
  func f(_ code: String, _ line: Int, _ column: Int) -> Found { Found(code: code, line: line, column: column) }

  @Test func headerAloneIsClean() {
    #expect(found(Self.header).isEmpty)
    #expect(!compile(source: Self.header).hasErrors)
  }

  @Test func unknownTier() {
    #expect(body("rule r\n  on purchase\n  when tier is goold\n  earn 1 stars\n") == [f("E0301", 14, 16)])
  }
  @Test func unknownPointsCurrency() {
    let c = compile(source: Self.header + "rule r\n  on purchase\n  earn 1 strs per $1 spent\n")
    #expect(c.diagnostics.map(\.code.rawValue) == ["E0302"])
    #expect(c.diagnostics.first?.help == "did you mean `stars`?")
    #expect(body("rule r\n  on purchase\n  earn 1 strs per $1 spent\n") == [f("E0302", 14, 10)])
  }
  @Test func unknownStampCard() {
    #expect(body("rule r\n  on purchase\n  when coffe card stamps >= 3\n  earn 1 stars\n") == [f("E0303", 14, 8)])
  }
  @Test func unknownRule() {
    #expect(body("rule r\n  on purchase\n  earn 3 stars per $1 spent on category pastry\n  replaces base ern for those items\n")
            == [f("E0304", 15, 12)])
  }
  @Test func unknownReward() {
    #expect(body("rule r\n  on purchase\n  give reward free drnk\n") == [f("E0305", 14, 15)])
  }
  @Test func duplicateRule() {
    let c = compile(source: Self.header + "rule base earn\n  on purchase\n  earn 1 stars\n")
    #expect(body("rule base earn\n  on purchase\n  earn 1 stars\n") == [f("E0306", 12, 6)])
    #expect(c.diagnostics.first?.labels.first.map { c.files[0].location(of: $0.range.start).line } == 8)
  }
  @Test func unknownQuantity() {
    #expect(body("rule r\n  on purchase\n  when frobs >= 3\n  earn 1 stars\n") == [f("E0307", 14, 8)])
  }
  @Test func unknownCurrencyAndZone() {
    let source = Self.header.replacingOccurrences(of: "currency USD", with: "currency USX")
      .replacingOccurrences(of: "America/New_York", with: "America/New_Yrok")
    #expect(found(source) == [f("E0308", 2, 12), f("E0309", 3, 12)])
  }
  @Test func units() {
    #expect(body("rule r\n  on purchase\n  when stars balance + $5 > 3\n  earn 1 stars\n") == [f("E0401", 14, 8)])
    #expect(compile(source: Self.header + "rule r\n  on purchase\n  when stars balance + $5 > 3\n  earn 1 stars\n")
      .diagnostics.first?.message == "cannot add money to points (`stars`)")
    #expect(body("rule r\n  on purchase\n  when date > $3\n  earn 1 stars\n") == [f("E0402", 14, 8)])
    #expect(body("rule r\n  on purchase\n  when basket total * $2 > $3\n  earn 1 stars\n") == [f("E0403", 14, 8)])
    #expect(body("rule r\n  on purchase\n  when basket total\n  earn 1 stars\n") == [f("E0404", 14, 8)])
    #expect(body("rule r\n  on purchase\n  when basket total >= €5\n  earn 1 stars\n") == [f("E0405", 14, 24)])
    #expect(body("rule r\n  on purchase\n  when basket total / 0 > $1\n  earn 1 stars\n") == [f("E0407", 14, 23)])
    #expect(body("reward mug costs 10 stars, worth 5\n") == [f("E0406", 12, 34)])
  }
  @Test func missingProgram() {
    #expect(found("\npoints stars\n  worth $0.01\n") == [f("E0501", 1, 1)])
  }
  @Test func clauses() {
    #expect(body("rule r\n  on purchase\n  on purchase\n  earn 1 stars\n") == [f("E0502", 14, 6)])
    #expect(body("reward mug\n  worth $5\n") == [f("E0503", 12, 8)])
    #expect(body("rule r\n  earn 1 stars\n") == [f("E0505", 12, 6)])
    #expect(body("rule r\n  on purchase\n") == [f("E0506", 12, 6)])
    #expect(body("rule r\n  on purchase\n  earn 1 stars\n  at most 0 times\n") == [f("E0507", 15, 3)])
    #expect(body("stamps card\n  collect 1 per visit\n  every 0 stamps: cheapest item is free\n") == [f("E0508", 14, 9)])
    #expect(body("program \"Again\"\n  currency USD\n  timezone UTC\n") == [f("E0509", 12, 1)])
    #expect(body("rule r\n  on purchase\n  earn 1 stars per $1 spent\n  replaces r for those items\n") == [f("E0510", 15, 12)])
  }
  @Test func tierOrder() {
    let tiers = "tiers by spend over last 12 months\n  green from $0 earn x1\n  gold from $500 earn x1.5\n  silver from $250 earn x2\n"
    #expect(body(tiers) == [f("E0504", 15, 15)])
    #expect(body("tiers by spend this year\n  green from $10 earn x2\n") == [f("E0504", 13, 14)])
  }
  @Test func warnings() {
    #expect(body("points gems\n  worth $1\n") == [f("W0101", 12, 8)])
    #expect(body("rule r\n  on purchase\n  when date in 2026-12-01 to 2026-11-01\n  earn 1 stars\n") == [f("W0102", 14, 8)])
    #expect(body("rule r\n  on purchase\n  when weekday is Monday and weekday is Tuesday\n  earn 1 stars\n") == [f("W0102", 14, 8)])
    #expect(body("rule r\n  on purchase\n  when basket total > $50 and basket total < $20\n  earn 1 stars\n") == [f("W0102", 14, 8)])
    #expect(body("tiers by spend this year\n  green from $0\n  gold from $500\n") == [f("W0103", 12, 1)])
    #expect(body("points gems\n  worth $1\n\nreward mug costs 10 gems\n") == [f("W0104", 15, 8)])
    #expect(body("rule r\n  on purchase\n  when basket total >= $0\n  earn 1 stars\n") == [f("W0105", 14, 8)])
  }
}
