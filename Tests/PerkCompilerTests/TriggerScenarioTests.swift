import Foundation
import Perk
import Testing

/// One customer's account under a program, driven by dated events of any kind.
struct TriggerRun {
  let program: Program
  var state = AccountState()
  var customer: Customer
  var count = 0

  init(file: String, customer: Customer) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("rules").appendingPathComponent(file)
    try self.init(source: String(decoding: try Data(contentsOf: url), as: UTF8.self), customer: customer, path: "rules/\(file)")
  }

  init(source: String, customer: Customer, path: String = "test.perk") throws {
    let compilation = compile([SourceFile(path: path, bytes: Array(source.utf8))])
    guard let program = compilation.program else {
      throw EvaluationError("\(path) does not compile: \(compilation.diagnostics.map(\.message))")
    }
    self.program = program
    self.customer = customer
  }

  /// An instant from `2026-03-02T08:00` (local wall-clock time) or with an explicit offset.
  func instant(_ time: String) throws -> Instant {
    try program.decodeEvent(
      JSONNode.parse(Array("{\"type\":\"signup\",\"id\":\"x\",\"time\":\"\(time)\"}".utf8), path: "t"), path: "t").time
  }

  mutating func run(_ kind: Event.Kind, _ time: String, _ lines: [(String, String, Int64, String)] = [],
                    id: String? = nil) throws -> Outcome {
    count += 1
    let items = lines.map { LineItem(sku: $0.0, category: $0.1, quantity: $0.2,
                                     unitPrice: Money(parsing: $0.3, currency: program.currency)!) }
    let outcome = try program.evaluate(Event(kind: kind, id: id ?? "T\(count)", time: try instant(time), lines: items),
                                       customer: customer, state: state)
    state = outcome.state
    return outcome
  }

  /// A purchase of one line.
  mutating func buy(_ time: String, _ price: String, category: String = "grocery", id: String? = nil) throws -> Outcome {
    try run(.purchase, time, [("item", category, 1, price)], id: id)
  }
}

/// `[amount]` of each points award, in order.
func pointAwards(_ outcome: Outcome) -> [Int64] {
  outcome.awards.compactMap { if case .points(_, let amount, _) = $0.kind { amount } else { nil } }
}

func vouchers(_ outcome: Outcome) -> [String] {
  outcome.awards.compactMap {
    if case .voucher(let name, let value, let until) = $0.kind { "\(name) \(value) until \(until?.description ?? "-")" } else { nil }
  }
}

func date(_ text: String) -> LocalDate { LocalDate(iso: text)! }

// MARK: - P6 birthday

@Suite struct P6BirthdayTests {
  func run(born: String) throws -> TriggerRun {
    try TriggerRun(file: "p6-birthday-bonus.perk", customer: Customer(id: "c1", birthday: date(born)))
  }

  @Test func windowCrossesTheYearEnd() throws {
    var r = try run(born: "1990-12-28")
    // January 4 is 7 days after December 28: inside; January 5 is 8 days: outside.
    #expect(pointAwards(try r.buy("2027-01-05T12:00", "10.00")) == [10])
    #expect(pointAwards(try r.buy("2027-01-04T12:00", "10.00")) == [10, 100])
  }

  @Test func oncePerBirthdayEvenAcrossTheYearEnd() throws {
    var r = try run(born: "1990-12-28")
    #expect(pointAwards(try r.buy("2026-12-25T12:00", "10.00")) == [10, 100])
    // Same birthday (2026-12-28), another calendar year: no second bonus.
    #expect(pointAwards(try r.buy("2027-01-02T12:00", "10.00")) == [10])
    // The 2027 birthday's window opens on 2027-12-21, still in calendar year 2027: paid again.
    #expect(pointAwards(try r.buy("2027-12-20T12:00", "10.00")) == [10])
    #expect(pointAwards(try r.buy("2027-12-21T12:00", "10.00")) == [10, 100])
    #expect(r.state.ruleAwards["birthday bonus"] == [date("2026-12-25"), date("2027-12-21")])
  }

