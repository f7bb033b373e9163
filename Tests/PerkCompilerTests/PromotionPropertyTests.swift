import Foundation
import Perk
import Testing

/// Random baskets (a fixed-seed generator, so every run is the same) through every kind of
/// promotion at once: the money always adds up, caps always hold, and returning everything
/// gives back exactly what was paid and every point the basket earned.
@Suite struct PromotionPropertyTests {
  static let program = shopHeader.replacingOccurrences(of: "worth $0.01\n", with: "worth $0.01\n  cap at 400 per day\n") + """
    rule base earn
      on purchase
      earn 3 stars per $1 spent

    rule snacks deal
      on purchase
      buy 3 in category snacks pay for 2
      priority 5

    rule bread off
      on purchase
      discount 15% on category bread

    rule dollar off
      on purchase
      when basket total >= $20
      discount $1.37 on basket
      best of coupons

    rule coupon stars
      on purchase
      when basket total >= $20
      earn 120 stars
      best of coupons

    rule treat
      on purchase
      when basket items in category cake >= 2
      cheapest item in category cake is free

    rule per item
      on purchase
      discount $0.05 per item in category drinks

    """

  /// A linear congruential generator: deterministic and enough to spread baskets around.
  struct Generator {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Int((state >> 33) % UInt64(bound))
    }
  }

  @Test func moneyAddsUpCapsHoldAndFullReturnsUndoEverything() throws {
    var random = Generator(state: 20261123)
    let compiled = compile(source: Self.program, path: "shop.perk")
    guard let program = compiled.program else { Issue.record("\(compiled.diagnostics.map(\.message))"); return }
    var s = Scenario(program: program)
    let categories = ["snacks", "bread", "cake", "drinks", "other"]
    var day = 1
    var earnedToday: Int64 = 0
    for purchase in 0..<150 {
      if random.next(3) == 0 { day += 1; earnedToday = 0 }
      var lines: [(String, String, Int64, String)] = []
      for l in 0..<(1 + random.next(6)) {
        let category = categories[random.next(categories.count)]
        let cents = 5 + random.next(1_500)
        lines.append(("\(category)-\(l)", category, Int64(1 + random.next(4)), "\(cents / 100).\(String(format: "%02d", cents % 100))"))
      }
      let gross = lines.reduce(Int64(0)) { $0 + $1.2 * Int64(Money(parsing: $1.3, currency: program.currency)!.minorUnits) }
      let date = LocalDate(dayNumber: LocalDate(iso: "2026-03-01")!.dayNumber + Int64(day)).description
      let before = s.state.balances["stars"] ?? 0
      let outcome = try s.buy("\(date)T12:\(String(format: "%02d", purchase % 60))", lines, id: "P\(purchase)")
      var off: Int64 = 0
      var perSpend: Int64 = 0
      for award in outcome.awards {
        switch award.kind {
        case .discount(let value), .freeItem(_, let value): off += value.minorUnits
        case .points(_, let amount, _) where award.source == "base earn": perSpend += amount
        default: break
        }
      }
      #expect(outcome.amountPaid.minorUnits >= 0)
      #expect(outcome.amountPaid.minorUnits == gross - off, "purchase \(purchase)")
      earnedToday += perSpend
      #expect(earnedToday <= 400, "purchase \(purchase)")
      // A whole return: every cent paid comes back, and every point this purchase earned goes.
      if random.next(4) == 0 {
        let back = try s.giveBack("\(date)T23:00", lines.map { ($0.0, $0.2) }, from: "P\(purchase)")
        #expect(back.refunded?.minorUnits == outcome.amountPaid.minorUnits, "purchase \(purchase)")
        #expect(s.state.balances["stars"] == before, "purchase \(purchase)")
      } else if random.next(3) == 0 {
        // The same, one unit at a time in a shuffled order: the pieces add up to the whole.
        var units = lines.flatMap { line in Array(repeating: line.0, count: Int(line.2)) }
        var refunded: Int64 = 0
        while !units.isEmpty {
          let sku = units.remove(at: random.next(units.count))
          refunded += try s.giveBack("\(date)T23:00", [(sku, 1)], from: "P\(purchase)").refunded?.minorUnits ?? -1
        }
        #expect(refunded == outcome.amountPaid.minorUnits, "purchase \(purchase)")
        #expect(s.state.balances["stars"] == before, "purchase \(purchase)")
      }
    }
  }
}

extension Scenario {
  /// A scenario over an already compiled program.
  init(program: Program) {
    self.program = program
    self.customer = Customer(id: "c1")
  }
}
