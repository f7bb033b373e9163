import Testing
import PerkSource
@testable import PerkRuntime

private let usdollar = Currency.named("USD")!
private func c(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: usdollar) }

private func program(keep: TierSpec.Keep, reward: CardSpec.Reward = .cheapestItemFree(filter: 0),
                     collect: CardSpec.Collect = .perItem(count: 1, filter: 0)) -> Program {
  Program(
    name: "Keep", currency: usdollar, timeZone: ProgramTimeZone(identifier: "America/New_York")!,
    points: [PointsSpec(name: "stars", worthMinor: ExactDecimal(significand: 1, scale: 0), rounding: .down)],
    tiers: TierSpec(measure: .spend, window: 0, levels: [
      .init(name: "green", spendMinor: 0, visits: nil, multiplier: .one),
      .init(name: "gold", spendMinor: 50_000, visits: nil, multiplier: ExactDecimal(significand: 15, scale: 1)),
    ], keep: keep, location: nil),
    cards: [CardSpec(name: "card", collect: collect, every: 3, reward: reward, location: nil)],
    rules: [RuleSpec(name: "base", location: nil, trigger: .purchase, condition: nil,
                     effects: [.earn(rate: ExactDecimal(significand: 1, scale: 0), currency: 0,
                                     basis: .perSpend(perMinor: 100, whole: false, filter: nil))],
                     limits: [], replaces: nil)],
    rewards: [], filters: [FilterSpec(field: .category, values: ["coffee"])], windows: [.lastMonths(12)])
}
private func at(_ y: Int, _ m: Int, _ d: Int) -> Instant {
  Instant(secondsSince1970: LocalDate(year: y, month: m, day: d)!.dayNumber * 86_400 + 17 * 3600)
}
private func buy(_ id: String, _ t: Instant, _ lines: [LineItem]) -> Event { Event(kind: .purchase, id: id, time: t, lines: lines) }

@Test func tierChangeAwardNamesBothLevels() throws {
  let outcome = try program(keep: .qualifiedOnly).evaluate(
    buy("A", at(2026, 3, 2), [LineItem(sku: "m", category: "retail", quantity: 1, unitPrice: c(50_000))]),
    customer: Customer(id: "x"), state: AccountState())
  let changes = outcome.awards.compactMap { if case .tierChange(let from, let to) = $0.kind { "\(from ?? "-")->\(to ?? "-")" } else { nil } }
  #expect(changes == ["green->gold"])
  #expect(outcome.tierBefore == "green" && outcome.tierAfter == "gold")
  #expect(outcome.earned == ["stars": 500])
}

@Test func keepForTwelveMonthsOutlastsTheWindow() throws {
  let p = program(keep: .forMonths(12))
  let big = try p.evaluate(buy("A", at(2025, 6, 2), [LineItem(sku: "m", category: "retail", quantity: 1, unitPrice: c(50_000))]),
                           customer: Customer(id: "x"), state: AccountState())
  #expect(big.state.tier == "gold")
  // 2026-06-01: the spend is still in the window. 2026-06-02 is the last kept day; 2026-06-03 it lapses.
  let kept = try p.evaluate(buy("B", at(2026, 6, 2), [LineItem(sku: "l", category: "coffee", quantity: 1, unitPrice: c(1000))]),
                            customer: Customer(id: "x"), state: big.state)
  let keptPoints = kept.awards.compactMap { if case .points(_, let n, _) = $0.kind { n } else { nil } }
  #expect(keptPoints == [15])
  let lapsed = try p.evaluate(buy("C", at(2026, 6, 10), [LineItem(sku: "l", category: "coffee", quantity: 1, unitPrice: c(1000))]),
                              customer: Customer(id: "x"), state: kept.state)
  let lapsedPoints = lapsed.awards.compactMap { if case .points(_, let n, _) = $0.kind { n } else { nil } }
  #expect(lapsedPoints == [10])
}

@Test func mostExpensiveQualifyingUnitIsFree() throws {
  let p = program(keep: .qualifiedOnly, reward: .mostExpensiveItemFree(filter: 0))
  let outcome = try p.evaluate(buy("A", at(2026, 3, 2), [
    LineItem(sku: "espresso", category: "coffee", quantity: 2, unitPrice: c(300)),
    LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: c(500)),
    LineItem(sku: "cake", category: "pastry", quantity: 1, unitPrice: c(900)),
  ]), customer: Customer(id: "x"), state: AccountState())
  #expect(outcome.awards.contains { $0.kind == .freeItem(sku: "latte", value: c(500)) })
  #expect(outcome.state.stamps["card"] == 0)
  // Paid: 600 + 900 = 1500 → 15 stars.
  let earned = outcome.awards.compactMap { if case .points(_, let n, _) = $0.kind { n } else { nil } }
  #expect(earned == [15])
}

@Test func perVisitStampsCountOncePerPurchase() throws {
  let p = program(keep: .qualifiedOnly, reward: .cheapestItemFree(filter: nil), collect: .perVisit(count: 1))
  let outcome = try p.evaluate(buy("A", at(2026, 3, 2), [LineItem(sku: "l", category: "coffee", quantity: 4, unitPrice: c(300))]),
                               customer: Customer(id: "x"), state: AccountState())
  #expect(outcome.state.stamps["card"] == 1)
}
