import Foundation
import Perk
import Testing
@testable import PerkRuntime

/// Tier measures with a filter (`tiers by spend not in category giftcard, shipping …`) and windows
/// of whole calendar periods (`over last 12 calendar months`).
@Suite struct TierMeasureTests {
  static func source(_ header: String, keep: String = "") -> String {
    """
    program "Status"
      currency USD
      timezone America/New_York

    points pts
      worth $0.01

    \(header)
      member  from $0
      gold    from $500   earn x2
    \(keep)

    rule base earn
      on purchase
      earn 1 pts per $1 spent

    """
  }

  func tierChanges(_ outcome: Outcome) -> [String] {
    outcome.awards.compactMap {
      if case .tierChange(let from, let to) = $0.kind { "\(from ?? "-") → \(to ?? "-")" } else { nil }
    }
  }

  // MARK: Filters

  @Test func onlyTheCountedLinesAreTierSpendAndVisits() throws {
    var run = try TriggerRun(source: Self.source("tiers by spend or visits not in category giftcard, shipping over last 12 months"),
                             customer: Customer(id: "c"))
    let first = try run.run(.purchase, "2026-03-10T12:00", [("card", "giftcard", 1, "$400.00"), ("tee", "tops", 1, "$90.00"),
                                                             ("post", "shipping", 1, "$15.00")])
    #expect(pointAwards(first) == [505])
    #expect(run.state.ledger == [AccountState.LedgerDay(date: date("2026-03-10"), spend: 50_500, purchases: 1)])
    #expect(run.state.tierLedger == [AccountState.LedgerDay(date: date("2026-03-10"), spend: 9_000, purchases: 1)])
    #expect(first.nearMisses.map(\.text).contains("$410.00 more spend to gold (net amounts paid not in category giftcard, shipping, before tax)"))
    // Only gift cards: no tier visit, no tier spend.
    _ = try run.run(.purchase, "2026-03-11T12:00", [("card", "giftcard", 1, "$600.00")])
    #expect(run.state.tierLedger.count == 1)
    #expect(run.state.tier == "member")
    let third = try run.run(.purchase, "2026-03-12T12:00", [("coat", "outerwear", 1, "$410.00")])
    #expect(tierChanges(third) == ["member → gold"])
  }

  @Test func theCompiledProgramNamesTheFilterAndTheWindow() throws {
    let run = try TriggerRun(source: Self.source("tiers by spend not in category giftcard, shipping over last 12 calendar months"),
                             customer: Customer(id: "c"))
    let lines = run.program.describe().split(separator: "\n").map(String.init)
    #expect(lines.contains("window 0: lastCalendar(PerkRuntime.CalendarPeriod.month, count: 12)"))
    #expect(lines.contains("tiers by spend counting not category giftcard, shipping over window 0, keep qualifiedOnly"))
  }

  @Test func withoutAFilterTheStateHasNoTierLedger() throws {
    var run = try TriggerRun(source: Self.source("tiers by spend over last 12 months"), customer: Customer(id: "c"))
    _ = try run.run(.purchase, "2026-03-10T12:00", [("card", "giftcard", 1, "$500.00")])
    #expect(run.state.tier == "gold")
    #expect(run.state.tierLedger.isEmpty)
    let json = String(decoding: try JSONEncoder().encode(run.state), as: UTF8.self)
    #expect(!json.contains("tier_ledger"))
    // A tier ledger left by a program that had a filter is dropped, not carried.
    var stale = run.state
    stale.tierLedger = [AccountState.LedgerDay(date: date("2026-03-09"), spend: 100, purchases: 1)]
    let next = try run.program.evaluate(Event(kind: .purchase, id: "T9", time: try run.instant("2026-03-11T12:00"),
                                              lines: [LineItem(sku: "a", category: "b", quantity: 1,
                                                               unitPrice: Money(minorUnits: 100, currency: run.program.currency))]),
                                        customer: run.customer, state: stale)
    #expect(next.state.tierLedger.isEmpty)
  }

