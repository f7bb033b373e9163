import Foundation
import Testing
import PerkSource
@testable import PerkRuntime

/// A P9-shaped program built by hand: 1 star per $1, expiring at the end of the 12th month
/// after the earning month, closest to expiry spent first, a coffee card of 8.
func pointsProgram(expiry: ExpirySpec? = .endOfMonthAfter(12), order: SpendOrder = .closestToExpiryFirst,
                   hold: Int64 = 0, allowNegative: Bool = false, bonus: Int64? = nil, zone: String = "America/New_York",
                   returns: ReturnPolicy = .recompute, bonusReturns: ReturnPolicy? = nil,
                   keepsStampsOnReturn: Bool = false) -> Program {
  let usd = Currency.named("USD")!
  var rules = [RuleSpec(name: "base earn", location: nil, trigger: .purchase, condition: nil,
                        effects: [.earn(rate: ExactDecimal(significand: 1, scale: 0), currency: 0,
                                        basis: .perSpend(perMinor: 100, whole: false, filter: nil))],
                        limits: [], replaces: nil)]
  if let bonus {
    rules.append(RuleSpec(name: "big basket", location: nil, trigger: .purchase,
                          condition: { $0.basketTotal(filter: nil) >= 5000 },
                          effects: [.earn(rate: ExactDecimal(significand: bonus, scale: 0), currency: 0, basis: .flat)],
                          limits: [], replaces: nil))
  }
  for index in rules.indices { rules[index].returnPolicy = index == 1 ? bonusReturns ?? returns : returns }
  return Program(
    name: "Points", currency: usd, timeZone: ProgramTimeZone(identifier: zone)!,
    points: [PointsSpec(name: "stars", worthMinor: ExactDecimal(significand: 1, scale: 0), rounding: .down,
                        expiry: expiry, spendOrder: order, holdDays: hold, allowNegative: allowNegative)],
    tiers: nil,
    cards: [CardSpec(name: "coffee card", collect: .perItem(count: 1, filter: 0), every: 8,
                     reward: .cheapestItemFree(filter: 0), location: nil, keepsStampsOnReturn: keepsStampsOnReturn)],
    rules: rules,
    rewards: [RewardSpec(name: "free drink", cost: 150, currency: 0, worthMinor: 500),
              RewardSpec(name: "tote bag", cost: 400, currency: 0, worthMinor: 1500)],
    filters: [FilterSpec(field: .category, values: ["coffee", "tea"])],
    windows: [])
}

struct Till {
  let program: Program
  let customer = Customer(id: "ana", signupDate: LocalDate(year: 2025, month: 6, day: 1))
  var state = AccountState()

  init(_ program: Program) { self.program = program }

  func at(_ iso: String, hour: Int64 = 12) -> Instant {
    program.timeZone.instant(of: LocalDate(iso: iso)!, secondOfDay: hour * 3600)
  }
  func line(_ sku: String, _ category: String, _ quantity: Int64 = 1, cents: Int64) -> LineItem {
    LineItem(sku: sku, category: category, quantity: quantity, unitPrice: Money(minorUnits: cents, currency: program.currency))
  }
  @discardableResult
  mutating func run(_ kind: Event.Kind, _ id: String, _ day: String, _ lines: [LineItem] = []) throws -> Outcome {
    let outcome = try program.evaluate(Event(kind: kind, id: id, time: at(day), lines: lines), customer: customer, state: state)
    state = outcome.state
    return outcome
  }
  @discardableResult
  mutating func buy(_ id: String, _ day: String, _ lines: [LineItem]) throws -> Outcome { try run(.purchase, id, day, lines) }
  @discardableResult
  mutating func advance(_ day: String) throws -> Outcome {
    let outcome = try program.advance(to: at(day, hour: 0), customer: customer, state: state)
    state = outcome.state
    return outcome
  }
  var stars: Int64 { state.balances["stars"] ?? 0 }
  var lots: [String] {
    state.lots.map { "\($0.amount) \($0.earned) \($0.expiresOn.map(\.description) ?? "-")\($0.pendingUntil.map { " held to \($0)" } ?? "")" }
  }
}

