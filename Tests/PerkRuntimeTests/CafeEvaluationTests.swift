import Testing
import PerkSource
@testable import PerkRuntime

/// The café program of the brief, built by hand through the package initialisers.
private func cafe() -> Program {
  let usd = Currency.named("USD")!
  let location = SourceLocation(path: "cafe.perk", line: 20, column: 1, offset: 0)
  let welcome: Condition = { context in
    guard let days = context.daysSinceLastPurchase else { return false }
    return days >= 90 && context.basketTotal(filter: nil) >= 2000
  }
  return Program(
    name: "Bean & Leaf Rewards", currency: usd, timeZone: ProgramTimeZone(identifier: "America/New_York")!,
    points: [PointsSpec(name: "stars", worthMinor: ExactDecimal(significand: 1, scale: 0), rounding: .down)],
    tiers: TierSpec(measure: .spend, window: 0, levels: [
      .init(name: "green", spendMinor: 0, visits: nil, multiplier: .one),
      .init(name: "gold", spendMinor: 50_000, visits: nil, multiplier: ExactDecimal(significand: 15, scale: 1)),
      .init(name: "reserve", spendMinor: 150_000, visits: nil, multiplier: ExactDecimal(significand: 2, scale: 0)),
    ], keep: .untilNextAnniversary, location: nil),
    cards: [CardSpec(name: "coffee card", collect: .perItem(count: 1, filter: 0), every: 10,
                     reward: .cheapestItemFree(filter: 0), location: nil)],
    rules: [
      RuleSpec(name: "base earn", location: location, trigger: .purchase, condition: nil,
               effects: [.earn(rate: ExactDecimal(significand: 2, scale: 0), currency: 0,
                               basis: .perSpend(perMinor: 100, whole: false, filter: nil))],
               limits: [], replaces: nil),
      RuleSpec(name: "welcome back", location: location, trigger: .purchase, condition: welcome,
               effects: [.earn(rate: ExactDecimal(significand: 200, scale: 0), currency: 0, basis: .flat)],
               limits: [LimitSpec(count: 1, period: .rollingDays(365))], replaces: nil),
    ],
    rewards: [RewardSpec(name: "free drink", cost: 150, currency: 0, worthMinor: 500)],
    filters: [FilterSpec(field: .category, values: ["coffee", "tea"])],
    windows: [.lastMonths(12)])
}

private let dollars = Currency.named("USD")!
private func price(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: dollars) }
/// Noon in New York on a given date (EST, UTC-5, for the dates used here).
private func noon(_ year: Int, _ month: Int, _ day: Int) -> Instant {
  Instant(secondsSince1970: LocalDate(year: year, month: month, day: day)!.dayNumber * 86_400 + 17 * 3600)
}
private func purchase(_ id: String, _ time: Instant, _ lines: [LineItem]) -> Event {
  Event(kind: .purchase, id: id, time: time, lines: lines)
}
private func points(_ outcome: Outcome) -> [Int64] {
  outcome.awards.compactMap { if case .points(_, let amount, _) = $0.kind { amount } else { nil } }
}

@Test func baseEarnAndStamps() throws {
  let program = cafe()
  let alice = Customer(id: "alice")
  let outcome = try program.evaluate(
    purchase("T1", noon(2026, 3, 3), [LineItem(sku: "latte", category: "coffee", quantity: 2, unitPrice: price(450))]),
    customer: alice, state: AccountState())
  #expect(!outcome.duplicate)
  #expect(points(outcome) == [18])
  #expect(outcome.state.balances["stars"] == 18)
  #expect(outcome.state.stamps["coffee card"] == 2)
  #expect(outcome.state.purchaseCount == 1)
  #expect(outcome.awards.contains { $0.kind == .stamps(card: "coffee card", count: 2) })
  #expect(outcome.awards.first { $0.source == "base earn" }?.explanation == "$9.00 spent × 2 stars per $1.00 = 18 stars")
}

