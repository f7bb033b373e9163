import Perk
import Testing

/// Price promotions: exact discounts, rounding, allocation, deals and free items, earning after them.
@Suite struct PromotionTests {
  static let percent = shopHeader + """
    rule base earn
      on purchase
      earn 10 stars per $1 spent

    rule fifteen off
      on purchase
      discount 15% on basket

    """

  @Test func percentOffRoundsEachLineHalfEvenAndPointsAreEarnedOnWhatIsPaid() throws {
    var shop = try Shop(Self.percent)
    // 15% of $3.30 = 49.5¢ → 50¢ (even); 15% of $3.10 = 46.5¢ → 46¢ (even).
    let outcome = try shop.buy("2026-03-02T10:00", [("bun", "bread", 1, "3.30"), ("roll", "bread", 1, "3.10")])
    #expect(awardLines(outcome) == ["fifteen off: discount $0.96", "base earn: 54 stars"])
    #expect(outcome.amountPaid.description == "$5.44")
    #expect(outcome.awards[0].explanation == "15% off $6.40 on 2 lines = $0.96 (each line rounded half even)")
    #expect(outcome.awards[1].explanation.hasPrefix("$5.44 spent × 10 stars per $1.00"))
    #expect(outcome.state.ledger.last?.spend == 544)
  }

  @Test func percentRoundingIsStatedOnTheEffect() throws {
    let source = Self.percent.replacingOccurrences(of: "discount 15% on basket", with: "discount 15% on basket round half up")
    var shop = try Shop(source)
    let outcome = try shop.buy("2026-03-02T10:00", [("bun", "bread", 1, "3.30"), ("roll", "bread", 1, "3.10")])
    #expect(awardLines(outcome).first == "fifteen off: discount $0.97")
    #expect(outcome.amountPaid.description == "$5.43")
  }

  @Test func percentOnACategoryLeavesOtherLinesAlone() throws {
    var shop = try Shop(shopHeader + """
      rule bread deal
        on purchase
        discount 20% on category bread

      """)
    let outcome = try shop.buy("2026-03-02T10:00", [("loaf", "bread", 2, "4.25"), ("jam", "pantry", 1, "5.00")])
    #expect(awardLines(outcome) == ["bread deal: discount $1.70"])
    #expect(outcome.amountPaid.description == "$11.80")
  }