func kinds(_ outcome: Outcome) -> [String] {
  outcome.awards.map { award in
    switch award.kind {
    case .points(let c, let a, _): return "\(a) \(c)"
    case .stamps(let card, let n): return "\(n) stamps \(card)"
    case .freeItem(let sku, let value): return value.minorUnits < 0 ? "free \(sku) withdrawn" : "free \(sku)"
    case .expired(let c, let a, _): return "expired \(a) \(c)"
    case .released(let c, let a): return "released \(a) \(c)"
    case .redeemed(let r, let c, let cost, _): return "redeemed \(r) \(cost) \(c)"
    case .tierChange(let from, let to): return "tier \(from ?? "-") → \(to ?? "-")"
    case .voucher(let name, _, _): return "voucher \(name)"
    case .reward(let name, _): return "reward \(name)"
    case .discount(let value): return "discount \(value)"
    case .rebate(let r): return "rebate \(r.phase.rawValue) \(r.rebate) \(r.amount)"
    }
  }
}

@Suite struct PointsLotTests {
  @Test func earningMakesALotExpiringAtTheEndOfThe12thMonth() throws {
    var till = Till(pointsProgram())
    let outcome = try till.buy("T1", "2026-03-15", [till.line("jacket", "clothes", cents: 12_050)])
    #expect(kinds(outcome) == ["120 stars"])
    #expect(till.lots == ["120 2026-03-15 2027-04-01"])
    #expect(outcome.nextExpiry == [ExpiryNotice(currency: "stars", amount: 120, date: LocalDate(iso: "2027-04-01")!)])
    #expect(outcome.nextExpiry.first?.text == "120 stars expire on 2027-04-01")
    #expect(outcome.facts.map(\.text) == ["120 stars expire on 2027-04-01"])
    #expect(outcome.nearMisses.map(\.text) == ["30 stars to free drink", "8 more coffee or tea items to a free one (coffee card)"])
  }

  @Test func periodEndExpiresTheLotOnItsDayNotBefore() throws {
    var till = Till(pointsProgram())
    try till.buy("T1", "2026-03-15", [till.line("jacket", "clothes", cents: 12_050)])
    try till.buy("T2", "2026-04-02", [till.line("scarf", "clothes", cents: 4_000)])
    let eve = try till.advance("2027-03-31")
    #expect(kinds(eve) == [])
    #expect(till.stars == 160)
    let day = try till.advance("2027-04-01")
    #expect(kinds(day) == ["expired 120 stars"])
    #expect(day.awards.first?.explanation == "120 stars earned 2026-03-15 expired at the end of 2027-03-31")
    #expect(till.stars == 40)
    #expect(till.lots == ["40 2026-04-02 2027-05-01"])
    #expect(day.nextExpiry.map(\.text) == ["40 stars expire on 2027-05-01"])
    // Advancing again to the same day does nothing twice.
    #expect(kinds(try till.advance("2027-04-01")) == [])
    #expect(till.stars == 40)
  }

  @Test func anEventFirstRunsThePeriodEndsBeforeIt() throws {
    var till = Till(pointsProgram())
    try till.buy("T1", "2026-03-15", [till.line("jacket", "clothes", cents: 12_050)])
    let later = try till.buy("T2", "2027-04-10", [till.line("scarf", "clothes", cents: 4_000)])
    #expect(kinds(later) == ["expired 120 stars", "40 stars"])
    #expect(till.stars == 40)
  }

  @Test func fixedLifetimeFromAFebruary29EarningEndsOnFebruary28() throws {
    var till = Till(pointsProgram(expiry: .afterMonths(12)))
    try till.buy("T1", "2028-02-29", [till.line("jacket", "clothes", cents: 1_000)])
    #expect(till.lots == ["10 2028-02-29 2029-02-28"])
    #expect(kinds(try till.advance("2029-02-27")) == [])
    #expect(kinds(try till.advance("2029-02-28")) == ["expired 10 stars"])
  }

