import Foundation
import Perk
import PerkRuntime
import PerkTestSupport
import Testing

/// Runs rebate programs on dated purchases, returns and period ends, pinning exact amounts.
struct RebateRun {
  let program: Program
  var state = AccountState()
  var customer: Customer
  var count = 0

  init(source: String, customer: Customer = Customer(id: "buyer")) throws {
    let compilation = compile([SourceFile(path: "test.perk", text: source)])
    guard let program = compilation.program else {
      throw EvaluationError("does not compile: \(compilation.diagnostics.map(\.message))")
    }
    self.program = program
    self.customer = customer
  }

  init(file: String, customer: Customer = Customer(id: "buyer")) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("rules").appendingPathComponent(file)
    try self.init(source: String(decoding: try Data(contentsOf: url), as: UTF8.self), customer: customer)
  }

  /// Local wall-clock time `yyyy-MM-dd HH:mm` in the program's zone.
  func local(_ text: String) -> Instant {
    let date = LocalDate(iso: text.prefix(10))!
    let parts = text.dropFirst(11).split(separator: ":").compactMap { Int64($0) }
    return program.timeZone.instant(of: date, secondOfDay: parts.count == 2 ? parts[0] * 3600 + parts[1] * 60 : 0)
  }

  /// A UTC instant `yyyy-MM-ddTHH:mm:ss`.
  static func utc(_ text: String) -> Instant {
    let date = LocalDate(iso: text.prefix(10))!
    let parts = text.dropFirst(11).split(separator: ":").compactMap { Int64($0) }
    return Instant(secondsSince1970: date.dayNumber * 86_400 + parts[0] * 3600 + parts[1] * 60 + parts[2])
  }

  func money(_ text: String) -> Money { Money(parsing: text, currency: program.currency)! }

  /// Buys `units` pallets at `price` each.
  mutating func buy(_ price: String, units: Int64 = 1, at instant: Instant, category: String = "goods",
                    id: String? = nil) throws -> Outcome {
    count += 1
    let line = LineItem(sku: "pallet", category: category, quantity: units, unitPrice: money(price))
    let outcome = try program.evaluate(Event(kind: .purchase, id: id ?? "T\(count)", time: instant, lines: [line]),
                                       customer: customer, state: state)
    state = outcome.state
    return outcome
  }

  mutating func buy(_ price: String, units: Int64 = 1, on local: String, category: String = "goods",
                    id: String? = nil) throws -> Outcome {
    try buy(price, units: units, at: self.local(local), category: category, id: id)
  }

  /// Returns `units` pallets of the purchase `original`.
  mutating func giveBack(_ units: Int64, of original: String, on local: String, category: String = "goods") throws -> Outcome {
    count += 1
    let line = LineItem(sku: "pallet", category: category, quantity: units, unitPrice: money("0"))
    let outcome = try program.evaluate(Event(kind: .return(original: original), id: "R\(count)", time: self.local(local),
                                             lines: [line]), customer: customer, state: state)
    state = outcome.state
    return outcome
  }

  /// Runs the period ends up to a local time with `Program.advance`.
  mutating func periodEnds(through local: String) throws -> [Award] {
    try periodEnds(at: self.local(local))
  }

  mutating func periodEnds(at instant: Instant) throws -> [Award] {
    let outcome = try program.advance(to: instant, customer: customer, state: state)
    state = outcome.state
    return outcome.awards
  }
}

/// `phase rebate: volume → amount` for each rebate award.
func rebateLines(_ awards: [Award]) -> [String] {
  awards.compactMap {
    guard case .rebate(let r) = $0.kind else { return nil }
    return "\(r.phase.rawValue) \(r.rebate) \(r.periodStart): \(r.volume.decimalString) → \(r.amount.decimalString)"
  }
}

func rebateTexts(_ awards: [Award]) -> [String] {
  awards.compactMap { if case .rebate = $0.kind { $0.explanation } else { nil } }
}

private let distributor = Customer(id: "d-1", segment: "distributor")

// MARK: - P4 brackets