  @Test func fixedBasketDiscountIsSpreadByLargestRemainder() throws {
    var shop = try Shop(shopHeader + """
      rule dollar off
        on purchase
        discount $1 on basket

      rule base earn
        on purchase
        earn 1 stars per $0.01 spent on sku b

      """)
    // $1 over three $1 lines: 33¢ each and the spare cent to the first line (ties go to the earlier line).
    let outcome = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "1.00"), ("b", "x", 1, "1.00"), ("c", "x", 1, "1.00")])
    #expect(awardLines(outcome) == ["dollar off: discount $1.00", "base earn: 67 stars"])
    #expect(outcome.amountPaid.description == "$2.00")
  }

  @Test func fixedDiscountNeverExceedsTheBasket() throws {
    var shop = try Shop(shopHeader + """
      rule five off
        on purchase
        discount $5 on basket

      """)
    let outcome = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "3.00")])
    #expect(awardLines(outcome) == ["five off: discount $3.00"])
    #expect(outcome.amountPaid.description == "$0.00")
    #expect(outcome.awards[0].explanation == "$5.00 off $3.00, no more than the lines cost = $3.00, spread over 1 line in proportion to their amounts")
  }

  @Test func perItemDiscountCountsUnits() throws {
    var shop = try Shop(shopHeader + """
      rule snack saver
        on purchase
        discount $0.50 per item in category snacks

      """)
    let outcome = try shop.buy("2026-03-02T10:00", [("chips", "snacks", 3, "1.20"), ("mints", "snacks", 1, "0.30"), ("soda", "drinks", 1, "2.00")])
    // The mints cost less than the discount: their line goes to zero, no further.
    #expect(awardLines(outcome) == ["snack saver: discount $1.80"])
    #expect(outcome.amountPaid.description == "$4.10")
  }

  @Test func cheapestItemFreeTakesOneUnit() throws {
    var shop = try Shop(shopHeader + """
      rule treat
        on purchase
        when basket items in category cake >= 2
        cheapest item in category cake is free

      rule dearest
        on purchase
        when basket items in category pie >= 2
        most expensive item in category pie is free

      """)
    let outcome = try shop.buy("2026-03-02T10:00", [("eclair", "cake", 2, "3.50"), ("tart", "cake", 1, "2.75"),
                                                   ("apple", "pie", 1, "4.00"), ("pecan", "pie", 1, "6.00")])
    #expect(awardLines(outcome) == ["treat: free tart $2.75", "dearest: free pecan $6.00"])
    #expect(outcome.amountPaid.description == "$11.00")
  }

  @Test func buyThreePayForTwoGroupsDearestFirst() throws {
    var shop = try Shop(shopHeader + """
      rule snacks deal
        on purchase
        buy 3 in category snacks pay for 2

      """)
    // Units dearest first: 5, 4, 3 | 2, 1, 1 → the 3 and one 1 are free (not the two 1s).
    let outcome = try shop.buy("2026-03-02T10:00", [("a", "snacks", 1, "5.00"), ("b", "snacks", 1, "4.00"), ("c", "snacks", 1, "3.00"),
                                                   ("d", "snacks", 1, "2.00"), ("e", "snacks", 2, "1.00"), ("f", "drinks", 1, "9.00")])
    #expect(awardLines(outcome) == ["snacks deal: free c $3.00", "snacks deal: free e $1.00"])
    #expect(outcome.amountPaid.description == "$21.00")
  }

  @Test func buyTwoPayForOneWithAnIncompleteGroup() throws {
    var shop = try Shop(shopHeader + """
      rule bogo
        on purchase
        buy 2 pay for 1

      """)
    let outcome = try shop.buy("2026-03-02T10:00", [("a", "x", 5, "2.00")])
    #expect(awardLines(outcome) == ["bogo: free a $2.00", "bogo: free a $2.00"])
    #expect(outcome.amountPaid.description == "$6.00")
  }

  @Test func hugeQuantitiesDoNotFloodTheOutcome() throws {
    var shop = try Shop(shopHeader + """
      rule bogo
        on purchase
        buy 2 pay for 1

      """)
    // The largest basket evaluation accepts (see RunawayInputTests) frees half a million units.
    let outcome = try shop.buy("2026-03-02T10:00", [("a", "x", 1_000_000, "0.01")])
    #expect(outcome.awards.count == 1_001)
    #expect(outcome.amountPaid.description == "$5,000.00")
  }

  @Test func promotionConditionsReadTheBasketBeforeDiscounts() throws {
    var shop = try Shop(shopHeader + """
      rule big basket
        on purchase
        when basket total >= $20
        discount $5 on basket

      rule still big
        on purchase
        when basket total >= $20
        earn 100 stars

      """)
    let outcome = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "20.00")])
    #expect(awardLines(outcome) == ["big basket: discount $5.00", "still big: 100 stars"])
    #expect(outcome.amountPaid.description == "$15.00")
  }

  @Test func limitsCountPromotionsOncePerCustomerAndNPerMonth() throws {
    var shop = try Shop(shopHeader + """
      rule first timer
        on purchase
        discount 10% on basket
        at most once per customer

      rule monthly treat
        on purchase
        cheapest item is free
        at most 2 per month

      """)
    let first = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "10.00"), ("b", "x", 1, "1.00")])
    #expect(awardLines(first) == ["first timer: discount $1.10", "monthly treat: free b $0.90"])
    let second = try shop.buy("2026-03-20T10:00", [("a", "x", 1, "10.00"), ("b", "x", 1, "1.00")])
    #expect(awardLines(second) == ["monthly treat: free b $1.00"])
    let third = try shop.buy("2026-03-31T23:59", [("a", "x", 1, "10.00"), ("b", "x", 1, "1.00")])
    #expect(awardLines(third).isEmpty)
    let april = try shop.buy("2026-04-01T00:00", [("a", "x", 1, "10.00"), ("b", "x", 1, "1.00")])
    #expect(awardLines(april) == ["monthly treat: free b $1.00"])
  }
}
