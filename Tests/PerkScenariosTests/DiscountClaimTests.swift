import Perk
import PerkSource
import Testing

@testable import PerkScenarios

/// Promotions through `test` declarations: `saves` reads discounts, `gets … free` buy-X-get-Y units.
@Test func discountsAreClaimedWithSaves() {
  let text = """
    # Catalog P5: Win-back.
    # A customer whose last purchase was 60 or more local days ago gets 15% off the whole
    # basket on the purchase that brings them back, at most once per 365 days (rolling).
    # The discount comes before earning: points are earned on what is paid. Each line's
    # 15% is rounded half even to the cent. A first purchase is not a comeback (there is no
    # last purchase to be 60 days ago).
    program "Win-Back"
      currency USD
      timezone America/New_York

    points points
      worth $0.01

    rule base earn
      on purchase
      earn 1 points per $1 spent

    rule welcome back
      on purchase
      when days since last purchase >= 60
      discount 15% on basket round half even
      at most once per 365 days

    test fifteen percent after sixty days
      customer wes
      on 2026-01-01 wes buys 1 jacket at $100.00
      expect wes saves $0.00
      on 2026-03-05 wes buys 1 shirt at $40.00 (tops)
      expect wes saves $6.00 from welcome back
      expect wes pays $34.00
      expect wes earns 34 points
      expect wes saves $6.01

    """
  let result = ScenarioFiles.run(SourceFile(path: "p5.perk", text: text))
  #expect(result.diagnostics.map(\.message) == [])
  let failures = result.results.first?.failures ?? []
  #expect(failures.map(\.expected) == ["wes saves $6.01"])
  #expect(failures.map(\.actual) == ["wes saves $6.00"])
  #expect(failures.first?.awards == ["discount $6.00 from welcome back", "34 points from base earn"])
}