  @Test func onlyTheFirstPurchaseInTheWindowEarnsTheBonus() throws {
    var r = try run(born: "1985-06-15")
    #expect(pointAwards(try r.buy("2026-06-08T09:00", "20.00")) == [20, 100])
    #expect(pointAwards(try r.buy("2026-06-15T09:00", "20.00")) == [20])
    #expect(pointAwards(try r.buy("2026-06-22T09:00", "20.00")) == [20])
  }

  @Test func february29IsCelebratedOnFebruary28InCommonYears() throws {
    // 2027: the birthday is 2027-02-28; the window is 02-21 … 03-07.
    var r = try run(born: "2000-02-29")
    #expect(pointAwards(try r.buy("2027-02-20T12:00", "5.00")) == [5])
    #expect(pointAwards(try r.buy("2027-03-08T12:00", "5.00")) == [5])
    #expect(pointAwards(try r.buy("2027-03-07T12:00", "5.00")) == [5, 100])
    // 2028 is a leap year: the birthday is 2028-02-29; the window is 02-22 … 03-07.
    var leap = try run(born: "2000-02-29")
    #expect(pointAwards(try leap.buy("2028-02-21T12:00", "5.00")) == [5])
    #expect(pointAwards(try leap.buy("2028-03-08T12:00", "5.00")) == [5])
    #expect(pointAwards(try leap.buy("2028-02-22T12:00", "5.00")) == [5, 100])
  }

  @Test func aWindowAcrossFebruary29CountsTheLeapDay() throws {
    // Born March 3: 7 days before is February 25 in 2028 (a leap year) and February 24 in 2027.
    var leap = try run(born: "1999-03-03")
    #expect(pointAwards(try leap.buy("2028-02-24T12:00", "5.00")) == [5])
    #expect(pointAwards(try leap.buy("2028-02-25T12:00", "5.00")) == [5, 100])
    var common = try run(born: "1999-03-03")
    #expect(pointAwards(try common.buy("2027-02-23T12:00", "5.00")) == [5])
    #expect(pointAwards(try common.buy("2027-02-24T12:00", "5.00")) == [5, 100])
  }

  @Test func windowsCountLocalDaysAcrossDSTChanges() throws {
    // Spring forward in New York on 2026-03-08: born March 15, the window opens that local day.
    var spring = try run(born: "1990-03-15")
    #expect(pointAwards(try spring.buy("2026-03-07T23:59", "5.00")) == [5])
    // 00:30 local on the 8th is 05:30Z; the window is counted in local days, not 24-hour spans.
    #expect(pointAwards(try spring.buy("2026-03-08T00:30:00-05:00", "5.00")) == [5, 100])
    // Fall back on 2026-11-01 (a 25-hour day): born November 8, the window opens that day.
    var autumn = try run(born: "1990-11-08")
    #expect(pointAwards(try autumn.buy("2026-10-31T23:59", "5.00")) == [5])
    // 23:30 EST on November 1 is 04:30Z on November 2 — still November 1 locally.
    #expect(pointAwards(try autumn.buy("2026-11-02T04:30:00Z", "5.00")) == [5, 100])
  }

  @Test func noBirthdayOnFileMeansNoBonus() throws {
    var r = try TriggerRun(file: "p6-birthday-bonus.perk", customer: Customer(id: "c1"))
    #expect(pointAwards(try r.buy("2026-06-08T09:00", "20.00")) == [20])
  }
}

// MARK: - P7 referral with a hold

@Suite struct P7ReferralTests {
  func referred() throws -> TriggerRun {
    try TriggerRun(file: "p7-referral.perk", customer: Customer(id: "c2", referredBy: "c1"))
  }

