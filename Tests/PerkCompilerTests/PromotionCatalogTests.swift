import Perk
import Testing

/// The catalog programs built on promotions and caps (rules/p2, p5, p10), pinned on their edge cases.

func lines(_ outcome: Outcome) -> [String] { awardLines(outcome) }

// MARK: - P2 neighbourhood bakery

@Test func p2WholeDollarsAndEarlyBreadOnAWeekday() throws {
  var s = try Scenario(file: "p2-bakery-points.perk")
  // Monday 2026-03-02. $12.50 of cake: 12 whole dollars.
  #expect(lines(try s.buy("2026-03-02T10:00", [("cake", "cake", 1, "12.50")])) == ["base earn: 12 bakery points"])
  // 08:59: the bread earns 5 per whole dollar instead ($7.99 → 7 × 5), the coffee stays on base.
  #expect(lines(try s.buy("2026-03-02T08:59", [("sourdough", "bread", 1, "7.99"), ("coffee", "drinks", 1, "4.00")]))
    == ["base earn: 4 bakery points", "early bread: 35 bakery points"])
  // 09:00 is not before 09:00: everything on base, $11.99 → 11.
  #expect(lines(try s.buy("2026-03-02T09:00", [("sourdough", "bread", 1, "7.99"), ("coffee", "drinks", 1, "4.00")]))
    == ["base earn: 11 bakery points"])
  #expect(s.state.balances["bakery points"] == 62)
}

@Test func p2WeekendsDoubleEarlyBreadToo() throws {
  var s = try Scenario(file: "p2-bakery-points.perk")
  // Saturday 2026-03-07, 08:30: 7 × 5 × 2 = 70.
  let outcome = try s.buy("2026-03-07T08:30", [("sourdough", "bread", 1, "7.99")])
  #expect(lines(outcome) == ["early bread: 70 bakery points"])
  #expect(outcome.awards[0].explanation == "7 × $1.00 of $7.99 spent × 5 bakery points per $1.00 × 2 (weekend double) = 70 bakery points")
}

@Test func p2DailyCapOf300LosesTheExcess() throws {
  var s = try Scenario(file: "p2-bakery-points.perk")
  // Saturday: $200 → 400 → capped at 300, 100 lost.
  let first = try s.buy("2026-03-07T12:00", [("cake", "cake", 4, "50.00")])
  #expect(lines(first) == ["base earn: 300 bakery points"])
  #expect(first.awards[0].explanation.hasSuffix("= 400 bakery points; capped at 300 bakery points per day with 0 already earned: 300 kept, 100 lost"))
  // Later the same day: nothing more.
  #expect(lines(try s.buy("2026-03-07T18:00", [("bun", "bread", 1, "3.00")])) == ["base earn: 0 bakery points"])
  // Sunday is a new day: the cap is fresh (the excess was lost, not carried).
  #expect(lines(try s.buy("2026-03-08T10:00", [("bun", "bread", 1, "3.00")])) == ["base earn: 6 bakery points"])
  #expect(s.state.balances["bakery points"] == 306)
}

@Test func p2TheCapIsFilledInFileOrder() throws {
  var s = try Scenario(file: "p2-bakery-points.perk")
  // Saturday 08:00: cake $50 on base (100) comes first; the bread's 300 is cut to 200.
  let outcome = try s.buy("2026-03-07T08:00", [("sourdough", "bread", 1, "30.00"), ("cake", "cake", 1, "50.00")])
  #expect(lines(outcome) == ["base earn: 100 bakery points", "early bread: 200 bakery points"])
  #expect(s.state.balances["bakery points"] == 300)
}

@Test func p2CapDayIsTheLocalDayAcrossTheSpringForwardNight() throws {
  var s = try Scenario(file: "p2-bakery-points.perk")
  // Sunday 2026-03-08 (23 hours in New York): 23:30 is already Monday in UTC but still Sunday here.
  #expect(lines(try s.buy("2026-03-08T00:30", [("cake", "cake", 3, "50.00")])) == ["base earn: 300 bakery points"])
  #expect(lines(try s.buy("2026-03-08T23:30", [("cake", "cake", 1, "10.00")])) == ["base earn: 0 bakery points"])
  #expect(lines(try s.buy("2026-03-09T00:00", [("cake", "cake", 1, "10.00")])) == ["base earn: 10 bakery points"])
}

// MARK: - P5 win-back

