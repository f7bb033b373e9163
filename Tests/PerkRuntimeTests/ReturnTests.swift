import Testing
import PerkSource
@testable import PerkRuntime

@Suite struct ReturnTests {
  /// The default: a return reverses what the purchase earned minus what the kept basket earns.
  /// $9.00 at 1 star per $1 earns 9; $4.50 back leaves $4.50, which earns 4: 5 are reversed
  /// (a share of the line would take ⌊9 × 4.50 / 9.00⌋ = 4).
  @Test func aPartialReturnReversesWhatTheKeptBasketWouldNotHaveEarned() throws {
    var till = Till(pointsProgram(expiry: nil))
    try till.buy("T1", "2026-03-02", [till.line("mug", "home", 2, cents: 450)])
    #expect(till.stars == 9)
    let back = try till.run(.return(original: "T1"), "RT1", "2026-03-05", [till.line("mug", "home", cents: 0)])
    #expect(kinds(back) == ["-5 stars"])
    #expect(back.awards.first?.source == "base earn")
    #expect(back.awards.first?.explanation == "return of 1 × mug from T1: 5 stars reversed, the kept basket ($4.50) earns 4 stars instead of 9 stars")
    #expect(back.refunded == Money(minorUnits: 450, currency: till.program.currency))
    #expect(till.stars == 4)
    let rest = try till.run(.return(original: "T1"), "RT2", "2026-03-06", [till.line("mug", "home", cents: 0)])
    #expect(kinds(rest) == ["-4 stars"])
    #expect(till.stars == 0)
  }

  /// docs/semantics.md's dated example: a purchase record is kept until a later purchase finds
  /// it more than 366 days old.
  @Test func aRecordIsDroppedByTheFirstPurchaseAYearAndADayLater() throws {
    var quiet = Till(pointsProgram(expiry: nil))
    try quiet.buy("T1", "2026-01-05", [quiet.line("mug", "home", cents: 900)])
    let found = try quiet.run(.return(original: "T1"), "RT1", "2027-01-20", [quiet.line("mug", "home", cents: 0)])
    #expect(found.rejection == nil)
    #expect(kinds(found) == ["-9 stars"])

    var busy = Till(pointsProgram(expiry: nil))
    try busy.buy("T1", "2026-01-05", [busy.line("mug", "home", cents: 900)])
    try busy.buy("T2", "2027-01-10", [busy.line("pen", "home", cents: 100)])
    let refused = try busy.run(.return(original: "T1"), "RT1", "2027-01-20", [busy.line("mug", "home", cents: 0)])
    #expect(refused.rejection == "the original transaction `T1` is unknown or older than 366 days")
    #expect(busy.stars == 10)
  }

  /// A bonus whose condition the kept basket no longer meets is reversed with the return that
  /// breaks it, named after its rule, with the kept basket's amount.
  @Test func aBonusIsReversedWhenTheKeptBasketNoLongerQualifies() throws {
    var till = Till(pointsProgram(expiry: nil, bonus: 100))
    try till.buy("T1", "2026-03-02", [till.line("coat", "clothes", cents: 4_000), till.line("hat", "clothes", cents: 1_000)])
    #expect(till.stars == 150)
    let part = try till.run(.return(original: "T1"), "RT1", "2026-03-05", [till.line("hat", "clothes", cents: 0)])
    #expect(kinds(part) == ["-10 stars", "-100 stars"])
    #expect(part.awards.map(\.source) == ["base earn", "big basket"])
    #expect(part.awards.last?.explanation == "return of 1 × hat from T1: 100 stars reversed, the kept basket ($40.00) earns none of it")
    #expect(till.stars == 40)
  }

  /// `on return keep awards`: the bonus survives even a whole return; earning still recomputes.
  @Test func keptAwardsSurviveAnyReturn() throws {
    var till = Till(pointsProgram(expiry: nil, bonus: 100, bonusReturns: .keep))
    try till.buy("T1", "2026-03-02", [till.line("coat", "clothes", cents: 4_000), till.line("hat", "clothes", cents: 1_000)])
    let all = try till.run(.return(original: "T1"), "RT1", "2026-03-05",
                           [till.line("coat", "clothes", cents: 0), till.line("hat", "clothes", cents: 0)])
    #expect(kinds(all) == ["-50 stars"])
    #expect(till.stars == 100)
  }