  @Test func aReturnTakesOnlyTheCountedRefundOffTheTierLedger() throws {
    var run = try TriggerRun(source: Self.source("tiers by spend not in category giftcard over last 12 months"),
                             customer: Customer(id: "c"))
    _ = try run.run(.purchase, "2026-04-02T12:00", [("coat", "outerwear", 1, "$450.00"), ("card", "giftcard", 1, "$100.00")], id: "T1")
    let back = try run.run(.return(original: "T1"), "2026-04-05T12:00", [("card", "giftcard", 1, "$100.00")])
    #expect(back.refunded == Money(minorUnits: 10_000, currency: run.program.currency))
    #expect(run.state.ledger.map(\.spend) == [45_000])
    #expect(run.state.tierLedger.map(\.spend) == [45_000])
    _ = try run.run(.return(original: "T1"), "2026-04-06T12:00", [("coat", "outerwear", 1, "$450.00")])
    #expect(run.state.ledger.map(\.spend) == [0])
    #expect(run.state.tierLedger.map(\.spend) == [0])
    // The visit stays, as returns leave visits alone.
    #expect(run.state.tierLedger.map(\.purchases) == [1])
  }

  @Test func aPositiveFilterCountsItsOwnLinesOnly() throws {
    var run = try TriggerRun(source: Self.source("tiers by spend in category apparel this year"), customer: Customer(id: "c"))
    _ = try run.run(.purchase, "2026-04-02T12:00", [("shirt", "apparel", 2, "$150.00"), ("lamp", "home", 1, "$300.00")], id: "T1")
    #expect(run.state.tierLedger.map(\.spend) == [30_000])
    _ = try run.run(.return(original: "T1"), "2026-04-03T12:00", [("lamp", "home", 1, "$300.00")])
    #expect(run.state.tierLedger.map(\.spend) == [30_000])
    _ = try run.run(.return(original: "T1"), "2026-04-04T12:00", [("shirt", "apparel", 1, "$150.00")])
    #expect(run.state.tierLedger.map(\.spend) == [15_000])
  }

  // MARK: Calendar windows

  @Test func calendarWindowStarts() {
    let today = date("2027-01-20")
    #expect(WorkingState.start(of: .lastCalendar(.month, count: 12), today: today) == date("2026-02-01"))
    #expect(WorkingState.start(of: .lastMonths(12), today: today) == date("2026-01-21"))
    #expect(WorkingState.start(of: .lastCalendar(.month, count: 1), today: today) == date("2027-01-01"))
    // 2027-01-20 is a Wednesday: this ISO week from Monday the 18th, and three before it.
    #expect(WorkingState.start(of: .lastCalendar(.week, count: 4), today: today) == date("2026-12-28"))
    #expect(WorkingState.start(of: .lastCalendar(.quarter, count: 4), today: date("2026-08-15")) == date("2025-10-01"))
    #expect(WorkingState.start(of: .lastCalendar(.quarter, count: 1), today: date("2026-12-31")) == date("2026-10-01"))
    #expect(WorkingState.start(of: .lastCalendar(.year, count: 2), today: today) == date("2026-01-01"))
    #expect(WindowSpec.lastCalendar(.month, count: 12).key == "last 12 calendar months")
  }

  @Test func theLedgerKeepsWhatTheLongestCalendarWindowReads() throws {
    let months = try TriggerRun(source: Self.source("tiers by spend over last 12 calendar months"), customer: Customer(id: "c"))
    #expect(months.program.horizonDays == 12 * 31 + 1)
    let quarters = try TriggerRun(source: Self.source("tiers by spend over last 4 calendar quarters"), customer: Customer(id: "c"))
    #expect(quarters.program.horizonDays == 4 * 92 + 1)
    let weeks = try TriggerRun(source: Self.source("tiers by spend over last 4 calendar weeks"), customer: Customer(id: "c"))
    #expect(weeks.program.horizonDays == 4 * 7 + 1)
  }

