import Testing
import PerkSource
@testable import PerkRuntime

// Phase-order tests on a small hand-built program: replaces, multipliers, vouchers,
// calendar limits and tier changes, each with exact expected awards.

private let money = Currency.named("USD")!
private func cents(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: money) }
private let here = SourceLocation(path: "phases.perk", line: 1, column: 1, offset: 0)

private func phases(keep: TierSpec.Keep = .qualifiedOnly) -> Program {
  let tuesday: Condition = { $0.weekday == 2 }
  let birthday: Condition = { context in
    guard let month = context.birthdayMonth else { return false }
    return month == context.month
  }
  return Program(
    name: "Phases", currency: money, timeZone: ProgramTimeZone(identifier: "America/New_York")!,
    points: [PointsSpec(name: "stars", worthMinor: ExactDecimal(significand: 1, scale: 0), rounding: .down)],
    tiers: TierSpec(measure: .spend, window: 0, levels: [
      .init(name: "green", spendMinor: 0, visits: nil, multiplier: .one),
      .init(name: "gold", spendMinor: 50_000, visits: nil, multiplier: ExactDecimal(significand: 15, scale: 1)),
    ], keep: keep, location: here),
    cards: [],
    rules: [
      RuleSpec(name: "base earn", location: here, trigger: .purchase, condition: nil,
               effects: [.earn(rate: ExactDecimal(significand: 2, scale: 0), currency: 0,
                               basis: .perSpend(perMinor: 100, whole: false, filter: nil))],
               limits: [], replaces: nil),
      RuleSpec(name: "pastry triple", location: here, trigger: .purchase, condition: nil,
               effects: [.earn(rate: ExactDecimal(significand: 6, scale: 0), currency: 0,
                               basis: .perSpend(perMinor: 100, whole: false, filter: 0))],
               limits: [], replaces: 0),
      RuleSpec(name: "double star tuesday", location: here, trigger: .purchase, condition: tuesday,
               effects: [.multiply(currency: 0, factor: ExactDecimal(significand: 2, scale: 0))],
               limits: [], replaces: nil),
      RuleSpec(name: "birthday treat", location: here, trigger: .purchase, condition: birthday,
               effects: [.voucher(name: "Birthday drink", worthMinor: 500, validDays: 30, validMonths: nil)],
               limits: [LimitSpec(count: 1, period: .calendar(.year))], replaces: nil),
    ],
    rewards: [],
    filters: [FilterSpec(field: .category, values: ["pastry"])],
    windows: [.lastMonths(12)])
}

/// 17:00 UTC = noon in New York in winter.
private func at(_ y: Int, _ m: Int, _ d: Int) -> Instant {
  Instant(secondsSince1970: LocalDate(year: y, month: m, day: d)!.dayNumber * 86_400 + 17 * 3600)
}
private func buy(_ id: String, _ time: Instant, _ lines: [LineItem]) -> Event {
  Event(kind: .purchase, id: id, time: time, lines: lines)
}
private func pointAwards(_ outcome: Outcome) -> [String: Int64] {
  var result: [String: Int64] = [:]
  for award in outcome.awards { if case .points(_, let amount, _) = award.kind { result[award.source, default: 0] += amount } }
  return result
}
private let basket = [
  LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: cents(450)),
  LineItem(sku: "croissant", category: "pastry", quantity: 1, unitPrice: cents(300)),
]

@Test func replacesRemovesClaimedLinesFromBaseEarn() throws {
  // Monday 2026-03-02: no multiplier. Base earns on the latte only, pastry triple on the croissant.
  let outcome = try phases().evaluate(buy("R1", at(2026, 3, 2), basket), customer: Customer(id: "c"), state: AccountState())
  #expect(pointAwards(outcome) == ["base earn": 9, "pastry triple": 18])
  #expect(outcome.state.balances["stars"] == 27)
}

@Test func multipliersComposeWithEveryEarnAward() throws {
  // Tuesday 2026-03-03: every earn of stars is doubled.
  let outcome = try phases().evaluate(buy("R2", at(2026, 3, 3), basket), customer: Customer(id: "c"), state: AccountState())
  #expect(pointAwards(outcome) == ["base earn": 18, "pastry triple": 36])
}

@Test func birthdayVoucherOncePerCalendarYear() throws {
  let program = phases()
  let customer = Customer(id: "c", birthday: LocalDate(year: 1990, month: 3, day: 14))
  let first = try program.evaluate(buy("V1", at(2026, 3, 2), basket), customer: customer, state: AccountState())
  let vouchers = first.awards.filter { if case .voucher = $0.kind { true } else { false } }
  #expect(vouchers.map(\.kind) == [.voucher(name: "Birthday drink", value: cents(500), validUntil: LocalDate(year: 2026, month: 4, day: 1))])
  let second = try program.evaluate(buy("V2", at(2026, 3, 20), basket), customer: customer, state: first.state)
  #expect(!second.awards.contains { if case .voucher = $0.kind { true } else { false } })
  let nextYear = try program.evaluate(buy("V3", at(2027, 3, 1), basket), customer: customer, state: second.state)
  #expect(nextYear.awards.contains { if case .voucher = $0.kind { true } else { false } })
}

@Test func reachingGoldIsATierChangeAndEarnsAtTheOldTier() throws {
  let program = phases()
  let big = [LineItem(sku: "machine", category: "retail", quantity: 1, unitPrice: cents(60_000))]
  let outcome = try program.evaluate(buy("G1", at(2026, 3, 2), big), customer: Customer(id: "c"), state: AccountState())
  // Earned at the tier held when the purchase started (green, x1).
  #expect(pointAwards(outcome) == ["base earn": 1200])
  #expect(outcome.awards.contains { $0.kind == .tierChange(from: "green", to: "gold") })
  #expect(outcome.state.tier == "gold")
  // The next purchase earns at gold: 450 × 2 / 100 × 1.5 = 13.5 → 13.
  let next = try program.evaluate(
    buy("G2", at(2026, 3, 9), [LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: cents(450))]),
    customer: Customer(id: "c"), state: outcome.state)
  #expect(pointAwards(next) == ["base earn": 13])
}

@Test func tierLapsesWithoutKeepClauseWhenTheWindowPasses() throws {
  let program = phases()
  let big = [LineItem(sku: "machine", category: "retail", quantity: 1, unitPrice: cents(60_000))]
  let gold = try program.evaluate(buy("L1", at(2025, 1, 6), big), customer: Customer(id: "c"), state: AccountState())
  #expect(gold.state.tier == "gold")
  // More than 12 months later the spend has left the window: earning uses green again.
  let later = try program.evaluate(
    buy("L2", at(2026, 3, 2), [LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: cents(450))]),
    customer: Customer(id: "c"), state: gold.state)
  #expect(pointAwards(later) == ["base earn": 9])
  #expect(later.state.tier == "green")
}

@Test func overflowIsAnErrorNotATrap() {
  let huge = [LineItem(sku: "x", category: "retail", quantity: Int64.max, unitPrice: cents(Int64.max))]
  #expect(throws: EvaluationError.self) {
    _ = try phases().evaluate(buy("O1", at(2026, 3, 2), huge), customer: Customer(id: "c"), state: AccountState())
  }
}
