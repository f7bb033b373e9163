import Perk
import PerkTestSupport
import Testing

/// The law of returns (docs/semantics.md "Returns"): after every return, a purchase's awards and
/// all its returns' reversals add up, per rule, to a fresh evaluation of the kept basket in the
/// purchase's context; and the money paid minus the refunds is what the kept basket costs.
///
/// Generated programs (random rules of every kind a return recomputes: per-$ and per-item
/// earning, thresholds, multipliers, tier multipliers, percentage and money discounts, deals,
/// free items, vouchers, a stamp card), generated histories, one purchase, then random partial
/// returns. The fresh evaluation replays the same history on a new account, so the context is
/// rebuilt from outside, not read from the record.
@Suite struct ReturnPropertyTests {
  static let categories = ["coffee", "pastry", "retail", "snacks"]

  /// One random program: a header, tiers, a card and three to six rules.
  static func program(_ random: inout SeededGenerator) -> String {
    func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
    func category() -> String { pick(categories) }
    var text = """
      program "Generated"
        currency USD
        timezone America/New_York

      points stars
        worth $0.01
        round \(pick(["down", "half up", "half even"]))

      tiers by spend over last 90 days
        green from $0
        gold from $\(pick([30, 60, 120])) earn x1.5

      stamps card
        collect 1 per item in category \(category())
        every \(pick([3, 4, 6])) stamps: cheapest item in category \(category()) is free

      rule base earn
        on purchase
        earn \(pick([1, 2, 3])) stars per $1 spent

      """
    for index in 0..<(3 + Int(random.next() % 4)) {
      let body: String
      switch random.next() % 9 {
      case 0: body = "  earn \(pick([2, 5])) stars per $1 spent on category \(category())\(pick(["", " before discounts"]))\n"
      case 1: body = "  when basket total >= $\(pick([10, 20, 35]))\n  earn \(pick([50, 100, 250])) stars\n"
      case 2: body = "  when basket total >= $\(pick([15, 30]))\n  multiply stars by 2\n"
      case 3: body = "  earn \(pick([1, 3])) stars per item in category \(category())\(pick(["", " before discounts"]))\n"
      case 4: body = "  discount \(pick([10, 15, 25]))% on category \(category())\n"
      case 5: body = "  when basket total >= $\(pick([20, 40]))\n  discount $\(pick(["1.37", "3", "5"])) on basket\n"
      case 6: body = "  buy 3 in category \(category()) pay for 2\(pick(["", " cheapest across the basket"]))\n"
      case 7: body = "  when basket items >= \(pick([3, 4]))\n  cheapest item in category \(category()) is free\n"
      default: body = "  when basket total >= $\(pick([25, 50]))\n  give voucher \"Thanks\" worth $5\n"
      }
      text += "rule extra \(index + 1)\n  on purchase\n" + body + "\n"
    }
    return text
  }

  /// Per rule (or card): points, money off (discounts and free items) and vouchers, added up.
  struct Net: Equatable, CustomStringConvertible {
    var points: [String: Int64] = [:]
    var moneyOff: [String: Int64] = [:]
    var vouchers: [String: Int64] = [:]

    mutating func add(_ outcome: Outcome) {
      for award in outcome.awards {
        switch award.kind {
        case .points(_, let amount, _): points[award.source, default: 0] += amount
        case .discount(let value), .freeItem(_, let value): moneyOff[award.source, default: 0] += value.minorUnits
        case .voucher(_, let value, _): vouchers[award.source, default: 0] += value.minorUnits > 0 ? 1 : -1
        default: break
        }
      }
      points = points.filter { $0.value != 0 }
      moneyOff = moneyOff.filter { $0.value != 0 }
      vouchers = vouchers.filter { $0.value != 0 }
    }

    var description: String { "points \(points.sorted { $0.key < $1.key }) off \(moneyOff.sorted { $0.key < $1.key }) vouchers \(vouchers)" }
  }