@Test func p4ExactlyTenThousandReachesTwoPercent() throws {
  var run = try RebateRun(file: "p4-wholesale-rebates.perk")
  let outcome = try run.buy("10000.00", on: "2026-03-10 10:00")
  #expect(rebateLines(outcome.awards) == ["accrual annual volume 2026-01-01: 10000.00 → 200.00"])
  #expect(rebateTexts(outcome.awards) == [
    "€10,000.00 net spend in 2026: accrued €200.00 so far = 2% of €10,000.00 (retroactive, from €10,000.00); €40,000.00 more to reach 3.5%",
  ])
}

@Test func p4OneCentBelowTheBracketAccruesNothing() throws {
  var run = try RebateRun(file: "p4-wholesale-rebates.perk")
  let outcome = try run.buy("9999.99", on: "2026-03-10 10:00")
  #expect(rebateLines(outcome.awards) == ["accrual annual volume 2026-01-01: 9999.99 → 0.00"])
  #expect(rebateTexts(outcome.awards) == [
    "€9,999.99 net spend in 2026: accrued €0.00 so far = 0% of €9,999.99 (retroactive); €0.01 more to reach 2%",
  ])
}

@Test func p4CrossingABracketMidYearIsRetroactiveOnTheWholeYear() throws {
  var run = try RebateRun(file: "p4-wholesale-rebates.perk")
  let first = try run.buy("9000.00", on: "2026-02-01 09:00")
  #expect(rebateLines(first.awards) == ["accrual annual volume 2026-01-01: 9000.00 → 0.00"])
  // The period ends since the last event come first: the statements at the ends of Q1 and Q2.
  let second = try run.buy("2000.00", on: "2026-07-15 09:00")
  #expect(rebateLines(second.awards) == [
    "statement annual volume 2026-01-01: 9000.00 → 0.00",
    "statement annual volume 2026-01-01: 9000.00 → 0.00",
    "accrual annual volume 2026-01-01: 11000.00 → 220.00",
  ])
  let third = try run.buy("39000.00", on: "2026-11-20 09:00")
  // €50,000 reached: 3.5% on the whole year, not only on the part above €50,000.
  #expect(rebateLines(third.awards) == [
    "statement annual volume 2026-01-01: 11000.00 → 220.00",
    "accrual annual volume 2026-01-01: 50000.00 → 1750.00",
  ])
  let ends = try run.periodEnds(through: "2027-01-01 00:00")
  #expect(rebateLines(ends) == ["settlement annual volume 2026-01-01: 50000.00 → 1750.00"])
  #expect(rebateTexts(ends) == ["settled: €50,000.00 net spend in 2026: rebate €1,750.00 = 3.5% of €50,000.00 (retroactive, from €50,000.00)"])
}

@Test func p4AReturnCrossingBackBelowTheBracketDropsTheAccrual() throws {
  var run = try RebateRun(file: "p4-wholesale-rebates.perk")
  _ = try run.buy("1000.00", units: 6, on: "2026-04-01 09:00", id: "A")
  let crossed = try run.buy("1000.00", units: 5, on: "2026-05-01 09:00", id: "B")
  #expect(rebateLines(crossed.awards) == ["accrual annual volume 2026-01-01: 11000.00 → 220.00"])
  let back = try run.giveBack(2, of: "B", on: "2026-05-20 12:00")
  #expect(rebateLines(back.awards) == ["accrual annual volume 2026-01-01: 9000.00 → 0.00"])
  #expect(rebateTexts(back.awards) == [
    "return of €2,000.00 of B: €9,000.00 net spend in 2026: accrued €0.00 so far = 0% of €9,000.00 (retroactive); €1,000.00 more to reach 2%",
  ])
  // More units than are left is rejected and changes no volume.
  let tooMany = try run.giveBack(9, of: "B", on: "2026-05-21 12:00")
  #expect(tooMany.rejection != nil)
  #expect(rebateLines(tooMany.awards).isEmpty)
  let rest = try run.giveBack(3, of: "B", on: "2026-05-21 12:00")
  #expect(rebateLines(rest.awards) == ["accrual annual volume 2026-01-01: 6000.00 → 0.00"])
  #expect(run.state.rebates["annual volume"]?.purchases["B"]?.amount == 0)
  // A return of an unknown purchase is rejected.
  let unknown = try run.giveBack(1, of: "ZZ", on: "2026-05-22 12:00")
  #expect(rebateLines(unknown.awards).isEmpty)
  #expect(run.state.rebates["annual volume"]?.slices.map(\.volume) == [600_000])
}