  @Test func referrerIsPaidAfterTheHoldWithoutAReturn() throws {
    var r = try referred()
    let first = try r.buy("2026-03-02T10:00", "25.00", id: "T1")
    #expect(pointAwards(first) == [25, 300])
    #expect(first.transfers.isEmpty)
    #expect(first.transfersHeld.map { "\($0.customer) \($0.amount) \($0.currency) on \($0.releaseOn)" } == ["c1 300 points on 2026-03-16"])
    #expect(r.state.balances["points"] == 325)
    #expect(first.facts.map(\.text) == ["300 points for c1 on 2026-03-16 if T1 is not returned before then"])
    // Day 13 after the purchase day: still held (the hold covers 2026-03-02 … 03-15).
    let day13 = try r.run(.custom("app opened"), "2026-03-15T23:59")
    #expect(day13.transfers.isEmpty)
    #expect(r.state.triggers.heldTransfers.count == 1)
    // Day 14: released by the period end that the next event of the referred account runs first.
    let day15 = try r.buy("2026-03-16T08:00", "3.00")
    #expect(day15.transfers.map { "\($0.customer) \($0.amount) \($0.rule) \($0.sourceTransaction)" } == ["c1 300 referral welcome T1"])
    #expect(day15.transfers.first?.reason == "referral of c2: purchase T1 kept 14 days without a return")
    #expect(pointAwards(day15) == [3])
    #expect(r.state.triggers.heldTransfers.isEmpty)

    // The till credits the referrer; crediting again pays once.
    let transfer = try #require(day15.transfers.first)
    // The referrer earned 40 points of their own first.
    let own = try r.program.evaluate(
      Event(kind: .purchase, id: "R1", time: try r.instant("2026-03-01T12:00"),
            lines: [LineItem(sku: "item", category: "grocery", quantity: 1, unitPrice: Money(minorUnits: 4_000, currency: r.program.currency))]),
      customer: Customer(id: "c1"), state: AccountState())
    let referrer = own.state
    let credited = try r.program.credit(transfer, customer: Customer(id: "c1"), state: referrer)
    #expect(credited.balances["points"] == 340)
    #expect(credited.awards.map(\.explanation) == ["300 points for the referral of c2: purchase T1 kept 14 days without a return"])
    // These points never expire, so the credit is balance only: no lots (see PointsLotTests).
    #expect(credited.state.lots.isEmpty)
    #expect(credited.state.recentTransactions.last == "transfer:T1:referral welcome")
    let again = try r.program.credit(transfer, customer: Customer(id: "c1"), state: credited.state)
    #expect(again.duplicate)
    #expect(again.balances["points"] == 340)
    #expect(throws: EvaluationError.self) { try r.program.credit(transfer, customer: Customer(id: "c9"), state: AccountState()) }
  }

  @Test func aReturnWithinTheHoldCancelsTheReferrersPoints() throws {
    var r = try referred()
    _ = try r.buy("2026-03-02T10:00", "25.00", id: "T1")
    // Returned on the last day of the hold (13 days after the purchase day).
    let returned = try r.run(.return(original: "T1"), "2026-03-15T18:00", [("item", "grocery", 1, "25.00")])
    #expect(returned.transfersCancelled.map { "\($0.customer) \($0.amount)" } == ["c1 300"])
    #expect(r.state.triggers.heldTransfers.isEmpty)
    let later = try r.buy("2026-04-01T08:00", "30.00")
    #expect(later.transfers.isEmpty)
    // A second purchase is not a first purchase: no new referral.
    #expect(pointAwards(later) == [30])
  }

  @Test func aReturnAfterTheHoldNoLongerCancels() throws {
    var r = try referred()
    _ = try r.buy("2026-03-02T10:00", "25.00", id: "T1")
    let returned = try r.run(.return(original: "T1"), "2026-03-16T09:00", [("item", "grocery", 1, "25.00")])
    #expect(returned.transfers.map(\.amount) == [300])
    #expect(returned.transfersCancelled.isEmpty)
  }

