import Perk
import Testing

/// `earn … before discounts` (on the recorded prices, free units included) against the default,
/// `after discounts` (on what is paid), on purchases and on the returns that recompute them.
@Suite struct EarningBasisTests {
  static let source = shopHeader + """
    rule on receipt
      on purchase
      earn 1 stars per $1 spent before discounts

    rule on paid
      on purchase
      earn 1 stars per $1 spent after discounts

    rule unstated
      on purchase
      earn 1 stars per $1 spent

    rule sale
      on purchase
      discount 10% on basket

    """

  @Test func beforeDiscountsEarnsOnTheRecordedPrice() throws {
    var shop = try Shop(Self.source)
    let outcome = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "20.00"), ("b", "x", 1, "10.00")])
    // $30.00 recorded, $27.00 paid.
    #expect(awardLines(outcome) == ["sale: discount $3.00", "on receipt: 30 stars", "on paid: 27 stars", "unstated: 27 stars"])
  }

  @Test func aReturnReversesWhatEachBasisEarnedOnTheReturnedLine() throws {
    var shop = try Shop(Self.source)
    _ = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "20.00"), ("b", "x", 1, "10.00")], id: "T1")
    #expect(shop.state.balances["stars"] == 84)
    let back = try shop.giveBack("2026-03-03T10:00", "T1", [("b", 1)])
    // Kept: $20.00 recorded, $18.00 paid → 20 + 18 + 18.
    #expect(awardLines(back) == ["sale: discount -$1.00", "on receipt: -10 stars", "on paid: -9 stars", "unstated: -9 stars"])
    #expect(back.refunded?.description == "$9.00")
    #expect(shop.state.balances["stars"] == 56)
  }

  @Test func beforeDiscountsPerItemCountsFreeUnits() throws {
    var shop = try Shop(shopHeader + """
      rule per cd
        on purchase
        earn 5 stars per item in category cds before discounts

      rule per paid cd
        on purchase
        earn 5 stars per item in category cds

      rule cd deal
        on purchase
        buy 3 in category cds pay for 2

      """)
    let outcome = try shop.buy("2026-03-02T10:00", [("a", "cds", 3, "10.00")])
    #expect(awardLines(outcome) == ["cd deal: free a $10.00", "per cd: 15 stars", "per paid cd: 10 stars"])
  }

  @Test func reverseBySharesInProportionToRecordedPrices() throws {
    var shop = try Shop(shopHeader + """
      rule on receipt
        on purchase
        earn 1 stars per $1 spent before discounts
        on return reverse awards by share

      rule cd deal
        on purchase
        buy 2 pay for 1

      """)
    // $30.00 + $10.00 recorded, the $10.00 free: 40 stars.
    _ = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "30.00"), ("b", "x", 1, "10.00")], id: "T1")
    #expect(shop.state.balances["stars"] == 40)
    // The free $10.00 unit's share of the recorded $40.00 is a quarter: 10 stars.
    let back = try shop.giveBack("2026-03-03T10:00", "T1", [("b", 1)])
    #expect(awardLines(back).contains("on receipt: -10 stars"))
    #expect(shop.state.balances["stars"] == 30)
  }

  @Test func aMisspelledBasisIsALocatedError() {
    let diagnostics = compile(source: shopHeader + "rule r\n  on purchase\n  earn 1 stars per $1 spent before discount\n", path: "shop.perk")
      .diagnostics
    #expect(diagnostics.map(\.code.rawValue) == ["E0201"])
    #expect(diagnostics.first?.message == "expected `discounts` after `before`, found `discount`")
  }
}

extension Shop {
  /// Returns (sku, quantity) units of an earlier purchase, a day's events apart.
  mutating func giveBack(_ time: String, _ original: String, _ items: [(String, Int64)]) throws -> Outcome {
    count += 1
    let lines = items.map { LineItem(sku: $0.0, category: "", quantity: $0.1, unitPrice: Money(minorUnits: 0, currency: program.currency)) }
    let outcome = try program.evaluate(Event(kind: .return(original: original), id: "R\(count)", time: instant(time), lines: lines),
                                       customer: customer, state: state, budgets: &budgets)
    state = outcome.state
    return outcome
  }
}
