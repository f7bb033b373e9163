import Foundation
import Perk
import Testing
@testable import PerkSimulator

/// The in-place and amounts-only forms of evaluation must give exactly what the pure, fully
/// explained form gives: same awards (explanations aside), same outcome figures, same state.
@Suite struct InPlaceEvaluationTests {
  /// Every customer's events of a generated history (returns included), in time order.
  static func customers(_ program: Program, shape: HistoryGenerator.Shape, customers: Int) throws -> [(Customer, [Event])] {
    let bytes = HistoryGenerator(customers: customers, months: 14, seed: 11, shape: shape).bytes()
    let (rows, _, _) = try Fixture.read(.bytes(name: "generated", bytes))
    var byCustomer: [String: [HistoryRow]] = [:]
    for row in rows { byCustomer[row.customer, default: []].append(row) }
    return byCustomer.keys.sorted().map { id in
      let customer = Customer(id: id, birthday: LocalDate(year: 1990, month: 3, day: 14), signupDate: LocalDate(year: 2025, month: 6, day: 1))
      let events = EventBuilder.events(rows: byCustomer[id]!, customer: customer, program: program,
                                       start: Instant(secondsSince1970: 0), end: Instant(secondsSince1970: Int64(4_000_000_000))).events
      return (customer, events)
    }
  }

  static func withoutExplanations(_ awards: [Award]) -> [Award] {
    awards.map { Award(kind: $0.kind, source: $0.source, location: $0.location, explanation: "") }
  }

  @Test(arguments: [("cafe", HistoryGenerator.Shape.cafe), ("p9-expiring-points", .grocery), ("p2-bakery-points", .cafe),
                    ("p10-snacks-buy-3-pay-2", .grocery), ("p3-fashion-tiers", .grocery), ("p4-wholesale-rebates", .wholesale),
                    ("status-calendar-months", .grocery)])
  func inPlaceAmountsOnlyMatchesThePureForm(program name: String, shape: HistoryGenerator.Shape) throws {
    let program = Fixture.program(name)
    var compared = 0
    for (customer, events) in try Self.customers(program, shape: shape, customers: 25) {
      var pure = AccountState()
      var inPlace = AccountState()
      var account = program.account()
      var accountBudgets = BudgetLedger()
      var pureBudgets = BudgetLedger()
      var inPlaceBudgets = BudgetLedger()
      for (index, event) in events.enumerated() {
        // A redemption now and then, so the refused and accepted paths are both compared.
        let extra = index % 7 == 3 ? [Event(kind: .redemption(reward: program.rewards.first?.name ?? "none"), id: "\(event.id)-r",
                                            time: event.time)] : []
        for event in [event] + extra {
          let expected = try program.evaluate(event, customer: customer, state: pure, budgets: &pureBudgets, options: .full)
          let actual = try program.evaluate(event, customer: customer, updating: &inPlace, budgets: &inPlaceBudgets, options: .amountsOnly)
          #expect(Self.withoutExplanations(actual.awards) == Self.withoutExplanations(expected.awards), "\(name) \(event.id)")
          #expect(actual.balances == expected.balances)
          #expect(actual.earned == expected.earned)
          #expect(actual.amountPaid == expected.amountPaid)
          #expect(actual.rejection == expected.rejection)
          #expect(actual.duplicate == expected.duplicate)
          #expect(actual.tierBefore == expected.tierBefore)
          #expect(actual.tierAfter == expected.tierAfter)
          #expect(actual.state == AccountState())
          #expect(actual.nearMisses.isEmpty && actual.facts.isEmpty)
          let onAccount = try program.evaluate(event, customer: customer, account: &account, budgets: &accountBudgets, options: .amountsOnly)
          #expect(Self.withoutExplanations(onAccount.awards) == Self.withoutExplanations(expected.awards), "\(name) \(event.id)")
          #expect(onAccount.balances == expected.balances)
          #expect(onAccount.earned == expected.earned)
          #expect(onAccount.rejection == expected.rejection)
          #expect(onAccount.duplicate == expected.duplicate)
          #expect(onAccount.tierAfter == expected.tierAfter)
          #expect(onAccount.state == AccountState())
          pure = expected.state
          #expect(inPlace == pure, "\(name) \(customer.id) state after \(event.id)")
          #expect(program.state(of: account) == pure, "\(name) \(customer.id) account after \(event.id)")
          compared += 1
        }
      }
    }
    #expect(compared > 300)
  }

