import Foundation
import Perk
import Testing
@testable import PerkSimulator

/// A program's budgets are shared by all customers in time order: the simulator runs every
/// customer's events in one global order against one ledger and reports when each ran short.
@Suite struct BudgetSimulationTests {
  static let source = """
    program "Budgeted"
      currency USD
      timezone America/New_York
      budget $5 per month

    points stars
      worth $0.01

    rule base earn
      on purchase
      earn 1 stars per $1 spent

    rule launch bonus
      on purchase
      earn 100 stars
      budget $2 per month

    """
  static let program = compile(source: source, path: "budgeted.perk").program!

  /// Out of time order in the file: c's purchase is listed first but happens last in March.
  static let history = Fixture.bytes("""
    customer,time,amount
    c,2026-03-02T10:00:00,10.00
    b,2026-03-01T11:00:00,10.00
    a,2026-03-01T10:00:00,10.00
    a,2026-04-01T10:00:00,10.00
    d,2026-04-01T09:00:00,20.00

    """)

  @Test func budgetsAreChargedInTimeOrderAcrossCustomers() throws {
    var trace: [String] = []
    let result = try Fixture.simulate(Self.history, program: Self.program, trace: { trace.append($0) })
    #expect(result.appliedBudgets.map(\.name) == ["program", "launch bonus"])
    #expect(result.unappliedBudgets.isEmpty)
    // March: a (10:00) and b (11:00) take the $2; c on the 2nd is refused. April: d then a.
    #expect(result.figures.costByRule["launch bonus"] == 400)
    #expect(result.customers.map(\.cost) == [220, 110, 10, 120])
    #expect(result.figures.budgetRefusals == ["launch bonus": 1])
    #expect(result.figures.budgetRanShort == ["launch bonus|2026-03-01": Fixture.date("2026-03-02").dayNumber])
    // The trace follows the global order.
    #expect(trace.map { $0.contains("\"customer\":\"a\"") ? "a" : $0.contains("\"customer\":\"b\"") ? "b" : $0.contains("\"customer\":\"c\"") ? "c" : "d" }
              .joined() == "abcda")
  }

  @Test func theReportSaysWhenEachBudgetRanShort() throws {
    let result = try Fixture.simulate(Self.history, program: Self.program)
    let settings = ReportSettings()
    let text = TextReport.render(result, settings: settings)
    #expect(text.contains("""
        Budgets (all customers in time order)            limit  refused  ran short on
        -------------------------------------  ---------------  -------  ------------
        program                                $5.00 per month        0         never
        launch bonus                           $2.00 per month        1    2026-03-02
      """))
    let json = JSONReport.render(result, settings: settings, compare: nil, sweep: [])
    #expect(try JSONReport.decode(Array(json.utf8), path: "r.json").0 == result)
    #expect(json.filter { !$0.isWhitespace }.contains("\"ran_short\":{\"2026-03-01\":\"2026-03-02\"}"))
    #expect(HTMLReport.render(result, settings: settings, compare: nil, sweep: []).contains("<h2>Budgets (all customers in time order)</h2>"))
  }

  @Test func theSameForAnyPartitionsAndThreads() throws {
    let one = try Fixture.simulate(Self.history, program: Self.program)
    let many = try Fixture.simulate(Self.history, program: Self.program, threads: 2, partitions: 3)
    #expect(many == one)
  }

  @Test func aShardCannotApplyBudgetsAndSaysSo() throws {
    let result = try Fixture.simulate(Self.history, program: Self.program, shard: (0, 2))
    #expect(result.appliedBudgets.isEmpty)
    #expect(result.unappliedBudgets == ["program", "launch bonus"])
    #expect(TextReport.render(result, settings: ReportSettings()).contains(
      "  budgets        not applied (program, launch bonus): the cost is before budgets;"))
    let json = JSONReport.render(result, settings: ReportSettings(), compare: nil, sweep: [])
    #expect(json.filter { !$0.isWhitespace }.contains("\"budgets_not_applied\":[\"program\",\"launchbonus\"]"))
    #expect(HTMLReport.render(result, settings: ReportSettings(), compare: nil, sweep: []).contains(
      "<tr><td>budgets</td><td>not applied (program, launch bonus): the cost is before budgets;"))
  }

  @Test func programsWithoutBudgetsSayNothing() throws {
    let result = try Fixture.simulate(Fixture.bytes("customer,time,amount\na,2026-03-01T10:00:00,10.00\n"))
    #expect(result.unappliedBudgets.isEmpty && result.appliedBudgets.isEmpty)
    let text = TextReport.render(result, settings: ReportSettings())
    #expect(!text.contains("budgets        not applied") && !text.contains("Budgets (all customers"))
  }
}