  @Test func aFirstPurchaseUnder20DollarsNeverQualifies() throws {
    var r = try referred()
    #expect(pointAwards(try r.buy("2026-03-02T10:00", "19.99")) == [19])
    let second = try r.buy("2026-03-03T10:00", "80.00")
    #expect(pointAwards(second) == [80])
    #expect(second.transfersHeld.isEmpty)
    // Exactly $20 on a first purchase qualifies.
    var exact = try referred()
    #expect(pointAwards(try exact.buy("2026-03-02T10:00", "20.00")) == [20, 300])
  }

  @Test func customersWithoutAReferrerGetNoWelcome() throws {
    var r = try TriggerRun(file: "p7-referral.perk", customer: Customer(id: "c3"))
    let outcome = try r.buy("2026-03-02T10:00", "50.00")
    #expect(pointAwards(outcome) == [50])
    #expect(outcome.transfersHeld.isEmpty)
  }

  @Test func heldTransfersSurviveEncoding() throws {
    var r = try referred()
    _ = try r.buy("2026-03-02T10:00", "25.00", id: "T1")
    let data = try JSONEncoder().encode(r.state)
    let decoded = try JSONDecoder().decode(AccountState.self, from: data)
    #expect(decoded == r.state)
    #expect(decoded.triggers.heldTransfers.first?.value.description == "$3.00")
    // An account that never used a trigger writes no `triggers` key.
    let empty = String(decoding: try JSONEncoder().encode(AccountState()), as: UTF8.self)
    #expect(!empty.contains("triggers"))
  }
}

// MARK: - P8 monthly visit challenge

@Suite struct P8MonthlyChallengeTests {
  func run() throws -> TriggerRun { try TriggerRun(file: "p8-monthly-challenge.perk", customer: Customer(id: "c1")) }

