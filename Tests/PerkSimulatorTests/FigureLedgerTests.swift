import Perk
import PerkRuntime
import Testing
@testable import PerkSimulator

/// The figures filed by integer ids (`FigureLedger`) come back under the names the result
/// keeps: several currencies (one without a worth), months far apart and filed out of order
/// (rows added before the first one), month indexes below zero, and one ledger shared by
/// customers giving what separate ledgers add up to.
@Suite struct FigureLedgerTests {
  static let program = compile(source: """
    program "Ledger"
      currency USD
      timezone UTC

    points stars
      worth $0.01
      expire 60 days after earning

    points miles

    points credit
      worth $0.02

    tiers by spend over last 30 days
      green  from $0     earn x1
      gold   from $400   earn x2

    rule base earn
      on purchase
      earn 1 stars per $1 spent

    rule miles earn
      on purchase
      earn 3 miles per $1 spent

    rule credit back
      on purchase
      when basket total >= $15
      earn 5 credit

    """, path: "ledger.perk").program!

  static func purchase(_ id: String, _ date: String, dollars: Int64) -> Event {
    Event(kind: .purchase, id: id, time: program.timeZone.instant(of: Fixture.date(date), secondOfDay: 36_000),
          lines: [LineItem(sku: "lamp", category: "home", quantity: 1,
                           unitPrice: Money(minorUnits: dollars * 100, currency: Currency.named("USD")!))])
  }

  static let settings = RunSettings(policy: .none, seed: 1, from: Fixture.date("2020-01-01"), to: Fixture.date("2031-12-31"), trace: false)
  /// Customer `b` buys in March 2031, `a` in February 2020: run in that order, `a`'s months
  /// come before every row `b` filed.
  static let customers: [(id: String, events: [Event])] = [
    ("b", [purchase("b1", "2031-03-05", dollars: 20)]),
    ("a", [purchase("a1", "2020-02-10", dollars: 10)]),
  ]

  static func month(_ text: String) -> Int { CustomerRun.monthIndex(Fixture.date(text + "-01")) }

  static func run(_ customers: [(id: String, events: [Event])], skipping: Bool = true) -> Figures {
    ledger(customers, skipping: skipping).figures()
  }

  static func ledger(_ customers: [(id: String, events: [Event])], skipping: Bool = true) -> FigureLedger {
    var settings = settings
    settings.skipsQuietPeriodEnds = skipping
    var ledger = FigureLedger(program: program)
    for (id, events) in customers {
      var run = CustomerRun(program: program, settings: settings, customer: Customer(id: id), ledger: ledger)
      ledger = FigureLedger(program: program)
      run.run(events)
      ledger = run.ledger
    }
    return ledger
  }

  @Test func customersMonthsApartInOneLedgerGiveExactFigures() {
    let figures = Self.run(Self.customers)
    #expect(figures.purchases == 2)
    #expect(figures.revenue == 3_000)
    // Stars at $0.01 and credit at $0.02 cost money; miles have no worth and are counted.
    #expect(figures.costByKind == ["points": 40])
    #expect(figures.costByRule == ["base earn": 30, "credit back": 10])
    #expect(figures.unvaluedPointsByRule == ["miles earn": ["miles": 90]])
    #expect(figures.dailyCost == [Fixture.date("2020-02-10").dayNumber: 10, Fixture.date("2031-03-05").dayNumber: 30])
    var stars = PointsFlow()
    stars.issued = 30
    stars.expired = 30
    var miles = PointsFlow()
    miles.issued = 90
    var credit = PointsFlow()
    credit.issued = 5
    #expect(figures.points == ["stars": stars, "miles": miles, "credit": credit])
    #expect(figures.outstanding == ["miles": 90, "credit": 5])
    // February 2020 to December 2031: every month end from the first purchase on.
    #expect(figures.months.count == 143)
    #expect(figures.months.keys.min() == Self.month("2020-02"))
    #expect(figures.months.keys.max() == Self.month("2031-12"))

    var february = MonthFigures()
    february.revenue = 1_000
    february.transactions = 1
    february.activeCustomers = 1
    february.knownCustomers = 1
    february.costByKind = ["points": 10]
    var issued = PointsFlow()
    issued.issued = 10
    var issuedMiles = PointsFlow()
    issuedMiles.issued = 30
    february.points = ["stars": issued, "miles": issuedMiles]
    february.closing = ["stars": 10, "miles": 30]
    february.tiers = ["green": 1]
    #expect(figures.months[Self.month("2020-02")] == february)
    // 60 days after 10 February 2020 the stars expire: filed in April, gone from its closing.
    var april = MonthFigures()
    april.knownCustomers = 1
    var expired = PointsFlow()
    expired.expired = 10
    april.points = ["stars": expired]
    april.closing = ["miles": 30]
    april.tiers = ["green": 1]
    #expect(figures.months[Self.month("2020-04")] == april)
    var quiet = MonthFigures()
    quiet.knownCustomers = 1
    quiet.closing = ["miles": 30]
    quiet.tiers = ["green": 1]
    #expect(figures.months[Self.month("2025-07")] == quiet)
    #expect(figures.months[Self.month("2031-02")] == quiet)

    var march = MonthFigures()
    march.revenue = 2_000
    march.transactions = 1
    march.activeCustomers = 1
    march.knownCustomers = 2
    march.costByKind = ["points": 30]
    var issuedStars = PointsFlow()
    issuedStars.issued = 20
    var issuedMarchMiles = PointsFlow()
    issuedMarchMiles.issued = 60
    var issuedCredit = PointsFlow()
    issuedCredit.issued = 5
    march.points = ["stars": issuedStars, "miles": issuedMarchMiles, "credit": issuedCredit]
    march.closing = ["stars": 20, "miles": 90, "credit": 5]
    march.tiers = ["green": 2]
    #expect(figures.months[Self.month("2031-03")] == march)
    var december = MonthFigures()
    december.knownCustomers = 2
    december.closing = ["miles": 90, "credit": 5]
    december.tiers = ["green": 2]
    #expect(figures.months[Self.month("2031-12")] == december)
  }