  @Test func endOfMonthExpiryFromJanuary31() throws {
    var till = Till(pointsProgram(expiry: .endOfMonthAfter(1)))
    try till.buy("T1", "2026-01-31", [till.line("jacket", "clothes", cents: 1_000)])
    // The month after January is February (28 days in 2026): usable through 2026-02-28.
    #expect(till.lots == ["10 2026-01-31 2026-03-01"])
    #expect(kinds(try till.advance("2026-02-28")) == [])
    #expect(kinds(try till.advance("2026-03-01")) == ["expired 10 stars"])
  }

  @Test func inactivityExpiryIsResetByAnyPurchase() throws {
    var till = Till(pointsProgram(expiry: .inactivityMonths(18), order: .oldestFirst))
    try till.buy("T1", "2026-01-10", [till.line("jacket", "clothes", cents: 1_000)])
    try till.buy("T2", "2027-07-09", [till.line("scarf", "clothes", cents: 500)])
    // Without T2 the 10 stars would have gone on 2027-07-10; T2 moved every lot to 2029-01-09.
    #expect(kinds(try till.advance("2029-01-08")) == [])
    #expect(till.stars == 15)
    let gone = try till.advance("2029-01-09")
    #expect(kinds(gone) == ["expired 15 stars"])
    #expect(gone.awards.first?.explanation == "15 stars earned 2026-01-10 to 2027-07-09 expired after 18 months without a purchase")
  }

  @Test func dstDaysAreLocalDays() throws {
    // 2026-03-08 is the spring-forward day in New York, 2026-11-01 the fall-back day.
    var till = Till(pointsProgram(expiry: .afterDays(1)))
    // 23:30 local on March 7 is 04:30 UTC on March 8: the earning day is still March 7.
    let late = till.program.timeZone.instant(of: LocalDate(iso: "2026-03-07")!, secondOfDay: 23 * 3600 + 1800)
    let first = try till.program.evaluate(Event(kind: .purchase, id: "T1", time: late, lines: [till.line("a", "x", cents: 500)]),
                                          customer: till.customer, state: till.state)
    till.state = first.state
    #expect(till.lots == ["5 2026-03-07 2026-03-08"])
    // 00:30 local on March 8 (still EST) is a new day: the lot is gone.
    let after = till.program.timeZone.instant(of: LocalDate(iso: "2026-03-08")!, secondOfDay: 1800)
    #expect(kinds(try till.program.advance(to: after, customer: till.customer, state: till.state)) == ["expired 5 stars"])
    // Fall back: 01:30 happens twice on November 1; both are November 1.
    let fall = Till(pointsProgram(expiry: .afterDays(1)))
    let twice = Instant(secondsSince1970: LocalDate(iso: "2026-11-01")!.dayNumber * 86_400 + 6 * 3600 + 1800)  // 01:30 EST
    let outcome = try fall.program.evaluate(Event(kind: .purchase, id: "T1", time: twice, lines: [fall.line("a", "x", cents: 500)]),
                                            customer: fall.customer, state: fall.state)
    #expect(outcome.state.lots.first?.earned == LocalDate(iso: "2026-11-01"))
    let lastMinute = Instant(secondsSince1970: LocalDate(iso: "2026-11-02")!.dayNumber * 86_400 + 5 * 3600 - 60)  // 23:59 EST
    #expect(kinds(try fall.program.advance(to: lastMinute, customer: fall.customer, state: outcome.state)) == [])
  }

