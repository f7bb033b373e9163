import Perk
import PerkSource
import Testing

@testable import PerkScenarios

/// A punch card program; each test below appends its own `test` block.
let punchProgram = """
  program "Punch"
    currency USD
    timezone America/Chicago

  points stars
    worth $0.01

  stamps drink card
    collect 1 per item in category coffee, tea
    every 8 stamps: cheapest item in category coffee, tea is free

  rule base earn
    on purchase
    earn 2 stars per $1 spent

  """

func runPunch(_ test: String) -> FileTestResult {
  ScenarioFiles.run(SourceFile(path: "t.perk", text: punchProgram + test))
}

@Test func passingTestHasNoFailures() {
  let result = runPunch("""
    test drinks
      customer alice
      on 2026-03-02 08:00 alice buys 7 latte at $4.50 (coffee) as T1
      expect alice earns 63 stars from base earn
      expect alice collects 7 stamps
      expect alice gets nothing free
      on 2026-03-03 alice buys 1 latte at $4.50 (coffee), 1 muffin at $3.00 (bakery)
      expect alice gets latte free
      expect alice pays $3.00
      expect alice earns 6 stars
      expect alice has 69 stars, 0 stamps on drink card, no tier

    """)
  #expect(result.diagnostics.map(\.message) == [])
  #expect(result.status == .passed)
  #expect(result.results.map(\.name) == ["drinks"])
  #expect(result.results.first?.expectationCount == 9)
  #expect(result.results.first?.location.line == 15)
}

@Test func eachKindOfFailureSaysExpectedAndActual() {
  let result = runPunch("""
    test wrong numbers
      customer alice
      on 2026-03-02 08:00 alice buys 7 latte at $4.50 (coffee)
      expect alice earns 62 stars
      expect alice gets latte free
      expect alice gets nothing
      expect alice pays $31.00
      expect alice collects 6 stamps on drink card
      expect alice has 1 stars, 3 stamps

    """)
  #expect(result.status == .failed)
  let failures = result.results.first?.failures ?? []
  #expect(failures.map(\.expected) == [
    "alice earns 62 stars", "alice gets 1 latte free", "alice gets nothing", "alice pays $31.00",
    "alice collects 6 stamps on drink card", "alice has 1 stars", "alice has 3 stamps on drink card",
  ])
  #expect(failures.map(\.actual) == [
    "alice earns 63 stars", "alice gets 0 latte free", "alice gets 2 awards", "alice pays $31.50",
    "alice collects 7 stamps on drink card", "alice has 63 stars", "alice has 7 stamps on drink card",
  ])
  #expect(failures.map { "\($0.location)" } == [
    "t.perk:18:3", "t.perk:19:3", "t.perk:20:3", "t.perk:21:3", "t.perk:22:3", "t.perk:23:20", "t.perk:23:29",
  ])
  #expect(failures.first?.sourceLine == "  expect alice earns 62 stars")
  #expect(failures.first?.awards == ["7 stamps on drink card from drink card", "63 stars from base earn"])
}

@Test func eachTestRunsInAFreshWorld() {
  let result = runPunch("""
    test first
      customer alice
      on 2026-03-02 alice buys 7 latte at $4.50 (coffee)
      expect alice has 7 stamps

    test second
      customer alice
      on 2026-03-02 alice buys 1 latte at $4.50 (coffee)
      expect alice has 1 stamp, 9 stars

    """)
  #expect(result.status == .passed)
  #expect(result.results.count == 2)
}

@Test func startingBalancesAndSeveralCustomers() {
  let result = runPunch("""
    test two people
      customer alice, with 100 stars
      customer bob, birthday 1990-02-28, segment student
      on 2026-03-02 alice buys 1 latte at $4.50 (coffee)
      on 2026-03-02 bob buys 2 latte at $4.50 (coffee)
      expect bob earns 18 stars
      expect alice has 109 stars, 1 stamp
      expect bob has 18 stars, 2 stamps

    """)
  #expect(result.status == .passed, "\(result.results.first?.failures ?? [])")
}

@Test func fileWithErrorsRunsNoTest() {
  let result = runPunch("""
    test broken
      customer alice
      on 2026-03-02 bob buys 1 latte at $4.50 (coffee)
      expect alice has 1 stamp

    """)
  #expect(result.status == .error)
  #expect(result.results.isEmpty)
  #expect(result.diagnostics.map(\.code) == [.unknownCustomer])
}