@Test func p4AReturnAfterSettlementReducesTheOpenYear() throws {
  var run = try RebateRun(file: "p4-wholesale-rebates.perk")
  _ = try run.buy("1000.00", units: 12, on: "2026-12-20 09:00", id: "A")
  let ends = try run.periodEnds(through: "2027-01-01 00:00")
  #expect(rebateLines(ends) == ["settlement annual volume 2026-01-01: 12000.00 → 240.00"])
  _ = try run.buy("1000.00", units: 15, on: "2027-01-10 09:00", id: "B")
  let back = try run.giveBack(2, of: "A", on: "2027-01-12 09:00")
  // 2026 stays settled at €240.00; 2027 carries the return.
  #expect(rebateLines(back.awards) == ["accrual annual volume 2027-01-01: 13000.00 → 260.00"])
}

@Test func p4DuplicateTransactionDoesNotCountTwice() throws {
  var run = try RebateRun(file: "p4-wholesale-rebates.perk")
  _ = try run.buy("6000.00", on: "2026-04-01 09:00", id: "A")
  let again = try run.buy("6000.00", on: "2026-04-01 09:00", id: "A")
  #expect(again.duplicate)
  #expect(run.state.rebates["annual volume"]?.slices.map(\.volume) == [600_000])
}

// MARK: - Growth

@Test func p4GrowthHasNothingToCompareWithInAFirstYear() throws {
  var run = try RebateRun(file: "p4-wholesale-rebates.perk", customer: distributor)
  let outcome = try run.buy("40000.00", on: "2026-06-01 09:00")
  #expect(rebateLines(outcome.awards) == [
    "accrual annual volume 2026-01-01: 40000.00 → 800.00",
    "accrual distributor growth 2026-01-01: 40000.00 → 0.00",
  ])
  let ends = try run.periodEnds(through: "2027-01-01 00:00")
  #expect(rebateLines(ends).filter { $0.contains("growth") } == ["settlement distributor growth 2026-01-01: 40000.00 → 0.00"])
  #expect(rebateTexts(ends).last == "settled: €40,000.00 net spend in 2026: rebate €0.00; no growth rebate in a first period (nothing to compare with)")
}

@Test func p4GrowthPaysOnePercentAboveLastYear() throws {
  var run = try RebateRun(file: "p4-wholesale-rebates.perk", customer: distributor)
  _ = try run.buy("40000.00", on: "2026-06-01 09:00")
  _ = try run.periodEnds(through: "2027-01-01 00:00")
  let under = try run.buy("30000.00", on: "2027-03-01 09:00")
  #expect(rebateLines(under.awards).last == "accrual distributor growth 2027-01-01: 30000.00 → 0.00")
  let over = try run.buy("30000.00", on: "2027-09-01 09:00")
  #expect(rebateLines(over.awards) == [
    "statement annual volume 2027-01-01: 30000.00 → 600.00",
    "statement annual volume 2027-01-01: 30000.00 → 600.00",
    "accrual annual volume 2027-01-01: 60000.00 → 2100.00",
    "accrual distributor growth 2027-01-01: 60000.00 → 200.00",
  ])
  #expect(rebateTexts(over.awards).last == "€60,000.00 net spend in 2027: accrued €200.00 so far = growth 1% of €20,000.00 above €40,000.00 in 2026")
  let ends = try run.periodEnds(through: "2028-01-01 00:00")
  #expect(rebateLines(ends).filter { $0.hasPrefix("settlement") } == [
    "settlement annual volume 2027-01-01: 60000.00 → 2100.00",
    "settlement distributor growth 2027-01-01: 60000.00 → 200.00",
  ])
}

@Test func growthAfterAYearWithoutPurchasesComparesWithZero() throws {
  var run = try RebateRun(file: "p4-wholesale-rebates.perk", customer: distributor)
  _ = try run.buy("1000.00", on: "2025-06-01 09:00")
  _ = try run.periodEnds(through: "2026-01-01 00:00")
  // Nothing bought in 2026; in 2027 all volume is growth over 2026's €0.
  let outcome = try run.buy("5000.00", on: "2027-02-01 09:00")
  #expect(rebateLines(outcome.awards).last == "accrual distributor growth 2027-01-01: 5000.00 → 50.00")
}