  /// `reverse awards by share`: each return takes back the award's share of what came back of
  /// the lines it was earned on (rounded down, cumulatively), so the pieces add up exactly.
  @Test func partialReturnsByShareReverseTheReturnedShare() throws {
    var till = Till(pointsProgram(expiry: nil, returns: .share))
    // 3 × $3.33 = $9.99 and 1 × $10.01: 20 stars on $20.00.
    let buy = try till.buy("T1", "2026-03-02", [till.line("mug", "home", 3, cents: 333), till.line("tee", "clothes", cents: 1_001)])
    #expect(kinds(buy) == ["20 stars"])
    let first = try till.run(.return(original: "T1"), "RT1", "2026-03-05", [till.line("mug", "home", cents: 0)])
    // ⌊20 × 3.33 / 20.00⌋ = 3.
    #expect(kinds(first) == ["-3 stars"])
    #expect(first.refunded == Money(minorUnits: 333, currency: till.program.currency))
    let second = try till.run(.return(original: "T1"), "RT2", "2026-03-06", [till.line("mug", "home", cents: 0)])
    // ⌊20 × 6.66 / 20.00⌋ − 3 = 3.
    #expect(kinds(second) == ["-3 stars"])
    let third = try till.run(.return(original: "T1"), "RT3", "2026-03-07", [till.line("mug", "home", cents: 0)])
    // ⌊20 × 9.99 / 20.00⌋ − 6 = 3: 9 of the 20 for $9.99 of $20.00 back.
    #expect(kinds(third) == ["-3 stars"])
    #expect(till.stars == 11)
    #expect(till.state.ledger.map(\.spend) == [1_001])
    #expect(till.state.purchaseCount == 1)
    let last = try till.run(.return(original: "T1"), "RT4", "2026-03-08", [till.line("tee", "clothes", cents: 0)])
    #expect(kinds(last) == ["-11 stars"])
    #expect(till.stars == 0)
  }

  /// A state stored before purchase records kept their context: its purchases are returned as
  /// they were then (by share per line, the flat bonus only with the whole basket).
  @Test func aRecordWithoutContextIsReturnedAsBefore() throws {
    var till = Till(pointsProgram(expiry: nil, bonus: 100))
    try till.buy("T1", "2026-03-02", [till.line("coat", "clothes", cents: 4_000), till.line("hat", "clothes", cents: 1_000)])
    #expect(till.state.records[0].context != nil)
    till.state.records[0].context = nil
    let part = try till.run(.return(original: "T1"), "RT1", "2026-03-05", [till.line("hat", "clothes", cents: 0)])
    #expect(kinds(part) == ["-10 stars"])
    #expect(part.awards.first?.source == "return")
    let rest = try till.run(.return(original: "T1"), "RT2", "2026-03-06", [till.line("coat", "clothes", cents: 0)])
    #expect(kinds(rest) == ["-140 stars"])
    #expect(rest.awards.first?.explanation == "return of 1 × coat from T1: 140 stars reversed (including 100 of flat bonuses, the whole basket is back)")
    #expect(rest.refunded == Money(minorUnits: 4_000, currency: till.program.currency))
    #expect(till.stars == 0)
  }

  /// `on return keep stamps`: the card keeps the stamps and the free item it gave.
  @Test func aCardThatKeepsItsStampsIsLeftAlone() throws {
    var till = Till(pointsProgram(expiry: nil, keepsStampsOnReturn: true))
    try till.buy("T1", "2026-03-02", [till.line("latte", "coffee", 7, cents: 450)])
    let card = try till.buy("T2", "2026-03-03", [till.line("latte", "coffee", 2, cents: 450)])
    #expect(kinds(card) == ["2 stamps coffee card", "free latte", "4 stars"])
    #expect(till.state.stamps["coffee card"] == 1)
    // Both lattes back: the paid one is refunded, its stars go; the stamps and the free one stay.
    let back = try till.run(.return(original: "T2"), "RT1", "2026-03-04", [till.line("latte", "coffee", 2, cents: 0)])
    #expect(kinds(back) == ["-4 stars"])
    #expect(back.refunded == Money(minorUnits: 450, currency: till.program.currency))
    #expect(till.state.stamps["coffee card"] == 1)
  }

  @Test func returningMoreThanWasBoughtIsARejection() throws {
    var till = Till(pointsProgram(expiry: nil))
    try till.buy("T1", "2026-03-02", [till.line("mug", "home", 2, cents: 500)])
    try till.run(.return(original: "T1"), "RT1", "2026-03-05", [till.line("mug", "home", cents: 0)])
    let before = till.state
    let outcome = try till.run(.return(original: "T1"), "RT2", "2026-03-05", [till.line("mug", "home", 2, cents: 0)])
    #expect(outcome.rejection == "returns 2 × mug but `T1` bought 2 and 1 already came back")
    #expect(outcome.state == before)
    let unknown = try till.run(.return(original: "T9"), "RT3", "2026-03-05", [till.line("mug", "home", cents: 0)])
    #expect(unknown.rejection == "the original transaction `T9` is unknown or older than 366 days")
    let wrongItem = try till.run(.return(original: "T1"), "RT4", "2026-03-05", [till.line("hat", "home", cents: 0)])
    #expect(wrongItem.rejection == "`T1` has no `hat`")
  }

