import Perk
import Testing

/// The café program compiled from text and evaluated on purchases, with exact awards.
@Suite struct CafeEndToEndTests {
  let program: Program

  init() throws {
    let compilation = compile(source: cafeProgram, path: "cafe.perk")
    #expect(compilation.diagnostics.isEmpty)
    program = try #require(compilation.program)
  }

  let alice = Customer(id: "alice", signupDate: LocalDate(year: 2026, month: 1, day: 10))

  func at(_ year: Int, _ month: Int, _ day: Int, hour: Int64 = 10) -> Instant {
    program.timeZone.instant(of: LocalDate(year: year, month: month, day: day)!, secondOfDay: hour * 3600)
  }
  func line(_ sku: String, _ category: String, _ quantity: Int64 = 1, cents: Int64) -> LineItem {
    LineItem(sku: sku, category: category, quantity: quantity, unitPrice: Money(minorUnits: cents, currency: program.currency))
  }
  func buy(_ lines: [LineItem], at time: Instant, id: String, state: AccountState = AccountState(),
           customer: Customer? = nil) throws -> Outcome {
    try program.evaluate(Event(kind: .purchase, id: id, time: time, lines: lines), customer: customer ?? alice, state: state)
  }
  func stars(_ outcome: Outcome) -> Int64 {
    outcome.awards.reduce(0) { sum, award in
      if case .points("stars", let amount, _) = award.kind { return sum + amount }
      return sum
    }
  }
  func latte() -> LineItem { line("latte", "coffee", cents: 450) }

  @Test func latteEarnsNineStars() throws {
    let outcome = try buy([latte()], at: at(2026, 3, 2), id: "t1")
    #expect(stars(outcome) == 9)
    #expect(outcome.state.balances["stars"] == 9)
    #expect(outcome.state.stamps["coffee card"] == 1)
  }

  @Test func tenthCoffeeIsFree() throws {
    let first = try buy([line("latte", "coffee", 9, cents: 450)], at: at(2026, 3, 2), id: "t1")
    #expect(stars(first) == 81)
    let second = try buy([latte()], at: at(2026, 3, 3), id: "t2", state: first.state)
    #expect(second.awards.contains { if case .freeItem("latte", let v) = $0.kind { return v.minorUnits == 450 }; return false })
    #expect(stars(second) == 0)
    #expect(second.state.stamps["coffee card"] == 0)
  }

  @Test func goldMultiplier() throws {
    var state = AccountState()
    state.ledger = [AccountState.LedgerDay(date: LocalDate(year: 2026, month: 2, day: 1)!, spend: 50_000, purchases: 1)]
    state.tier = "gold"
    state.purchaseCount = 1
    state.lastPurchase = LocalDate(year: 2026, month: 2, day: 1)
    let outcome = try buy([latte()], at: at(2026, 3, 2), id: "t1", state: state)
    // 9 stars × 1.5 = 13.5, rounded down once.
    #expect(stars(outcome) == 13)
  }

  @Test func doubleStarTuesdayOnlyInsideTheDateRange() throws {
    #expect(stars(try buy([latte()], at: at(2026, 11, 24), id: "t1")) == 18)  // a Tuesday in November
    #expect(stars(try buy([latte()], at: at(2026, 11, 25), id: "t2")) == 9)   // a Wednesday
    #expect(stars(try buy([latte()], at: at(2026, 12, 1), id: "t3")) == 9)    // a Tuesday in December
  }

  @Test func welcomeBackAtMostOncePer365Days() throws {
    let big = [line("beans", "retail", cents: 2000)]
    let a = try buy(big, at: at(2026, 1, 10), id: "a")
    #expect(stars(a) == 40)
    let b = try buy(big, at: at(2026, 4, 20), id: "b", state: a.state)  // 100 days later
    #expect(stars(b) == 240)
    let c = try buy(big, at: at(2026, 7, 29), id: "c", state: b.state)  // 100 days later, within 365 of b
    #expect(stars(c) == 40)
    let d = try buy(big, at: at(2027, 4, 25), id: "d", state: c.state)  // 270 days later, 370 after b
    #expect(stars(d) == 240)
    let small = try buy([line("beans", "retail", cents: 1999)], at: at(2028, 1, 1), id: "e", state: d.state)
    #expect(stars(small) == 39)  // 2 × $19.99 = 39.98, rounded down; below $20, no bonus
  }

  @Test func pastryTripleReplacesBaseEarnForPastryLines() throws {
    let outcome = try buy([latte(), line("croissant", "pastry", cents: 300)], at: at(2026, 3, 2), id: "t1")
    // latte: 2 × $4.50 = 9; croissant: 6 × $3.00 = 18 (not also 2 × $3.00).
    #expect(stars(outcome) == 27)
  }

  @Test func duplicateTransactionPaysOnce() throws {
    let first = try buy([latte()], at: at(2026, 3, 2), id: "t1")
    let again = try buy([latte()], at: at(2026, 3, 2), id: "t1", state: first.state)
    #expect(again.duplicate)
    #expect(again.awards.isEmpty)
    #expect(again.state == first.state)
  }
}