@Test func nonDistributorsGetNoGrowthRebate() throws {
  var run = try RebateRun(file: "p4-wholesale-rebates.perk", customer: Customer(id: "r-1", segment: "retailer"))
  let outcome = try run.buy("1000.00", on: "2026-06-01 09:00")
  #expect(rebateLines(outcome.awards) == ["accrual annual volume 2026-01-01: 1000.00 → 0.00"])
  #expect(run.state.rebates["distributor growth"] == nil)
}

// MARK: - Statements and settlement

@Test func p4QuarterlyStatementsCountOnlyTheVolumeBeforeEachQuarterEnd() throws {
  var run = try RebateRun(file: "p4-wholesale-rebates.perk")
  _ = try run.buy("8000.00", on: "2026-02-10 09:00")
  // The Q1 statement comes with the next event, before its purchase counts.
  let may = try run.buy("4000.00", on: "2026-05-10 09:00")
  #expect(rebateLines(may.awards) == [
    "statement annual volume 2026-01-01: 8000.00 → 0.00",
    "accrual annual volume 2026-01-01: 12000.00 → 240.00",
  ])
  #expect(rebateTexts(may.awards).first
    == "statement to 2026-03-31: €8,000.00 net spend in 2026: accrued €0.00 so far = 0% of €8,000.00 (retroactive); €2,000.00 more to reach 2%")
  let ends = try run.periodEnds(through: "2026-07-02 00:00")
  #expect(rebateTexts(ends) == [
    "statement to 2026-06-30: €12,000.00 net spend in 2026: accrued €240.00 so far = 2% of €12,000.00 (retroactive, from €10,000.00); €38,000.00 more to reach 3.5%",
  ])
  // Running the same period ends again issues nothing.
  #expect(try run.periodEnds(through: "2026-07-02 00:00").isEmpty)
  #expect(try run.periodEnds(through: "2026-09-30 23:59").isEmpty)
  // The Q4 statement falls on the settlement day and is replaced by the settlement.
  let yearEnd = try run.periodEnds(through: "2027-01-01 00:00")
  #expect(rebateLines(yearEnd) == [
    "statement annual volume 2026-01-01: 12000.00 → 240.00",
    "settlement annual volume 2026-01-01: 12000.00 → 240.00",
  ])
  #expect(run.state.rebates["annual volume"]?.slices == [])
  #expect(run.state.rebates["annual volume"]?.lastSettled == RebateAccount.Slice(start: LocalDate(iso: "2026-01-01")!, volume: 1_200_000))
}

@Test func lateProcessingGivesTheStatementsOfOnTimeProcessing() throws {
  // Period ends called directly, months late: each statement still shows the volume before its quarter end.
  var run = try RebateRun(file: "p4-wholesale-rebates.perk")
  _ = try run.buy("8000.00", on: "2026-02-10 09:00")
  var account = try #require(run.state.rebates["annual volume"])
  account.slices.append(RebateAccount.Slice(start: LocalDate(iso: "2026-04-01")!, volume: 400_000))
  run.state.rebates["annual volume"] = account
  let awards = try run.program.settleRebates(upTo: run.local("2026-07-02 00:00"), customer: run.customer, state: &run.state)
  #expect(rebateLines(awards) == [
    "statement annual volume 2026-01-01: 8000.00 → 0.00",
    "statement annual volume 2026-01-01: 12000.00 → 240.00",
  ])
}

@Test func warsawYearEndIsLocalMidnightNotUTC() throws {
  var run = try RebateRun(file: "p4-wholesale-rebates.perk")
  // 22:59:59 UTC on 31 December is 23:59:59 in Warsaw (UTC+1): still 2026.
  let late = try run.buy("10000.00", at: RebateRun.utc("2026-12-31T22:59:59"))
  #expect(rebateLines(late.awards) == ["accrual annual volume 2026-01-01: 10000.00 → 200.00"])
  // 23:30 UTC is 00:30 on 1 January in Warsaw: 2026 is settled first, then the purchase counts in 2027.
  let next = try run.buy("10000.00", at: RebateRun.utc("2026-12-31T23:30:00"))
  #expect(rebateLines(next.awards) == [
    "settlement annual volume 2026-01-01: 10000.00 → 200.00",
    "accrual annual volume 2027-01-01: 10000.00 → 200.00",
  ])
}