  @Test func theOldestMonthLeavesAtLocalMidnightOnTheFirst() throws {
    var run = try TriggerRun(source: Self.source("tiers by spend over last 12 calendar months"), customer: Customer(id: "c"))
    let reach = try run.buy("2026-01-15T12:00", "$500.00")
    #expect(tierChanges(reach) == ["member → gold"])
    let lastNight = try run.program.advance(to: try run.instant("2026-12-31T23:59"), customer: run.customer, state: run.state)
    #expect(tierChanges(lastNight) == [])
    run.state = lastNight.state
    let midnight = try run.program.advance(to: try run.instant("2027-01-01T00:00"), customer: run.customer, state: run.state)
    #expect(tierChanges(midnight) == ["gold → member"])
  }

  @Test func aRollingWindowKeepsTheSameSpendLonger() throws {
    var run = try TriggerRun(source: Self.source("tiers by spend over last 12 months"), customer: Customer(id: "c"))
    _ = try run.buy("2026-01-15T12:00", "$500.00")
    let later = try run.buy("2027-01-14T12:00", "$1.00")
    #expect(tierChanges(later) == [])
    #expect(run.state.tier == "gold")
  }

  /// Regression: the review at each month's start moved a `from reaching` keep to the month's
  /// end + the duration (gold reached 2026-01-10, kept 3 months, read "kept until 2026-04-30").
  @Test func aMonthStartReviewDoesNotExtendAKeepFromReaching() throws {
    var run = try TriggerRun(source: Self.source("tiers by spend over last 12 calendar months", keep: "  keep for 3 months from reaching"),
                             customer: Customer(id: "c"))
    _ = try run.buy("2026-01-10T12:00", "$500.00")
    #expect(run.state.tierKeptUntil["gold"] == date("2026-04-10"))
    let review = try run.program.advance(to: try run.instant("2026-02-01T12:00"), customer: run.customer, state: run.state)
    #expect(review.state.tierKeptUntil["gold"] == date("2026-04-10"))
    // Without `from reaching`, the review reaches gold again (on February 1, still qualified).
    var extending = try TriggerRun(source: Self.source("tiers by spend over last 12 calendar months", keep: "  keep for 3 months"),
                                   customer: Customer(id: "c"))
    _ = try extending.buy("2026-01-10T12:00", "$500.00")
    let extended = try extending.program.advance(to: try extending.instant("2026-02-01T12:00"), customer: extending.customer,
                                                 state: extending.state)
    #expect(extended.state.tierKeptUntil["gold"] == date("2026-05-01"))
  }

  @Test func conditionsReadCalendarWindows() throws {
    var run = try TriggerRun(source: """
      program "Status"
        currency USD
        timezone America/New_York

      points pts
        worth $0.01

      rule loyal
        on purchase
        when spend over last 2 calendar months >= $100
        earn 50 pts

      """, customer: Customer(id: "c"))
    _ = try run.buy("2026-02-01T12:00", "$100.00")
    #expect(pointAwards(try run.buy("2026-03-31T12:00", "$1.00")) == [50])
    // April: the window is March and April; February's $100 is gone.
    #expect(pointAwards(try run.buy("2026-04-01T12:00", "$1.00")) == [])
  }

  @Test func quietUntilCountsTheNextMonthStartAsDue() throws {
    let run = try TriggerRun(source: Self.source("tiers by spend over last 12 calendar months"), customer: Customer(id: "c"))
    var account = run.program.account()
    var budgets = BudgetLedger()
    _ = try run.program.evaluate(Event(kind: .purchase, id: "t", time: try run.instant("2026-01-15T12:00"),
                                       lines: [LineItem(sku: "a", category: "b", quantity: 1,
                                                        unitPrice: Money(minorUnits: 50_000, currency: run.program.currency))]),
                                 customer: run.customer, account: &account, budgets: &budgets, options: .full)
    #expect(run.program.quietUntil(customer: run.customer, account: account) == date("2026-02-01"))
    let quarterly = try TriggerRun(source: Self.source("tiers by spend over last 4 calendar quarters"), customer: Customer(id: "c"))
    var quarterAccount = quarterly.program.account()
    _ = try quarterly.program.advance(to: try quarterly.instant("2026-05-15T12:00"), customer: quarterly.customer,
                                      account: &quarterAccount, options: .full)
    _ = try quarterly.program.advance(to: try quarterly.instant("2026-05-16T12:00"), customer: quarterly.customer,
                                      account: &quarterAccount, options: .full)
    #expect(quarterly.program.quietUntil(customer: quarterly.customer, account: quarterAccount) == date("2026-07-01"))
  }

