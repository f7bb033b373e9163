import Perk
import Testing

/// `calendar in customer time zones`: each customer's calendar questions in their own zone.
/// Instants are written in UTC so that nothing depends on the zone they are read in.
@Suite struct CustomerTimeZoneTests {
  static func source(customerZones: Bool) -> String {
    """
    program "Gateway Travel Retail"
      currency GBP
      timezone Europe/London
    \(customerZones ? "  calendar in customer time zones\n" : "")
    points miles
      worth £0.01
      expire at end of month 1 month after earning

    rule base earn
      on purchase
      earn 1 miles per £1 spent

    rule monthly traveller
      on purchase
      when spend this month reaches £100
      earn 100 miles
      at most once per month

    rule late flight
      on purchase
      when time in 22:00 to 23:59
      earn 10 miles

    rule birthday gift
      on birthday
      earn 500 miles
    """
  }

  static func program(customerZones: Bool = true) throws -> Program {
    try #require(compile(source: source(customerZones: customerZones), path: "travel.perk").program)
  }

  static let newYork = ProgramTimeZone(identifier: "America/New_York")!
  static let tokyo = ProgramTimeZone(identifier: "Asia/Tokyo")!

  /// Seconds since 1970 of a UTC date and time.
  static func utc(_ date: String, _ hour: Int64, _ minute: Int64 = 0, _ second: Int64 = 0) -> Instant {
    Instant(secondsSince1970: LocalDate(iso: date)!.dayNumber * 86_400 + hour * 3600 + minute * 60 + second)
  }

  static func purchase(_ id: String, at time: Instant, pounds: String, in program: Program) -> Event {
    Event(kind: .purchase, id: id, time: time,
          lines: [LineItem(sku: "bag", category: "luggage", quantity: 1, unitPrice: Money(parsing: pounds, currency: program.currency)!)])
  }

  /// £60 on 10 March, then £40 at 03:30 UTC on 1 April: 23:30 on 31 March in New York
  /// (EDT), 04:30 on 1 April in London (BST).
  static func lateMarch(_ program: Program, _ customer: Customer) throws -> (Outcome, AccountState) {
    let first = try program.evaluate(purchase("T1", at: utc("2026-03-10", 12), pounds: "60.00", in: program), customer: customer, state: AccountState())
    let second = try program.evaluate(purchase("T2", at: utc("2026-04-01", 3, 30), pounds: "40.00", in: program), customer: customer, state: first.state)
    return (second, second.state)
  }

  static func earned(_ outcome: Outcome) -> [String: Int64] {
    var bySource: [String: Int64] = [:]
    for award in outcome.awards {
      if case .points(_, let amount, _) = award.kind { bySource[award.source, default: 0] += amount }
    }
    return bySource
  }

  @Test func theSameInstantIsMarchInNewYorkAndAprilInLondon() throws {
    let program = try Self.program()
    let (ana, anaState) = try Self.lateMarch(program, Customer(id: "ana", timeZone: Self.newYork))
    #expect(Self.earned(ana) == ["base earn": 40, "monthly traveller": 100, "late flight": 10])
    #expect(anaState.balances["miles"] == 210)
    let (ben, benState) = try Self.lateMarch(program, Customer(id: "ben"))
    #expect(Self.earned(ben) == ["base earn": 40])
    #expect(benState.balances["miles"] == 100)
    #expect(program.timeZone(for: Customer(id: "ana", timeZone: Self.newYork)) == Self.newYork)
    #expect(program.timeZone(for: Customer(id: "ben")) == program.timeZone)
  }

  @Test func withoutTheClauseACustomersZoneChangesNothing() throws {
    let program = try Self.program(customerZones: false)
    let ana = Customer(id: "ana", timeZone: Self.newYork)
    #expect(program.timeZone(for: ana) == program.timeZone)
    let (outcome, state) = try Self.lateMarch(program, ana)
    #expect(Self.earned(outcome) == ["base earn": 40])
    #expect(state.balances["miles"] == 100)
  }

  @Test func pointsExpireAtTheCustomersLocalMidnight() throws {
    let program = try Self.program()
    let ana = Customer(id: "ana", timeZone: Self.newYork)
    let (_, state) = try Self.lateMarch(program, ana)
    // London's midnight starting 1 May is 19:00 on 30 April in New York.
    let londonMidnight = try program.advance(to: Self.utc("2026-04-30", 23), customer: ana, state: state)
    #expect(londonMidnight.state.balances["miles"] == 210)
    let justBefore = try program.advance(to: Self.utc("2026-05-01", 3, 59, 59), customer: ana, state: state)
    #expect(justBefore.state.balances["miles"] == 210)
    let newYorkMidnight = try program.advance(to: Self.utc("2026-05-01", 4), customer: ana, state: state)
    #expect(newYorkMidnight.state.balances["miles"] == 0)
    #expect(newYorkMidnight.awards.map(\.kind) == [.expired(currency: "miles", amount: 210, date: LocalDate(iso: "2026-05-01")!)])
    // A customer without a zone: the March miles (60) leave at London's midnight, April's stay.
    let ben = Customer(id: "ben")
    let (_, benState) = try Self.lateMarch(program, ben)
    let benAtMidnight = try program.advance(to: Self.utc("2026-04-30", 23), customer: ben, state: benState)
    #expect(benAtMidnight.state.balances["miles"] == 40)
  }