  @Test func theFifthVisitOfTheMonthEarnsTheBonusOnce() throws {
    var r = try run()
    for day in ["02", "03", "04"] { #expect(pointAwards(try r.buy("2026-03-\(day)T12:00", "4.00")) == [4]) }
    #expect(pointAwards(try r.buy("2026-03-05T08:00", "4.00")) == [4])
    // A second basket on the same day is the same visit.
    #expect(pointAwards(try r.buy("2026-03-05T18:00", "4.00")) == [4])
    // The fifth distinct day reaches 5.
    #expect(pointAwards(try r.buy("2026-03-09T12:00", "4.00")) == [4, 250])
    // Another basket that day and a sixth visit: no second bonus.
    #expect(pointAwards(try r.buy("2026-03-09T13:00", "4.00")) == [4])
    #expect(pointAwards(try r.buy("2026-03-10T12:00", "4.00")) == [4])
  }

  @Test func visitsResetAtTheStartOfEachLocalMonth() throws {
    var r = try run()
    for day in ["26", "27", "28", "29"] { _ = try r.buy("2026-03-\(day)T12:00", "1.00") }
    // 23:30 on March 31 in New York is April 1 in UTC: still March locally, the fifth visit.
    #expect(pointAwards(try r.buy("2026-03-31T23:30", "1.00")) == [1, 250])
    // April starts from zero.
    for day in ["01", "02", "03", "04"] { #expect(pointAwards(try r.buy("2026-04-\(day)T12:00", "1.00")) == [1]) }
    #expect(pointAwards(try r.buy("2026-04-05T12:00", "1.00")) == [1, 250])
  }

  @Test func visitsOnTheDSTDaysAreLocalDays() throws {
    var r = try run()
    // 2026-03-08 spring forward: 01:30 EST and 03:30 EDT are one local day, one visit.
    _ = try r.buy("2026-03-08T01:30", "1.00")
    _ = try r.buy("2026-03-08T03:30", "1.00")
    _ = try r.buy("2026-03-09T12:00", "1.00")
    _ = try r.buy("2026-03-10T12:00", "1.00")
    #expect(pointAwards(try r.buy("2026-03-11T12:00", "1.00")) == [1])
    #expect(pointAwards(try r.buy("2026-03-12T12:00", "1.00")) == [1, 250])
  }

  @Test func fallBackDayIsOneVisit() throws {
    var r = try run()
    // 2026-11-01: 01:30 EDT (05:30Z) and 01:30 EST (06:30Z) are the same local day.
    _ = try r.buy("2026-11-01T05:30:00Z", "1.00")
    _ = try r.buy("2026-11-01T06:30:00Z", "1.00")
    for day in ["02", "03", "04"] { _ = try r.buy("2026-11-\(day)T12:00", "1.00") }
    #expect(pointAwards(try r.buy("2026-11-05T12:00", "1.00")) == [1, 250])
  }
}

// MARK: - P11 fuel rewards

@Suite struct P11FuelRewardsTests {
  func run() throws -> TriggerRun { try TriggerRun(file: "p11-fuel-rewards.perk", customer: Customer(id: "c1")) }

  @Test func every100DollarsIssuesAVoucherAndTheRemainderCarriesOver() throws {
    var r = try run()
    let first = try r.run(.purchase, "2026-05-01T10:00", [("milk", "dairy", 2, "3.25"), ("bread", "bakery", 1, "4.00"),
                                                          ("gift card", "giftcard", 1, "50.00"), ("steak", "meat", 2, "24.99")])
    // $6.50 + $4.00 + $49.98 = $60.48; the gift card does not count.
    #expect(vouchers(first).isEmpty)
    #expect(r.state.stamps["fuel card"] == 6048)
    let second = try r.run(.purchase, "2026-05-03T10:00", [("wine", "drinks", 3, "13.24")])
    // $60.48 + $39.72 = $100.20: one voucher, 20¢ carried over.
    #expect(vouchers(second) == ["10¢ off per gallon $0.10 until 2026-06-02"])
    #expect(r.state.stamps["fuel card"] == 20)
    #expect(second.awards.first?.explanation
      == "$39.72 collected; $100.20 on the card of $100.00, 1 card completed, $0.20 carried over")
  }

  @Test func aBigBasketIssuesSeveralVouchers() throws {
    var r = try run()
    let outcome = try r.run(.purchase, "2026-05-01T10:00", [("tv", "electronics", 1, "299.99")])
    #expect(vouchers(outcome).count == 2)
    #expect(r.state.stamps["fuel card"] == 9999)
    let next = try r.buy("2026-05-02T10:00", "0.01")
    #expect(vouchers(next).count == 1)
    #expect(r.state.stamps["fuel card"] == 0)
  }

  @Test func aReturnTakesItsSpendOffTheCardButNotIssuedVouchers() throws {
    var r = try run()
    _ = try r.run(.purchase, "2026-05-01T10:00", [("bread", "bakery", 1, "10.50"), ("steak", "meat", 2, "24.99")], id: "P1")
    #expect(r.state.stamps["fuel card"] == 6048)
    let back = try r.run(.return(original: "P1"), "2026-05-02T10:00", [("steak", "meat", 1, "24.99")])
    #expect(back.awards.map(\.kind) == [.stamps(card: "fuel card", count: -2499)])
    #expect(r.state.stamps["fuel card"] == 3549)
    // Spend already turned into a voucher is not taken from the next one (never below zero).
    let t2 = try r.run(.purchase, "2026-05-03T10:00", [("tv", "electronics", 1, "64.51")], id: "P2")
    #expect(vouchers(t2).count == 1)
    #expect(r.state.stamps["fuel card"] == 0)
    _ = try r.run(.return(original: "P2"), "2026-05-04T10:00", [("tv", "electronics", 1, "64.51")])
    #expect(r.state.stamps["fuel card"] == 0)
  }

  @Test func anAbsurdNumberOfVouchersIsAnErrorNotAHang() throws {
    var r = try run()
    #expect(throws: EvaluationError.self) {
      try r.run(.purchase, "2026-05-01T10:00", [("jet", "aircraft", 1, "90000000000.00")])
    }
    #expect(r.state.stamps["fuel card"] == nil)
  }

