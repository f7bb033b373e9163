import Perk
import Testing

/// Stacking: priorities, exclusive groups, best-of, and the phase order promotions → earning → multipliers → caps → bonuses.
@Suite struct StackingTests {
  static func twoDiscounts(tenPercentPriority: Int, dollarPriority: Int) -> String {
    shopHeader + """
      rule ten percent
        on purchase
        discount 10% on basket
        priority \(tenPercentPriority)

      rule dollar off
        on purchase
        discount $1 on basket
        priority \(dollarPriority)

      """
  }

  @Test func higherPriorityDiscountsApplyFirstAndLaterOnesSeeWhatIsLeft() throws {
    var percentFirst = try Shop(Self.twoDiscounts(tenPercentPriority: 2, dollarPriority: 1))
    let a = try percentFirst.buy("2026-03-02T10:00", [("a", "x", 1, "20.00")])
    #expect(awardLines(a) == ["ten percent: discount $2.00", "dollar off: discount $1.00"])
    #expect(a.amountPaid.description == "$17.00")
    var dollarFirst = try Shop(Self.twoDiscounts(tenPercentPriority: 1, dollarPriority: 2))
    let b = try dollarFirst.buy("2026-03-02T10:00", [("a", "x", 1, "20.00")])
    #expect(awardLines(b) == ["dollar off: discount $1.00", "ten percent: discount $1.90"])
    #expect(b.amountPaid.description == "$17.10")
  }

  @Test func equalPrioritiesKeepFileOrder() throws {
    var shop = try Shop(Self.twoDiscounts(tenPercentPriority: 0, dollarPriority: 0))
    let outcome = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "20.00")])
    #expect(awardLines(outcome) == ["ten percent: discount $2.00", "dollar off: discount $1.00"])
  }

  static let weekdayDeals = shopHeader + """
    rule base earn
      on purchase
      earn 1 stars per $1 spent

    rule weekday ten
      on purchase
      when weekday in Monday, Tuesday, Wednesday, Thursday, Friday
      discount 10% on basket
      group weekday deals
      priority 1

    rule tuesday twenty
      on purchase
      when weekday is Tuesday
      discount 20% on basket
      group weekday deals
      priority 5

    rule wednesday bonus
      on purchase
      when weekday is Wednesday
      earn 50 stars
      group weekday deals
      priority 1

    """

  @Test func anExclusiveGroupFiresOnlyItsHighestPriorityMember() throws {
    var shop = try Shop(Self.weekdayDeals)
    // Monday 2026-03-02: only the 10% qualifies.
    let monday = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "10.00")])
    #expect(awardLines(monday) == ["weekday ten: discount $1.00", "base earn: 9 stars"])
    // Tuesday: both qualify, priority 5 wins.
    let tuesday = try shop.buy("2026-03-03T10:00", [("a", "x", 1, "10.00")])
    #expect(awardLines(tuesday) == ["tuesday twenty: discount $2.00", "base earn: 8 stars"])
    // Wednesday: equal priorities, the earlier rule in the file wins.
    let wednesday = try shop.buy("2026-03-04T10:00", [("a", "x", 1, "10.00")])
    #expect(awardLines(wednesday) == ["weekday ten: discount $1.00", "base earn: 9 stars"])
  }

  static let bestOf = shopHeader + """
    rule base earn
      on purchase
      earn 1 stars per $1 spent

    rule tenth off
      on purchase
      discount 10% on basket
      best of welcome offers

    rule bonus stars
      on purchase
      earn 200 stars
      best of welcome offers

    """

  @Test func bestOfPicksWhatIsWorthMostToTheCustomer() throws {
    var shop = try Shop(Self.bestOf)
    // $30: 10% is $3.00 (and costs 3 base stars, 3¢) against 200 stars = $2.00: the discount wins.
    let big = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "30.00")])
    #expect(awardLines(big) == ["tenth off: discount $3.00", "base earn: 27 stars"])
    // $10: 10% is $1.00 against $2.00 of stars: the stars win.
    let small = try shop.buy("2026-03-03T10:00", [("a", "x", 1, "10.00")])
    #expect(awardLines(small) == ["base earn: 10 stars", "bonus stars: 200 stars"])
    // $20: $2.00 − 2¢ of base stars against $2.00: the stars win (the whole outcome is compared).
    let even = try shop.buy("2026-03-04T10:00", [("a", "x", 1, "20.00")])
    #expect(awardLines(even) == ["base earn: 20 stars", "bonus stars: 200 stars"])
  }

  @Test func bestOfTiesGoToPriorityThenFileOrder() throws {
    var shop = try Shop(shopHeader + """
      rule two dollars
        on purchase
        discount $2 on basket
        best of offers

      rule twenty percent
        on purchase
        discount 20% on basket
        best of offers

      """)
    let outcome = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "10.00")])
    #expect(awardLines(outcome) == ["two dollars: discount $2.00"])
  }

  @Test func phaseOrderIsPromotionsEarningMultipliersCapsBonuses() throws {
    var shop = try Shop(shopHeader + """
      rule base earn
        on purchase
        earn 10 stars per $1 spent
        cap stars at 150 per transaction

      rule double day
        on purchase
        multiply stars by 2

      rule visit bonus
        on purchase
        earn 40 stars

      rule half off
        on purchase
        discount 50% on basket

      """)
    // $20 → $10 paid → 100 stars → ×2 = 200 → capped at 150; the flat 40 is not capped nor multiplied.
    let outcome = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "20.00")])
    #expect(awardLines(outcome) == ["half off: discount $10.00", "base earn: 150 stars", "visit bonus: 40 stars"])
    #expect(outcome.awards[1].explanation
      == "$10.00 spent × 10 stars per $1.00 × 2 (double day) = 200 stars; capped at 150 stars per transaction for this rule with 0 already earned: 150 kept, 50 lost")
    #expect(outcome.balances["stars"] == 190)
  }
}