  @Test func version1StateReadsAsOneLotPerBalance() throws {
    let v1 = #"{"version":1,"balances":{"stars":120,"gems":0},"stamps":{},"tier_kept_until":{},"ledger":[],"purchase_count":3,"last_purchase":"2026-03-02","rule_awards":{},"recent_transactions":[]}"#
    let state = try JSONDecoder().decode(AccountState.self, from: Data(v1.utf8))
    #expect(state.version == 2)
    #expect(state.lots == [PointsLot(currency: "stars", amount: 120, earned: LocalDate(iso: "2026-03-02")!)])
    #expect(state.processedThrough == LocalDate(iso: "2026-03-02"))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let again = try JSONDecoder().decode(AccountState.self, from: encoder.encode(state))
    #expect(again == state)
  }
}

@Suite struct LotHousekeepingTests {
  /// Points that never expire keep no lots, and nothing else changes: the same purchases,
  /// redemptions and returns give the same awards and balances as with lots kept (inactivity
  /// expiry a century away), and a stored state's lots of such a currency go at the next event.
  @Test func pointsThatNeverExpireKeepNoLotsAndGiveTheSameResults() throws {
    for allowNegative in [false, true] {
      var lotless = Till(pointsProgram(expiry: nil, order: .oldestFirst, allowNegative: allowNegative))
      var withLots = Till(pointsProgram(expiry: .inactivityMonths(1200), order: .oldestFirst, allowNegative: allowNegative))
      var random = SplitMix(state: 3)
      var day = LocalDate(iso: "2026-01-01")!
      for step in 0..<120 {
        day = day.adding(days: 1 + random.next(5))
        let kind: Event.Kind
        var lines: [LineItem] = []
        switch random.next(6) {
        case 0...3:
          kind = .purchase
          lines = [lotless.line("a", "coffee", 1 + random.next(2), cents: 300 + random.next(9_000))]
        case 4: kind = .redemption(reward: "free drink")
        default:
          kind = .return(original: "E\(max(0, step - 1 - Int(random.next(3))))")
          lines = [lotless.line("a", "", 1, cents: 0)]
        }
        let a = try lotless.run(kind, "E\(step)", day.description, lines)
        let b = try withLots.run(kind, "E\(step)", day.description, lines)
        #expect(a.awards == b.awards, "step \(step)")
        #expect(a.balances == b.balances && a.rejection == b.rejection && a.shortfall == b.shortfall, "step \(step)")
        #expect(lotless.state.lots.isEmpty)
      }
      #expect(!withLots.state.lots.isEmpty)
    }
    var stored = Till(pointsProgram(expiry: nil))
    stored.state.balances = ["stars": 12]
    stored.state.lots = [PointsLot(currency: "stars", amount: 12, earned: LocalDate(iso: "2025-12-01")!)]
    try stored.buy("T1", "2026-01-05", [stored.line("a", "x", cents: 1_000)])
    #expect(stored.stars == 22)
    #expect(stored.state.lots.isEmpty)
  }

  @Test func lotsWhosePurchasesCanNoLongerBeReturnedMerge() throws {
    // Inactivity expiry a century away: lots are kept, with no fixed expiry day to keep them apart.
    var till = Till(pointsProgram(expiry: .inactivityMonths(1200), order: .oldestFirst))
    try till.buy("T1", "2026-01-05", [till.line("a", "x", cents: 1_000)])
    try till.buy("T2", "2026-02-05", [till.line("a", "x", cents: 2_000)])
    #expect(till.lots == ["10 2026-01-05 -", "20 2026-02-05 -"])
    // A year later both records are gone (366 days): the two lots become one, earned on the earlier day.
    try till.buy("T3", "2027-02-07", [till.line("a", "x", cents: 500)])
    #expect(till.state.records.map(\.id) == ["T3"])
    #expect(till.lots == ["30 2026-01-05 -", "5 2027-02-07 -"])
    #expect(till.stars == 35)
  }