  @Test func giftCardsAloneCollectNothing() throws {
    var r = try run()
    let outcome = try r.run(.purchase, "2026-05-01T10:00", [("gift card", "giftcard", 4, "100.00")])
    #expect(outcome.awards.isEmpty)
    #expect(r.state.stamps["fuel card"] == 0)
  }
}

// MARK: - P12 dual tiers

@Suite struct P12DualTierTests {
  func run() throws -> TriggerRun { try TriggerRun(file: "p12-dual-tiers.perk", customer: Customer(id: "c1")) }

  @Test func silverBy25VisitsInTheTrailingYear() throws {
    var r = try run()
    var day = date("2026-01-05")
    for _ in 1...24 {
      _ = try r.buy("\(day)T12:00", "10.00")
      day = day.adding(days: 3)
    }
    #expect(r.state.tier == "blue")
    // The 25th visit qualifies for silver; it still earns as blue.
    let reach = try r.buy("\(day)T12:00", "10.00")
    #expect(pointAwards(reach) == [50])
    #expect(r.state.tier == "silver")
    // $10 × 5 × 1.5 = 75.
    #expect(pointAwards(try r.buy("\(day.adding(days: 1))T12:00", "10.00")) == [75])
  }

  @Test func goldBySpendEarnsDoubleAndIsKept12MonthsFromTheDayReached() throws {
    var r = try run()
    let reach = try r.buy("2026-01-10T12:00", "6000.00")
    #expect(pointAwards(reach) == [30000])
    #expect(r.state.tier == "gold")
    #expect(r.state.tierKeptUntil["gold"] == date("2027-01-10"))
    // $33.33 × 5 × 2 = 333.3 → 333.
    #expect(pointAwards(try r.buy("2026-07-01T12:00", "33.33")) == [333])
    // 2027-01-10: the $6,000 has left the trailing window, but gold is kept through this day.
    #expect(pointAwards(try r.buy("2027-01-10T12:00", "10.00")) == [100])
    // The next day it has lapsed: back to blue.
    let lapsed = try r.buy("2027-01-11T12:00", "10.00")
    #expect(pointAwards(lapsed) == [50])
    #expect(lapsed.awards.contains { $0.kind == .tierChange(from: "gold", to: "blue") })
  }

  @Test func qualifyingWhileKeptDoesNotExtendButQualifyingAfterALapseReachesAgain() throws {
    var r = try run()
    _ = try r.buy("2026-01-10T12:00", "6000.00")
    // Still gold by spend, and gold is kept: not reached again, so the 12 months do not move.
    _ = try r.buy("2026-12-01T12:00", "6000.00")
    #expect(r.state.tierKeptUntil["gold"] == date("2027-01-10"))
    // 2027-01-11: the first 12 months have lapsed, but December's $6,000 still qualifies: reached again.
    let again = try r.buy("2027-01-11T12:00", "10.00")
    #expect(pointAwards(again) == [100])
    #expect(r.state.tierKeptUntil["gold"] == date("2028-01-11"))
    #expect(r.state.tier == "gold")
  }

  @Test func spendOrVisitsWhicheverReachesHigher() throws {
    var r = try run()
    // $2,500 in spend gives silver at once even with one visit.
    _ = try r.buy("2026-02-01T12:00", "2500.00")
    #expect(r.state.tier == "silver")
    // 50 visits would give gold; spend alone would not.
    var day = date("2026-02-02")
    for _ in 1...49 {
      _ = try r.buy("\(day)T12:00", "1.00")
      day = day.adding(days: 1)
    }
    #expect(r.state.tier == "gold")
  }
}

// MARK: - Other triggers: streaks, first purchase, anniversaries, custom events

