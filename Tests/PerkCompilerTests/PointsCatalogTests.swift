import Foundation
import Perk
import Testing

/// Returns, redemptions and period ends on the catalog's rule files (P1, P3, P9), with exact outcomes.
extension Scenario {
  func instant(_ time: String) throws -> Instant {
    try program.decodeEvent(
      JSONNode.parse(Array("{\"type\":\"signup\",\"id\":\"x\",\"time\":\"\(time)\"}".utf8), path: "t"), path: "t").time
  }

  /// Returns units (sku, quantity) of an earlier purchase.
  mutating func giveBack(_ time: String, _ original: String, _ lines: [(String, Int64)], id: String) throws -> Outcome {
    let items = lines.map { LineItem(sku: $0.0, category: "", quantity: $0.1, unitPrice: .zero(program.currency)) }
    let outcome = try program.evaluate(Event(kind: .return(original: original), id: id, time: instant(time), lines: items),
                                       customer: customer, state: state)
    state = outcome.state
    return outcome
  }

  mutating func redeem(_ time: String, _ reward: String, id: String) throws -> Outcome {
    let outcome = try program.evaluate(Event(kind: .redemption(reward: reward), id: id, time: instant(time)),
                                       customer: customer, state: state)
    state = outcome.state
    return outcome
  }

  mutating func advance(_ time: String) throws -> Outcome {
    let outcome = try program.advance(to: instant(time), customer: customer, state: state)
    state = outcome.state
    return outcome
  }
}

func awardTexts(_ outcome: Outcome) -> [String] {
  outcome.awards.map { award in
    switch award.kind {
    case .points(let c, let a, _): return "\(a) \(c)"
    case .stamps(let card, let n): return "\(n) stamps \(card)"
    case .freeItem(let sku, let value): return "free \(sku) \(value)"
    case .expired(let c, let a, _): return "expired \(a) \(c)"
    case .released(let c, let a): return "released \(a) \(c)"
    case .redeemed(let r, let c, let cost, _): return "redeemed \(r) for \(cost) \(c)"
    case .tierChange(let from, let to): return "\(from ?? "-") → \(to ?? "-")"
    case .voucher(let name, _, _): return "voucher \(name)"
    case .reward(let name, _): return "reward \(name)"
    case .discount(let value): return "discount \(value)"
    case .rebate(let r): return "rebate \(r.phase.rawValue) \(r.rebate) \(r.amount)"
    }
  }
}

// MARK: - P9 expiring points

@Test func p9PointsExpireAtTheEndOfThe12thMonthAfterTheEarningMonth() throws {
  var s = try Scenario(file: "p9-expiring-points.perk")
  let march = try s.buy("2026-03-15T12:00", [("jacket", "clothes", 1, "700.00")])
  #expect(march.nextExpiry.map(\.text) == ["700 points expire on 2027-04-01"])
  _ = try s.buy("2026-05-20T12:00", [("boots", "shoes", 1, "600.99")])
  // Closest to expiry first: the March lot (gone 2027-04-01) before the May lot (gone 2027-06-01).
  let redeemed = try s.redeem("2027-01-10T12:00", "ten dollars off", id: "R1")
  #expect(awardTexts(redeemed) == ["redeemed ten dollars off for 1000 points"])
  #expect(redeemed.balances == ["points": 300])
  #expect(redeemed.nextExpiry.map(\.text) == ["300 points expire on 2027-06-01"])
  #expect(redeemed.nearMisses.map(\.text) == ["700 points to ten dollars off"])
  let refused = try s.redeem("2027-01-11T12:00", "free hat", id: "R2")
  #expect(refused.rejection == "free hat needs 2500 points, has 300")
  #expect(awardTexts(try s.advance("2027-05-31T23:59")) == [])
  let gone = try s.advance("2027-06-01T00:00")
  #expect(awardTexts(gone) == ["expired 300 points"])
  #expect(gone.awards.first?.explanation == "300 points earned 2026-05-20 expired at the end of 2027-05-31")
  #expect(gone.balances == ["points": 0])
  #expect(gone.nextExpiry.isEmpty)
}

@Test func p9LastMinuteOfTheMonthIsStillInTheMonthAcrossDST() throws {
  // Earned 23:30 on 2026-10-31 (EDT); usable through 2027-10-31 although clocks changed twice since.
  var s = try Scenario(file: "p9-expiring-points.perk")
  _ = try s.buy("2026-10-31T23:30", [("coat", "clothes", 1, "50.00")])
  #expect(s.state.lots.map(\.expiresOn) == [LocalDate(iso: "2027-11-01")])
  #expect(awardTexts(try s.advance("2027-10-31T23:59")) == [])
  #expect(awardTexts(try s.advance("2027-11-01T00:01")) == ["expired 50 points"])
}