  @Test func lotsWithDifferentExpiryStayApart() throws {
    var till = Till(pointsProgram(expiry: .endOfMonthAfter(24), order: .oldestFirst))
    try till.buy("T1", "2026-01-05", [till.line("a", "x", cents: 1_000)])
    try till.buy("T2", "2026-01-25", [till.line("a", "x", cents: 1_000)])
    try till.buy("T3", "2026-02-05", [till.line("a", "x", cents: 2_000)])
    try till.buy("T4", "2027-03-01", [till.line("a", "x", cents: 500)])
    #expect(till.lots == ["20 2026-01-05 2028-02-01", "20 2026-02-05 2028-03-01", "5 2027-03-01 2029-04-01"])
  }

  @Test func aGapOfDecadesIsProcessedInOnePass() throws {
    var till = Till(pointsProgram(expiry: .afterMonths(12), order: .oldestFirst))
    try till.buy("T1", "2026-01-05", [till.line("a", "x", cents: 1_000)])
    let later = try till.advance("2096-01-05")
    #expect(kinds(later) == ["expired 10 stars"])
    #expect(till.state.processedThrough == LocalDate(iso: "2096-01-05"))
  }
}

@Test func spendableLotsAlwaysSumToTheBalance() throws {
  var random = SplitMix(state: 7)
  var accepted: [String: Int] = [:]
  for round in 0..<20 {
    let order: SpendOrder = round % 2 == 0 ? .oldestFirst : .closestToExpiryFirst
    let expiry: ExpirySpec? = [nil, .endOfMonthAfter(2), .afterDays(45), .inactivityMonths(2)][round % 4]
    var till = Till(pointsProgram(expiry: expiry, order: order, hold: round % 5 == 0 ? 10 : 0, allowNegative: round % 3 != 1))
    var day = LocalDate(iso: "2026-01-01")!
    var purchases: [(String, Int64)] = []
    for step in 0..<80 {
      day = day.adding(days: 1 + random.next(6))
      switch random.next(10) {
      case 0...5:
        let id = "T\(step)"
        let quantity = 1 + random.next(3)
        try till.buy(id, day.description, [till.line("a", "coffee", quantity, cents: 200 + random.next(6_000))])
        purchases.append((id, quantity))
      case 6, 7:
        let outcome = try till.run(.redemption(reward: random.next(2) == 0 ? "free drink" : "tote bag"), "X\(step)", day.description)
        if outcome.rejection == nil { accepted["redemption", default: 0] += 1 }
      case 8:
        // Usually the latest purchase (after a redemption this is what drives a balance below zero).
        if let (original, quantity) = random.next(3) == 0 ? purchases.randomElement(using: &random) : purchases.last {
          // All of it, or one unit: a second whole return of the same purchase is refused.
          let units = random.next(2) == 0 ? quantity : 1
          let outcome = try till.run(.return(original: original), "R\(step)", day.description, [till.line("a", "", units, cents: 0)])
          if outcome.rejection == nil { accepted["return", default: 0] += 1 }
          if !outcome.shortfall.isEmpty { accepted["shortfall", default: 0] += 1 }
          if till.stars < 0 { accepted["negative", default: 0] += 1 }
        }
      default:
        if kinds(try till.advance(day.description)).contains(where: { $0.hasPrefix("expired") }) { accepted["expiry", default: 0] += 1 }
      }
      let spendable = till.state.lots.filter { !$0.isPending }.reduce(Int64(0)) { $0 + $1.amount }
      // Points that never expire and are never held keep no lots.
      let keepsLots = expiry != nil || round % 5 == 0
      #expect(spendable == (keepsLots ? max(0, till.stars) : 0), "round \(round) step \(step)")
      #expect(till.state.lots.allSatisfy { $0.amount > 0 }, "round \(round) step \(step)")
      #expect(till.stars >= 0 || round % 3 != 1, "round \(round) step \(step)")
    }
  }
  // The walk reached every path it is meant to check.
  #expect(Set(accepted.keys) == ["redemption", "return", "shortfall", "negative", "expiry"], "\(accepted)")
}

extension SplitMix: RandomNumberGenerator {
  mutating func next() -> UInt64 { UInt64(next(Int64.max)) }
}
