import Foundation
import Perk
import PerkRuntime
import Testing

// Quarterly true-ups of an annual rebate (rules/rebate-true-ups.perk): each quarter pays
// what the year-to-date volume earns less what was already paid.

private func buyer(_ segment: String) -> Customer { Customer(id: "acme", segment: segment) }

/// 12 pallets in Q1, 40 (purchase B) in Q2 crossing into 3%, 5 of B returned in Q3, 6 bought in Q4.
private func yearWithAReturn(_ segment: String) throws -> [String] {
  var run = try RebateRun(file: "rebate-true-ups.perk", customer: buyer(segment))
  var lines: [String] = []
  _ = try run.buy("1000.00", units: 12, on: "2026-02-10 10:00")
  lines += rebateLines(try run.periodEnds(through: "2026-04-01 00:00"))
  _ = try run.buy("1000.00", units: 40, on: "2026-05-10 10:00", id: "B")
  lines += rebateLines(try run.periodEnds(through: "2026-07-01 00:00"))
  _ = try run.giveBack(5, of: "B", on: "2026-08-01 10:00")
  lines += rebateLines(try run.periodEnds(through: "2026-10-01 00:00"))
  _ = try run.buy("1000.00", units: 6, on: "2026-11-10 10:00")
  lines += rebateLines(try run.periodEnds(through: "2027-01-01 00:00"))
  return lines
}

@Test func trueUpsPayTheYearToDateDifferenceAcrossABracket() throws {
  // €12,000 earns €240 (2%); €52,000 earns €1,560 (3% on the whole year): Q2 pays €1,320.
  let lines = try yearWithAReturn("claw")
  #expect(Array(lines.prefix(2)) == [
    "settlement clawed 2026-01-01: 12000.00 → 240.00",
    "settlement clawed 2026-01-01: 52000.00 → 1320.00",
  ])
}

@Test func aNegativeDifferenceClawedBackIsANegativeSettlement() throws {
  // After the return €47,000 earns €940 (2%): €620 less than paid, paid back in Q3; the year pays €1,590 in all.
  #expect(try yearWithAReturn("claw") == [
    "settlement clawed 2026-01-01: 12000.00 → 240.00",
    "settlement clawed 2026-01-01: 52000.00 → 1320.00",
    "settlement clawed 2026-01-01: 47000.00 → -620.00",
    "settlement clawed 2026-01-01: 53000.00 → 650.00",
  ])
}

@Test func aNegativeDifferenceCarriedForwardIsDeductedFromTheNextSettlement() throws {
  // Q3 pays nothing and carries €620; Q4's €650 difference pays €30: €1,590 in all, as clawed back.
  #expect(try yearWithAReturn("carry") == [
    "settlement carried 2026-01-01: 12000.00 → 240.00",
    "settlement carried 2026-01-01: 52000.00 → 1320.00",
    "settlement carried 2026-01-01: 47000.00 → 0.00",
    "settlement carried 2026-01-01: 53000.00 → 30.00",
  ])
}

@Test func aNegativeDifferenceForgivenIsNeverDeducted() throws {
  // Q3 pays nothing; Q4 pays its whole €650 difference: €2,210 in all, the buyer keeps €620.
  #expect(try yearWithAReturn("forgive") == [
    "settlement forgiven 2026-01-01: 12000.00 → 240.00",
    "settlement forgiven 2026-01-01: 52000.00 → 1320.00",
    "settlement forgiven 2026-01-01: 47000.00 → 0.00",
    "settlement forgiven 2026-01-01: 53000.00 → 650.00",
  ])
}

@Test func aTrueUpExplainsWhatWasPaidAndTheDifference() throws {
  var run = try RebateRun(file: "rebate-true-ups.perk", customer: buyer("carry"))
  _ = try run.buy("1000.00", units: 52, on: "2026-02-10 10:00", id: "A")
  _ = try run.periodEnds(through: "2026-04-01 00:00")
  _ = try run.giveBack(5, of: "A", on: "2026-05-01 10:00")
  #expect(rebateTexts(try run.periodEnds(through: "2026-07-01 00:00")) == [
    "true-up to 2026-06-30: €47,000.00 net spend in 2026: earns €940.00 to date = 2% of €47,000.00 (retroactive, from €10,000.00); already paid €1,560.00, difference -€620.00; €620.00 carried forward to the next settlement; pays €0.00",
  ])
  #expect(run.state.rebates["carried"]?.carried == 62_000)
  #expect(run.state.rebates["carried"]?.paidToDate == 94_000)
}