  @Test func everyReturnLeavesTheAwardsOfTheKeptBasket() throws {
    var random = SeededGenerator(state: 2026_12_07)
    var checked = 0
    for programIndex in 0..<250 {
      let source = Self.program(&random)
      let compiled = compile(source: source, path: "generated-\(programIndex).perk")
      let program = try #require(compiled.program, "\(compiled.diagnostics.map(\.message))\n\(source)")
      let customer = Customer(id: "c")
      let start = program.timeZone.instant(of: LocalDate(year: 2026, month: 3, day: 2)!, secondOfDay: 36_000)
      func basket(_ random: inout SeededGenerator) -> [LineItem] {
        (0..<(1 + Int(random.next() % 5))).map { index in
          let category = Self.categories[Int(random.next() % 4)]
          return LineItem(sku: "\(category)-\(index)", category: category, quantity: Int64(1 + random.next() % 4),
                          unitPrice: Money(minorUnits: Int64(50 + random.next() % 1_500), currency: program.currency))
        }
      }
      // A short history before the purchase: tiers, stamps and caps have something to read.
      var history: [Event] = []
      for day in 0..<Int(random.next() % 4) {
        history.append(Event(kind: .purchase, id: "H\(day)", time: Instant(secondsSince1970: start.secondsSince1970 + Int64(day) * 86_400),
                             lines: basket(&random)))
      }
      let time = Instant(secondsSince1970: start.secondsSince1970 + 5 * 86_400)
      let lines = basket(&random)
      var state = AccountState()
      for event in history { state = try program.evaluate(event, customer: customer, state: state).state }
      let beforePurchase = state
      let purchase = try program.evaluate(Event(kind: .purchase, id: "P", time: time, lines: lines), customer: customer, state: state)
      state = purchase.state
      var net = Net()
      net.add(purchase)
      var paid = purchase.amountPaid.minorUnits
      var kept = lines.map(\.quantity)
      var returnTime = time.secondsSince1970
      while kept.contains(where: { $0 > 0 }) {
        // Some units of some lines come back.
        var back: [LineItem] = []
        for (i, line) in lines.enumerated() where kept[i] > 0 && random.next() % 2 == 0 {
          let units = 1 + Int64(random.next() % UInt64(kept[i]))
          back.append(LineItem(sku: line.sku, category: line.category, quantity: units, unitPrice: line.unitPrice))
        }
        guard !back.isEmpty else { continue }
        returnTime += 3_600
        let outcome = try program.evaluate(Event(kind: .return(original: "P"), id: "R\(returnTime)", time: Instant(secondsSince1970: returnTime),
                                                 lines: back), customer: customer, state: state)
        try #require(outcome.rejection == nil, "\(outcome.rejection ?? "")")
        state = outcome.state
        net.add(outcome)
        let paidBefore = paid
        paid -= outcome.refunded?.minorUnits ?? 0
        for item in back {
          var left = item.quantity
          for i in lines.indices where lines[i].sku == item.sku && left > 0 {
            let take = min(left, kept[i])
            kept[i] -= take
            left -= take
          }
        }
        // The kept basket, bought fresh in the purchase's context.
        let keptLines = lines.indices.filter { kept[$0] > 0 }.map { i in
          LineItem(sku: lines[i].sku, category: lines[i].category, quantity: kept[i], unitPrice: lines[i].unitPrice)
        }
        var fresh = Net()
        var freshPaid: Int64 = 0
        if !keptLines.isEmpty {
          let again = try program.evaluate(Event(kind: .purchase, id: "P", time: time, lines: keptLines), customer: customer,
                                           state: beforePurchase)
          fresh.add(again)
          freshPaid = again.amountPaid.minorUnits
        }
        #expect(net == fresh, "program \(programIndex), after returning \(back.map { "\($0.quantity) × \($0.sku)" }):\n\(source)")
        // The customer has paid what the kept basket costs; but a return never charges: where
        // the kept basket costs more than was paid (a deal lost its reason), they keep the
        // difference, and a later return refunds only what takes them below it.
        #expect(paid == min(paidBefore, freshPaid), "program \(programIndex)")
        checked += 1
      }
      #expect(paid == 0, "program \(programIndex): everything back, every cent refunded")
      #expect(state.records.first { $0.id == "P" }?.lines.allSatisfy { $0.returned == $0.quantity } == true)
    }
    #expect(checked > 500)
  }
}

/// Limits are read as they stood at the purchase: a rule whose limit was used up then does not
/// fire when a return leaves a basket its condition would now accept, and a reversal gives no
/// room back (the rule's day stays used).
@Test func aReturnReadsLimitsAsTheyStoodAtThePurchase() throws {
  let source = """
    program "Small Basket"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    rule base earn
      on purchase
      earn 1 stars per $1 spent

    rule small basket thanks
      on purchase
      when basket total < $10
      earn 50 stars
      at most once per month

    """
  let program = try #require(compile(source: source, path: "small.perk").program)
  let customer = Customer(id: "c")
  func at(_ day: Int) -> Instant { program.timeZone.instant(of: LocalDate(year: 2026, month: 3, day: day)!, secondOfDay: 36_000) }
  func line(_ sku: String, _ cents: Int64) -> LineItem {
    LineItem(sku: sku, category: "goods", quantity: 1, unitPrice: Money(minorUnits: cents, currency: program.currency))
  }
  var state = AccountState()
  let first = try program.evaluate(Event(kind: .purchase, id: "A", time: at(2), lines: [line("pen", 500)]), customer: customer, state: state)
  #expect(first.earned["stars"] == 55)
  state = first.state
  let second = try program.evaluate(Event(kind: .purchase, id: "B", time: at(3), lines: [line("pen", 500), line("book", 2_000)]),
                                    customer: customer, state: state)
  #expect(second.earned["stars"] == 25)
  state = second.state
  // The kept $5.00 would thank her, but the month's thanks was used before B: only B's points go.
  let back = try program.evaluate(Event(kind: .return(original: "B"), id: "RB", time: at(4), lines: [line("book", 0)]),
                                  customer: customer, state: state)
  #expect(back.awards.map(\.source) == ["base earn"])
  #expect(back.earned["stars"] == -20)
  state = back.state
  // A's thanks reversed does not give the month's room back.
  let whole = try program.evaluate(Event(kind: .return(original: "A"), id: "RA", time: at(5), lines: [line("pen", 0)]),
                                   customer: customer, state: state)
  #expect(whole.earned["stars"] == -55)
  state = whole.state
  let third = try program.evaluate(Event(kind: .purchase, id: "C", time: at(6), lines: [line("pen", 500)]), customer: customer, state: state)
  #expect(third.earned["stars"] == 5)
}
