import Foundation
import Perk
import Testing

/// Caps per transaction, day, week, month and year at their period boundaries (ISO week Monday,
/// month end, year end, a DST day), and budgets shared by all customers.
@Suite struct CapsAndBudgetsTests {
  static func capped(_ period: String, at amount: Int = 100) -> String {
    shopHeader.replacingOccurrences(of: "worth $0.01\n", with: "worth $0.01\n  cap at \(amount) per \(period)\n") + """
      rule base earn
        on purchase
        earn 1 stars per $1 spent

      rule bonus
        on purchase
        earn 5 stars

      """
  }

  /// Buys $80 at each local time and returns the base-earn stars of each purchase.
  func earned(_ source: String, _ times: [String]) throws -> [Int64] {
    var shop = try Shop(source)
    return try times.map { time in
      let outcome = try shop.buy(time, [("a", "x", 1, "80.00")])
      return outcome.awards.compactMap { award -> Int64? in
        if case .points(_, let amount, _) = award.kind, award.source == "base earn" { return amount }
        return nil
      }.first ?? -1
    }
  }

  @Test func dailyCapFollowsLocalDaysAcrossADSTChange() throws {
    // 2026-03-08 is the spring-forward Sunday in New York (23 hours): 23:30 EDT is 03:30 UTC on
    // the 9th, still the 8th locally.
    #expect(try earned(Self.capped("day"), ["2026-03-08T00:30", "2026-03-08T23:30", "2026-03-09T00:00"]) == [80, 20, 80])
    // 2026-11-01, fall back (25 hours): 23:59 is still the 1st.
    #expect(try earned(Self.capped("day"), ["2026-11-01T00:30", "2026-11-01T23:59", "2026-11-02T00:00"]) == [80, 20, 80])
  }

