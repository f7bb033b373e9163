import Testing
import PerkSource
@testable import PerkRuntime

@Suite struct RedemptionTests {
  @Test func insufficientBalanceIsARejectionAndChangesNothing() throws {
    var till = Till(pointsProgram())
    try till.buy("T1", "2026-03-15", [till.line("jacket", "clothes", cents: 12_050)])
    let before = till.state
    let outcome = try till.run(.redemption(reward: "free drink"), "R1", "2026-03-16")
    #expect(outcome.rejection == "free drink needs 150 stars, has 120")
    #expect(outcome.awards.isEmpty)
    #expect(outcome.state == before)
    // The id was not used up: the same redemption can be tried again once the balance allows.
    try till.buy("T2", "2026-03-20", [till.line("scarf", "clothes", cents: 3_000)])
    let again = try till.run(.redemption(reward: "free drink"), "R1", "2026-03-21")
    #expect(again.rejection == nil)
    #expect(kinds(again) == ["redeemed free drink 150 stars"])
    #expect(till.stars == 0)
  }

  @Test func unknownRewardIsARejection() throws {
    var till = Till(pointsProgram())
    let outcome = try till.run(.redemption(reward: "free car"), "R1", "2026-03-16")
    #expect(outcome.rejection == "unknown reward `free car`; the rewards are `free drink`, `tote bag`")
  }

  @Test func rewardNamesIgnoreCaseAndSpacing() throws {
    var till = Till(pointsProgram())
    try till.buy("T1", "2026-03-15", [till.line("jacket", "clothes", cents: 20_000)])
    #expect(kinds(try till.run(.redemption(reward: "Free  Drink"), "R1", "2026-03-16")) == ["redeemed free drink 150 stars"])
  }

  @Test func closestToExpirySpendsTheSoonestExpiringLotFirst() throws {
    // Lots of 100 (March, expiring 2027-04-01) and 100 (January, expiring 2027-02-01) are not in expiry order.
    var till = Till(pointsProgram(expiry: .endOfMonthAfter(12), order: .closestToExpiryFirst))
    try till.buy("T1", "2026-03-15", [till.line("a", "x", cents: 10_000)])
    till.state.lots.append(PointsLot(currency: "stars", amount: 100, earned: LocalDate(iso: "2026-01-05")!,
                                     expiresOn: LocalDate(iso: "2027-02-01")!))
    till.state.balances["stars"] = 200
    let outcome = try till.run(.redemption(reward: "free drink"), "R1", "2026-04-01")
    #expect(outcome.awards.first?.explanation == "150 stars spent on free drink (worth $5.00), points closest to expiry first; 200 → 50 stars")
    #expect(till.lots == ["50 2026-03-15 2027-04-01"])
  }

  @Test func oldestFirstSpendsTheEarliestEarnedLotFirst() throws {
    var till = Till(pointsProgram(expiry: .inactivityMonths(1200), order: .oldestFirst))
    try till.buy("T1", "2026-03-15", [till.line("a", "x", cents: 10_000)])
    try till.buy("T2", "2026-04-15", [till.line("a", "x", cents: 10_000)])
    try till.run(.redemption(reward: "free drink"), "R1", "2026-05-01")
    #expect(till.lots == ["50 2026-04-15 -"])
  }

  @Test func heldPointsCannotBeSpentUntilReleased() throws {
    var till = Till(pointsProgram(expiry: .endOfMonthAfter(12), hold: 14))
    let buy = try till.buy("T1", "2026-03-15", [till.line("a", "x", cents: 20_000)])
    #expect(kinds(buy) == ["200 stars"])
    #expect(buy.balances["stars"] == 0)
    #expect(buy.pending == ["stars": 200])
    #expect(buy.facts.map(\.text) == ["200 stars become spendable on 2026-03-29"])
    let early = try till.run(.redemption(reward: "free drink"), "R1", "2026-03-20")
    #expect(early.rejection == "free drink needs 150 stars, has 0 (200 more held until the return window clears)")
    let released = try till.advance("2026-03-29")
    #expect(kinds(released) == ["released 200 stars"])
    #expect(released.awards.first?.explanation == "200 stars earned 2026-03-15 released after the 14-day hold")
    #expect(till.stars == 200)
    #expect(released.pending == [:])
    #expect(released.nextExpiry.map(\.text) == ["200 stars expire on 2027-04-01"])
    #expect(kinds(try till.run(.redemption(reward: "free drink"), "R1", "2026-03-30")) == ["redeemed free drink 150 stars"])
  }
}