  @Test func explanationsAreTheOnlyDifferenceOfAmountsOnly() throws {
    let program = Fixture.program()
    let (customer, events) = try Self.customers(program, shape: .cafe, customers: 3)[0]
    var state = AccountState()
    var budgets = BudgetLedger()
    for event in events {
      let full = try program.evaluate(event, customer: customer, state: state, budgets: &budgets, options: .full)
      let bare = try program.evaluate(event, customer: customer, state: state, budgets: &budgets, options: .amountsOnly)
      #expect(full.awards.allSatisfy { !$0.explanation.isEmpty })
      #expect(bare.awards.allSatisfy { $0.explanation.isEmpty })
      #expect(Self.withoutExplanations(full.awards) == bare.awards)
      #expect(bare.state == full.state)
      state = full.state
    }
  }

  /// The same for texts written outside `explain`: a discount's and a rebate accrual's (on
  /// purchases and returns), a statement's, a settlement's and a true-up's are written only when
  /// explanations are asked for.
  @Test(arguments: [("p5-win-back", HistoryGenerator.Shape.cafe, "discount"), ("p4-wholesale-rebates", .wholesale, "rebate"),
                    ("rebate-true-ups", .wholesale, "rebate")])
  func discountAndRebateTextsAreWrittenOnlyWhenExplaining(name: String, shape: HistoryGenerator.Shape, kind: String) throws {
    let program = Fixture.load(name)
    var explained = 0
    let segments = ["claw", "carry", "forgive"]  // rebate-true-ups.perk's rebates are by segment
    for (position, (profile, events)) in try Self.customers(program, shape: shape, customers: 40).enumerated() {
      var customer = profile
      customer.segment = segments[position % segments.count]
      var state = AccountState()
      var budgets = BudgetLedger()
      for event in events {
        let full = try program.evaluate(event, customer: customer, state: state, budgets: &budgets, options: .full)
        let bare = try program.evaluate(event, customer: customer, state: state, budgets: &budgets, options: .amountsOnly)
        #expect(bare.awards.allSatisfy { $0.explanation.isEmpty }, "\(name) \(event.id)")
        #expect(Self.withoutExplanations(full.awards) == bare.awards, "\(name) \(event.id)")
        #expect(bare.state == full.state)
        explained += full.awards.filter { award in
          switch award.kind {
          case .discount: kind == "discount" && !award.explanation.isEmpty
          case .rebate: kind == "rebate" && !award.explanation.isEmpty
          default: false
          }
        }.count
        state = full.state
      }
    }
    // The histories gave the program's texts something to explain.
    #expect(explained >= 5, "\(name): \(explained) \(kind) awards explained")
  }