@Test func p5FifteenPercentOnTheComebackPurchaseOnly() throws {
  var s = try Scenario(file: "p5-win-back.perk")
  // The first purchase is no comeback.
  let first = try s.buy("2026-01-02T10:00", [("shoes", "shoes", 1, "40.00")])
  #expect(lines(first) == ["base earn: 40 points"])
  // 60 days later (2026-03-03): 15% off each line, half even — $3.30 → 50¢, $3.10 → 46¢, $30 → $4.50.
  let back = try s.buy("2026-03-03T10:00", [("socks", "socks", 1, "3.30"), ("laces", "socks", 1, "3.10"), ("bag", "bags", 1, "30.00")])
  #expect(lines(back) == ["welcome back: discount $5.46", "base earn: 30 points"])
  #expect(back.amountPaid.description == "$30.94")
  #expect(back.awards[0].explanation == "15% off $36.40 on 3 lines = $5.46 (each line rounded half even)")
}

@Test func p5FiftyNineDaysIsNotAComeback() throws {
  var s = try Scenario(file: "p5-win-back.perk")
  _ = try s.buy("2026-01-02T10:00", [("shoes", "shoes", 1, "40.00")])
  let outcome = try s.buy("2026-03-02T23:59", [("bag", "bags", 1, "30.00")])
  #expect(lines(outcome) == ["base earn: 30 points"])
  #expect(outcome.amountPaid.description == "$30.00")
}

@Test func p5AtMostOncePer365Days() throws {
  var s = try Scenario(file: "p5-win-back.perk")
  _ = try s.buy("2026-01-02T10:00", [("shoes", "shoes", 1, "40.00")])
  #expect(lines(try s.buy("2026-03-03T10:00", [("bag", "bags", 1, "20.00")])) == ["welcome back: discount $3.00", "base earn: 17 points"])
  // Away again for 90 days, but the last discount was 90 days ago: full price.
  #expect(lines(try s.buy("2026-06-01T10:00", [("bag", "bags", 1, "20.00")])) == ["base earn: 20 points"])
  // 2027-03-02 is day 364 after the discount: still within the 365 days.
  var early = s
  #expect(lines(try early.buy("2027-03-02T10:00", [("bag", "bags", 1, "20.00")])) == ["base earn: 20 points"])
  // 2027-03-03 is 365 days later: eligible again (and 275 days since the last purchase).
  #expect(lines(try s.buy("2027-03-03T10:00", [("bag", "bags", 1, "20.00")])) == ["welcome back: discount $3.00", "base earn: 17 points"])
}

// MARK: - P10 buy 3 pay 2

@Test func p10ThreeMixedSnacksTheCheapestIsFree() throws {
  var s = try Scenario(file: "p10-snacks-buy-3-pay-2.perk")
  let outcome = try s.buy("2026-03-02T10:00", [("chips", "snacks", 1, "2.50"), ("nuts", "snacks", 1, "1.99"),
                                                ("jerky", "snacks", 1, "3.25"), ("cola", "drinks", 1, "1.50")])
  #expect(lines(outcome) == ["snacks buy 3 pay 2: free nuts $1.99", "base earn: 7 points"])
  #expect(outcome.amountPaid.description == "$7.25")
}

@Test func p10SixSnacksFreeTwoOneFromEachGroupOfThree() throws {
  var s = try Scenario(file: "p10-snacks-buy-3-pay-2.perk")
  // Dearest first: 5, 4, 3 | 2, 1, 1 → the $3 and one $1 are free (not both $1 units).
  let outcome = try s.buy("2026-03-02T10:00", [("a", "snacks", 1, "5.00"), ("b", "snacks", 1, "4.00"), ("c", "snacks", 1, "3.00"),
                                                ("d", "snacks", 1, "2.00"), ("e", "snacks", 2, "1.00")])
  #expect(lines(outcome) == ["snacks buy 3 pay 2: free c $3.00", "snacks buy 3 pay 2: free e $1.00", "base earn: 12 points"])
  #expect(outcome.amountPaid.description == "$12.00")
}

@Test func p10IncompleteGroupsPayFullPrice() throws {
  var s = try Scenario(file: "p10-snacks-buy-3-pay-2.perk")
  #expect(lines(try s.buy("2026-03-02T10:00", [("chips", "snacks", 2, "2.50")])) == ["base earn: 5 points"])
  // 5 snacks: one full group; the two cheapest of the five are in the incomplete group.
  let five = try s.buy("2026-03-02T11:00", [("chips", "snacks", 3, "2.50"), ("mints", "snacks", 2, "0.80")])
  #expect(lines(five) == ["snacks buy 3 pay 2: free chips $2.50", "base earn: 6 points"])
  #expect(five.amountPaid.description == "$6.60")
}

@Test func p10EqualPricesFreeTheEarlierLine() throws {
  var s = try Scenario(file: "p10-snacks-buy-3-pay-2.perk")
  let outcome = try s.buy("2026-03-02T10:00", [("salted", "snacks", 1, "2.00"), ("paprika", "snacks", 1, "2.00"), ("bbq", "snacks", 1, "2.00")])
  #expect(lines(outcome) == ["snacks buy 3 pay 2: free salted $2.00", "base earn: 4 points"])
}

