import Foundation
import Perk
import PerkRuntime
import Testing
@testable import PerkSimulator

/// `perk sim` with `calendar in customer time zones`: each customer's events are filed into
/// their local months and their month ends run at their local midnight.
@Suite struct CustomerTimeZoneSimulationTests {
  static let program = Fixture.load("travel-retailer-local-time")

  /// ana in New York and ben without a zone buy at the same instants: £60 at noon UTC on
  /// 10 March, £40 at 03:30 UTC on 1 April (23:30 on 31 March in New York).
  static let history = """
    customer,txn,time,sku,category,qty,unit_price
    ana,t1,2026-03-10T12:00:00Z,bag,luggage,1,60.00
    ana,t2,2026-04-01T03:30:00Z,guide,books,1,40.00
    ben,t3,2026-03-10T12:00:00Z,bag,luggage,1,60.00
    ben,t4,2026-04-01T03:30:00Z,guide,books,1,40.00

    """

  static func customers(_ text: String, strict: Bool = false) throws -> CustomerTable {
    try CustomerTable.read(Fixture.bytes(text, name: "customers.csv"), format: nil, columns: ColumnMap(), strict: strict)
  }

  @Test func eventsAreFiledIntoTheCustomersLocalMonth() throws {
    let customers = try Self.customers("customer,timezone\nana,America/New_York\nben,\n")
    #expect(customers.customers["ana"]?.timeZone == ProgramTimeZone(identifier: "America/New_York"))
    let result = try Fixture.simulate(Fixture.bytes(Self.history), program: Self.program, from: Fixture.date("2026-03-01"),
                                      to: Fixture.date("2026-04-30"), customers: customers)
    let f = result.figures
    let march = try #require(f.months[2026 * 12 + 2])
    let april = try #require(f.months[2026 * 12 + 3])
    // ana: 60, then 40 + 100 (March's spend reaches £100) + 10 (23:30 local) in March; ben: 60 in March, 40 in April.
    #expect(march.points["miles"]?.issued == 270)
    #expect(april.points["miles"]?.issued == 40)
    #expect(march.closing == ["miles": 270])
    // The last month end: ana's 210 expire at New York's midnight, ben's 60 at London's; ben's April 40 stay.
    #expect(april.points["miles"]?.expired == 270)
    #expect(april.closing == ["miles": 40])
    #expect(f.points["miles"]?.issued == 310)
    #expect(f.points["miles"]?.expired == 270)
    #expect(f.outstanding["miles"] == 40)
    #expect(result.rowsOutside == 0)
  }

  @Test func theCustomersPeriodIsTheirOwnLocalDays() throws {
    // 03:30 UTC on 1 April is still 31 March in New York: inside a period ending 31 March for
    // ana, outside it for ben.
    let customers = try Self.customers("customer,timezone\nana,America/New_York\n")
    let result = try Fixture.simulate(Fixture.bytes(Self.history), program: Self.program, from: Fixture.date("2026-03-01"),
                                      to: Fixture.date("2026-03-31"), customers: customers)
    #expect(result.rowsOutside == 1)
    #expect(result.figures.months[2026 * 12 + 2]?.points["miles"]?.issued == 270)
  }