@Test func warsawSettlementHappensAtLocalMidnight() throws {
  var run = try RebateRun(file: "p4-wholesale-rebates.perk")
  _ = try run.buy("10000.00", at: RebateRun.utc("2026-12-31T12:00:00"))
  // The year ends at 23:00 UTC: one second before, nothing is settled.
  #expect(rebateLines(try run.periodEnds(at: RebateRun.utc("2026-12-31T22:59:59"))).isEmpty)
  let settled = try run.periodEnds(at: RebateRun.utc("2026-12-31T23:00:00"))
  #expect(rebateLines(settled) == ["settlement annual volume 2026-01-01: 10000.00 → 200.00"])
}

@Test func aPurchaseDatedInASettledYearCountsInTheOpenYear() throws {
  var run = try RebateRun(file: "p4-wholesale-rebates.perk")
  _ = try run.buy("10000.00", on: "2026-06-01 09:00")
  _ = try run.periodEnds(through: "2027-01-02 00:00")
  let late = try run.buy("500.00", on: "2026-12-30 09:00")
  #expect(rebateLines(late.awards) == ["accrual annual volume 2027-01-01: 500.00 → 0.00"])
}

@Test func settlementRoundsHalfEvenToTheCentOnThePeriodTotal() throws {
  // 3.5% of €50,001.00 = €1,750.035 → €1,750.04 (to even); of €50,003.00 = €1,750.105 → €1,750.10.
  var up = try RebateRun(file: "p4-wholesale-rebates.perk")
  let a = try up.buy("50001.00", on: "2026-06-01 09:00")
  #expect(rebateLines(a.awards) == ["accrual annual volume 2026-01-01: 50001.00 → 1750.04"])
  #expect(rebateTexts(a.awards).first?.contains("= €1750.035 rounded half even") == true)
  var down = try RebateRun(file: "p4-wholesale-rebates.perk")
  let b = try down.buy("50003.00", on: "2026-06-01 09:00")
  #expect(rebateLines(b.awards) == ["accrual annual volume 2026-01-01: 50003.00 → 1750.10"])
}

// MARK: - Incremental, fiscal years, filters, leap years

private let incremental = """
  program "Incremental"
    currency EUR
    timezone Europe/Warsaw

  rebate tiered volume
    measure net spend on category beverages per calendar quarter
    incremental
      below €10,000    0%
      from  €10,000    2%
      from  €50,000    3.5%
    settle at end of year
    statement at end of month
  """

@Test func incrementalBracketsPayEachSliceAtItsOwnRate() throws {
  var run = try RebateRun(source: incremental)
  let outcome = try run.buy("60000.00", on: "2026-02-01 09:00", category: "beverages")
  // 0% of €10,000 + 2% of €40,000 + 3.5% of €10,000 = €1,150.00.
  #expect(rebateLines(outcome.awards) == ["accrual tiered volume 2026-01-01: 60000.00 → 1150.00"])
  #expect(rebateTexts(outcome.awards) == [
    "€60,000.00 net spend in 2026 Q1: accrued €1,150.00 so far = €1,150.00 (incremental, 3.5% above €50,000.00)",
  ])
  // Other categories do not count.
  let other = try run.buy("999.00", on: "2026-02-02 09:00", category: "snacks")
  #expect(rebateLines(other.awards).isEmpty)
  // Quarters are settled together at year end; monthly statements until then.
  let april = try run.buy("20000.00", on: "2026-04-15 09:00", category: "beverages")
  #expect(rebateLines(april.awards) == [
    "statement tiered volume 2026-01-01: 60000.00 → 1150.00",
    "statement tiered volume 2026-01-01: 60000.00 → 1150.00",
    "accrual tiered volume 2026-04-01: 20000.00 → 200.00",
  ])
  let ends = try run.periodEnds(through: "2027-01-01 00:00")
  #expect(rebateLines(ends).filter { $0.hasPrefix("settlement") } == [
    "settlement tiered volume 2026-01-01: 60000.00 → 1150.00",
    "settlement tiered volume 2026-04-01: 20000.00 → 200.00",
  ])
  // Q1 gets a statement at each month end from February (its first month with volume) to November
  // (two came with the April purchase); December's end is the settlement.
  #expect(rebateLines(ends).filter { $0.hasPrefix("statement") && $0.contains("2026-01-01") }.count == 8)
}