  @Test func weeklyCapResetsOnISOMonday() throws {
    // Sunday 2026-03-08 and Monday 2026-03-09 are different ISO weeks; Monday to Sunday is one.
    #expect(try earned(Self.capped("week"), ["2026-03-02T09:00", "2026-03-08T23:59", "2026-03-09T00:00", "2026-03-15T12:00"])
      == [80, 20, 80, 20])
  }

  @Test func weeklyCapSpansTheYearEndButTheYearlyOneDoesNot() throws {
    // 2026-12-31 (Thursday) and 2027-01-01 (Friday) are in the same ISO week.
    #expect(try earned(Self.capped("week"), ["2026-12-31T12:00", "2027-01-01T12:00"]) == [80, 20])
    #expect(try earned(Self.capped("year"), ["2026-12-31T12:00", "2027-01-01T12:00"]) == [80, 80])
  }

  @Test func monthlyCapResetsOnTheFirst() throws {
    #expect(try earned(Self.capped("month"), ["2026-02-01T00:00", "2026-02-28T23:59", "2026-03-01T00:00"]) == [80, 20, 80])
  }

  @Test func transactionCapTrimsEachEventOnItsOwn() throws {
    #expect(try earned(Self.capped("transaction", at: 50), ["2026-03-02T09:00", "2026-03-02T09:05"]) == [50, 50])
  }

  @Test func cappedAwardsAreKeptAtZeroSoTheTillCanSayWhy() throws {
    var shop = try Shop(Self.capped("day"))
    _ = try shop.buy("2026-03-02T09:00", [("a", "x", 1, "100.00")])
    let outcome = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "30.00")])
    #expect(awardLines(outcome) == ["base earn: 0 stars", "bonus: 5 stars"])
    #expect(outcome.awards[0].explanation.hasSuffix("; capped at 100 stars per day with 100 already earned: 0 kept, 30 lost"))
    #expect(outcome.state.capUsage["points stars"] == [AccountState.CapUsage(date: LocalDate(iso: "2026-03-02")!, amount: 100)])
  }

  @Test func theFirstAwardInStackingOrderFillsTheCap() throws {
    var shop = try Shop(shopHeader.replacingOccurrences(of: "worth $0.01\n", with: "worth $0.01\n  cap at 100 per day\n") + """
      rule base earn
        on purchase
        earn 1 stars per $1 spent

      rule snack bonus
        on purchase
        earn 2 stars per $1 spent on category snacks
        priority 1

      """)
    let outcome = try shop.buy("2026-03-02T09:00", [("a", "x", 1, "60.00"), ("b", "snacks", 1, "30.00")])
    #expect(awardLines(outcome) == ["snack bonus: 60 stars", "base earn: 40 stars"])
  }

  static let budgeted = shopHeader + """
    rule spring sale
      on purchase
      discount 15% on basket
      budget $10 per month

    """

  @Test func aRuleStopsFiringWhenItsBudgetIsSpent() throws {
    var shop = try Shop(Self.budgeted)
    let a = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "40.00")])
    #expect(awardLines(a) == ["spring sale: discount $6.00"])
    shop.state = AccountState()  // another customer: the ledger is shared, the account is not
    let b = try shop.buy("2026-03-03T10:00", [("a", "x", 1, "20.00")])
    #expect(awardLines(b) == ["spring sale: discount $3.00"])
    shop.state = AccountState()
    let c = try shop.buy("2026-03-04T10:00", [("a", "x", 1, "20.00")])
    #expect(awardLines(c).isEmpty)
    #expect(c.amountPaid.description == "$20.00")
    #expect(c.budgetShortfalls == [BudgetShortfall(rule: "spring sale", budget: "rule", needed: Money(parsing: "3.00", currency: shop.program.currency)!,
                                                   remaining: Money(parsing: "1.00", currency: shop.program.currency)!)])
    // A smaller basket still fits in what is left.
    let d = try shop.buy("2026-03-05T10:00", [("a", "x", 1, "6.00")])
    #expect(awardLines(d) == ["spring sale: discount $0.90"])
    #expect(shop.budgets.spent(rule: "spring sale", on: LocalDate(iso: "2026-03-31")!, in: shop.program) == 990)
    // April has a new budget.
    let april = try shop.buy("2026-04-01T00:01", [("a", "x", 1, "20.00")])
    #expect(awardLines(april) == ["spring sale: discount $3.00"])
  }

  @Test func withoutALedgerEachEvaluationSeesAnUnspentBudget() throws {
    let shop = try Shop(Self.budgeted)
    let event = Event(kind: .purchase, id: "x", time: shop.instant("2026-03-02T10:00"),
                      lines: [LineItem(sku: "a", category: "x", quantity: 1, unitPrice: Money(parsing: "80.00", currency: shop.program.currency)!)])
    // $12 is more than the whole $10 budget: refused even against an unspent ledger.
    let outcome = try shop.program.evaluate(event, customer: shop.customer, state: AccountState())
    #expect(awardLines(outcome).isEmpty)
    #expect(outcome.budgetShortfalls.map(\.rule) == ["spring sale"])
  }

  @Test func theProgramBudgetCountsPointsAtTheirWorthAndServesRulesInStackingOrder() throws {
    var shop = try Shop(shopHeader.replacingOccurrences(of: "timezone America/New_York\n", with: "timezone America/New_York\n  budget $5 per week\n") + """
      rule base earn
        on purchase
        earn 10 stars per $1 spent

      rule coupon
        on purchase
        discount $2 on basket
        priority 1

      """)
    // $20: coupon $2 (priority 1), then 180 stars = $1.80: $3.80 of $5.
    let first = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "20.00")])
    #expect(awardLines(first) == ["coupon: discount $2.00", "base earn: 180 stars"])
    // $1.20 left: the coupon no longer fits; 100 stars ($1.00) do.
    let second = try shop.buy("2026-03-03T10:00", [("a", "x", 1, "10.00")])
    #expect(awardLines(second) == ["base earn: 100 stars"])
    #expect(second.budgetShortfalls.map { "\($0.budget) \($0.rule) \($0.needed) \($0.remaining)" } == ["program coupon $2.00 $1.20"])
    // Next ISO week (Monday 2026-03-09): a fresh budget.
    let third = try shop.buy("2026-03-09T10:00", [("a", "x", 1, "20.00")])
    #expect(awardLines(third) == ["coupon: discount $2.00", "base earn: 180 stars"])
  }

  @Test func duplicatesChargeNothing() throws {
    var shop = try Shop(Self.budgeted)
    _ = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "40.00")], id: "same")
    let again = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "40.00")], id: "same")
    #expect(again.duplicate)
    #expect(shop.budgets.spent(rule: "spring sale", on: LocalDate(iso: "2026-03-02")!, in: shop.program) == 600)
  }
}

