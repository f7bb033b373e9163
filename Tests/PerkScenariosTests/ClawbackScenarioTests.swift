import Perk
import PerkSource
import Testing

@testable import PerkScenarios

/// A clawback that cannot go below zero: `is short` reads what the return could not take back.
@Test func shortfallOfAReturnAfterSpending() {
  let text = """
    program "Claw"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01
      on return take back points, never below zero

    rule base earn
      on purchase
      earn 10 stars per $1 spent

    reward mug costs 40 stars

    test a return after spending takes back only what is left
      customer alice
      on 2026-03-02 alice buys 1 latte at $5.00 (coffee) as T1
      expect alice earns 50 stars
      on 2026-03-03 alice redeems mug
      expect alice spends 40 stars
      on 2026-03-04 alice returns T1
      expect alice loses 10 stars
      expect alice is short 40 stars
      expect alice has 0 stars
      expect alice is short 39 stars

    """
  let result = ScenarioFiles.run(SourceFile(path: "claw.perk", text: text))
  #expect(result.diagnostics.map(\.message) == [])
  let failures = result.results.first?.failures ?? []
  #expect(failures.map(\.expected) == ["alice is short 39 stars"])
  #expect(failures.map(\.actual) == ["alice is short 40 stars"])
}