private let fiscal = """
  program "Fiscal"
    currency EUR
    timezone Europe/Warsaw

  rebate fiscal volume
    measure net spend per fiscal year starting March 1
    retroactive
      from €1,000   1%
    settle at end of year
    statement at end of quarter
  """

@Test func fiscalYearStartingMarchFirstEndsOnTheLeapDay() throws {
  var run = try RebateRun(source: fiscal)
  let leapDay = try run.buy("1000.00", on: "2028-02-29 12:00")
  #expect(rebateLines(leapDay.awards) == ["accrual fiscal volume 2027-03-01: 1000.00 → 10.00"])
  #expect(rebateTexts(leapDay.awards) == [
    "€1,000.00 net spend in 2027-03-01 to 2028-02-29: accrued €10.00 so far = 1% of €1,000.00 (retroactive, from €1,000.00)",
  ])
  // Local midnight on 1 March ends the fiscal year that held the leap day.
  let march = try run.buy("1000.00", on: "2028-03-01 00:00")
  #expect(rebateLines(march.awards) == [
    "settlement fiscal volume 2027-03-01: 1000.00 → 10.00",
    "accrual fiscal volume 2028-03-01: 1000.00 → 10.00",
  ])
}

@Test func fiscalQuartersFollowTheFiscalYear() throws {
  let spec = try RebateRun(source: fiscal).program.rebates[0]
  func start(_ iso: String, _ months: Int) -> String { spec.periodStart(of: LocalDate(iso: iso)!, months: months).description }
  #expect(start("2026-02-28", 12) == "2025-03-01")
  #expect(start("2026-03-01", 12) == "2026-03-01")
  #expect(start("2026-05-31", 3) == "2026-03-01")
  #expect(start("2026-06-01", 3) == "2026-06-01")
  #expect(start("2027-01-15", 3) == "2026-12-01")
  #expect(spec.settlementDay(ofPeriodStartingAt: LocalDate(iso: "2027-03-01")!).description == "2028-03-01")
  #expect(spec.periodLabel(startingAt: LocalDate(iso: "2026-06-01")!, months: 3) == "2026-06-01 to 2026-08-31")
}

@Test func calendarPeriodsAndLabels() throws {
  let spec = try RebateRun(source: incremental).program.rebates[0]
  func start(_ iso: String, _ months: Int) -> String { spec.periodStart(of: LocalDate(iso: iso)!, months: months).description }
  #expect(start("2026-12-31", 3) == "2026-10-01")
  #expect(start("2026-01-01", 12) == "2026-01-01")
  #expect(start("1969-12-31", 1) == "1969-12-01")
  #expect(spec.periodLabel(startingAt: LocalDate(iso: "2026-10-01")!, months: 3) == "2026 Q4")
  #expect(spec.periodLabel(startingAt: LocalDate(iso: "2026-10-01")!, months: 1) == "2026-10")
  #expect(spec.settlementDay(ofPeriodStartingAt: LocalDate(iso: "2026-04-01")!).description == "2027-01-01")
}

@Test func rebateStateSurvivesJSON() throws {
  var run = try RebateRun(file: "p4-wholesale-rebates.perk", customer: distributor)
  _ = try run.buy("12000.00", on: "2026-06-01 09:00", id: "A")
  _ = try run.periodEnds(through: "2026-07-01 00:00")
  let data = try JSONEncoder().encode(run.state)
  #expect(try JSONDecoder().decode(AccountState.self, from: data) == run.state)
}

