import Perk
import Testing

/// The checks on promotions, stacking, caps and budgets: one located diagnostic per mistake.
@Suite struct PromotionCheckTests {
  func rule(_ clauses: String) -> String {
    shopHeader + "rule base\n  on purchase\n  earn 1 stars per $1 spent\n\nrule r\n  on purchase\n" + clauses.split(separator: "\n").map { "  \($0)\n" }.joined()
  }

  @Test func everyNewConstructParsesAndChecksCleanly() {
    let source = shopHeader.replacingOccurrences(of: "timezone America/New_York\n", with: "timezone America/New_York\n  budget $10,000 per month\n")
      .replacingOccurrences(of: "worth $0.01\n", with: "worth $0.01\n  cap at 300 per day per customer\n") + """
      rule a
        on purchase
        discount 15% on basket round half up
        discount $1 per item in category snacks
        discount $5 on sku cake, pie
        buy 3 in category snacks pay for 2
        cheapest item in category cake is free
        most expensive item is free
        group deals
        priority 10
        budget $500
        at most 3 per month

      rule b
        on purchase
        earn 1 stars per $1 spent
        cap stars at 50 per transaction
        group deals
        at most once per customer

      """
    #expect(codes(source) == [])
  }

  @Test func capOfZero() {
    #expect(codes(rule("earn 1 stars per $1 spent\ncap stars at 0 per day")) == ["E0515"])
  }

  @Test func percentDiscountAboveAHundred() {
    #expect(codes(rule("discount 150% on basket")) == ["E0516"])
    #expect(codes(rule("discount 100% on basket")) == [])
  }

  @Test func groupUsedBothWays() {
    let source = shopHeader + """
      rule a
        on purchase
        discount 10% on basket
        group deals

      rule b
        on purchase
        discount 20% on basket
        best of deals

      """
    let compilation = compile(source: source, path: "shop.perk")
    #expect(compilation.diagnostics.map(\.code.rawValue) == ["E0517"])
    #expect(compilation.diagnostics.first.flatMap { compilation.location(of: $0)?.description } == "shop.perk:15:11")
  }

  @Test func dealsThatFreeNothingOrEverything() {
    #expect(codes(rule("buy 3 pay for 3")) == ["E0518"])
    #expect(codes(rule("buy 3 pay for 0")) == ["E0518"])
    #expect(codes(rule("buy 0 pay for 0")) == ["E0508"])
  }

  @Test func budgetOfZero() {
    #expect(codes(rule("discount 10% on basket\nbudget $0 per month")) == ["E0519"])
  }

  @Test func unreachableRuleInAGroupAndAGroupOfOne() {
    let source = shopHeader + """
      rule always
        on purchase
        discount 10% on basket
        group deals
        priority 2

      rule never
        on purchase
        when basket total > $50
        discount 30% on basket
        group deals

      rule alone
        on purchase
        earn 5 stars
        group lonely

      """
    #expect(codes(source) == ["W0108", "W0109"])
  }

  @Test func syntaxErrorsInPromotions() {
    #expect(codes(rule("discount 15%")) == ["E0212"])
    #expect(codes(rule("buy 3 in category snacks get 1")) == ["E0213"])
    #expect(codes(rule("discount 15% on basket round sideways")) == ["E0201"])
    #expect(codes(rule("cap stars 300 per day")) == ["E0201"])
  }

  @Test func unitsAndRangesOfPromotionAmounts() {
    #expect(codes(rule("discount 15 on basket")) == ["E0406"])
    #expect(codes(rule("discount $5 on basket round down")) == ["E0508"])
    #expect(codes(rule("priority 1.5\nearn 1 stars")) == ["E0508"])
    #expect(codes(rule("earn 1 stars per $1 spent\ncap gems at 10 per day")) == ["E0302"])
    #expect(codes(rule("discount 10% on basket\nbudget $1.001")) == ["E0104"])
    #expect(codes(rule("discount 10% on basket\ngroup a\nbest of b")) == ["W0109", "E0502"])
  }
}

/// Every prefix of every promotion clause is a mistake Perk reports without crashing, and one error at most per line.
@Test func truncatedPromotionClausesReportAndNeverCrash() {
  let clauses = [
    "discount 15% on basket round half even", "discount $1 per item in category snacks", "discount $5 on sku cake, pie",
    "buy 3 in category snacks pay for 2", "most expensive item in category pie is free", "cheapest item is free",
    "group weekday deals", "best of lunch", "priority 10", "cap stars at 300 per day per customer", "cap stars at 300 per week, excess lost", "budget $10,000 per month",
    "at most 3 per month", "at most once per customer",
  ]
  for clause in clauses {
    let words = clause.split(separator: " ")
    for n in 1...words.count {
      let source = shopHeader + "rule r\n  on purchase\n  earn 1 stars\n  " + words.prefix(n).joined(separator: " ") + "\n"
      let compilation = compile(source: source, path: "shop.perk")
      let errors = compilation.diagnostics.filter { $0.code.severity == .error }
      #expect(errors.count <= 1, "\(words.prefix(n).joined(separator: " ")): \(errors.map(\.message))")
      if n == words.count { #expect(errors.isEmpty, "\(clause): \(errors.map(\.message))") }
    }
  }
}