  @Test func aRefusedBasketLeavesTheAccountAsItWas() throws {
    let program = Fixture.program()
    let customer = Customer(id: "a")
    var state = AccountState()
    var budgets = BudgetLedger()
    let day = Fixture.date("2026-03-02")
    let time = program.timeZone.instant(of: day, secondOfDay: 36_000)
    let latte = LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: Money(minorUnits: 450, currency: program.currency))
    _ = try program.evaluate(Event(kind: .purchase, id: "t1", time: time, lines: [latte]), customer: customer, updating: &state,
                             budgets: &budgets, options: .amountsOnly)
    let before = state
    var bad = latte
    bad.quantity = -2
    let later = program.timeZone.instant(of: day.adding(days: 40), secondOfDay: 36_000)
    #expect(throws: EvaluationError.self) {
      _ = try program.evaluate(Event(kind: .purchase, id: "t2", time: later, lines: [bad]), customer: customer, updating: &state,
                               budgets: &budgets, options: .amountsOnly)
    }
    #expect(state == before)
    #expect(state.balances["stars"] == 9)
    // A repeated id is a duplicate before its basket is looked at, in both forms.
    let repeated = Event(kind: .purchase, id: "t1", time: later, lines: [bad])
    #expect(try program.evaluate(repeated, customer: customer, updating: &state, budgets: &budgets, options: .amountsOnly).duplicate)
    #expect(try program.evaluate(repeated, customer: customer, state: state).duplicate)
    #expect(state == before)
  }

  /// The account form is all or nothing: an event whose points overflow the balance half way
  /// through (after its stamps, ledger day and period ends) leaves the account exactly as it was,
  /// and its id stays new; so do an overflowing period end and a refused redemption.
  @Test func anEventThatThrowsLeavesTheAccountAsItWas() throws {
    let program = Fixture.program()
    let customer = Customer(id: "a")
    var start = AccountState()
    start.balances["stars"] = Int64.max - 5
    var account = program.account(start)
    var budgets = BudgetLedger()
    let time = program.timeZone.instant(of: Fixture.date("2026-03-02"), secondOfDay: 36_000)
    let latte = LineItem(sku: "latte", category: "coffee", quantity: 2, unitPrice: Money(minorUnits: 450, currency: program.currency))
    let before = program.state(of: account)
    #expect(throws: EvaluationError.self) {
      _ = try program.evaluate(Event(kind: .purchase, id: "t1", time: time, lines: [latte]), customer: customer, account: &account,
                               budgets: &budgets, options: .amountsOnly)
    }
    #expect(program.state(of: account) == before)
    #expect(program.state(of: account).ledger.isEmpty && program.state(of: account).stamps["coffee card"] == 0)
    // Not a duplicate afterwards: the id was never filed.
    var room = program.account()
    let retried = try program.evaluate(Event(kind: .purchase, id: "t1", time: time, lines: [latte]), customer: customer,
                                       account: &room, budgets: &budgets, options: .amountsOnly)
    #expect(!retried.duplicate && retried.balances["stars"] == 18)
    // A refused redemption, after period ends ran on its day, also leaves the account as it was.
    let refused = try program.evaluate(Event(kind: .redemption(reward: program.rewards[0].name), id: "r1",
                                             time: program.timeZone.instant(of: Fixture.date("2027-03-02"), secondOfDay: 0)),
                                       customer: customer, account: &room, budgets: &budgets, options: .amountsOnly)
    #expect(refused.rejection != nil)
    #expect(program.state(of: room).processedThrough == Fixture.date("2026-03-02"))
  }

  /// An account checks an id and files it in one look-up: an id whose basket is then refused
  /// must stay new, and an accepted one becomes a duplicate.
  @Test func anAccountForgetsTheIdOfARefusedBasket() throws {
    let program = Fixture.program()
    let customer = Customer(id: "a")
    var account = program.account()
    var budgets = BudgetLedger()
    let time = program.timeZone.instant(of: Fixture.date("2026-03-02"), secondOfDay: 36_000)
    let latte = LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: Money(minorUnits: 450, currency: program.currency))
    var bad = latte
    bad.quantity = -2
    _ = try program.evaluate(Event(kind: .purchase, id: "t1", time: time, lines: [latte]), customer: customer, account: &account,
                             budgets: &budgets, options: .amountsOnly)
    #expect(throws: EvaluationError.self) {
      _ = try program.evaluate(Event(kind: .purchase, id: "t2", time: time, lines: [bad]), customer: customer, account: &account,
                               budgets: &budgets, options: .amountsOnly)
    }
    let retried = try program.evaluate(Event(kind: .purchase, id: "t2", time: time, lines: [latte]), customer: customer,
                                       account: &account, budgets: &budgets, options: .amountsOnly)
    #expect(!retried.duplicate && retried.earned["stars"] == 9)
    let again = try program.evaluate(Event(kind: .purchase, id: "t2", time: time, lines: [latte]), customer: customer,
                                     account: &account, budgets: &budgets, options: .amountsOnly)
    #expect(again.duplicate && again.awards.isEmpty)
    #expect(program.balance("stars", of: account) == 18)
  }

  @Test func anAccountKeepsWhatTheProgramDoesNotDeclareAndRefusesAnotherProgram() throws {
    let program = Fixture.program()
    var stored = AccountState()
    stored.balances = ["stars": 40, "miles": 7]
    stored.stamps = ["old card": 3]
    let customer = Customer(id: "a")
    var account = program.account(stored)
    #expect(program.balance("stars", of: account) == 40)
    #expect(program.balance("miles", of: account) == 0)
    var budgets = BudgetLedger()
    let time = program.timeZone.instant(of: Fixture.date("2026-03-02"), secondOfDay: 36_000)
    let latte = LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: Money(minorUnits: 450, currency: program.currency))
    let purchase = Event(kind: .purchase, id: "t1", time: time, lines: [latte])
    let outcome = try program.evaluate(purchase, customer: customer, account: &account, budgets: &budgets, options: .amountsOnly)
    #expect(outcome.balances == ["stars": 49])
    let state = program.state(of: account)
    #expect(state.balances == ["stars": 49, "miles": 7])
    #expect(state.stamps == ["old card": 3, "coffee card": 1])
    #expect(state == (try program.evaluate(purchase, customer: customer, state: stored)).state)

    let other = Fixture.program("p2-bakery-points")
    #expect(throws: EvaluationError.self) {
      _ = try other.evaluate(purchase, customer: customer, account: &account, budgets: &budgets, options: .amountsOnly)
    }
    #expect(throws: EvaluationError.self) {
      _ = try other.advance(to: time, customer: customer, account: &account, options: .amountsOnly)
    }
    #expect(program.state(of: account) == state)
  }

  /// Period ends on an `Account` give the awards and state of the pure form: expiry (P9) and
  /// rebate settlement (P4) between purchases, at the first of every month.
  @Test(arguments: [("p9-expiring-points", HistoryGenerator.Shape.grocery), ("p4-wholesale-rebates", .wholesale)])
  func advancingAnAccountMatchesThePureForm(program name: String, shape: HistoryGenerator.Shape) throws {
    let program = Fixture.program(name)
    var awardsSeen = 0
    for (customer, events) in try Self.customers(program, shape: shape, customers: 12) {
      var pure = AccountState()
      var account = program.account()
      var budgets = BudgetLedger()
      var accountBudgets = BudgetLedger()
      var lastMonth: LocalDate?
      for event in events {
        let day = program.timeZone.localTime(of: event.time).date
        if let last = lastMonth, day.startOfMonth > last {
          let instant = program.timeZone.instant(of: day.startOfMonth, secondOfDay: 0)
          let expected = try program.advance(to: instant, customer: customer, state: pure, options: .full)
          let actual = try program.advance(to: instant, customer: customer, account: &account, options: .amountsOnly)
          #expect(Self.withoutExplanations(actual.awards) == Self.withoutExplanations(expected.awards), "\(name) \(day)")
          #expect(actual.balances == expected.balances && actual.tierAfter == expected.tierAfter)
          awardsSeen += expected.awards.count
          pure = expected.state
          #expect(program.state(of: account) == pure, "\(name) \(customer.id) after the period end of \(day)")
        }
        lastMonth = day.startOfMonth
        let expected = try program.evaluate(event, customer: customer, state: pure, budgets: &budgets, options: .full)
        _ = try program.evaluate(event, customer: customer, account: &account, budgets: &accountBudgets, options: .amountsOnly)
        pure = expected.state
        #expect(program.state(of: account) == pure, "\(name) \(customer.id) after \(event.id)")
      }
    }
    #expect(awardsSeen > 0, "period ends gave something to compare")
  }

  /// Status that some lines do not count toward (its own ledger, returns of counted lines),
  /// over calendar months reviewed at each month's start: the same in every form, events and
  /// period ends alike, and the filter does split the generated baskets.
  @Test func filteredCalendarTiersMatchThePureForm() throws {
    let program = compile(source: """
      program "Grocer Status"
        currency USD
        timezone America/Chicago

      points pts
        worth $0.01

      tiers by spend or visits not in category alcohol, household over last 3 calendar months
        member  from $0 or 0 visits
        silver  from $60 or 6 visits    earn x1.5
        gold    from $150 or 12 visits  earn x2

      rule base earn
        on purchase
        earn 1 pts per $1 spent

      """, path: "grocer.perk").program!
    var split = 0
    var changes = 0
    for (customer, events) in try Self.customers(program, shape: .grocery, customers: 20) {
      var pure = AccountState()
      var inPlace = AccountState()
      var account = program.account()
      var budgets = BudgetLedger()
      var inPlaceBudgets = BudgetLedger()
      var accountBudgets = BudgetLedger()
      var lastMonth: LocalDate?
      for event in events {
        let day = program.timeZone.localTime(of: event.time).date
        if let last = lastMonth, day.startOfMonth > last {
          let instant = program.timeZone.instant(of: day.startOfMonth, secondOfDay: 0)
          let expected = try program.advance(to: instant, customer: customer, state: pure, options: .full)
          let actual = try program.advance(to: instant, customer: customer, account: &account, options: .amountsOnly)
          #expect(Self.withoutExplanations(actual.awards) == Self.withoutExplanations(expected.awards), "\(day)")
          changes += expected.awards.filter { if case .tierChange = $0.kind { true } else { false } }.count
          pure = expected.state
          inPlace = expected.state
          #expect(program.state(of: account) == pure, "\(customer.id) after the period end of \(day)")
        }
        lastMonth = day.startOfMonth
        let expected = try program.evaluate(event, customer: customer, state: pure, budgets: &budgets, options: .full)
        let actual = try program.evaluate(event, customer: customer, updating: &inPlace, budgets: &inPlaceBudgets, options: .amountsOnly)
        let onAccount = try program.evaluate(event, customer: customer, account: &account, budgets: &accountBudgets, options: .amountsOnly)
        #expect(Self.withoutExplanations(actual.awards) == Self.withoutExplanations(expected.awards), "\(event.id)")
        #expect(Self.withoutExplanations(onAccount.awards) == Self.withoutExplanations(expected.awards), "\(event.id)")
        changes += expected.awards.filter { if case .tierChange = $0.kind { true } else { false } }.count
        pure = expected.state
        #expect(inPlace == pure, "\(customer.id) state after \(event.id)")
        #expect(program.state(of: account) == pure, "\(customer.id) account after \(event.id)")
        if pure.ledger.last?.spend != pure.tierLedger.last?.spend { split += 1 }
      }
    }
    #expect(split > 0, "some baskets had lines the tiers do not count")
    #expect(changes > 0, "tiers changed")
  }

  /// A referral credit on an `Account` matches the pure form, and crediting twice pays once.
  @Test func creditingAnAccountMatchesThePureForm() throws {
    let program = Fixture.program("p7-referral")
    let customer = Customer(id: "r1")
    let transfer = PointsTransfer(customer: "r1", from: "c2", currency: program.pointsCurrencyNames[0], amount: 300,
                                  value: Money(minorUnits: 300, currency: program.currency), rule: program.ruleNames.last!,
                                  reason: "referral of c2", sourceTransaction: "T1", releaseOn: LocalDate(year: 2026, month: 3, day: 16)!)
    let expected = try program.credit(transfer, customer: customer, state: AccountState())
    var account = program.account()
    let actual = try program.credit(transfer, customer: customer, account: &account)
    #expect(actual.awards == expected.awards)
    #expect(actual.balances == expected.balances)
    #expect(program.state(of: account) == expected.state)
    #expect(try program.credit(transfer, customer: customer, account: &account).duplicate)
    #expect(program.state(of: account) == expected.state)
  }
}