@Test func theTillShowsTheNextBracketAndTheSettlementDay() throws {
  var run = try RebateRun(file: "p4-wholesale-rebates.perk", customer: distributor)
  let outcome = try run.buy("1000.00", units: 4, on: "2026-03-10 10:00")
  #expect(outcome.nearMisses.filter { $0.kind == .rebateBracket }.map(\.text) == [
    "€6,000.00 more net spend in 2026 to 2% on annual volume",
  ])
  #expect(outcome.nearMisses.first { $0.kind == .rebateBracket }?.missing == 600_000)
  #expect(outcome.facts.filter { $0.kind == .rebateSettlement }.map(\.text) == [
    "annual volume for 2026 settles on 2027-01-01: €0.00 accrued so far",
    "distributor growth for 2026 settles on 2027-01-01: €0.00 accrued so far",
  ])
  let above = try run.buy("1000.00", units: 50, on: "2026-04-10 10:00")
  // Above the last bracket there is nothing to reach.
  #expect(above.nearMisses.filter { $0.kind == .rebateBracket }.isEmpty)
  #expect(above.facts.first { $0.kind == .rebateSettlement }?.text == "annual volume for 2026 settles on 2027-01-01: €1,890.00 accrued so far")
}

@Test func aReturnOfAnyQuarterSettledAtYearEndReducesTheOpenQuarter() throws {
  var run = try RebateRun(source: incremental)
  _ = try run.buy("1000.00", units: 30, on: "2026-08-10 09:00", category: "beverages", id: "Q3")
  _ = try run.buy("1000.00", units: 5, on: "2026-11-10 09:00", category: "beverages", id: "Q4")
  let january = try run.buy("1000.00", units: 20, on: "2027-01-05 09:00", category: "beverages", id: "J")
  #expect(rebateLines(january.awards).filter { $0.hasPrefix("settlement") } == [
    "settlement tiered volume 2026-07-01: 30000.00 → 400.00",
    "settlement tiered volume 2026-10-01: 5000.00 → 0.00",
  ])
  #expect(rebateLines(january.awards).last == "accrual tiered volume 2027-01-01: 20000.00 → 200.00")
  // Q3 was settled with Q4 at year end: its return reduces the open quarter.
  let back = try run.giveBack(5, of: "Q3", on: "2027-01-20 09:00", category: "beverages")
  #expect(rebateLines(back.awards) == ["accrual tiered volume 2027-01-01: 15000.00 → 100.00"])
}

private let dealWithRebate = """
  program "Deals"
    currency EUR
    timezone Europe/Warsaw

  rule snacks buy 3 pay 2
    on purchase
    buy 3 in category snacks pay for 2

  rebate all volume
    measure net spend per calendar year
    retroactive
      from €0 10%

  rebate snack volume
    measure net spend on category snacks per calendar year
    retroactive
      from €0 10%
  """

@Test func aReturnThatUndoesADealReducesVolumeByTheRefund() throws {
  var run = try RebateRun(source: dealWithRebate)
  let outcome = try run.buy("10.00", units: 3, on: "2026-03-02 10:00", category: "snacks", id: "S")
  // 3 × €10.00 with one free: €20.00 paid counts.
  #expect(rebateLines(outcome.awards) == [
    "accrual all volume 2026-01-01: 20.00 → 2.00",
    "accrual snack volume 2026-01-01: 20.00 → 2.00",
  ])
  let back = try run.giveBack(1, of: "S", on: "2026-03-03 10:00", category: "snacks")
  // Two units kept no longer make a group of three: both are paid, so the refund is €0.00 and
  // the volume stays €20.00 for both rebates.
  #expect(back.refunded?.minorUnits == 0)
  #expect(run.state.rebates["all volume"]?.slices.map(\.volume) == [2_000])
  #expect(run.state.rebates["snack volume"]?.slices.map(\.volume) == [2_000])
  let rest = try run.giveBack(2, of: "S", on: "2026-03-04 10:00", category: "snacks")
  #expect(rest.refunded?.minorUnits == 2_000)
  #expect(rebateLines(rest.awards) == [
    "accrual all volume 2026-01-01: 0.00 → 0.00",
    "accrual snack volume 2026-01-01: 0.00 → 0.00",
  ])
}

@Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
func randomPurchasesAndReturnsSettleWhatAHandComputationGives(seed: UInt64) throws {
  var generator = SeededGenerator(state: seed)
  var run = try RebateRun(file: "p4-wholesale-rebates.perk")
  // The hand computation: volume per year in cents; returns of a settled year count in the open year.
  var volume: [Int: Int64] = [:]
  var open: [String: (year: Int, units: Int64, price: Int64)] = [:]
  var settledThrough = 2025
  var day = LocalDate(iso: "2026-01-01")!
  var paid: [Int: Int64] = [:]
  func expected(_ v: Int64) -> Int64 {
    let counted = max(0, v)
    let rate: Int64 = counted >= 5_000_000 ? 35 : counted >= 1_000_000 ? 20 : 0
    return RoundingMode.halfEven.divide(Int128(counted) * Int128(rate), by: 1000) ?? -1
  }
  var returns = 0
  var returnsAfterSettlement = 0
  var settlements: [Int: Int64] = [:]
  func collect(_ awards: [Award]) {
    for award in awards {
      if case .rebate(let r) = award.kind, r.phase == .settlement { settlements[r.periodStart.components.year] = r.amount.minorUnits }
    }
  }
  while true {
    day = day.adding(days: Int64.random(in: 1...12, using: &generator))
    guard day < LocalDate(iso: "2028-01-01")! else { break }
    let year = day.components.year
    // Period ends up to this day come first (the event runs them): settle finished years.
    while settledThrough + 1 < year {
      settledThrough += 1
      paid[settledThrough] = expected(volume[settledThrough] ?? 0)
    }
    if Bool.random(using: &generator) || open.isEmpty {
      let units = Int64.random(in: 1...20, using: &generator)
      let price = Int64.random(in: 10_000...500_000, using: &generator)
      let id = "P\(run.count + 1)"
      collect(try run.buy(Money(minorUnits: price, currency: run.program.currency).decimalString, units: units,
                          at: run.local("\(day) 11:00"), id: id).awards)
      volume[year, default: 0] += units * price
      open[id] = (year, units, price)
    } else {
      let id = open.keys.sorted()[Int.random(in: 0..<open.count, using: &generator)]
      guard let original = open[id] else { continue }
      let units = Int64.random(in: 1...original.units, using: &generator)
      let outcome = try run.giveBack(units, of: id, on: "\(day) 12:00")
      collect(outcome.awards)
      if outcome.rejection != nil { open[id] = nil; continue }  // older than the return window
      returns += 1
      if original.year <= settledThrough { returnsAfterSettlement += 1 }
      let target = original.year > settledThrough ? original.year : year
      volume[target, default: 0] -= units * original.price
      open[id] = units == original.units ? nil : (original.year, original.units - units, original.price)
    }
  }
  collect(try run.periodEnds(through: "2028-01-01 00:00"))
  paid[2027] = expected(volume[2027] ?? 0)
  #expect(returns > 5)
  #expect(returnsAfterSettlement > 0)
  #expect(settlements[2026] == paid[2026])
  #expect(settlements[2027] == paid[2027])
  #expect(run.state.rebates["annual volume"]?.lastSettled?.volume == volume[2027])
}

/// A rebate measured with a negated filter: a returned counted line reduces the volume, a
/// returned excluded line reduces nothing (the return path used a match that ignored `not`).
@Test func aReturnReducesTheVolumeOfANegatedFilterExactlyAsPurchasesCount() throws {
  var run = try RebateRun(source: """
    program "Freight Excluded"
      currency EUR
      timezone Europe/Warsaw

    rebate annual volume
      measure net spend not in category freight per calendar year
      retroactive
        below €10,000    0%
        from  €10,000    2%
      settle at end of year

    """)
  _ = try run.buy("6000.00", units: 2, on: "2026-03-02 10:00", category: "goods", id: "G")
  let freight = try run.buy("500.00", on: "2026-03-03 10:00", category: "freight", id: "F")
  #expect(rebateLines(freight.awards) == [])
  let goodsBack = try run.giveBack(1, of: "G", on: "2026-03-04 10:00", category: "goods")
  #expect(rebateLines(goodsBack.awards) == ["accrual annual volume 2026-01-01: 6000.00 → 0.00"])
  let freightBack = try run.giveBack(1, of: "F", on: "2026-03-05 10:00", category: "freight")
  #expect(rebateLines(freightBack.awards) == [])
  #expect(run.state.rebates["annual volume"]?.purchases["G"]?.amount == 600_000)
}