  @Test func oneLedgerGivesWhatSeparateLedgersAddUpToInAnyOrder() {
    let shared = Self.run(Self.customers)
    var separate = Figures()
    for customer in Self.customers { separate.add(Self.run([customer])) }
    #expect(shared == separate)
    #expect(Self.run(Self.customers.reversed()) == shared)
    #expect(Self.run(Self.customers, skipping: false) == shared)
    // Ledgers added by id (as a run adds its chunks'), the later months' first.
    var added = FigureLedger(program: Self.program)
    for customer in Self.customers { added.add(Self.ledger([customer])) }
    #expect(added.figures() == shared)
    var addedReversed = FigureLedger(program: Self.program)
    for customer in Self.customers.reversed() { addedReversed.add(Self.ledger([customer])) }
    addedReversed.add(FigureLedger(program: Self.program))
    #expect(addedReversed.figures() == shared)
  }

  /// Snapshots carried over months below zero and rows added before the first, by index.
  @Test func carriedSnapshotsAcrossNegativeMonthsAndRowsAddedBefore() throws {
    var ledger = FigureLedger(program: Self.program)
    ledger.prepare()
    let gold = try #require(ledger.tier("gold"))
    let none = try #require(ledger.tier(nil))
    ledger.carry(balances: [5, 0, 7], tier: gold, from: 30, through: 31)
    ledger.carry(balances: [-2, 4, 0], tier: none, from: -3, through: 1)
    ledger.fileCost(6, kind: FigureLedger.messagesKind, source: ledger.source("reminder"), monthRow: ledger.fileMonth(-5))
    let figures = ledger.figures()
    #expect(figures.months.keys.sorted() == [-5, -3, -2, -1, 0, 1, 30, 31])
    var early = MonthFigures()
    early.knownCustomers = 1
    early.closing = ["stars": -2, "miles": 4]
    early.tiers = ["(none)": 1]
    for month in -3...1 { #expect(figures.months[month] == early) }
    var late = MonthFigures()
    late.knownCustomers = 1
    late.closing = ["stars": 5, "credit": 7]
    late.tiers = ["gold": 1]
    #expect(figures.months[30] == late)
    #expect(figures.months[31] == late)
    var costOnly = MonthFigures()
    costOnly.costByKind = ["messages": 6]
    #expect(figures.months[-5] == costOnly)
    #expect(figures.costByRule == ["reminder": 6])
    #expect(figures.costByKind == ["messages": 6])
  }

  /// Rows are numbered in the order keys first come, whatever the keys (negative, far apart,
  /// equal modulo the table's size), and keep their numbers while the table grows.
  @Test func rowNumbersKeepTheOrderKeysFirstCame() {
    var rows = RowNumbers()
    // Multiples of 1,024 share their low bits with one another; the rest are scattered.
    let keys = (0..<40).map { $0 * 1_024 } + [-1, -1_025, 5, 4, 3, Int.max, Int.min, 735_000, -735_000]
      + (0..<100).map { 20_000 - $0 * 7 }
    for (expected, key) in keys.enumerated() {
      let (row, added) = rows.row(key)
      #expect(row == expected && added, "key \(key)")
    }
    #expect(rows.keys == keys)
    // Asked again, in another order and twice in a row: the same rows, none added.
    for (expected, key) in keys.enumerated().reversed() {
      let first = rows.row(key)
      let again = rows.row(key)
      #expect(first == (expected, false) && again == (expected, false), "key \(key)")
    }
    #expect(rows.keys.count == keys.count)
  }

  /// Daily costs filed out of order, on days far apart and before 1970, and added from other
  /// ledgers in any order: one sum per day.
  @Test func dailyCostsFiledInAnyOrderSumByDay() {
    let days: [(Int64, Int64)] = [(10_957, 5), (-400, 7), (22_000, 1), (10_957, 2), (-400, 3), (10_958, 0), (15_000, 9)]
    var one = FigureLedger(program: Self.program)
    one.prepare()
    for (day, minor) in days { one.fileDayCost(minor, day: day) }
    let expected: [Int64: Int64] = [10_957: 7, -400: 10, 22_000: 1, 10_958: 0, 15_000: 9]
    #expect(one.figures().dailyCost == expected)
    var added = FigureLedger(program: Self.program)
    for (day, minor) in days.reversed() {
      var part = FigureLedger(program: Self.program)
      part.prepare()
      part.fileDayCost(minor, day: day)
      added.add(part)
    }
    #expect(added.figures().dailyCost == expected)
  }
}