@Test func aShortfallCarriedForwardAtYearEndReducesNextYear() throws {
  var run = try RebateRun(file: "rebate-true-ups.perk", customer: buyer("carry"))
  _ = try run.buy("1000.00", units: 52, on: "2026-02-10 10:00", id: "A")
  _ = try run.periodEnds(through: "2026-04-01 00:00")
  _ = try run.giveBack(5, of: "A", on: "2026-12-01 10:00")
  // 2026 ends €620 short; 2027 Q1 earns €240 (all deducted), Q2 earns €600 more: €220 paid.
  #expect(rebateLines(try run.periodEnds(through: "2027-01-01 00:00")) == ["settlement carried 2026-01-01: 47000.00 → 0.00"])
  #expect(run.state.rebates["carried"]?.paidToDate == 0)
  _ = try run.buy("1000.00", units: 12, on: "2027-02-01 10:00")
  #expect(rebateLines(try run.periodEnds(through: "2027-04-01 00:00")) == ["settlement carried 2027-01-01: 12000.00 → 0.00"])
  #expect(run.state.rebates["carried"]?.carried == 38_000)
  _ = try run.buy("1000.00", units: 30, on: "2027-05-01 10:00")
  #expect(rebateLines(try run.periodEnds(through: "2027-07-01 00:00")) == ["settlement carried 2027-01-01: 42000.00 → 220.00"])
  #expect(run.state.rebates["carried"]?.carried == 0)
}

@Test func aQuarterWithoutVolumeBeforeTheFirstPurchaseSettlesNothing() throws {
  var run = try RebateRun(file: "rebate-true-ups.perk", customer: buyer("claw"))
  _ = try run.buy("1000.00", units: 12, on: "2026-05-10 10:00")
  // Q1 had no volume: the first true-up is Q2's, and processing late issues the same ones.
  #expect(rebateLines(try run.periodEnds(through: "2026-10-01 00:00")) == [
    "settlement clawed 2026-01-01: 12000.00 → 240.00",
    "settlement clawed 2026-01-01: 12000.00 → 0.00",
  ])
}

@Test func aTrueUpStateRoundTripsAndAPlainAccountEncodesAsBefore() throws {
  var account = RebateAccount()
  account.paidPeriod = LocalDate(year: 2026, month: 1, day: 1)
  account.paidToDate = 94_000
  account.carried = 62_000
  let data = try JSONEncoder().encode(account)
  #expect(try JSONDecoder().decode(RebateAccount.self, from: data) == account)
  let plain = String(decoding: try JSONEncoder().encode(RebateAccount()), as: UTF8.self)
  #expect(!plain.contains("paid") && !plain.contains("carried"))
}

@Test func aSettlementShorterThanTheMeasureWithoutTrueUpsIsStillRefused() throws {
  let source = """
    program "P"
      currency EUR
      timezone UTC
    rebate r
      measure net spend per calendar year
      retroactive
        from €10,000 2%
      settle at end of quarter
    """
  let refused = compile([SourceFile(path: "t.perk", text: source)])
  #expect(refused.program == nil)
  #expect(refused.diagnostics.map(\.code) == [.settlementShorterThanMeasure])
  #expect(try RebateRun(source: source + ", paying the difference to date, a negative difference is forgiven")
    .program.rebates.first?.trueUp == RebateSpec.TrueUp(months: 3, negative: .forgiven))
}

@Test func aTrueUpMustStateWhatANegativeDifferenceDoes() throws {
  let source = """
    program "P"
      currency EUR
      timezone UTC
    rebate r
      measure net spend per calendar year
      retroactive
        from €10,000 2%
      settle at end of quarter, paying the difference to date
    """
  let compilation = compile([SourceFile(path: "t.perk", text: source)])
  #expect(compilation.program == nil)
  #expect(compilation.diagnostics.map(\.message) == ["expected `,` after `paying the difference to date`, found end of line"])
  // Located on the settle line (the eighth).
  let offset = compilation.diagnostics.first?.range.start ?? 0
  #expect(source.utf8.prefix(offset).filter { $0 == UInt8(ascii: "\n") }.count == 7)
}

@Test func theTillShowsTheNextTrueUpAndWhatWasPaid() throws {
  var run = try RebateRun(file: "rebate-true-ups.perk", customer: buyer("claw"))
  let first = try run.buy("1000.00", units: 12, on: "2026-02-10 10:00")
  #expect(first.facts.filter { $0.kind == .rebateSettlement }.map(\.text) == [
    "clawed for 2026 trues up on 2026-04-01: €240.00 earned so far, €0.00 already paid",
  ])
  let second = try run.buy("1000.00", units: 40, on: "2026-05-10 10:00")
  #expect(second.facts.filter { $0.kind == .rebateSettlement }.map(\.text) == [
    "clawed for 2026 trues up on 2026-07-01: €1,560.00 earned so far, €240.00 already paid",
  ])
  let last = try run.buy("1000.00", units: 1, on: "2026-12-10 10:00")
  #expect(last.facts.filter { $0.kind == .rebateSettlement }.map(\.date) == [LocalDate(year: 2027, month: 1, day: 1)])
}

@Test func aMonthlyStatementOnATrueUpDayIsReplacedByTheTrueUp() throws {
  var run = try RebateRun(source: """
    program "P"
      currency EUR
      timezone UTC
    rebate r
      measure net spend per calendar year
      retroactive
        from €10,000 2%
      settle at end of quarter, paying the difference to date, a negative difference is forgiven
      statement at end of month
    """)
  _ = try run.buy("1000.00", units: 12, on: "2026-01-10 10:00")
  #expect(rebateLines(try run.periodEnds(through: "2026-04-01 00:00")) == [
    "statement r 2026-01-01: 12000.00 → 240.00",
    "statement r 2026-01-01: 12000.00 → 240.00",
    "settlement r 2026-01-01: 12000.00 → 240.00",
  ])
}
