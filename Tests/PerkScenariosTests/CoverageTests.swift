import Perk
import PerkRuntime
import PerkSource
import Testing

@testable import PerkScenarios

/// `perk test --coverage` reads the evaluator's own trace of each event.
private let program = """
  program "Trace"
    currency USD
    timezone America/New_York

  points stars
    worth $0.01

  rule base earn
    on purchase
    earn 10 stars per $1 spent
    cap stars at 60 per day

  rule big basket
    on purchase
    when basket total >= $20
    earn 50 stars
    at most once per day

  rule signup gift
    on signup
    earn 100 stars

  """

@Test func traceRecordsConditionsLimitsAndCapsAsTheEvaluatorDecides() throws {
  let text = program + """
    test two big baskets in a day
      customer alice
      on 2026-03-02 10:00 alice buys 1 tv at $25.00 (tech) as T1
      expect alice earns 60 stars from base earn
      on 2026-03-02 11:00 alice buys 1 tv at $25.00 (tech)
      expect alice earns 0 stars from base earn
      on 2026-03-03 alice buys 1 pen at $1.00 (office)
      on 2026-03-04 alice returns T1

    """
  let result = ScenarioFiles.run(SourceFile(path: "trace.perk", text: text))
  #expect(result.results.map(\.passed) == [true])
  let coverage = try #require(result.results.first?.coverage)
  // Rules by index: 0 base earn, 1 big basket, 2 signup gift.
  #expect(coverage.trace.fired == [0, 1])
  #expect(coverage.trace.conditionsTrue == [1])
  #expect(coverage.trace.conditionsFalse == [1])
  #expect(coverage.trace.limitsReached == [1])
  let cap = try #require(result.targets?.caps.first)
  #expect(cap.text == "stars capped at 60 per day in rule base earn")
  #expect(coverage.trace.capsReached == [cap.key])
  #expect(coverage.returnPaths == [.refund, .reversal])

  let report = CoverageReport([result])
  #expect(report.files.map(\.gaps.count) == [3])
  #expect(report.files.first?.gaps.map(\.text) == [
    "rule signup gift never fired", "no return took the path points already spent",
    "no return took the path return refused",
  ])
}

/// Without the option, an outcome carries no trace: nothing changes for a point of sale.
@Test func noTraceUnlessAsked() throws {
  let compiled = compile(source: program)
  let built = try #require(compiled.program)
  let day = try #require(LocalDate(year: 2026, month: 3, day: 2))
  let event = Event(kind: .purchase, id: "t", time: built.timeZone.instant(of: day, secondOfDay: 36_000),
                    lines: [LineItem(sku: "tv", category: "tech", quantity: 1, unitPrice: Money(minorUnits: 2_500, currency: built.currency))])
  let customer = Customer(id: "alice")
  let plain = try built.evaluate(event, customer: customer, state: AccountState())
  #expect(plain.trace == nil)
  var options = EvaluationOptions.full
  options.trace = true
  var budgets = BudgetLedger()
  let traced = try built.evaluate(event, customer: customer, state: AccountState(), budgets: &budgets, options: options)
  #expect(traced.trace?.fired == [0, 1])
  #expect(traced.awards == plain.awards)
}

/// Rules that period ends fire — `on birthday`, contact triggers — count as fired when a test's
/// `time passes` (or a later event) runs them.
@Test func rulesFiredByPeriodEndsAreCovered() throws {
  let text = """
    program "Period End Coverage"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    rule base earn
      on purchase
      earn 1 stars per $1 spent

    rule birthday gift
      on birthday
      earn 100 stars

    rule we miss you
      on 30 days without purchase
      send message "We miss you"

    rule never
      on 400 days without purchase
      send message "Still there?"

    test the birthday and the note
      customer alice, birthday 1990-03-20
      on 2026-03-02 10:00 alice buys 1 pen at $1.00 (office)
      on 2026-04-01 time passes
      expect alice is sent "We miss you"
      expect alice earns 100 stars from birthday gift

    """
  let result = ScenarioFiles.run(SourceFile(path: "period-ends.perk", text: text))
  #expect(result.results.map(\.passed) == [true])
  let coverage = try #require(result.results.first?.coverage)
  // Rules by index: 0 base earn, 1 birthday gift, 2 we miss you, 3 never.
  #expect(coverage.trace.fired == [0, 1, 2])
}
