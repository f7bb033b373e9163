import Perk
import PerkSource
import Testing

/// The symbol table and the lowering tables look names and filters up by hash (issue 16, item 9:
/// checking was quadratic in the rule count). Their answers must be the scans' answers: the
/// first declaration wins, every reference and filter finds its own entry. The time itself is
/// measured by `perk-benchmark --check-only`, not by a test.
@Suite struct LargeProgramTests {
  /// `count` rules, each earning on its own category and replacing the rule before it.
  static func program(rules count: Int, extra: String = "") -> String {
    var text = "program \"Many\"\n  currency USD\n  timezone America/New_York\n\npoints stars\n  worth $0.01\n\n"
    for i in 1...count {
      text += "rule r\(i)\n  on purchase\n  earn \(i % 5 + 1) stars per $1 spent on category cat\(i)\n"
      if i > 1 { text += "  replaces r\(i - 1) for those items\n" }
    }
    return text + extra
  }

  @Test func manyRulesResolveToTheirOwnDeclarations() throws {
    let compilation = compile(source: Self.program(rules: 3_000), path: "many.perk")
    #expect(compilation.diagnostics.isEmpty)
    let program = try #require(compilation.program)
    #expect(program.ruleNames.count == 3_000)
    #expect(program.ruleNames.first == "r1" && program.ruleNames.last == "r3000")
    // Each rule's own filter: a purchase in cat1234 earns from rule r1234 only (r1235 replaces it
    // only for its own category's items), 1234 % 5 + 1 = 5 stars per $1.
    let event = Event(kind: .purchase, id: "T", time: Instant(secondsSince1970: 1_780_000_000),
                      lines: [LineItem(sku: "x", category: "cat1234", quantity: 1, unitPrice: Money(minorUnits: 200, currency: program.currency))])
    let outcome = try program.evaluate(event, customer: Customer(id: "c"), state: AccountState())
    #expect(outcome.awards.map(\.source) == ["r1234"])
    #expect(outcome.earned["stars"] == 10)
  }

  @Test func aLateDuplicatePointsAtTheFirstDeclaration() {
    let text = Self.program(rules: 3_000, extra: "rule r1500\n  on purchase\n  earn 1 stars\n")
    let diagnostics = compile(source: text, path: "many.perk").diagnostics
    #expect(diagnostics.map(\.code) == [.duplicateDeclaration])
    #expect(diagnostics.first?.message == "rule `r1500` is declared twice")
    let file = SourceFile(path: "many.perk", text: text)
    // Rule r1 takes lines 8–10; rule i ≥ 2 starts on line 4i + 3; the extra rule follows r3000.
    #expect(diagnostics.first.map { file.location(of: $0.range.start).line } == 4 * 3_000 + 7)
    #expect(diagnostics.first?.labels.map { file.location(of: $0.range.start).line } == [4 * 1_500 + 3])
  }
}