  // MARK: Checking

  @Test func misplacedFiltersAndCountsAreParseErrors() {
    let orVisits = compile(source: Self.source("tiers by spend not in category giftcard or visits over last 12 months"), path: "t.perk")
    #expect(orVisits.diagnostics.map(\.message) == [
      "expected a window such as `over last 12 months` or `this year` after the filter (it follows the whole measure: "
        + "`tiers by spend or visits not in category …`), found `or`"])
    let fraction = compile(source: Self.source("tiers by spend over last 1.5 calendar months"), path: "t.perk")
    #expect(fraction.diagnostics.map(\.message) == ["expected a whole number of calendar periods after `last`, found `1.5`"])
    let unit = compile(source: Self.source("tiers by spend over last 2 calendar fortnights"), path: "t.perk")
    #expect(unit.diagnostics.map(\.message) == ["expected `weeks`, `months`, `quarters` or `years` after `calendar`, found `fortnights`"])
  }

  @Test func emptyAndDayCalendarWindowsAreLocatedErrors() {
    let zero = compile(source: Self.source("tiers by spend over last 0 calendar months"), path: "t.perk")
    #expect(zero.diagnostics.map(\.code.rawValue) == ["E0540"])
    #expect(zero.diagnostics.first?.message == "a window of 0 calendar months")
    let days = compile(source: Self.source("tiers by spend over last 7 calendar days"), path: "t.perk")
    #expect(days.diagnostics.map(\.code.rawValue) == ["E0540"])
    #expect(days.diagnostics.first?.help == "write `last 7 days`: it counts whole local days, today included")
    let condition = compile(source: Self.source("tiers by spend this year") + "rule r\n  on purchase\n  when visits in last 0 calendar weeks > 1\n  earn 1 pts\n",
                            path: "t.perk")
    #expect(condition.diagnostics.map(\.code.rawValue) == ["E0540"])
  }

  /// A rolling window of no days measured nothing and was accepted: every customer stayed in
  /// the lowest tier, every `spend in last 0 days` condition read zero.
  @Test func emptyRollingWindowsAreLocatedErrors() {
    let source = Self.source("tiers by spend over last 0 months")
    let zero = compile(source: source, path: "t.perk")
    #expect(zero.diagnostics.map(\.code.rawValue) == ["E0540"])
    let underlined = zero.diagnostics.first.map { String(decoding: Array(source.utf8)[$0.range.start..<$0.range.end], as: UTF8.self) }
    #expect(underlined?.hasSuffix("last 0 months") == true, "\(underlined ?? "")")
    #expect(zero.diagnostics.first?.message == "a window of 0 months")
    #expect(zero.diagnostics.first?.help == "a rolling window ends today: `last 1 month` is the shortest of months, `last 1 day` is today alone")
    let condition = compile(source: Self.source("tiers by spend this year") + "rule r\n  on purchase\n  when spend in last 0 days > $1\n  earn 1 pts\n",
                            path: "t.perk")
    #expect(condition.diagnostics.map(\.message) == ["a window of 0 days"])
    #expect(condition.diagnostics.first?.help == "a rolling window ends today: `last 1 day` is today alone")
    let one = compile(source: Self.source("tiers by spend over last 1 day"), path: "t.perk")
    #expect(one.diagnostics.isEmpty)
  }
}
