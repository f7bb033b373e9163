import Perk
import Testing

/// The `on return …` clauses the designer states: checking, and what each does.
@Suite struct ReturnPolicyTests {
  static let header = """
    program "Policies"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    """

  struct Shop {
    let program: Program
    var state = AccountState()
    let customer = Customer(id: "c")

    init(_ source: String) throws {
      let compiled = compile(source: ReturnPolicyTests.header + source, path: "policies.perk")
      program = try #require(compiled.program, "\(compiled.diagnostics.map(\.message))")
    }

    func at(_ day: Int, _ hour: Int64 = 10) -> Instant {
      program.timeZone.instant(of: LocalDate(year: 2026, month: 3, day: day)!, secondOfDay: hour * 3600)
    }

    func line(_ sku: String, _ cents: Int64, _ quantity: Int64 = 1, category: String = "goods") -> LineItem {
      LineItem(sku: sku, category: category, quantity: quantity, unitPrice: Money(minorUnits: cents, currency: program.currency))
    }

    mutating func buy(_ id: String, day: Int, _ lines: [LineItem]) throws -> Outcome {
      let outcome = try program.evaluate(Event(kind: .purchase, id: id, time: at(day), lines: lines), customer: customer, state: state)
      state = outcome.state
      return outcome
    }

    mutating func giveBack(_ original: String, day: Int, _ lines: [LineItem]) throws -> Outcome {
      let outcome = try program.evaluate(Event(kind: .return(original: original), id: "R\(original)\(day)", time: at(day, 11),
                                               lines: lines), customer: customer, state: state)
      state = outcome.state
      return outcome
    }
  }

  @Test func eachClauseIsCheckedOnceAndMisspellingsGetHelp() {
    let twice = compile(source: Self.header + """
      rule base earn
        on purchase
        earn 1 stars per $1 spent
        on return keep awards
        on return recompute awards
        on return reopen limits and caps

      """, path: "twice.perk")
    #expect(twice.diagnostics.map(\.message).contains { $0.contains("on return") })
    #expect(twice.program == nil)
    let typo = compile(source: Self.header + """
      rule base earn
        on purchase
        earn 1 stars per $1 spent
        on return keep award

      """, path: "typo.perk")
    #expect(typo.diagnostics.map(\.message) == ["expected `awards` after `on return keep`, found `award`"])
    let unknown = compile(source: Self.header + """
      stamps card
        collect 1 per item
        every 5 stamps: cheapest item is free
        on return restore free item

      """, path: "unknown.perk")
    #expect(unknown.diagnostics.map(\.message) == ["expected `items` after `on return restore free`, found `item`"])
  }

  /// `on return reopen limits and caps`: a reversal that takes the whole award back gives the
  /// limit's use back, so the next purchase of the month is thanked again.
  @Test func reopenedLimitsLetTheRuleFireAgain() throws {
    var shop = try Shop("""
      rule small basket thanks
        on purchase
        when basket total < $10
        earn 50 stars
        at most once per month
        on return reopen limits and caps

      """)
    #expect(try shop.buy("A", day: 2, [shop.line("pen", 500)]).earned["stars"] == 50)
    #expect(try shop.giveBack("A", day: 3, [shop.line("pen", 0)]).earned["stars"] == -50)
    #expect(try shop.buy("B", day: 4, [shop.line("pen", 500)]).earned["stars"] == 50)
  }

  /// Caps: the points a reversal takes back leave the cap of the purchase day when the rule
  /// reopens; by default they stay counted.
  @Test func reopenedCapsCountOnlyThePointsKept() throws {
    for reopen in [false, true] {
      var shop = try Shop("""
        rule base earn
          on purchase
          earn 10 stars per $1 spent
          cap stars at 100 per day
        \(reopen ? "  on return reopen limits and caps\n" : "")
        """)
      #expect(try shop.buy("A", day: 2, [shop.line("mug", 800)]).earned["stars"] == 80)
      #expect(try shop.buy("B", day: 2, [shop.line("cup", 500)]).earned["stars"] == 20)
      #expect(try shop.giveBack("A", day: 2, [shop.line("mug", 0)]).earned["stars"] == -80)
      let later = try shop.buy("C", day: 2, [shop.line("cup", 500)])
      #expect(later.earned["stars"] == (reopen ? 50 : 0), "reopen: \(reopen)")
    }
  }

  /// `on return restore free items`: the free drink that comes back fills the card again, so the
  /// next drink is free.
  @Test func aRestoredFreeItemFillsTheCardAgain() throws {
    var shop = try Shop("""
      stamps drink card
        collect 1 per item in category coffee
        every 3 stamps: cheapest item in category coffee is free
        on return restore free items

      """)
    _ = try shop.buy("A", day: 2, [shop.line("latte", 450, 2, category: "coffee")])
    let free = try shop.buy("F", day: 3, [shop.line("latte", 450, category: "coffee")])
    #expect(free.amountPaid.minorUnits == 0)
    #expect(shop.state.stamps["drink card"] == 0)
    let back = try shop.giveBack("F", day: 4, [shop.line("latte", 0, category: "coffee")])
    #expect(back.refunded?.minorUnits == 0)
    #expect(shop.state.stamps["drink card"] == 3)
    let again = try shop.buy("G", day: 5, [shop.line("latte", 450, category: "coffee")])
    #expect(again.amountPaid.minorUnits == 0)
  }
}