  @Test func aBirthdayStartsAtTheCustomersLocalMidnight() throws {
    let program = try Self.program()
    let kenji = Customer(id: "kenji", birthday: LocalDate(iso: "1990-06-15")!, timeZone: Self.tokyo)
    let start = try program.evaluate(Self.purchase("T1", at: Self.utc("2026-06-01", 3), pounds: "10.00", in: program), customer: kenji, state: AccountState())
    // 00:00 on 15 June in Tokyo (JST, UTC+9) is 15:00 UTC on 14 June.
    let before = try program.advance(to: Self.utc("2026-06-14", 14, 59, 59), customer: kenji, state: start.state)
    #expect(before.state.balances["miles"] == 10)
    let after = try program.advance(to: Self.utc("2026-06-14", 15), customer: kenji, state: start.state)
    #expect(after.state.balances["miles"] == 510)
  }

  /// A rebate's calendar year is the customer's: in Tokyo 16:00 UTC on 31 December 2026 is
  /// already 2027 (01:00 on 1 January); in Warsaw (the program's zone) it is still 2026.
  @Test func aRebateYearIsTheCustomersOwn() throws {
    let program = try #require(compile(source: """
      program "Northwind Wholesale"
        currency EUR
        timezone Europe/Warsaw
        calendar in customer time zones

      rebate annual volume
        measure net spend per calendar year
        retroactive
          below €10,000    0%
          from  €10,000    2%
        settle at end of year
      """, path: "wholesale.perk").program)
    func pallets(_ id: String, _ time: Instant) -> Event {
      Event(kind: .purchase, id: id, time: time,
            lines: [LineItem(sku: "pallet", category: "beverages", quantity: 6, unitPrice: Money(parsing: "1000.00", currency: program.currency)!)])
    }
    func accruals(_ outcome: Outcome) -> [(String, String)] {
      outcome.awards.compactMap { award in
        guard case .rebate(let r) = award.kind, r.phase == .accrual else { return nil }
        return ("\(r.periodStart)", "\(r.amount)")
      }
    }
    for (customer, expected) in [(Customer(id: "tokyo", timeZone: Self.tokyo), [("2027-01-01", "€0.00")]),
                                 (Customer(id: "warsaw"), [("2026-01-01", "€240.00")])] {
      let first = try program.evaluate(pallets("T1", Self.utc("2026-06-01", 12)), customer: customer, state: AccountState())
      let second = try program.evaluate(pallets("T2", Self.utc("2026-12-31", 16)), customer: customer, state: first.state)
      #expect(accruals(second).map { "\($0.0) \($0.1)" } == expected.map { "\($0.0) \($0.1)" }, "\(customer.id)")
    }
    // Tokyo's 2026 settles at its own midnight, 15:00 UTC on 31 December: €6,000, nothing due.
    let tokyo = Customer(id: "tokyo", timeZone: Self.tokyo)
    let first = try program.evaluate(pallets("T1", Self.utc("2026-06-01", 12)), customer: tokyo, state: AccountState())
    let settled = try program.advance(to: Self.utc("2026-12-31", 15), customer: tokyo, state: first.state)
    let settlements = settled.awards.compactMap { award -> String? in
      guard case .rebate(let r) = award.kind, r.phase == .settlement else { return nil }
      return "\(r.periodStart)...\(r.periodEnd) \(r.volume) \(r.amount)"
    }
    #expect(settlements == ["2026-01-01...2026-12-31 €6,000.00 €0.00"])
    let notYet = try program.advance(to: Self.utc("2026-12-31", 14, 59, 59), customer: tokyo, state: first.state)
    #expect(!notYet.awards.contains { if case .rebate = $0.kind { true } else { false } })
  }

  @Test func anUnknownZoneInCustomerJSONIsALocatedError() throws {
    let text = "{\"id\": \"ana\",\n \"timezone\": \"America/New_Yrok\"}"
    let node = try JSONNode.parse(Array(text.utf8), path: "c.json")
    #expect(throws: InputError(path: "c.json", line: 2, column: 14,
                               message: "`timezone`: unknown time zone `America/New_Yrok`; did you mean `America/New_York`?")) {
      try Customer.decode(node, path: "c.json")
    }
    let abbreviation = try JSONNode.parse(Array("{\"id\": \"ana\", \"timezone\": \"EST\"}".utf8), path: "c.json")
    #expect(throws: InputError.self) { try Customer.decode(abbreviation, path: "c.json") }
    let good = try JSONNode.parse(Array("{\"id\": \"ana\", \"timezone\": \"America/New_York\"}".utf8), path: "c.json")
    #expect(try Customer.decode(good, path: "c.json").timeZone == Self.newYork)
    let none = try JSONNode.parse(Array("{\"id\": \"ana\", \"timezone\": null}".utf8), path: "c.json")
    #expect(try Customer.decode(none, path: "c.json").timeZone == nil)
  }
}