@Test func p9ReturnTakesBackFromTheOriginalsLotFirst() throws {
  var s = try Scenario(file: "p9-expiring-points.perk")
  _ = try s.buy("2026-03-15T12:00", [("jacket", "clothes", 1, "700.00")])
  _ = try s.buy("2026-05-20T12:00", [("boots", "shoes", 2, "300.00")], id: "BOOTS")
  let back = try s.giveBack("2026-05-25T12:00", "BOOTS", [("boots", 1)], id: "RB")
  #expect(awardTexts(back) == ["-300 points"])
  #expect(back.refunded?.description == "$300.00")
  #expect(s.state.lots.map(\.amount) == [700, 300])
  #expect(back.facts.map(\.text) == ["700 points expire on 2027-04-01", "300 points expire on 2027-06-01"])
}

// MARK: - P3 returns reduce spend, no downgrade before the review

@Test func p3ReturnKeepsTheTierUntilTheJanuaryReview() throws {
  var s = try Scenario(file: "p3-fashion-tiers.perk")
  let big = try s.buy("2026-06-01T12:00", [("coat", "outerwear", 1, "700.00"), ("boots", "shoes", 1, "300.00")], id: "BIG")
  #expect(tierChanges(big) == ["member → gold"])
  #expect(points(big) == [1000])
  let back = try s.giveBack("2026-07-01T12:00", "BIG", [("boots", 1)], id: "RB")
  // 300 of the 1,000 points were the boots' (the line paid $300 of $1,000).
  #expect(awardTexts(back) == ["-300 club points"])
  #expect(back.tierAfter == "gold")
  #expect(s.state.ledger.map(\.spend) == [70_000])
  #expect(s.state.purchaseCount == 1)
  // Gold was reached only with the boots; on January 1 the year's $700 reviews to silver.
  #expect(awardTexts(try s.advance("2026-12-31T23:00")) == [])
  let review = try s.advance("2027-01-01T00:30")
  #expect(awardTexts(review) == ["gold → silver"])
  #expect(review.facts.map(\.text) == ["silver is kept until 2027-12-31"])
  // Silver earns x1.5 through 2027.
  let next = try s.buy("2027-03-01T12:00", [("scarf", "accessories", 1, "40.00")])
  #expect(points(next) == [60])
}

@Test func p3WithoutAReturnGoldIsKeptThroughTheNextYear() throws {
  var s = try Scenario(file: "p3-fashion-tiers.perk")
  _ = try s.buy("2026-06-01T12:00", [("coat", "outerwear", 1, "1000.00")])
  let review = try s.advance("2027-01-01T00:30")
  #expect(awardTexts(review) == [])
  #expect(review.tierAfter == "gold")
  #expect(review.nearMisses.map(\.text) == [])
}

@Test func p3NearMissSaysHowMuchMoreSpendToTheNextTier() throws {
  var s = try Scenario(file: "p3-fashion-tiers.perk")
  let outcome = try s.buy("2026-06-01T12:00", [("tee", "tops", 1, "210.00")])
  #expect(outcome.nearMisses.map(\.text) == ["$40.00 more spend to silver (net amounts paid, before tax)"])
}

// MARK: - P1 returns of stamped drinks

@Test func p1ReturnedDrinksTakeTheirStampsBackNeverBelowZero() throws {
  var s = try Scenario(file: "p1-corner-cafe-punch-card.perk")
  _ = try s.buy("2026-03-02T08:00", [("latte", "coffee", 5, "4.50")], id: "A")
  let back = try s.giveBack("2026-03-02T09:00", "A", [("latte", 2)], id: "RA")
  #expect(awardTexts(back) == ["-2 stamps drink card"])
  #expect(back.refunded?.description == "$9.00")
  #expect(s.state.stamps["drink card"] == 3)
  // 3 + 5 = 8: the card completes and one latte of B is free; 0 stamps left.
  let b = try s.buy("2026-03-03T08:00", [("latte", "coffee", 5, "4.50")], id: "B")
  #expect(freeItems(b) == ["latte $4.50"])
  #expect(s.state.stamps["drink card"] == 0)
  // All five back: four paid ($18.00), then the free one (no money); no stamp to take, the card is
  // not restored; the free latte's value leaves the card's cost.
  let all = try s.giveBack("2026-03-03T09:00", "B", [("latte", 5)], id: "RB")
  #expect(awardTexts(all) == ["free latte -$4.50"])
  #expect(all.refunded?.description == "$18.00")
  #expect(s.state.stamps["drink card"] == 0)
  let again = try s.giveBack("2026-03-03T09:05", "B", [("latte", 1)], id: "RB2")
  #expect(again.rejection == "returns 1 × latte but `B` bought 5 and 5 already came back")
}
