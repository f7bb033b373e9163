import Perk
import Testing

@Suite struct CompilationTests {
  @Test func cafeCompilesWithoutDiagnostics() {
    let compilation = compile(source: cafeProgram, path: "cafe.perk")
    #expect(compilation.diagnostics.isEmpty)
    #expect(!compilation.hasErrors)
  }

  @Test func declarationsMayBeSplitAcrossFiles() {
    let head = SourceFile(id: 0, path: "program.perk", text: "program \"Split\"\n  currency USD\n  timezone UTC\n")
    let rules = SourceFile(id: 1, path: "rules.perk",
                           text: "points stars\n  worth $0.01\n\nrule base\n  on purchase\n  earn 1 stars per $1 spent\n")
    #expect(compile([head, rules]).diagnostics.isEmpty)
  }

  @Test func everyErrorInOneRunSortedByFileAndPosition() {
    let head = SourceFile(id: 0, path: "a.perk", text: "program \"X\"\n  currency USX\n  timezone UTC\n")
    let rules = SourceFile(id: 1, path: "b.perk", text: "rule r\n  on purchase\n  earn 1 gems\n")
    let compilation = compile([head, rules])
    #expect(compilation.diagnostics.map(\.code.rawValue) == ["E0308", "E0302"])
    #expect(compilation.diagnostics.map { compilation.location(of: $0)?.description } == ["a.perk:2:12", "b.perk:3:10"])
  }

  @Test func noProgramWhenThereAreErrors() {
    #expect(compile(source: "program \"X\"\n  currency USD\n").program == nil)
    #expect(compile(source: cafeProgram).program?.ruleNames.count == 5)
  }

  @Test func tierConditionReadsTheHeldTier() throws {
    let source = """
      program "T"
        currency USD
        timezone UTC

      points stars
        worth $0.01

      tiers by spend this year
        green from $0
        gold from $500

      rule gold bonus
        on purchase
        when tier is gold
        earn 100 stars

      """
    let compilation = compile(source: source)
    #expect(compilation.diagnostics.isEmpty)
    let program = try #require(compilation.program)
    #expect(program.tierNames == ["green", "gold"])
    let usd = program.currency
    let day = LocalDate(year: 2026, month: 5, day: 1)!
    let event = Event(kind: .purchase, id: "t", time: program.timeZone.instant(of: day, secondOfDay: 43_200),
                      lines: [LineItem(sku: "x", category: "y", quantity: 1, unitPrice: Money(minorUnits: 100, currency: usd))])
    var gold = AccountState()
    gold.tier = "gold"
    gold.ledger = [AccountState.LedgerDay(date: LocalDate(year: 2026, month: 2, day: 1)!, spend: 60_000, purchases: 1)]
    func stars(_ o: Outcome) -> Int64 {
      o.awards.reduce(0) { if case .points("stars", let n, _) = $1.kind { return $0 + n }; return $0 }
    }
    #expect(stars(try program.evaluate(event, customer: Customer(id: "c"), state: gold)) == 100)
    #expect(stars(try program.evaluate(event, customer: Customer(id: "c"), state: AccountState())) == 0)
  }
}