@Suite struct CapsAndBudgetsMoreTests {
  @Test func aRuleCapAndTheCurrencyCapBothHold() throws {
    var shop = try Shop(shopHeader.replacingOccurrences(of: "worth $0.01\n", with: "worth $0.01\n  cap at 100 per day\n") + """
      rule base earn
        on purchase
        earn 1 stars per $1 spent
        cap stars at 30 per day

      rule snack bonus
        on purchase
        earn 2 stars per $1 spent on category snacks

      """)
    // base: 50 → 30 (its own cap); snacks: 2 × 40 = 80 → 70 (the currency's 100, 30 already).
    let first = try shop.buy("2026-03-02T09:00", [("a", "x", 1, "10.00"), ("b", "snacks", 1, "40.00")])
    #expect(awardLines(first) == ["base earn: 30 stars", "snack bonus: 70 stars"])
    #expect(first.awards[0].explanation.hasSuffix("capped at 30 stars per day for this rule with 0 already earned: 30 kept, 20 lost"))
    #expect(first.awards[1].explanation.hasSuffix("capped at 100 stars per day with 30 already earned: 70 kept, 10 lost"))
    // Next day both caps are fresh.
    let second = try shop.buy("2026-03-03T09:00", [("a", "x", 1, "10.00")])
    #expect(awardLines(second) == ["base earn: 10 stars"])
  }

  @Test func capUsageAndBudgetLedgersSurviveJSONRoundTrips() throws {
    var shop = try Shop(CapsAndBudgetsTests.budgeted.replacingOccurrences(of: "worth $0.01\n", with: "worth $0.01\n  cap at 5 per week\n") + """
      rule base earn
        on purchase
        earn 1 stars per $1 spent

      """)
    _ = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "40.00")])
    let state = try JSONDecoder().decode(AccountState.self, from: JSONEncoder().encode(shop.state))
    #expect(state == shop.state)
    #expect(state.capUsage["points stars"]?.map(\.amount) == [5])
    let ledger = try JSONDecoder().decode(BudgetLedger.self, from: JSONEncoder().encode(shop.budgets))
    #expect(ledger == shop.budgets)
    #expect(ledger.spent(rule: "spring sale", on: LocalDate(iso: "2026-03-15")!, in: shop.program) == 600)  // the rule's own giving only
  }

  @Test func outcomeJSONNamesDiscountsAndShortfalls() throws {
    var shop = try Shop(CapsAndBudgetsTests.budgeted)
    let outcome = try shop.buy("2026-03-02T10:00", [("a", "x", 1, "80.00")])
    let json = outcome.json.rendered()
    #expect(json.contains("\"budget_shortfalls\""))
    #expect(json.contains("\"needed_minor\": 1200"))
    var open = try Shop(shopHeader + "rule sale\n  on purchase\n  discount 10% on basket\n")
    let sale = try open.buy("2026-03-02T10:00", [("a", "x", 1, "80.00")])
    let saleJSON = sale.json.rendered()
    #expect(saleJSON.contains("\"kind\": \"discount\"") || saleJSON.contains("\"kind\":\"discount\""))
    #expect(!saleJSON.contains("budget_shortfalls"))
  }
}
