import Perk
import Testing

/// `thresholds before|after discounts` and `amounts before|include tax`: the program states
/// which amounts its conditions read and what its prices are, and explanations say so.
@Suite struct AmountBasisTests {
  static func source(_ clauses: String) -> String {
    """
    program "Basis"
      currency USD
      timezone America/New_York
    \(clauses)
    points stars
      worth $0.01

    tiers by spend this year
      member  from $0    earn x1
      silver  from $250  earn x1

    rule base earn
      on purchase
      earn 1 stars per $1 spent

    rule spring sale
      on purchase
      discount 20% on basket

    rule big basket
      on purchase
      when basket total >= $50
      earn 100 stars
    """
  }

  func buy(_ clauses: String, dollars: Int64) throws -> Outcome {
    let compilation = compile(source: Self.source(clauses))
    let program = try #require(compilation.program, "\(compilation.diagnostics.map(\.message))")
    let day = try #require(LocalDate(iso: "2026-03-02"))
    let event = Event(kind: .purchase, id: "T1", time: program.timeZone.instant(of: day, secondOfDay: 43_200),
                      lines: [LineItem(sku: "coat", category: "coats", quantity: 1,
                                       unitPrice: Money(minorUnits: dollars * 100, currency: program.currency))])
    return try program.evaluate(event, customer: Customer(id: "c"), state: AccountState())
  }

  func points(_ outcome: Outcome) -> [String] {
    outcome.awards.compactMap { award in
      guard case .points(_, let amount, _) = award.kind else { return nil }
      return "\(amount) from \(award.source): \(award.explanation)"
    }
  }

  @Test func conditionsReadTheBasketBeforeDiscountsUnlessStated() throws {
    // $60.00 less 20% is $48.00: the $50 threshold is met before the discount, not after.
    #expect(points(try buy("", dollars: 60)) == [
      "48 from base earn: $48.00 spent × 1 stars per $1.00 = 48 stars",
      "100 from big basket: 100 stars = 100 stars",
    ])
    #expect(points(try buy("  thresholds before discounts\n", dollars: 60)) == [
      "48 from base earn: $48.00 spent × 1 stars per $1.00 = 48 stars (prices before tax; conditions read the basket before discounts)",
      "100 from big basket: 100 stars = 100 stars (prices before tax; conditions read the basket before discounts)",
    ])
  }

  @Test func afterDiscountsRereadsConditionsOnTheDiscountedBasket() throws {
    let outcome = try buy("  thresholds after discounts\n  amounts include tax\n", dollars: 60)
    #expect(outcome.amountPaid == Money(minorUnits: 4_800, currency: outcome.amountPaid.currency))
    #expect(points(outcome) == [
      "48 from base earn: $48.00 spent × 1 stars per $1.00 = 48 stars (prices include tax; conditions read the basket after discounts)",
    ])
    // $62.00 less 20% is $49.60, below the threshold; $63.00 less 20% is $50.40, above it.
    #expect(points(try buy("  thresholds after discounts\n", dollars: 62)).map { String($0.prefix(20)) } == ["49 from base earn: $"])
    #expect(points(try buy("  thresholds after discounts\n", dollars: 63)).map { String($0.prefix(20)) }
              == ["50 from base earn: $", "100 from big basket:"])
  }

  @Test func nearMissesSayWhetherPricesIncludeTax() throws {
    let stated = try buy("  amounts include tax\n", dollars: 100)
    #expect(stated.nearMisses.map(\.text).contains { $0.hasSuffix("to silver (net amounts paid, tax included)") })
    let unstated = try buy("", dollars: 100)
    #expect(unstated.nearMisses.map(\.text).contains { $0.hasSuffix("to silver (net amounts paid, before tax)") })
  }

  @Test func eachBasisIsStatedOnce() {
    let compilation = compile(source: Self.source("  thresholds after discounts\n  thresholds before discounts\n  amounts before tax\n  amounts include tax\n"))
    #expect(compilation.diagnostics.map(\.message) == ["`thresholds` given twice", "`amounts` given twice"])
    let wrong = compile(source: Self.source("  thresholds sideways\n  amounts exclude tax\n"))
    #expect(wrong.diagnostics.map(\.code) == [.expectedToken, .expectedToken])
  }
}
