import Perk
import Testing

/// `buy N … pay for M cheapest across the basket` against the grouping `in groups dearest first`.
@Suite struct CheapestAcrossBasketTests {
  static func shop(_ selection: String) throws -> Shop {
    try Shop(shopHeader + """
      rule bogo
        on purchase
        buy 2 in category candy pay for 1\(selection)

      """)
  }

  static let fourCandies: [(String, String, Int64, String)] = [
    ("ten", "candy", 1, "10.00"), ("nine", "candy", 1, "9.00"), ("two", "candy", 1, "2.00"), ("one", "candy", 1, "1.00")]

  @Test func acrossTheBasketFreesTheCheapestUnits() throws {
    var shop = try Self.shop(" cheapest across the basket")
    let outcome = try shop.buy("2026-03-02T10:00", Self.fourCandies)
    #expect(awardLines(outcome) == ["bogo: free two $2.00", "bogo: free one $1.00"])
    #expect(outcome.amountPaid.description == "$19.00")
  }

  @Test func groupsDearestFirstFreeOneOfEachPair() throws {
    for selection in [" in groups dearest first", ""] {
      var shop = try Self.shop(selection)
      let outcome = try shop.buy("2026-03-02T10:00", Self.fourCandies)
      #expect(awardLines(outcome) == ["bogo: free nine $9.00", "bogo: free one $1.00"], "selection `\(selection)`")
      #expect(outcome.amountPaid.description == "$12.00")
    }
  }

  @Test func freeUnitsAreTheFloorOfTheCountTimesTheFreePerGroup() throws {
    var shop = try Shop(shopHeader + """
      rule deal
        on purchase
        buy 5 pay for 3 cheapest across basket

      """)
    // 11 units, $33.00: ⌊11 / 5⌋ × 2 = 4 free, the cheapest four: 3 × $1 (one line) and one $2.
    let outcome = try shop.buy("2026-03-02T10:00", [("a", "x", 4, "5.00"), ("b", "x", 2, "2.00"), ("c", "x", 3, "1.00"),
                                                   ("d", "x", 2, "3.00")])
    #expect(awardLines(outcome) == ["deal: free b $2.00", "deal: free c $1.00", "deal: free c $1.00", "deal: free c $1.00"])
    #expect(outcome.amountPaid.description == "$28.00")
  }

  @Test func aReturnRepricesTheKeptBasket() throws {
    var s = try Scenario(file: "snacks-cheapest-across-basket.perk")
    let bought = try s.buy("2026-03-02T10:00", [("a", "snacks", 1, "5.00"), ("b", "snacks", 1, "4.00"), ("c", "snacks", 1, "3.00"),
                                                ("d", "snacks", 1, "2.00"), ("e", "snacks", 2, "1.00")], id: "T1")
    #expect(lines(bought) == ["snacks buy 3 pay 2: free e $1.00", "snacks buy 3 pay 2: free e $1.00", "base earn: 14 points"])
    // Kept 5, 4, 3, 1, 1: one unit free, $13.00 of the $14.00 paid.
    let first = try s.giveBack("2026-03-03T10:00", [("d", 1)], from: "T1")
    #expect(first.refunded?.description == "$1.00")
    #expect(s.state.balances["points"] == 13)
    let second = try s.giveBack("2026-03-04T10:00", [("a", 1)], from: "T1")
    #expect(second.refunded?.description == "$5.00")
    #expect(s.state.balances["points"] == 8)
  }

  @Test func aMisspelledSelectionIsALocatedError() {
    let diagnostics = compile(source: shopHeader + "rule r\n  on purchase\n  buy 3 pay for 2 cheapest across the shop\n", path: "shop.perk")
      .diagnostics
    #expect(diagnostics.map(\.code.rawValue) == ["E0201"])
    #expect(diagnostics.first?.message == "expected `basket` after `cheapest across`, found `shop`")
  }
}