@Suite struct RetentionTriggerTests {
  static let header = """
    program "Triggers"
      currency USD
      timezone America/New_York

    points points
      worth $0.01


    """

  @Test func visitStreakCountsConsecutiveISOWeeks() throws {
    var r = try TriggerRun(source: Self.header + """
      rule streak bonus
        on purchase
        when visit streak >= 4 weeks
        earn 50 points
        at most once per week
      """, customer: Customer(id: "c1"))
    // Weeks of 2026-03-02, 03-09 (Sunday 03-15), 03-16 (across nothing), 03-23: four weeks in a row.
    #expect(pointAwards(try r.buy("2026-03-02T12:00", "1.00")) == [])
    #expect(pointAwards(try r.buy("2026-03-15T23:00", "1.00")) == [])
    #expect(pointAwards(try r.buy("2026-03-16T12:00", "1.00")) == [])
    #expect(r.state.triggers.visitStreak == 3)
    #expect(pointAwards(try r.buy("2026-03-27T12:00", "1.00")) == [50])
    // Same week again: still 4 weeks, but once per week.
    #expect(pointAwards(try r.buy("2026-03-28T12:00", "1.00")) == [])
    // A missed week (03-30 … 04-05) starts again at 1.
    #expect(pointAwards(try r.buy("2026-04-06T12:00", "1.00")) == [])
    #expect(r.state.triggers.visitStreak == 1)
  }

  @Test func visitStreakWeeksAreLocalAcrossDST() throws {
    var r = try TriggerRun(source: Self.header + """
      rule streak bonus
        on purchase
        when visit streak >= 2 weeks
        earn 50 points
      """, customer: Customer(id: "c1"))
    // Sunday 2026-03-08 23:30 EDT (03:30Z Monday) belongs to the week of 03-02 locally.
    _ = try r.buy("2026-03-09T03:30:00Z", "1.00")
    #expect(r.state.triggers.lastVisitWeek == date("2026-03-02"))
    #expect(pointAwards(try r.buy("2026-03-09T12:00", "1.00")) == [50])
  }

  @Test func firstPurchaseFiresOnce() throws {
    var r = try TriggerRun(source: Self.header + """
      rule welcome
        on purchase
        when first purchase
        earn 100 points
      """, customer: Customer(id: "c1"))
    _ = try r.run(.signup, "2026-03-01T09:00")
    #expect(pointAwards(try r.buy("2026-03-02T12:00", "1.00")) == [100])
    #expect(pointAwards(try r.buy("2026-03-02T13:00", "1.00")) == [])
  }

  @Test func signupAnniversaryWindowAndLimit() throws {
    var r = try TriggerRun(source: Self.header + """
      rule anniversary gift
        on purchase
        when signup anniversary within 3 days and days since signup > 300
        earn 500 points
        at most once per signup anniversary
      """, customer: Customer(id: "c1", signupDate: date("2024-02-29")))
    // 2027: the anniversary falls on February 28; March 4 is 4 days after it.
    #expect(pointAwards(try r.buy("2027-03-04T12:00", "1.00")) == [])
    #expect(pointAwards(try r.buy("2027-03-03T12:00", "1.00")) == [500])
    #expect(pointAwards(try r.buy("2027-02-26T12:00", "1.00")) == [])
  }