  /// A purchase rung up late (an older day after newer ones) puts the records out of day order:
  /// its record still leaves once it is more than 366 days older than a purchase, though it is
  /// not at the head, and the records are then in order again.
  @Test func aRecordOutOfDayOrderStillLeavesWhenTooOld() throws {
    var till = Till(pointsProgram(expiry: nil))
    try till.buy("A", "2026-06-01", [till.line("mug", "home", cents: 500)])
    try till.buy("B", "2025-01-01", [till.line("mug", "home", cents: 500)])
    #expect(till.state.records.map(\.id) == ["A", "B"])
    try till.buy("C", "2026-06-02", [till.line("mug", "home", cents: 500)])
    #expect(till.state.records.map(\.id) == ["A", "C"])
    let late = try till.run(.return(original: "B"), "RB", "2026-06-03", [till.line("mug", "home", cents: 0)])
    #expect(late.rejection == "the original transaction `B` is unknown or older than 366 days")
    let back = try till.run(.return(original: "A"), "RA", "2026-06-03", [till.line("mug", "home", cents: 0)])
    #expect(back.rejection == nil && kinds(back) == ["-5 stars"])
  }

  @Test func byShareAFlatBonusIsReversedOnlyWhenTheWholeBasketIsBack() throws {
    var till = Till(pointsProgram(expiry: nil, bonus: 100, returns: .share))
    try till.buy("T1", "2026-03-02", [till.line("coat", "clothes", cents: 4_000), till.line("hat", "clothes", cents: 1_000)])
    #expect(till.stars == 150)
    let part = try till.run(.return(original: "T1"), "RT1", "2026-03-05", [till.line("hat", "clothes", cents: 0)])
    #expect(kinds(part) == ["-10 stars"])
    let rest = try till.run(.return(original: "T1"), "RT2", "2026-03-06", [till.line("coat", "clothes", cents: 0)])
    #expect(kinds(rest) == ["-40 stars", "-100 stars"])
    #expect(rest.awards.last?.explanation == "return of 1 × coat from T1: 100 stars reversed, its share of what came back")
    #expect(till.stars == 0)
  }

  @Test func spentPointsAreAShortfallByDefault() throws {
    var till = Till(pointsProgram(expiry: nil))
    try till.buy("T1", "2026-03-02", [till.line("coat", "clothes", cents: 20_000)])
    try till.run(.redemption(reward: "free drink"), "R1", "2026-03-03")
    let back = try till.run(.return(original: "T1"), "RT1", "2026-03-05", [till.line("coat", "clothes", cents: 0)])
    #expect(kinds(back) == ["-50 stars"])
    #expect(back.shortfall == ["stars": 150])
    #expect(till.stars == 0)
  }

  @Test func spentPointsGoNegativeWhenTheProgramSaysSo() throws {
    var till = Till(pointsProgram(expiry: .inactivityMonths(1200), allowNegative: true))
    try till.buy("T1", "2026-03-02", [till.line("coat", "clothes", cents: 20_000)])
    try till.run(.redemption(reward: "free drink"), "R1", "2026-03-03")
    let back = try till.run(.return(original: "T1"), "RT1", "2026-03-05", [till.line("coat", "clothes", cents: 0)])
    #expect(kinds(back) == ["-200 stars"])
    #expect(back.shortfall == [:])
    #expect(till.stars == -150)
    #expect(till.state.lots.isEmpty)
    // Later earning pays the debt first.
    try till.buy("T2", "2026-03-10", [till.line("coat", "clothes", cents: 20_000)])
    #expect(till.stars == 50)
    #expect(till.lots == ["50 2026-03-10 -"])
  }

  @Test func heldPointsAreTakenBackFromTheHold() throws {
    var till = Till(pointsProgram(expiry: nil, hold: 14))
    try till.buy("T1", "2026-03-02", [till.line("coat", "clothes", cents: 20_000)])
    let back = try till.run(.return(original: "T1"), "RT1", "2026-03-05", [till.line("coat", "clothes", cents: 0)])
    #expect(kinds(back) == ["-200 stars"])
    #expect(back.pending == [:])
    #expect(back.awards.first?.explanation == "return of 1 × coat from T1: 200 stars reversed, the kept basket ($0.00) earns none of it, 200 of them still held")
    #expect(kinds(try till.advance("2026-03-20")) == [])
  }

