import Foundation
import Perk
import Testing

/// Runs the rule files in rules/ on dated purchases and pins their exact outcomes.
struct Scenario {
  let program: Program
  var state = AccountState()
  var customer: Customer
  var count = 0

  init(file: String, customer: Customer = Customer(id: "c1")) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("rules").appendingPathComponent(file)
    let compilation = compile([SourceFile(path: "rules/\(file)", bytes: Array(try Data(contentsOf: url)))])
    guard let program = compilation.program else {
      throw EvaluationError("\(file) does not compile: \(compilation.diagnostics.map(\.message))")
    }
    self.program = program
    self.customer = customer
  }

  /// Buys `lines` (sku, category, quantity, price) at a local date-time and returns the outcome.
  mutating func buy(_ time: String, _ lines: [(String, String, Int64, String)], id: String? = nil) throws -> Outcome {
    count += 1
    let instant = try program.decodeEvent(
      JSONNode.parse(Array("{\"type\":\"signup\",\"id\":\"x\",\"time\":\"\(time)\"}".utf8), path: "t"), path: "t").time
    let items = lines.map { LineItem(sku: $0.0, category: $0.1, quantity: $0.2,
                                     unitPrice: Money(parsing: $0.3, currency: program.currency)!) }
    let outcome = try program.evaluate(Event(kind: .purchase, id: id ?? "T\(count)", time: instant, lines: items),
                                       customer: customer, state: state)
    state = outcome.state
    return outcome
  }
}

func freeItems(_ outcome: Outcome) -> [String] {
  outcome.awards.compactMap { if case .freeItem(let sku, let value) = $0.kind { "\(sku) \(value)" } else { nil } }
}

func points(_ outcome: Outcome) -> [Int64] {
  outcome.awards.compactMap { if case .points(_, let amount, _) = $0.kind { amount } else { nil } }
}

func tierChanges(_ outcome: Outcome) -> [String] {
  outcome.awards.compactMap {
    if case .tierChange(let from, let to) = $0.kind { "\(from ?? "-") → \(to ?? "-")" } else { nil }
  }
}

// MARK: - P1 corner café punch card

@Test func p1EighthDrinkIsFreeAndTheCardRestarts() throws {
  var s = try Scenario(file: "p1-corner-cafe-punch-card.perk")
  let first = try s.buy("2026-03-02T08:00", [("latte", "coffee", 7, "4.50")])
  #expect(freeItems(first).isEmpty)
  #expect(s.state.stamps["drink card"] == 7)
  let second = try s.buy("2026-03-03T08:00", [("latte", "coffee", 1, "4.50"), ("muffin", "bakery", 1, "3.00")])
  #expect(freeItems(second) == ["latte $4.50"])
  #expect(second.amountPaid.description == "$3.00")
  #expect(s.state.stamps["drink card"] == 0)
}

@Test func p1BasketCompletingTwoCardsFreesItsTwoCheapestDrinks() throws {
  var s = try Scenario(file: "p1-corner-cafe-punch-card.perk")
  _ = try s.buy("2026-03-02T08:00", [("tea", "tea", 5, "3.00")])
  let outcome = try s.buy("2026-03-04T08:00", [
    ("mocha", "coffee", 4, "5.25"), ("green tea", "tea", 3, "2.75"), ("espresso", "coffee", 4, "2.90"),
  ])
  // 5 + 11 = 16 stamps: two cards complete, the two cheapest drinks in this basket are free.
  #expect(freeItems(outcome) == ["green tea $2.75", "green tea $2.75"])
  #expect(s.state.stamps["drink card"] == 0)
  #expect(outcome.amountPaid.description == "$35.35")
}

@Test func p1OnlyCoffeeAndTeaEarnStamps() throws {
  var s = try Scenario(file: "p1-corner-cafe-punch-card.perk")
  let outcome = try s.buy("2026-03-02T08:00", [("bagel", "bakery", 10, "2.00"), ("latte", "coffee", 2, "4.50")])
  #expect(outcome.awards.map(\.kind) == [.stamps(card: "drink card", count: 2)])
}

@Test func p1ReplayedTransactionDoesNotPayTwice() throws {
  var s = try Scenario(file: "p1-corner-cafe-punch-card.perk")
  _ = try s.buy("2026-03-02T08:00", [("latte", "coffee", 7, "4.50")], id: "T-7")
  let replay = try s.buy("2026-03-02T08:00", [("latte", "coffee", 7, "4.50")], id: "T-7")
  #expect(replay.duplicate)
  #expect(replay.awards.isEmpty)
  #expect(s.state.stamps["drink card"] == 7)
}

// MARK: - P3 fashion retailer tiers

@Test func p3PointsFollowTheTierHeldWhenThePurchaseStarts() throws {
  var s = try Scenario(file: "p3-fashion-tiers.perk")
  let first = try s.buy("2026-02-10T12:00", [("coat", "outerwear", 1, "249.99")])
  #expect(points(first) == [249])
  #expect(tierChanges(first).isEmpty)
  // Crossing $250 upgrades at once; this purchase still earns as a member.
  let second = try s.buy("2026-03-01T12:00", [("scarf", "accessories", 1, "10.01")])
  #expect(points(second) == [10])
  #expect(tierChanges(second) == ["member → silver"])
  // Silver earns 1.5 per dollar, rounded down per transaction: $33.99 × 1.5 = 50.985 → 50.
  let third = try s.buy("2026-03-05T12:00", [("belt", "accessories", 1, "33.99")])
  #expect(points(third) == [50])
  #expect(third.awards.first?.explanation == "$33.99 spent × 1 club points per $1.00 × 1.5 (tier silver) = 50.985 → 50 club points (round down)")
}

@Test func p3TierIsKeptThroughTheNextYearAndReviewedAfter() throws {
  var s = try Scenario(file: "p3-fashion-tiers.perk")
  _ = try s.buy("2026-06-01T12:00", [("suit", "tailoring", 1, "1000.00")])
  #expect(s.state.tier == "gold")
  // All of 2027 stays gold with no spend at all.
  let next = try s.buy("2027-12-31T12:00", [("socks", "accessories", 1, "10.00")])
  #expect(points(next) == [20])
  #expect(s.state.tier == "gold")
  // 2028: the gold reached in 2026 has lapsed; only this year's spend counts.
  let later = try s.buy("2028-01-02T12:00", [("socks", "accessories", 1, "10.00")])
  #expect(tierChanges(later) == ["gold → member"])
  #expect(points(later) == [10])
}

@Test func p3HighestTierOfLastYearOrThisYearIsKept() throws {
  var s = try Scenario(file: "p3-fashion-tiers.perk")
  _ = try s.buy("2026-05-01T12:00", [("suit", "tailoring", 1, "1200.00")])
  _ = try s.buy("2027-04-01T12:00", [("coat", "outerwear", 1, "300.00")])
  #expect(s.state.tier == "gold")
  // On 2028-01-01 the year just ended reached silver: silver is kept for 2028.
  let review = try s.buy("2028-01-15T12:00", [("tie", "accessories", 1, "40.00")])
  #expect(tierChanges(review) == ["gold → silver"])
  #expect(points(review) == [60])
}