@Suite struct StackingMoreTests {
  @Test func bestOfValuesAMultiplierByTheExtraPointsItGives() throws {
    var shop = try Shop(shopHeader + """
      rule base earn
        on purchase
        earn 1 stars per $1 spent

      rule double stars
        on purchase
        multiply stars by 2
        best of member deal

      rule five off
        on purchase
        discount 5% on basket
        best of member deal

      """)
    // $100: doubling gives 100 more stars ($1.00); 5% gives $5.00 and costs 5 stars: the discount.
    let big = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "100.00")])
    #expect(awardLines(big) == ["five off: discount $5.00", "base earn: 95 stars"])
  }

  @Test func stampCardFreeUnitsAreNotCountedAgainByADeal() throws {
    var shop = try Shop(shopHeader + """
      stamps coffee card
        collect 1 per item in category coffee
        every 3 stamps: cheapest item in category coffee is free

      rule coffee deal
        on purchase
        buy 2 in category coffee pay for 1

      """)
    // 3 lattes and an espresso: the card frees the espresso ($2); of the 3 lattes left, one
    // group of 2 → one latte free; the third latte is paid.
    let outcome = try shop.buy("2026-03-02T10:00", [("latte", "coffee", 3, "4.00"), ("espresso", "coffee", 1, "2.00")])
    #expect(awardLines(outcome) == ["coffee card: 4 stamps", "coffee card: free espresso $2.00", "coffee deal: free latte $4.00"])
    #expect(outcome.amountPaid.description == "$8.00")
  }

  @Test func promotionsInRulesForOtherEventsDoNothing() throws {
    var shop = try Shop(shopHeader + """
      rule signup gift
        on signup
        discount 10% on basket
        earn 50 stars

      """)
    let event = Event(kind: .signup, id: "s", time: shop.instant("2026-03-02T10:00"))
    let outcome = try shop.program.evaluate(event, customer: shop.customer, state: shop.state, budgets: &shop.budgets)
    #expect(awardLines(outcome) == ["signup gift: 50 stars"])
  }
}
