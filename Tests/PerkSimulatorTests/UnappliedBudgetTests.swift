import Foundation
import Perk
import Testing
@testable import PerkSimulator

/// Budgets are shared by all customers in time order; the simulator runs customers one at a
/// time, so it does not apply them, and every report says so.
@Suite struct UnappliedBudgetTests {
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

  @Test func everyFormatSaysWhichBudgetsWereNotApplied() throws {
    let program = try #require(compile(source: Self.source, path: "budgeted.perk").program)
    let history = Fixture.bytes("customer,time,amount\na,2026-03-01T10:00:00,10.00\nb,2026-03-01T11:00:00,10.00\nc,2026-03-02T10:00:00,10.00\n")
    let result = try Fixture.simulate(history, program: program)
    #expect(result.unappliedBudgets == ["program", "launch bonus"])
    // Not applied: all three customers get the bonus although $2 pays for two.
    #expect(result.figures.costByRule["launch bonus"] == 300)
    let settings = ReportSettings()
    #expect(TextReport.render(result, settings: settings).contains(
      "  budgets        not applied (program, launch bonus): the cost is before budgets;"))
    let json = JSONReport.render(result, settings: settings, compare: nil, sweep: [])
    let compact = json.filter { !$0.isWhitespace }
    #expect(compact.contains("\"budgets_not_applied\":[\"program\",\"launchbonus\"]"))
    #expect(try JSONReport.decode(Array(json.utf8), path: "r.json").0 == result)
    #expect(HTMLReport.render(result, settings: settings, compare: nil, sweep: []).contains("Budgets not applied (program, launch bonus)"))
  }

  @Test func programsWithoutBudgetsSayNothing() throws {
    let result = try Fixture.simulate(Fixture.bytes("customer,time,amount\na,2026-03-01T10:00:00,10.00\n"))
    #expect(result.unappliedBudgets.isEmpty)
    #expect(!TextReport.render(result, settings: ReportSettings()).contains("budgets        not applied"))
  }
}