@Test func tenthLatteIsFree() throws {
  let program = cafe()
  var state = AccountState()
  state.stamps["coffee card"] = 9
  let outcome = try program.evaluate(
    purchase("T2", noon(2026, 3, 4), [LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: price(450))]),
    customer: Customer(id: "alice"), state: state)
  #expect(outcome.awards.contains { $0.kind == .freeItem(sku: "latte", value: price(450)) })
  #expect(outcome.state.stamps["coffee card"] == 0)
  #expect(points(outcome) == [])
  #expect(outcome.state.balances["stars", default: 0] == 0)
}

@Test func goldMultiplier() throws {
  let program = cafe()
  var state = AccountState()
  state.tier = "gold"
  state.tierKeptUntil = ["green": LocalDate(year: 2027, month: 1, day: 10)!, "gold": LocalDate(year: 2027, month: 1, day: 10)!]
  let outcome = try program.evaluate(
    purchase("T3", noon(2026, 3, 3), [LineItem(sku: "muffin", category: "pastry", quantity: 1, unitPrice: price(450))]),
    customer: Customer(id: "alice", signupDate: LocalDate(year: 2025, month: 1, day: 10)), state: state)
  #expect(points(outcome) == [13])
  let award = try #require(outcome.awards.first { if case .points = $0.kind { true } else { false } })
  #expect(award.explanation == "$4.50 spent × 2 stars per $1.00 × 1.5 (tier gold) = 13.5 → 13 stars (round down)")
}

@Test func welcomeBackOncePer365Days() throws {
  let program = cafe()
  let alice = Customer(id: "alice")
  let big = [LineItem(sku: "beans", category: "retail", quantity: 1, unitPrice: price(2500))]
  var state = try program.evaluate(purchase("A", noon(2025, 1, 2), big), customer: alice, state: AccountState()).state
  let first = try program.evaluate(purchase("B", noon(2025, 6, 1), big), customer: alice, state: state)
  #expect(points(first) == [50, 200])
  state = first.state
  let second = try program.evaluate(purchase("C", noon(2025, 10, 1), big), customer: alice, state: state)
  #expect(points(second) == [50])
  state = second.state
  let third = try program.evaluate(purchase("D", noon(2026, 7, 1), big), customer: alice, state: state)
  #expect(points(third) == [50, 200])
}

@Test func duplicateTransactionPaysNothing() throws {
  let program = cafe()
  let event = purchase("T9", noon(2026, 3, 3), [LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: price(450))])
  let once = try program.evaluate(event, customer: Customer(id: "alice"), state: AccountState())
  let twice = try program.evaluate(event, customer: Customer(id: "alice"), state: once.state)
  #expect(twice.duplicate)
  #expect(twice.awards.isEmpty)
  #expect(twice.state == once.state)
}

@Test func describesTheCafeProgram() {
  #expect(cafe().describe() == """
    program "Bean & Leaf Rewards" currency USD timezone America/New_York
    window 0: lastMonths(12)
    points stars worth 1 minor, round down
    tiers by spend over window 0, keep untilNextAnniversary
      green from spend $0.00 earn x1
      gold from spend $500.00 earn x1.5
      reserve from spend $1,500.00 earn x2
    stamps coffee card: collect 1 per item in category coffee, tea; every 10: cheapest item in category coffee, tea is free
    rule base earn on purchase
      earn 2 stars per $1.00 on all
    rule welcome back on purchase when <condition>
      earn 200 stars
      at most 1 per rollingDays(365)
    reward free drink costs 150 stars, worth $5.00

    """)
}

@Test func resolvesSymbolsAgainstTheProgramCurrency() {
  #expect(Currency.resolving(symbol: "$", programCurrency: Currency.named("CAD"))?.code == "CAD")
  #expect(Currency.resolving(symbol: "$", programCurrency: Currency.named("EUR"))?.code == "USD")
  #expect(Currency.resolving(symbol: "€", programCurrency: nil)?.code == "EUR")
  #expect(Currency.resolving(symbol: "£", programCurrency: Currency.named("USD"))?.code == "GBP")
  #expect(Currency.resolving(symbol: "¥", programCurrency: Currency.named("CNY"))?.code == "CNY")
  #expect(Currency.resolving(symbol: "¥", programCurrency: nil)?.code == "JPY")
  #expect(Currency.resolving(symbol: "¤", programCurrency: nil) == nil)
}