@Test func fileWithoutTestsIsReportedAsSuch() {
  let result = ScenarioFiles.run(SourceFile(path: "t.perk", text: punchProgram))
  #expect(result.status == .noTests)
}

@Test func reportTextAndExitCode() {
  let passing = runPunch("""
    test ok
      customer alice
      on 2026-03-02 alice buys 1 latte at $4.50 (coffee)
      expect alice has 1 stamp

    """)
  let failing = runPunch("""
    test not ok
      customer alice
      on 2026-03-02 alice buys 1 latte at $4.50 (coffee)
      expect alice has 2 stamps

    """)
  let report = TestReport(files: [passing, failing])
  #expect(report.exitCode == 1)
  #expect(report.text(colors: false) == """
    PASS  t.perk:15  ok
    FAIL  t.perk:15  not ok
          --> t.perk:18:20
             |
          18 |   expect alice has 2 stamps
             |                    ^^^^^^^^
          expected: alice has 2 stamps on drink card
          actual:   alice has 1 stamp on drink card

    2 tests, 1 passed, 1 failed

    """)
  #expect(TestReport(files: [passing]).exitCode == 0)
}

@Test func signupsCustomEventsAndReplays() {
  let program = """
    program "Events"
      currency EUR
      timezone Europe/Paris

    points stars
      worth €0.01

    rule base earn
      on purchase
      earn 1 stars per €1 spent

    rule welcome
      on signup
      earn 100 stars

    rule review bonus
      on event review written
      earn 50 stars
      at most once per month

    test events
      customer alice, signed up 2026-03-01
      on 2026-03-01 alice signs up
      expect alice earns 100 stars from welcome
      on 2026-03-02 alice triggers review written
      expect alice earns 50 stars from review bonus
      on 2026-03-03 alice triggers review written
      expect alice earns no stars
      on 2026-03-04 alice buys 2 book at €10.00 as B1
      expect alice earns 20 stars
      on 2026-03-05 alice replays B1
      expect alice gets nothing
      expect alice has 170 stars

    """
  let result = ScenarioFiles.run(SourceFile(path: "e.perk", text: program))
  #expect(result.diagnostics.map(\.message) == [])
  #expect(result.status == .passed, "\(result.results.first?.failures ?? [])")
}

@Test func aClaimAboutTheLastEventReadsOnlyThatEvent() {
  let result = runPunch("""
    test two customers
      customer alice
      customer bob
      on 2026-03-02 alice buys 1 latte at $4.50 (coffee)
      on 2026-03-03 bob buys 1 muffin at $3.00 (bakery)
      expect bob collects 0 stamps
      expect alice has 1 stamp

    """)
  #expect(result.status == .passed, "\(result.results.first?.failures ?? [])")
}

@Test func voucherClaimsCompareNameValueAndValidity() {
  let text = punchProgram.replacingOccurrences(of: "rule base earn", with: """
    rule first visit
      on purchase
      when purchases so far = 0
      give voucher "Welcome drink" worth $4 valid for 30 days

    rule base earn
    """) + """
    test vouchers
      customer alice
      on 2026-03-02 alice buys 1 muffin at $3.00 (bakery)
      expect alice gets voucher "Welcome drink" worth $4 valid until 2026-04-01
      expect alice gets voucher "Welcome drink" worth $5
      expect alice gets no voucher
      on 2026-03-03 alice buys 1 muffin at $3.00 (bakery)
      expect alice gets no voucher
      expect alice gets voucher "Welcome drink"

    """
  let result = ScenarioFiles.run(SourceFile(path: "v.perk", text: text))
  #expect(result.diagnostics.map(\.message) == [])
  let failures = result.results.first?.failures ?? []
  #expect(failures.map(\.actual) == [
    "alice gets voucher \"Welcome drink\" worth $4.00 valid until 2026-04-01",
    "alice gets voucher \"Welcome drink\"",
    "alice gets no voucher",
  ])
  #expect(failures.map(\.expected) == [
    "alice gets voucher \"Welcome drink\" worth $5.00", "alice gets no voucher", "alice gets voucher \"Welcome drink\"",
  ])
}