  @Test func anniversaryAndBirthdayRulesFireAtTheirPeriodEnds() throws {
    var r = try TriggerRun(source: Self.header + """
      rule anniversary gift
        on signup anniversary
        earn 500 points

      rule birthday gift
        on birthday
        when purchases so far >= 1
        earn 100 points
      """, customer: Customer(id: "c1", birthday: date("2000-02-29"), signupDate: date("2024-02-29")))
    _ = try r.run(.signup, "2024-02-29T09:00")
    // Up to 2025-02-27: nothing yet. The 2025 anniversary and birthday fall on February 28.
    let before = try r.program.advance(to: try r.instant("2025-02-27T12:00"), customer: r.customer, state: r.state)
    #expect(pointAwards(before) == [])
    r.state = before.state
    let on = try r.program.advance(to: try r.instant("2025-02-28T00:00"), customer: r.customer, state: r.state)
    // The birthday rule needs a purchase first; the anniversary does not.
    #expect(on.awards.map(\.source) == ["anniversary gift"])
    #expect(on.balances["points"] == 500)
    r.state = on.state
    // Advancing again to the same day pays nothing twice.
    let again = try r.program.advance(to: try r.instant("2025-02-28T18:00"), customer: r.customer, state: r.state)
    #expect(again.awards.isEmpty)
    _ = try r.buy("2025-06-01T12:00", "1.00")
    // 2028 is a leap year: both fall on February 29; an event on that day runs the period end first.
    let leap = try r.buy("2028-02-29T10:00", "1.00")
    #expect(leap.awards.map(\.source).sorted() == ["anniversary gift", "anniversary gift", "anniversary gift", "birthday gift", "birthday gift", "birthday gift"])
    #expect(r.state.balances["points"] == 2_300)
  }

  @Test func customEventsFireTheirRules() throws {
    var r = try TriggerRun(source: Self.header + """
      rule review bonus
        on event review written
        earn 20 points
        at most once per month

      rule referral made
        on event referral
        earn 50 points
      """, customer: Customer(id: "c1"))
    #expect(pointAwards(try r.run(.custom("review written"), "2026-03-02T12:00")) == [20])
    #expect(pointAwards(try r.run(.custom("review written"), "2026-03-20T12:00")) == [])
    #expect(pointAwards(try r.run(.custom("referral"), "2026-03-20T12:00")) == [50])
    #expect(pointAwards(try r.run(.custom("something else"), "2026-03-20T12:00")) == [])
    #expect(r.state.balances["points"] == 70)
  }

  @Test func referrerPointsWithoutAHoldAreReleasedAtOnce() throws {
    var r = try TriggerRun(source: Self.header + """
      rule friend joined
        on signup
        when referred
        earn 50 points for referrer
      """, customer: Customer(id: "c2", referredBy: "c1"))
    let outcome = try r.run(.signup, "2026-03-02T12:00", id: "S1")
    #expect(outcome.transfers.map { "\($0.customer) \($0.amount) \($0.releaseOn)" } == ["c1 50 2026-03-02"])
    #expect(outcome.transfers.first?.reason == "referral of c2: event S1")
    #expect(r.state.triggers.heldTransfers.isEmpty)
  }

  @Test func reachesSpendFiresOnTheCrossingPurchase() throws {
    var r = try TriggerRun(source: Self.header + """
      rule big spender
        on purchase
        when spend this year reaches $100
        earn 1,000 points
      """, customer: Customer(id: "c1"))
    #expect(pointAwards(try r.buy("2026-03-02T12:00", "60.00")) == [])
    #expect(pointAwards(try r.buy("2026-03-03T12:00", "40.00")) == [1000])
    #expect(pointAwards(try r.buy("2026-03-04T12:00", "40.00")) == [])
  }

  @Test func winBackShapeOfP5() throws {
    var r = try TriggerRun(source: Self.header + """
      rule win back
        on purchase
        when days since last purchase >= 60
        earn 150 points
        at most once per 365 days
      """, customer: Customer(id: "c1"))
    #expect(pointAwards(try r.buy("2026-01-01T12:00", "10.00")) == [])
    // 59 days later: not yet; 60 days after that purchase: back.
    #expect(pointAwards(try r.buy("2026-03-01T12:00", "10.00")) == [])
    #expect(pointAwards(try r.buy("2026-04-30T12:00", "10.00")) == [150])
    // Gone again 60 days, but within 365 days of the last award.
    #expect(pointAwards(try r.buy("2026-06-29T12:00", "10.00")) == [])
  }
}
