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

// MARK: - A keep date that ends between events

@Test func aKeptTierLapsesAtTheAdvancePastItsKeepDate() throws {
  let p = program(nil, keep: .forMonths(12))
  let customer = Customer(id: "x")
  let big = try p.evaluate(buy("A", at(2026, 1, 15), 100_000), customer: customer, state: AccountState())
  #expect(big.state.tierKeptUntil["gold"] == LocalDate(year: 2027, month: 1, day: 15))
  // Kept through 2027-01-15, that day included, though the spend left the window on that day.
  let kept = try p.advance(to: at(2027, 1, 15), customer: customer, state: big.state)
  #expect(changes(kept).isEmpty)
  #expect(kept.state.tier == "gold")
  // 05:00 UTC on 2027-01-16 is just after local midnight: the keep ended with 2027-01-15.
  let lapsed = try p.advance(to: at(2027, 1, 16, hour: 5), customer: customer, state: kept.state)
  #expect(changes(lapsed) == ["gold->bronze"])
  #expect(lapsed.awards.first?.explanation == "gold → bronze when the keep ended on 2027-01-15: $0.00 spent and 0 visits in the tier window")
  #expect(lapsed.state.tier == "bronze")
  #expect(lapsed.tierBefore == "gold")
  #expect(lapsed.tierAfter == "bronze")
  // The keep dates are left as they were: the next event reaches levels as it always did.
  #expect(lapsed.state.tierKeptUntil == big.state.tierKeptUntil)
  let again = try p.advance(to: at(2027, 3, 1), customer: customer, state: lapsed.state)
  #expect(changes(again).isEmpty)
}

@Test func thirteenQuietMonthsThenOneAdvanceLowersTheTier() throws {
  let p = program(nil, keep: .forMonths(12))
  let customer = Customer(id: "x")
  let big = try p.evaluate(buy("A", at(2026, 1, 15), 100_000), customer: customer, state: AccountState())
  let advanced = try p.advance(to: at(2027, 2, 15), customer: customer, state: big.state)
  #expect(changes(advanced) == ["gold->bronze"])
  #expect(advanced.state.tier == "bronze")
  // The same on an account, as `perk sim` and the batch form advance it.
  var account = p.account(big.state)
  let inPlace = try p.advance(to: at(2027, 2, 15), customer: customer, account: &account, options: .full)
  #expect(changes(inPlace) == ["gold->bronze"])
  #expect(p.state(of: account) == advanced.state)
}

@Test func anEventAfterTheKeepDateSeesTheLapseFirst() throws {
  let p = program(nil, keep: .forMonths(12))
  let customer = Customer(id: "x")
  let big = try p.evaluate(buy("A", at(2026, 1, 15), 100_000), customer: customer, state: AccountState())
  // Without an advance in between, the event's own period ends lower the tier before it earns.
  let small = try p.evaluate(buy("B", at(2027, 2, 1), 1_000), customer: customer, state: big.state)
  #expect(changes(small) == ["gold->bronze"])
  #expect(small.earned == ["stars": 10])
  #expect(small.state.tier == "bronze")
  // A purchase that reaches gold again: the lapse, then the new reach.
  let back = try p.evaluate(buy("C", at(2027, 2, 1), 100_000), customer: customer, state: big.state)
  #expect(changes(back) == ["gold->bronze", "bronze->gold"])
  #expect(back.state.tier == "gold")
  // An advance first, then the event: the same state as the event alone.
  let advanced = try p.advance(to: at(2027, 2, 1, hour: 5), customer: customer, state: big.state)
  let after = try p.evaluate(buy("C", at(2027, 2, 1), 100_000), customer: customer, state: advanced.state)
  #expect(changes(after) == ["bronze->gold"])
  #expect(after.state == back.state)
}

@Test func aScheduledReviewKeepsTheTierPastTheKeepDate() throws {
  let p = program(TierSpec.Review(schedule: .year, atMostOneLevel: false), keep: .forMonths(12))
  let customer = Customer(id: "x")
  let big = try p.evaluate(buy("A", at(2026, 1, 15), 100_000), customer: customer, state: AccountState())
  // The stored tier is a floor until the 2028-01-01 review.
  let lapsed = try p.advance(to: at(2027, 2, 15), customer: customer, state: big.state)
  #expect(changes(lapsed).isEmpty)
  #expect(lapsed.state.tier == "gold")
}

@Test func quietUntilWakesForTheEndOfAKeep() throws {
  let p = program(nil, keep: .forMonths(12))
  let customer = Customer(id: "x")
  var account = p.account()
  var budgets = BudgetLedger()
  _ = try p.evaluate(buy("A", at(2026, 1, 15), 100_000), customer: customer, account: &account, budgets: &budgets, options: .full)
  #expect(p.quietUntil(customer: customer, account: account) == LocalDate(year: 2027, month: 1, day: 16))
  _ = try p.advance(to: at(2027, 1, 16, hour: 5), customer: customer, account: &account, options: .full)
  // Nothing else is due: the quiet stretch runs to the longest gap an advance walks.
  #expect(p.quietUntil(customer: customer, account: account) == LocalDate(year: 2027, month: 1, day: 16)!.adding(days: 36_525 - 31))
}