// MARK: - Returns recompute the deal

extension Scenario {
  /// Returns (sku, quantity) units of an earlier purchase.
  mutating func giveBack(_ time: String, _ items: [(String, Int64)], from original: String) throws -> Outcome {
    count += 1
    let instant = try program.decodeEvent(
      JSONNode.parse(Array("{\"type\":\"signup\",\"id\":\"x\",\"time\":\"\(time)\"}".utf8), path: "t"), path: "t").time
    let lines = items.map { LineItem(sku: $0.0, category: "", quantity: $0.1, unitPrice: Money(minorUnits: 0, currency: program.currency)) }
    let outcome = try program.evaluate(Event(kind: .return(original: original), id: "R\(count)", time: instant, lines: lines),
                                       customer: customer, state: state)
    state = outcome.state
    return outcome
  }
}

@Test func p10PartialReturnsRecomputeWhatWasFree() throws {
  var s = try Scenario(file: "p10-snacks-buy-3-pay-2.perk")
  let bought = try s.buy("2026-03-02T10:00", [("jerky", "snacks", 1, "3.00"), ("chips", "snacks", 1, "2.00"), ("nuts", "snacks", 1, "1.00")], id: "T1")
  #expect(lines(bought) == ["snacks buy 3 pay 2: free nuts $1.00", "base earn: 5 points"])
  // Returning the jerky breaks the deal: the kept chips and nuts now cost $3.00 of the $5.00
  // paid, so $2.00 comes back (not $3.00), and 5 × 3/5 = 3 points stay.
  let first = try s.giveBack("2026-03-03T10:00", [("jerky", 1)], from: "T1")
  #expect(first.refunded?.description == "$2.00")
  #expect(s.state.balances["points"] == 3)
  // Then the chips: the nuts alone cost $1.00; $2.00 back, 1 point stays.
  let second = try s.giveBack("2026-03-04T10:00", [("chips", 1)], from: "T1")
  #expect(second.refunded?.description == "$2.00")
  #expect(s.state.balances["points"] == 1)
  // The nuts, free at the till, were paid for after all: $1.00 back, the last point goes.
  let third = try s.giveBack("2026-03-05T10:00", [("nuts", 1)], from: "T1")
  #expect(third.refunded?.description == "$1.00")
  #expect(s.state.balances["points"] == 0)
}

@Test func p10ReturningOneOfSixLosesTheSecondFreeUnit() throws {
  var s = try Scenario(file: "p10-snacks-buy-3-pay-2.perk")
  _ = try s.buy("2026-03-02T10:00", [("a", "snacks", 1, "5.00"), ("b", "snacks", 1, "4.00"), ("c", "snacks", 1, "3.00"),
                                     ("d", "snacks", 1, "2.00"), ("e", "snacks", 2, "1.00")], id: "T1")
  #expect(s.state.balances["points"] == 12)
  // Kept: 5, 4, 3 | 1, 1 — one free unit instead of two: the kept units cost $11.00 of $12.00.
  let back = try s.giveBack("2026-03-03T10:00", [("d", 1)], from: "T1")
  #expect(back.refunded?.description == "$1.00")
  #expect(s.state.balances["points"] == 11)
  // Returning everything else gives back exactly the rest.
  let rest = try s.giveBack("2026-03-04T10:00", [("a", 1), ("b", 1), ("c", 1), ("e", 2)], from: "T1")
  #expect(rest.refunded?.description == "$11.00")
  #expect(s.state.balances["points"] == 0)
}

@Test func aReturnRepricesTheKeptUnitsOfADiscountedLine() throws {
  var s = try Scenario(file: "p5-win-back.perk")
  _ = try s.buy("2026-01-02T10:00", [("shoes", "shoes", 1, "40.00")])
  _ = try s.buy("2026-03-03T10:00", [("socks", "socks", 2, "3.30"), ("bag", "bags", 1, "30.00")], id: "T2")
  // 15% off per line: socks $6.60 → $5.61 ($0.99 off), bag $30.00 → $25.50. One pair back: the
  // kept pair costs $3.30 − $0.50 ($0.495 rounded half even) = $2.80, so $5.61 − $2.80 comes back
  // (a share of the line would give ⌊$5.61 / 2⌋ = $2.80).
  let back = try s.giveBack("2026-03-04T10:00", [("socks", 1)], from: "T2")
  #expect(back.refunded?.description == "$2.81")
  // The other pair: the rest of what was paid for the line.
  let rest = try s.giveBack("2026-03-05T10:00", [("socks", 1)], from: "T2")
  #expect(rest.refunded?.description == "$2.80")
}
