import PerkRuntime
import PerkSource
import Testing

@testable import PerkCompiler

/// `test` declarations checked against their program: names resolve, returns take prices from the
/// original purchase, and mistakes are located diagnostics.
private let base = """
  program "Checks"
    currency USD
    timezone America/New_York

  points stars
    worth $0.01

  stamps coffee card
    collect 1 per item in category coffee
    every 10 stamps: cheapest item in category coffee is free

  rule base earn
    on purchase
    earn 2 stars per $1 spent

  reward free drink costs 150 stars

  """

private func checkTests(_ tests: String) -> (CheckedProgram, [String]) {
  var diagnostics = Diagnostics()
  let file = SourceFile(path: "t.perk", text: base + tests)
  let checked = checkSources([file], diagnostics: &diagnostics)
  let messages = diagnostics.sorted().map { d -> String in
    "\(d.code.rawValue)@\(file.location(of: d.range.start).line) \(d.message)" + (d.help.map { " (\($0))" } ?? "")
  }
  return (checked, messages)
}

private func events(_ scenario: CheckedScenario) -> [ScenarioEvent] {
  scenario.steps.compactMap { if case .event(let e) = $0 { e } else { nil } }
}

@Test func returnsTakePricesAndCategoriesFromTheOriginalPurchase() throws {
  let (checked, messages) = checkTests("""
    test returns
      customer alice
      on 2026-03-02 09:30 alice buys 2 latte at $4.50 (coffee), 1 bagel at $2.25 (bakery), 1 latte at $5.00 (coffee) as T1
      on 2026-03-03 alice returns 3 latte from T1
      on 2026-03-04 alice returns T1
      expect alice has 0 stars

    """)
  #expect(messages == [])
  let scenario = try #require(checked.scenarios.first)
  let e = events(scenario)
  #expect(e.count == 3)
  guard e.count == 3 else { return }
  #expect(e[0].id == "T1")
  #expect(e[0].secondOfDay == 9 * 3600 + 30 * 60)
  #expect(e[0].date == LocalDate(year: 2026, month: 3, day: 2))
  #expect(e[1].lines == [
    ScenarioLine(sku: "latte", category: "coffee", quantity: 2, unitPriceMinor: 450),
    ScenarioLine(sku: "latte", category: "coffee", quantity: 1, unitPriceMinor: 500),
  ])
  if case .return(let original) = e[1].kind { #expect(original == "T1") } else { Issue.record("expected a return") }
  #expect(e[1].id == "event 2")
  #expect(e[1].secondOfDay == 12 * 3600)
  // The whole return takes what is left: the bagel.
  #expect(e[2].lines == [ScenarioLine(sku: "bagel", category: "bakery", quantity: 1, unitPriceMinor: 225)])
}

@Test func returnMistakes() {
  let (_, messages) = checkTests("""
    test returns
      customer alice
      customer bob
      on 2026-03-02 alice buys 1 latte at $4.50 (coffee) as T1
      on 2026-03-03 alice returns 1 lattte from T1
      on 2026-03-03 bob returns 1 latte from T1
      on 2026-03-03 alice signs up as S1
      on 2026-03-04 alice returns S1
      on 2026-03-05 alice returns T1
      on 2026-03-06 alice returns T1
      expect alice has 0 stars

    """)
  #expect(messages == [
    "E0532@21 `T1` has no `lattte` (did you mean `latte`?)",
    "E0532@22 `T1` is alice's purchase, not bob's (the customer who bought the items returns them)",
    "E0532@24 `S1` is not a purchase (only items of a purchase can be returned)",
    "E0532@26 everything bought in `T1` was already returned",
  ])
}

@Test func namesInTestsResolveWithDidYouMean() {
  let (_, messages) = checkTests("""
    test names
      customer alice
      on 2026-03-02 alice buys 1 latte at $4.50 (coffee)
      expect alice earns 9 stars from base eanr
      expect alice collects 1 stamp on cofee card
      expect alice moves to tier gold
      on 2026-03-03 alice redeems free drnk
      expect bob has 0 stars

    test names
      customer alice
      on 2026-03-02 alice buys 1 latte at €4.50 (coffee)
      expect alice pays $4.505

    """)
  #expect(messages == [
    "E0304@20 unknown rule `base eanr` (did you mean `base earn`?)",
    "E0303@21 unknown stamp card `cofee card` (did you mean `coffee card`?)",
    "E0301@22 unknown tier `gold` (no tier is declared)",
    "E0305@23 unknown reward `free drnk` (did you mean `free drink`?)",
    "E0322@24 unknown customer `bob` (declare the customer first with a line such as `customer bob`)",
    "E0306@26 test `names` is declared twice (give each test its own name)",
    "E0405@28 amount in EUR in a program that uses USD (write the amount in USD, such as `$…`)",
    "E0508@29 amount has more decimals than USD allows (USD has 2 decimal places)",
  ])
}

@Test func claimsAboutTheLastEventNeedThatCustomersEvent() {
  let (_, messages) = checkTests("""
    test order
      customer alice
      customer bob
      on 2026-03-02 alice buys 1 latte at $4.50 (coffee)
      expect bob earns 9 stars
      expect bob has 0 stars
      on 2026-03-02 08:00 alice buys 1 latte at $4.50 (coffee)
      expect alice gets 0 quantity free

    """)
  #expect(messages == [
    "E0531@21 the event above is alice's, not bob's (an expectation about awards describes the last event; expect `bob has …` for their state)",
    "E0530@23 event on 2026-03-02 comes before the event above it (write a test's events in the order they happen)",
  ])
}

@Test func testsDoNotChangeTheProgram() {
  let (withTests, messages) = checkTests("""
    test a
      customer alice
      on 2026-03-02 alice buys 1 latte at $4.50 (coffee)
      expect alice earns 9 stars

    """)
  let (without, _) = checkTests("")
  #expect(messages == [])
  #expect(withTests.rules.map(\.name) == without.rules.map(\.name))
  #expect(withTests.scenarios.count == 1)
  #expect(without.scenarios.isEmpty)
}
