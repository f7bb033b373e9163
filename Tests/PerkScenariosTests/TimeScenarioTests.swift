import Perk
import PerkSource
import Testing

@testable import PerkScenarios

/// Test events are local wall-clock times in the program's time zone, DST and leap days included.
@Test func localEventTimesAcrossDaylightSavingAndLeapDays() {
  let text = """
    program "Early"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    rule early bird
      on purchase
      when time < 09:00
      earn 50 stars

    rule leap day
      on purchase
      when date = 2028-02-29
      earn 29 stars

    test local times hold across daylight saving changes
      customer alice
      # 2026-03-08: clocks jump from 02:00 to 03:00; 08:59 is still before nine.
      on 2026-03-08 08:59 alice buys 1 latte at $4.50 (coffee)
      expect alice earns 50 stars from early bird
      on 2026-03-08 09:00 alice buys 1 latte at $4.50 (coffee)
      expect alice earns 0 stars from early bird
      # 2026-11-01: 01:30 happens twice; the earlier instant is used, still the same local day and time.
      on 2026-11-01 01:30 alice buys 1 latte at $4.50 (coffee)
      expect alice earns 50 stars from early bird
      on 2028-02-29 alice buys 1 latte at $4.50 (coffee)
      expect alice earns 29 stars from leap day
      expect alice has 129 stars

    """
  let result = ScenarioFiles.run(SourceFile(path: "dst.perk", text: text))
  #expect(result.diagnostics.map(\.message) == [])
  #expect(result.status == .passed, "\(result.results.first?.failures ?? [])")
  #expect(result.results.first?.expectationCount == 5)
}
