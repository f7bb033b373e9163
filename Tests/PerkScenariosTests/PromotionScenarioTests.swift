import Perk
import PerkSource
import Testing

@testable import PerkScenarios

/// `perk test` worlds share one budget ledger between their customers, and a refused
/// redemption is a rejection the test can expect.
@Test func budgetsAreSharedByTheCustomersOfATest() {
  let source = """
    program "Spring"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    rule base earn
      on purchase
      earn 1 stars per $1 spent

    reward mug costs 500 stars, worth $5

    rule spring sale
      on purchase
      discount 15% on basket
      budget $10 per month

    test the budget runs out across customers
      customer alice
      customer bob
      on 2026-03-02 alice buys 1 coat at $40.00 (coats)
      expect alice pays $34.00
      on 2026-03-03 bob buys 1 coat at $40.00 (coats)
      expect bob pays $40.00
      expect bob earns 40 stars
      on 2026-04-01 bob buys 1 coat at $40.00 (coats)
      expect bob pays $34.00
      on 2026-04-02 bob redeems mug
      expect bob is rejected "needs 500"

    """
  let result = ScenarioFiles.run(SourceFile(path: "spring.perk", text: source))
  #expect(result.diagnostics.isEmpty)
  #expect(result.results.count == 1)
  #expect(result.results.first?.failures.map(\.expected) == [])
}