  @Test func anUnknownZoneRejectsTheCustomersRowWithItsLine() throws {
    let text = "customer,timezone\nana,America/NewYork\nben,Europe/London\n"
    let table = try Self.customers(text)
    #expect(table.badRows.map(\.description)
      == ["customers.csv:2: `timezone`: unknown time zone `America/NewYork`; did you mean `America/New_York`?"])
    #expect(table.customers["ana"] == nil)
    #expect(table.customers["ben"]?.timeZone == ProgramTimeZone(identifier: "Europe/London"))
    #expect(throws: BadRow.self) { try Self.customers(text, strict: true) }
  }

  /// Every kind of period end in customers' own zones, and a budget shared across zones (the
  /// time-ordered run): the same bytes with one thread or two, skipping quiet month ends or not.
  @Test func mixedZonesGiveTheSameBytesForAnyThreadCount() throws {
    let zones = ["America/New_York", "Asia/Tokyo", "", "Asia/Kolkata", "Pacific/Auckland"]
    func zoned(_ table: CustomerTable) -> CustomerTable {
      var table = table
      for (id, customer) in table.customers {
        let zone = zones[Int(id.dropFirst()).map { $0 % zones.count } ?? 0]
        var c = customer
        c.timeZone = zone.isEmpty ? nil : ProgramTimeZone(identifier: zone)
        table.customers[id] = c
      }
      return table
    }
    let customers = zoned(QuietPeriodEndTests.customers(count: 30))
    #expect(Set(customers.customers.values.compactMap(\.timeZone?.identifier)).count == 4)
    let periodEnds = try #require(compile(source: Self.periodEnds(customerZones: true), path: "zoned.perk").program)
    let history = HistoryGenerator(customers: 30, months: 18, seed: 11, shape: .grocery).bytes()
    try QuietPeriodEndTests.expectSame(periodEnds, history, policy: .asap, customers: customers, "period ends in customer zones")
    // The zones matter: the same program in its own zone alone reports differently.
    let plainProgram = try #require(compile(source: Self.periodEnds(customerZones: false), path: "plain.perk").program)
    let plain = try QuietPeriodEndTests.outputs(plainProgram, history, skipping: true, policy: .asap, customers: customers)
    let local = try QuietPeriodEndTests.outputs(periodEnds, history, skipping: true, policy: .asap, customers: customers)
    #expect(plain[1] != local[1])
  }

  /// The state form, the in-place form and the account form give the same awards and states
  /// for customers in several zones, events and advances to month ends alike.
  @Test func everyEvaluationFormAgreesInCustomerZones() throws {
    let program = try #require(compile(source: Self.periodEnds(customerZones: true), path: "zoned.perk").program)
    let zones = ["America/New_York", "Asia/Tokyo", "", "Pacific/Auckland"]
    let bytes = HistoryGenerator(customers: 12, months: 8, seed: 5, shape: .grocery).bytes()
    let (rows, _, _) = try Fixture.read(.bytes(name: "generated", bytes))
    var byCustomer: [String: [HistoryRow]] = [:]
    for row in rows { byCustomer[row.customer, default: []].append(row) }
    var compared = 0
    for (index, id) in byCustomer.keys.sorted().enumerated() {
      let customer = Customer(id: id, birthday: LocalDate(year: 1990, month: 1 + index % 12, day: 14),
                              signupDate: LocalDate(year: 2025, month: 6, day: 1),
                              timeZone: zones[index % zones.count].isEmpty ? nil : ProgramTimeZone(identifier: zones[index % zones.count]))
      let events = EventBuilder.events(rows: byCustomer[id]!, customer: customer, program: program,
                                       start: Instant(secondsSince1970: 0), end: Instant(secondsSince1970: 4_000_000_000)).events
      var pure = AccountState()
      var inPlace = AccountState()
      var account = program.account()
      var budgets = (BudgetLedger(), BudgetLedger(), BudgetLedger())
      for event in events {
        // Each event after an advance to the start of its local month (a month end in between).
        let zone = program.timeZone(for: customer)
        let monthStart = zone.instant(of: zone.localTime(of: event.time).date.startOfMonth, secondOfDay: 0)
        if monthStart < event.time {
          let expected = try program.advance(to: monthStart, customer: customer, state: pure)
          let onAccount = try program.advance(to: monthStart, customer: customer, account: &account, options: .full)
          let updated = try program.advance(to: monthStart, customer: customer, state: inPlace).state
          #expect(onAccount.awards == expected.awards, "\(id) advance to \(monthStart)")
          pure = expected.state
          inPlace = updated
          #expect(program.state(of: account) == pure)
        }
        let expected = try program.evaluate(event, customer: customer, state: pure, budgets: &budgets.0, options: .full)
        let actual = try program.evaluate(event, customer: customer, updating: &inPlace, budgets: &budgets.1, options: .full)
        let onAccount = try program.evaluate(event, customer: customer, account: &account, budgets: &budgets.2, options: .full)
        #expect(actual.awards == expected.awards, "\(id) \(event.id)")
        #expect(onAccount.awards == expected.awards, "\(id) \(event.id)")
        pure = expected.state
        #expect(inPlace == pure, "\(id) state after \(event.id)")
        #expect(program.state(of: account) == pure, "\(id) account after \(event.id)")
        compared += 1
      }
    }
    #expect(compared > 100)
  }

  /// Period ends of every kind (expiry at a month's end, holds, a calendar tier with a review,
  /// date rules, referral transfers, a monthly limit) and a budget shared by every customer.
  static func periodEnds(customerZones: Bool) -> String {
    """
    program "Zoned Period Ends"
      currency USD
      timezone Europe/London
    \(customerZones ? "  calendar in customer time zones\n" : "")  budget $300 per month

    points stars
      worth $0.01
      expire at end of month 6 months after earning
      hold 10 days

    tiers by spend over last 3 calendar months
      member  from $0     earn x1
      silver  from $60    earn x1.5
      review at start of each quarter, down at most one level

    rule base earn
      on purchase
      earn 2 stars per $1 spent

    rule weekend
      on purchase
      when weekday in Saturday, Sunday
      earn 20 stars
      at most 2 per month

    rule anniversary gift
      on signup anniversary
      earn 500 stars

    rule birthday gift
      on birthday
      when purchases so far >= 1
      earn 100 stars

    rule referral
      on purchase
      when referred and purchases so far = 0
      earn 300 stars for referrer held 14 days

    reward free drink costs 150 stars, worth $5

    """
  }
}
