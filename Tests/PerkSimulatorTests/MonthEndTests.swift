import Foundation
import Perk
import PerkRuntime
import Testing
@testable import PerkSimulator

/// The simulator's month ends (`PeriodEnd.advance`): the period-end event's id is written only
/// when a firing rule reads it, and expired lots are found in place before any is removed. The
/// accounts, awards and explanations must be those of the public `Program.advance`.
@Suite struct MonthEndTests {
  /// Stars expire at the start of the second month after the earning month (a month end),
  /// miles a year after earning; gold is kept for a month after it is reached.
  static let twoCurrencies = compile(source: """
    program "Two Currencies"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01
      expire at end of month 1 months after earning

    points miles
      worth $0.01
      expire 365 days after earning

    tiers by spend over last 30 days
      green  from $0    earn x1
      gold   from $40   earn x1
      keep for 1 months

    rule base earn
      on purchase
      earn 1 stars per $1 spent

    rule miles
      on purchase
      earn 2 miles per $1 spent

    """, path: "two-currencies.perk").program!

  /// Stars expiring 30 days after earning, with `header` lines after the program's and `rules`
  /// after the earning rule.
  static func stars(header: String = "", rules: String = "") -> Program {
    compile(source: """
      program "Stars"
        currency USD
        timezone America/New_York
      \(header)
      points stars
        worth $0.01
        expire 30 days after earning

      rule base earn
        on purchase
        earn 1 stars per $1 spent

      \(rules)
      """, path: "stars.perk").program!
  }

  /// A birthday gift earned at a period end: its lot's source is the period end's event id.
  static let birthday = stars(rules: "rule birthday gift\n  on birthday\n  earn 250 stars\n")

  static func purchase(_ program: Program, _ id: String, _ day: String, dollars: Int64) -> Event {
    Event(kind: .purchase, id: id, time: program.timeZone.instant(of: Fixture.date(day), secondOfDay: 36_000),
          lines: [LineItem(sku: "item", category: "goods", quantity: 1, unitPrice: Money(minorUnits: dollars * 100, currency: program.currency))])
  }

  /// Runs `events` and advances to the start of each of `monthEnds` (in the customer's zone),
  /// once through the public advance and once through the simulator's; returns both sides'
  /// advance outcomes and final states.
  static func bothWays(_ program: Program, customer: Customer, _ events: [Event], monthEnds: [String],
                       options: EvaluationOptions) throws -> (public: [Outcome], simulator: [Outcome], states: [AccountState]) {
    var outcomes: ([Outcome], [Outcome]) = ([], [])
    var states: [AccountState] = []
    for simulator in [false, true] {
      var account = program.account()
      var budgets = BudgetLedger()
      var pending = events
      for end in monthEnds {
        let instant = program.timeZone(for: customer).instant(of: Fixture.date(end), secondOfDay: 0)
        while let next = pending.first, next.time < instant {
          _ = try program.evaluate(next, customer: customer, account: &account, budgets: &budgets, options: options,
                                   restoresOnError: true)
          pending.removeFirst()
        }
        let outcome = simulator
          ? try PeriodEnd.advance(program, to: instant, customer: customer, account: &account, options: options, restoresOnError: false)
          : try program.advance(to: instant, customer: customer, account: &account, options: options)
        if simulator { outcomes.1.append(outcome) } else { outcomes.0.append(outcome) }
      }
      states.append(program.state(of: account))
    }
    return (outcomes.0, outcomes.1, states)
  }

  /// The expiries among an outcome's awards: amount, currency, day and explanation.
  static func expiredAwards(_ outcome: Outcome) -> [String] {
    outcome.awards.compactMap { award in
      guard case .expired(let currency, let amount, let date) = award.kind else { return nil }
      return "\(amount) \(currency) \(date): \(award.explanation)"
    }
  }