  @Test func returnedStampsNeverGoBelowZeroAndAFreeDrinkRefundsNothing() throws {
    var till = Till(pointsProgram(expiry: nil))
    // 7 stamps, then a basket of 2 lattes completes the card: the cheaper is free, 1 stamp left.
    try till.buy("T1", "2026-03-02", [till.line("latte", "coffee", 7, cents: 450)])
    let card = try till.buy("T2", "2026-03-03", [till.line("latte", "coffee", 2, cents: 450)])
    #expect(kinds(card) == ["2 stamps coffee card", "free latte", "4 stars"])
    #expect(till.state.stamps["coffee card"] == 1)
    // One latte back: a paid one (paid units come back first): 4 stars, $4.50, one stamp.
    let paid = try till.run(.return(original: "T2"), "RT1", "2026-03-04", [till.line("latte", "coffee", cents: 0)])
    #expect(kinds(paid) == ["-1 stamps coffee card", "-4 stars"])
    #expect(paid.refunded == Money(minorUnits: 450, currency: till.program.currency))
    #expect(till.state.stamps["coffee card"] == 0)
    // The free latte back: no money, no points; its stamp cannot go below zero; the card is not
    // restored; the free item's value leaves the card's cost.
    let free = try till.run(.return(original: "T2"), "RT2", "2026-03-05", [till.line("latte", "coffee", cents: 0)])
    #expect(kinds(free) == ["free latte withdrawn"])
    #expect(free.awards.first?.source == "coffee card")
    #expect(free.refunded == Money(minorUnits: 0, currency: till.program.currency))
    #expect(till.state.stamps["coffee card"] == 0)
  }
}

@Test func aCappedEventRecordsOnlyWhatWasReallyEarned() {
  let program = pointsProgram(expiry: nil)
  var run = EvaluationRun(program: program, event: Event(kind: .purchase, id: "T", time: Instant(secondsSince1970: 0)),
                          customer: Customer(id: "c"), working: WorkingState(AccountState(), program: program))
  // Rules computed 100 + 50 per line and a flat 30, but a cap let only 120 through.
  run.linePoints = LineAmounts(rows: [[100], [50]])
  run.flatPoints = [30]
  run.earnedDelta = [120]
  run.trimAttributionToEarned()
  #expect(run.flatPoints == [0])
  #expect(run.linePoints == LineAmounts(rows: [[80], [40]]))
  // Nothing trimmed when everything went through.
  run.linePoints = LineAmounts(rows: [[7], [3]])
  run.flatPoints = [5]
  run.earnedDelta = [15]
  run.trimAttributionToEarned()
  #expect(run.linePoints == LineAmounts(rows: [[7], [3]]))
  #expect(run.flatPoints == [5])
}

/// A deterministic generator (64-bit LCG), so a failure is reproducible.
struct SplitMix {
  var state: UInt64
  mutating func next(_ bound: Int64) -> Int64 {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Int64((state >> 33) % UInt64(bound))
  }
}

@Test func piecewiseReturnsInAnyOrderUndoExactlyTheWholeBasket() throws {
  var random = SplitMix(state: 42)
  for round in 0..<60 {
    var till = Till(pointsProgram(expiry: nil, bonus: round % 3 == 0 ? 25 : nil))
    var lines: [LineItem] = []
    for i in 0..<(1 + random.next(4)) {
      let category = random.next(2) == 0 ? "coffee" : "bakery"
      lines.append(till.line("sku\(i)", category, 1 + random.next(5), cents: 99 + random.next(2_000)))
    }
    let buy = try till.buy("T", "2026-03-02", lines)
    let earned = till.stars
    let paid = buy.amountPaid.minorUnits
    let stamps = till.state.stamps["coffee card"] ?? 0
    // Every unit back, one or two at a time, lines in a shuffled order.
    var units: [String] = []
    for line in lines { units += Array(repeating: line.sku, count: Int(line.quantity)) }
    for i in units.indices.reversed() { units.swapAt(i, Int(random.next(Int64(i) + 1))) }
    var refunded: Int64 = 0
    var reversed: Int64 = 0
    var n = 0
    while !units.isEmpty {
      let take = min(units.count, 1 + Int(random.next(2)))
      let batch = Dictionary(grouping: units.prefix(take), by: { $0 }).map { ($0.key, Int64($0.value.count)) }.sorted { $0.0 < $1.0 }
      units.removeFirst(take)
      n += 1
      let back = try till.run(.return(original: "T"), "R\(n)", "2026-03-03", batch.map { till.line($0.0, "", $0.1, cents: 0) })
      #expect(back.rejection == nil)
      refunded += back.refunded?.minorUnits ?? 0
      reversed -= back.earned["stars"] ?? 0
    }
    #expect(refunded == paid, "round \(round)")
    #expect(reversed == earned, "round \(round)")
    #expect(till.stars == 0, "round \(round)")
    #expect(till.state.stamps["coffee card"] == 0, "round \(round) had \(stamps)")
    #expect(till.state.ledger.map(\.spend) == [0], "round \(round)")
    let again = try till.run(.return(original: "T"), "R-extra", "2026-03-04", [till.line(lines[0].sku, "", 1, cents: 0)])
    #expect(again.rejection != nil)
  }
}
