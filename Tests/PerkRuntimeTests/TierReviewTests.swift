import Testing
import PerkSource
@testable import PerkRuntime

private let usdollar = Currency.named("USD")!
private func c(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: usdollar) }

/// bronze $0, silver $500, gold $1,000 over the last 12 months, with a scheduled review.
private func program(_ review: TierSpec.Review?, keep: TierSpec.Keep = .qualifiedOnly) -> Program {
  var tiers = TierSpec(measure: .spend, window: 0, levels: [
    .init(name: "bronze", spendMinor: 0, visits: nil, multiplier: .one),
    .init(name: "silver", spendMinor: 50_000, visits: nil, multiplier: .one),
    .init(name: "gold", spendMinor: 100_000, visits: nil, multiplier: ExactDecimal(significand: 2, scale: 0)),
  ], keep: keep, location: nil)
  tiers.review = review
  return Program(
    name: "Reviews", currency: usdollar, timeZone: ProgramTimeZone(identifier: "America/New_York")!,
    points: [PointsSpec(name: "stars", worthMinor: ExactDecimal(significand: 1, scale: 0), rounding: .down)],
    tiers: tiers, cards: [],
    rules: [RuleSpec(name: "base", location: nil, trigger: .purchase, condition: nil,
                     effects: [.earn(rate: ExactDecimal(significand: 1, scale: 0), currency: 0,
                                     basis: .perSpend(perMinor: 100, whole: false, filter: nil))],
                     limits: [], replaces: nil)],
    rewards: [], filters: [], windows: [.lastMonths(12)])
}
/// 05:00 UTC: just after local midnight in New York.
private func at(_ y: Int, _ m: Int, _ d: Int, hour: Int64 = 17) -> Instant {
  Instant(secondsSince1970: LocalDate(year: y, month: m, day: d)!.dayNumber * 86_400 + hour * 3600)
}
private func buy(_ id: String, _ t: Instant, _ minor: Int64) -> Event {
  Event(kind: .purchase, id: id, time: t, lines: [LineItem(sku: "x", category: "retail", quantity: 1, unitPrice: c(minor))])
}
private func changes(_ outcome: Outcome) -> [String] {
  outcome.awards.compactMap { if case .tierChange(let from, let to) = $0.kind { "\(from ?? "-")->\(to ?? "-")" } else { nil } }
}

@Test func quarterlyReviewLowersOneLevelAtATime() throws {
  let p = program(TierSpec.Review(schedule: .quarter, atMostOneLevel: true))
  let customer = Customer(id: "x")
  let big = try p.evaluate(buy("A", at(2026, 1, 15), 100_000), customer: customer, state: AccountState())
  #expect(changes(big) == ["bronze->gold"])
  // The spend left the window on 2027-01-15; no review until April.
  let march = try p.advance(to: at(2027, 3, 31), customer: customer, state: big.state)
  #expect(changes(march).isEmpty)
  #expect(march.state.tier == "gold")
  let april = try p.advance(to: at(2027, 4, 1, hour: 5), customer: customer, state: march.state)
  #expect(changes(april) == ["gold->silver"])
  let july = try p.advance(to: at(2027, 7, 1, hour: 5), customer: customer, state: april.state)
  #expect(changes(july) == ["silver->bronze"])
}

@Test func withoutAReviewClauseTheTierFollowsTheMeasureAtEvents() throws {
  let p = program(nil)
  let customer = Customer(id: "x")
  let big = try p.evaluate(buy("A", at(2026, 1, 15), 100_000), customer: customer, state: AccountState())
  let later = try p.evaluate(buy("B", at(2027, 2, 1), 1_000), customer: customer, state: big.state)
  #expect(changes(later) == ["gold->bronze"])
  #expect(later.earned == ["stars": 10])
}

@Test func betweenReviewsAPurchaseEarnsWithTheStoredTier() throws {
  let p = program(TierSpec.Review(schedule: .year, atMostOneLevel: false))
  let customer = Customer(id: "x")
  let big = try p.evaluate(buy("A", at(2026, 1, 15), 100_000), customer: customer, state: AccountState())
  // 2027-02-01: nothing in the window, but gold holds until the 2028-01-01 review: x2.
  let later = try p.evaluate(buy("B", at(2027, 2, 1), 1_000), customer: customer, state: big.state)
  #expect(changes(later).isEmpty)
  #expect(later.earned == ["stars": 20])
  // 2027-01-01's review still saw the 2026 spend (window to 2026-12-31); 2028-01-01's sees $10: straight to bronze.
  let review = try p.advance(to: at(2028, 1, 1, hour: 5), customer: customer, state: later.state)
  #expect(changes(review) == ["gold->bronze"])
}

@Test func anniversaryReviewReadsTheWindowToTheDayBefore() throws {
  let p = program(TierSpec.Review(schedule: .signupAnniversary, atMostOneLevel: false))
  let customer = Customer(id: "x", signupDate: LocalDate(year: 2025, month: 1, day: 15))
  // The 2027-01-15 review reads `last 12 months` to 2027-01-14: 2026-01-15 through 2027-01-14.
  let outside = try p.evaluate(buy("A", at(2026, 1, 14), 100_000), customer: customer, state: AccountState())
  let dropped = try p.advance(to: at(2027, 1, 15, hour: 6), customer: customer, state: outside.state)
  #expect(changes(dropped) == ["gold->bronze"])
  #expect(dropped.state.tier == "bronze")
  let inside = try p.evaluate(buy("A", at(2026, 1, 15), 100_000), customer: customer, state: AccountState())
  let kept = try p.advance(to: at(2027, 1, 15, hour: 6), customer: customer, state: inside.state)
  #expect(changes(kept).isEmpty)
  #expect(kept.state.tier == "gold")
}

@Test func reviewDaysFollowTheCalendarAndTheSignup() {
  let day = LocalDate(year: 2026, month: 2, day: 14)!
  #expect(TierSpec.Review(schedule: .month, atMostOneLevel: true).nextReview(after: day, signup: nil) == LocalDate(year: 2026, month: 3, day: 1))
  #expect(TierSpec.Review(schedule: .quarter, atMostOneLevel: true).nextReview(after: day, signup: nil) == LocalDate(year: 2026, month: 4, day: 1))
  #expect(TierSpec.Review(schedule: .year, atMostOneLevel: true).nextReview(after: day, signup: nil) == LocalDate(year: 2027, month: 1, day: 1))
  let anniversary = TierSpec.Review(schedule: .signupAnniversary, atMostOneLevel: true)
  #expect(anniversary.nextReview(after: day, signup: nil) == nil)
  // A February 29 signup is reviewed on February 28 in common years, never in its own signup year.
  let leap = LocalDate(year: 2024, month: 2, day: 29)!
  #expect(anniversary.nextReview(after: LocalDate(year: 2024, month: 1, day: 1)!, signup: leap) == LocalDate(year: 2025, month: 2, day: 28))
  #expect(anniversary.nextReview(after: LocalDate(year: 2027, month: 3, day: 1)!, signup: leap) == LocalDate(year: 2028, month: 2, day: 29))
  #expect(anniversary.isReview(on: LocalDate(year: 2026, month: 2, day: 28)!, signup: leap))
}