  /// January's stars are due exactly at the February month end and go at its start, after
  /// gold's keep lapsed on 21 February; the explanation is the one written before.
  @Test func lotsDueExactlyAtAMonthEndExpireAfterAKeepLapses() throws {
    let program = Self.twoCurrencies
    let events = [Self.purchase(program, "t1", "2026-01-02", dollars: 10), Self.purchase(program, "t2", "2026-01-05", dollars: 7),
                  Self.purchase(program, "t3", "2026-01-20", dollars: 50)]
    let (advances, simulated, states) = try Self.bothWays(program, customer: Customer(id: "ana"), events,
                                                          monthEnds: ["2026-02-01", "2026-03-01"], options: .full)
    #expect(states[0] == states[1])
    #expect(advances.map(\.awards) == simulated.map(\.awards))
    #expect(advances.map(\.balances) == simulated.map(\.balances))
    #expect(simulated.map { $0.awards.count } == [0, 2])
    #expect(simulated.map(Self.expiredAwards) == [
      [], ["67 stars 2026-03-01: 67 stars earned 2026-01-02 to 2026-01-20 expired at the end of 2026-02-28"],
    ])
    // $67 in the 30 days to 20 January reached gold, kept through 20 February.
    #expect(simulated.map(\.tierAfter) == ["gold", "green"])
    #expect(states[1].balances == ["stars": 0, "miles": 134])
    #expect(Set(states[1].lots.map(\.currency)) == ["miles"])
    #expect(states[1].lots.map(\.amount).reduce(0, +) == 134)
  }

  /// Lots of one currency due on the same day with another currency's lot between them (an
  /// account written by hand or by an older version): the others stay, in their order.
  @Test func scatteredLotsExpireTogetherAndTheOthersKeepTheirOrder() throws {
    let program = Self.twoCurrencies
    var state = AccountState()
    state.balances = ["stars": 22, "miles": 30]
    state.lastPurchase = Fixture.date("2026-01-20")
    state.processedThrough = Fixture.date("2026-01-20")
    state.lots = [
      PointsLot(currency: "stars", amount: 10, earned: Fixture.date("2026-01-02"), expiresOn: Fixture.date("2026-02-01")),
      PointsLot(currency: "miles", amount: 20, earned: Fixture.date("2026-01-02"), expiresOn: Fixture.date("2027-01-02")),
      PointsLot(currency: "stars", amount: 7, earned: Fixture.date("2026-01-03"), expiresOn: Fixture.date("2026-02-01")),
      PointsLot(currency: "stars", amount: 5, earned: Fixture.date("2026-01-10"), expiresOn: Fixture.date("2026-02-09")),
      PointsLot(currency: "miles", amount: 10, earned: Fixture.date("2026-01-10"), expiresOn: Fixture.date("2027-01-10")),
    ]
    let customer = Customer(id: "ana")
    let instant = program.timeZone.instant(of: Fixture.date("2026-02-01"), secondOfDay: 0)
    for options in [EvaluationOptions.full, .amountsOnly] {
      var account = program.account(state)
      let simulated = try PeriodEnd.advance(program, to: instant, customer: customer, account: &account, options: options,
                                            restoresOnError: false)
      let advanced = try program.advance(to: instant, customer: customer, state: state, options: options)
      #expect(program.state(of: account) == advanced.state)
      #expect(simulated.awards == advanced.awards)
      #expect(Self.expiredAwards(simulated)
        == ["17 stars 2026-02-01: " + (options.explanations ? "17 stars earned 2026-01-02 to 2026-01-03 expired at the end of 2026-01-31" : "")])
      #expect(advanced.state.balances == ["stars": 5, "miles": 30])
      #expect(advanced.state.lots.map { "\($0.amount) \($0.currency) \($0.earned)" }
        == ["5 stars 2026-01-10", "20 miles 2026-01-02", "10 miles 2026-01-10"])
    }
  }

  /// No rule fires at a month end: the simulator's outcome names no event, everything else is
  /// the public advance's. A birthday rule fires: its lot's source is the period end's id.
  @Test func thePeriodEndIdIsWrittenWhenAFiringRuleReadsIt() throws {
    let quiet = try Self.bothWays(Self.twoCurrencies, customer: Customer(id: "ana"),
                                  [Self.purchase(Self.twoCurrencies, "t1", "2026-01-02", dollars: 10)],
                                  monthEnds: ["2026-02-01", "2026-03-01"], options: .amountsOnly)
    #expect(quiet.public.map(\.eventID) == ["advance to 2026-02-01", "advance to 2026-03-01"])
    #expect(quiet.simulator.map(\.eventID) == ["", ""])
    #expect(quiet.public.map(\.awards) == quiet.simulator.map(\.awards))
    #expect(quiet.states[0] == quiet.states[1])

    let customer = Customer(id: "ben", birthday: Fixture.date("1990-01-15"))
    let gifts = try Self.bothWays(Self.birthday, customer: customer, [Self.purchase(Self.birthday, "t1", "2026-01-02", dollars: 10)],
                                  monthEnds: ["2026-02-01"], options: .amountsOnly)
    #expect(gifts.simulator.map(\.eventID) == ["advance to 2026-02-01"])
    #expect(gifts.states[0] == gifts.states[1])
    #expect(gifts.states[1].lots.map { "\($0.amount) \($0.source ?? "-")" } == ["250 advance to 2026-02-01"])
    #expect(gifts.states[1].balances == ["stars": 250])
  }

  /// A customer in another zone than the program's: month ends run at their local midnight.
  @Test func aCustomerInAnotherZoneExpiresAtTheirOwnMonthEnd() throws {
    let program = Self.stars(header: "  calendar in customer time zones\n")
    let customer = Customer(id: "kai", timeZone: ProgramTimeZone(identifier: "Pacific/Auckland"))
    let zone = program.timeZone(for: customer)
    // 10:00 on 2 January in Auckland: the lot is due on 1 February there.
    let purchase = Event(kind: .purchase, id: "t1", time: zone.instant(of: Fixture.date("2026-01-02"), secondOfDay: 36_000),
                         lines: [LineItem(sku: "item", category: "goods", quantity: 1, unitPrice: Money(minorUnits: 900, currency: program.currency))])
    let (advances, simulated, states) = try Self.bothWays(program, customer: customer, [purchase], monthEnds: ["2026-02-01"],
                                                          options: .full)
    #expect(states[0] == states[1])
    #expect(advances.map(\.awards) == simulated.map(\.awards))
    #expect(simulated.map(Self.expiredAwards) == [["9 stars 2026-02-01: 9 stars earned 2026-01-02 expired at the end of 2026-01-31"]])
  }

  /// The whole run: the reports and traces with quiet month ends skipped or not, on two threads or one.
  @Test func twoCurrenciesAndKeepsGiveTheSameBytes() throws {
    let history = HistoryGenerator(customers: 40, months: 20, seed: 12, shape: .cafe).bytes()
    try QuietPeriodEndTests.expectSame(Self.twoCurrencies, history, policy: .asap, customers: QuietPeriodEndTests.customers(count: 40),
                                       "two currencies")
    let sparse = HistoryGenerator.onePurchaseEach(customers: 50, years: 3, seed: 4)
    try QuietPeriodEndTests.expectSame(Self.birthday, sparse, customers: QuietPeriodEndTests.customers(count: 50), "birthday")
  }
}
