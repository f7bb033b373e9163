import Foundation
import Perk
import PerkRuntime
import Testing
@testable import PerkSimulator

/// Month ends at which nothing is due are not run through the program (`Program.quietUntil`,
/// `CustomerRun.closeMonths`): the reports and traces must be byte for byte those of a run that
/// advances every account at every month end.
@Suite struct QuietPeriodEndTests {
  /// Period ends of every kind the simulator can meet: expiry, held points, a calendar tier with
  /// a keep, date rules, held referral transfers.
  static let periodEnds = compile(source: """
    program "Period Ends"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01
      expire 400 days after earning
      hold 10 days

    tiers by spend this year
      member  from $0     earn x1
      silver  from $60    earn x1.5
      keep until end of next year

    rule base earn
      on purchase
      earn 2 stars per $1 spent

    rule anniversary gift
      on signup anniversary
      earn 500 stars

    rule birthday gift
      on birthday
      when purchases so far >= 1
      earn 100 stars

    rule referral
      on purchase
      when purchases so far = 0
      earn 300 stars for referrer held 14 days

    reward free drink costs 150 stars, worth $5

    """, path: "period-ends.perk").program!

  /// A rolling tier kept for a while, inactivity expiry and a budget (the time-ordered run).
  static let rollingBudgeted = compile(source: """
    program "Rolling"
      currency USD
      timezone Europe/Warsaw
      budget $40 per month

    points stars
      worth $0.01
      expire after 5 months without activity

    tiers by spend over last 90 days
      green  from $0    earn x1
      gold   from $40   earn x2
      keep for 2 months

    rule base earn
      on purchase
      earn 1 stars per $1 spent

    rule welcome back
      on purchase
      when days since last purchase >= 60
      earn 50 stars
      budget $10 per month

    reward treat costs 100 stars, worth $2

    """, path: "rolling.perk").program!

  /// Birthdays, signups inside and before the period, and referrers among the customers.
  static func customers(count: Int) -> CustomerTable {
    var table = CustomerTable()
    for c in 1...count {
      let id = "c" + String(repeating: "0", count: max(0, 4 - String(c).count)) + String(c)
      let referrer = c % 3 == 0 ? "c" + String(repeating: "0", count: max(0, 4 - String(c - 1).count)) + String(c - 1) : nil
      table.customers[id] = Customer(id: id, birthday: LocalDate(year: 1980 + c % 20, month: 1 + c % 12, day: 1 + c % 28),
                                     signupDate: LocalDate(year: 2025 + c % 3, month: 1 + (c * 5) % 12, day: 1 + (c * 7) % 28),
                                     referredBy: referrer)
    }
    return table
  }

  /// Text and JSON reports and the trace of one run, with or without skipping quiet month ends.
  static func outputs(_ program: Program, _ history: [UInt8], skipping: Bool, policy: RedemptionPolicy = .none,
                      customers: CustomerTable = CustomerTable(), threads: Int = 1) throws -> [String] {
    var options = SimulationOptions()
    options.policy = policy
    options.threads = threads
    options.trace = true
    options.skipsQuietPeriodEnds = skipping
    var trace: [String] = []
    let result = try Simulator(program: program, options: options)
      .run(history: .bytes(name: "generated", history), read: HistoryReadOptions(), customers: customers,
           traceSink: { trace.append($0) })
    return [TextReport.render(result, settings: ReportSettings()),
            JSONReport.render(result, settings: ReportSettings(), compare: nil, sweep: []),
            trace.joined(separator: "\n")]
  }

  static func expectSame(_ program: Program, _ history: [UInt8], policy: RedemptionPolicy = .none,
                         customers: CustomerTable = CustomerTable(), _ label: String) throws {
    let every = try outputs(program, history, skipping: false, policy: policy, customers: customers)
    let skipped = try outputs(program, history, skipping: true, policy: policy, customers: customers, threads: 2)
    for (name, (a, b)) in zip(["text", "json", "trace"], zip(every, skipped)) {
      #expect(a == b, "\(label): the \(name) output differs when quiet month ends are skipped")
    }
  }

  @Test(arguments: ["cafe", "p3-fashion-tiers", "p4-wholesale-rebates", "p5-win-back", "p6-birthday-bonus",
                    "p7-referral", "p9-expiring-points", "p12-dual-tiers", "status-calendar-months",
                    "status-quarterly-review", "status-anniversary-review"])
  func catalogProgramsGiveTheSameBytes(_ name: String) throws {
    let program = Fixture.load(name)
    let shape: HistoryGenerator.Shape = name.hasPrefix("p4") ? .wholesale : name.hasPrefix("p3") ? .grocery : .cafe
    // Four years of a churning base: most customers stop early, so most month ends are quiet.
    let history = HistoryGenerator(customers: 40, months: 48, seed: 5, shape: shape).bytes()
    try Self.expectSame(program, history, policy: .rate(numerator: 7, denominator: 10), customers: Self.customers(count: 40), name)
  }

  @Test func everyKindOfPeriodEndGivesTheSameBytes() throws {
    for (seed, shape) in [(UInt64(3), HistoryGenerator.Shape.cafe), (9, .grocery)] {
      let history = HistoryGenerator(customers: 45, months: 40, seed: seed, shape: shape).bytes()
      try Self.expectSame(Self.periodEnds, history, policy: .asap, customers: Self.customers(count: 45), "period ends, seed \(seed)")
    }
    let sparse = HistoryGenerator.onePurchaseEach(customers: 60, years: 6, seed: 2)
    try Self.expectSame(Self.periodEnds, sparse, customers: Self.customers(count: 60), "period ends, one purchase each")
  }

  @Test func rollingTiersAndBudgetsGiveTheSameBytes() throws {
    let history = HistoryGenerator(customers: 30, months: 30, seed: 4, shape: .grocery).bytes()
    try Self.expectSame(Self.rollingBudgeted, history, policy: .threshold(100), "rolling, budgets")
    let sparse = HistoryGenerator.onePurchaseEach(customers: 50, years: 5, seed: 8)
    try Self.expectSame(Self.rollingBudgeted, sparse, "rolling, budgets, one purchase each")
  }

  /// The point of skipping: one purchase over ten years runs no month end at all when nothing
  /// is ever due, and only the month ends of due days when something is.
  @Test func aCustomerWithOnePurchaseIsAdvancedOnlyWhenSomethingIsDue() throws {
    let settings = RunSettings(policy: .none, seed: 1, from: Fixture.date("2020-01-01"), to: Fixture.date("2029-12-31"), trace: false)
    let purchase = Event(kind: .purchase, id: "t1", time: Fixture.cafe.timeZone.instant(of: Fixture.date("2020-03-10"), secondOfDay: 36_000),
                         lines: [LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: Money(minorUnits: 450, currency: Currency.named("USD")!))])
    func advances(_ program: Program, skipping: Bool) -> (Int, Figures) {
      var settings = settings
      settings.skipsQuietPeriodEnds = skipping
      var run = CustomerRun(program: program, settings: settings, customer: Customer(id: "a"), ledger: FigureLedger(program: program))
      run.run([purchase])
      return (run.accepted.filter { if case .advance = $0 { true } else { false } }.count, run.ledger.figures())
    }
    // The café's stars never expire: 118 month ends after March 2020, none run.
    let (cafeEvery, cafeEveryFigures) = advances(Fixture.cafe, skipping: false)
    let (cafeSkipping, cafeFigures) = advances(Fixture.cafe, skipping: true)
    #expect(cafeEvery == 118)
    #expect(cafeSkipping == 0)
    #expect(cafeFigures == cafeEveryFigures)
    #expect(cafeFigures.months.count == 118)
    #expect(cafeFigures.months[CustomerRun.monthIndex(Fixture.date("2029-12-01"))]?.closing == ["stars": 9])
    // Due: the hold's release (March 2020), the 400-day expiry (April 2021) and the calendar
    // tier's review every January 1 (2021 to 2030, the last the end of the period).
    let (expiring, expiringFigures) = advances(Self.periodEnds, skipping: true)
    let (expiringEvery, expiringEveryFigures) = advances(Self.periodEnds, skipping: false)
    #expect(expiringEvery == 118)
    #expect(expiring == 12)
    #expect(expiringFigures == expiringEveryFigures)
  }

  @Test func carriedSnapshotsListAZeroSumClosingAsFilingThemDoes() throws {
    let program = try #require(compile(source: """
      program "Zero Sum"
        currency USD
        timezone America/New_York

      points stars
        worth $0.01

      tiers by spend over last 30 days
        green  from $0    earn x1
        gold   from $40   earn x2

      """, path: "zero-sum.perk").program)
    var filed = FigureLedger(program: program)
    var carried = FigureLedger(program: program)
    filed.prepare()
    carried.prepare()
    let gold = try #require(filed.tier("gold"))
    for balance: Int64 in [5, -5] {
      for month in 10...12 { filed.carry(balances: [balance], tier: gold, from: month, through: month) }
      carried.carry(balances: [balance], tier: gold, from: 10, through: 12)
    }
    var snapshot = MonthFigures()
    snapshot.knownCustomers = 2
    snapshot.closing = ["stars": 0]
    snapshot.tiers = ["gold": 2]
    var expected = Figures()
    for month in 10...12 { expected.months[month] = snapshot }
    #expect(filed.figures() == expected)
    #expect(carried.figures() == expected)
  }
}

extension QuietPeriodEndTests {
  /// How many month ends one customer's run advances, and its figures, from `from` to `to`.
  static func advances(_ program: Program, _ events: [Event], from: String, to: String, skipping: Bool) -> (Int, Figures) {
    var settings = RunSettings(policy: .none, seed: 1, from: Fixture.date(from), to: Fixture.date(to), trace: false)
    settings.skipsQuietPeriodEnds = skipping
    var run = CustomerRun(program: program, settings: settings, customer: Customer(id: "a"), ledger: FigureLedger(program: program))
    run.run(events)
    return (run.accepted.filter { if case .advance = $0 { true } else { false } }.count, run.ledger.figures())
  }

  /// A quarterly true-up is due work: skipping quiet month ends still pays it on its quarter end.
  @Test func quarterlyTrueUpsAreDueWork() throws {
    let program = compile(source: """
      program "True-ups"
        currency EUR
        timezone Europe/Warsaw
      rebate volume
        measure net spend per calendar year
        retroactive
          from €10,000 2%
        settle at end of quarter, paying the difference to date, a negative difference is carried forward
      """, path: "true-ups.perk").program!
    let purchase = Event(kind: .purchase, id: "t1", time: program.timeZone.instant(of: Fixture.date("2020-03-10"), secondOfDay: 36_000),
                         lines: [LineItem(sku: "pallet", category: "goods", quantity: 12,
                                          unitPrice: Money(minorUnits: 100_000, currency: Currency.named("EUR")!))])
    func advances(skipping: Bool) -> (Int, Figures) {
      Self.advances(program, [purchase], from: "2020-01-01", to: "2021-12-31", skipping: skipping)
    }
    // Ending mid-year with more bought: the liability is what the year to date earns less the true-ups paid.
    var settings = RunSettings(policy: .none, seed: 1, from: Fixture.date("2020-01-01"), to: Fixture.date("2020-05-31"), trace: false)
    settings.skipsQuietPeriodEnds = true
    var open = CustomerRun(program: program, settings: settings, customer: Customer(id: "a"), ledger: FigureLedger(program: program))
    var more = purchase
    more.id = "t2"
    more.time = program.timeZone.instant(of: Fixture.date("2020-05-10"), secondOfDay: 36_000)
    more.lines[0].quantity = 40
    open.run([purchase, more])
    #expect(open.ledger.figures().costByKind["rebates"] == 24_000)
    // €52,000 at 2% accrues €1,040, €240 of which the 1 April true-up paid.
    #expect(open.ledger.figures().rebatesAccrued == ["volume": 80_000])
    let (every, everyFigures) = advances(skipping: false)
    let (skipping, figures) = advances(skipping: true)
    // The true-ups of 1 April, 1 July and 1 October 2020 and the settlement of 1 January 2021.
    #expect(every == 22)
    #expect(skipping == 4)
    #expect(figures == everyFigures)
    #expect(figures.costByKind["rebates"] == 24_000)
    #expect(figures.months.sorted { $0.key < $1.key }.compactMap { $0.value.costByKind["rebates"] } == [24_000])
  }
}

extension QuietPeriodEndTests {
  /// Contact rules fall due at period ends of their own (`after purchase`, `without purchase`,
  /// `before … expire`): `Program.quietUntil` counts them, so the month end where a message falls
  /// due is run, and the trace lists each message on the same line either way.
  static let contact = compile(source: """
    program "Contact"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01
      expire 200 days after earning

    rule base earn
      on purchase
      earn 1 stars per $1 spent

    rule tea reminder
      on 45 days after purchase in category tea
      send message "Time for more tea, {customer}" via sms

    rule we miss you
      on 75 days without purchase
      give voucher "Come back" worth $2
      send message "We miss you: {voucher}"

    rule expiry warning
      on 10 days before stars expire
      send message "{stars expiring} stars expire on {stars expiry date}" via push

    """, path: "contact.perk").program!

  @Test func contactMessagesGiveTheSameBytesWithQuietMonthEndsSkippedOrNot() throws {
    let sparse = HistoryGenerator.onePurchaseEach(customers: 50, years: 4, seed: 6)
    let churning = HistoryGenerator(customers: 40, months: 36, seed: 7, shape: .cafe).bytes()
    for (label, history) in [("one purchase each", sparse), ("churning", churning)] {
      let every = try Self.outputs(Self.contact, history, skipping: false)
      // The comparison means something only when messages fall due in month ends.
      #expect(every[2].contains("\"type\":\"period_end\""), "\(label): no period end in the trace")
      #expect(every[2].contains("We miss you: Come back"), "\(label): no message in the trace")
      #expect(every[2].contains("stars expire on"), "\(label): no expiry warning in the trace")
      try Self.expectSame(Self.contact, history, "contact, \(label)")
    }
  }

  /// One purchase and nothing else due but messages: the skipping run advances exactly at the
  /// month ends after the days they fall due.
  @Test func aMessageAloneMakesItsMonthEndDue() throws {
    let program = try #require(compile(source: """
      program "Miss You"
        currency USD
        timezone America/New_York

      points stars
        worth $0.01

      rule base earn
        on purchase
        earn 1 stars per $1 spent

      rule we miss you
        on 75 days without purchase
        send message "We miss you"
      """, path: "miss-you.perk").program)
    let purchase = Event(kind: .purchase, id: "t1", time: program.timeZone.instant(of: Fixture.date("2020-03-10"), secondOfDay: 36_000),
                         lines: [LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: Money(minorUnits: 450, currency: Currency.named("USD")!))])
    func run(skipping: Bool) -> (advances: Int, trace: [String]) {
      var settings = RunSettings(policy: .none, seed: 1, from: Fixture.date("2020-01-01"), to: Fixture.date("2021-12-31"), trace: true)
      settings.skipsQuietPeriodEnds = skipping
      var run = CustomerRun(program: program, settings: settings, customer: Customer(id: "a"), ledger: FigureLedger(program: program))
      run.run([purchase])
      return (run.accepted.filter { if case .advance = $0 { true } else { false } }.count, run.trace)
    }
    let every = run(skipping: false)
    let skipping = run(skipping: true)
    #expect(every.advances == 22)
    // 75 days after 10 March 2020 is 24 May: the May month end runs, no other.
    #expect(skipping.advances == 1)
    #expect(skipping.trace.filter { $0.contains("We miss you") } == every.trace.filter { $0.contains("We miss you") })
    #expect(every.trace.filter { $0.contains("\"due\":\"2020-05-24T00:00\"") }.count == 1)
  }

  /// A tier kept past its window lapses at the month end after its keep date, not at a next
  /// purchase that never comes: month-end tier populations count the customer in the lower tier.
  @Test func aKeptTierLapsesAtTheMonthEndAfterItsKeepDate() throws {
    let program = compile(source: """
      program "Keep"
        currency USD
        timezone America/New_York

      tiers by spend over last 30 days
        green  from $0    earn x1
        gold   from $40   earn x2
        keep for 2 months

      """, path: "keep.perk").program!
    let purchase = Event(kind: .purchase, id: "t1", time: program.timeZone.instant(of: Fixture.date("2020-03-10"), secondOfDay: 36_000),
                         lines: [LineItem(sku: "coat", category: "retail", quantity: 1, unitPrice: Money(minorUnits: 5_000, currency: Currency.named("USD")!))])
    let (every, everyFigures) = Self.advances(program, [purchase], from: "2020-01-01", to: "2020-12-31", skipping: false)
    let (skipping, figures) = Self.advances(program, [purchase], from: "2020-01-01", to: "2020-12-31", skipping: true)
    #expect(figures == everyFigures)
    // Gold is kept through 2020-05-10 and lapses with it: only the May month end is due.
    #expect(every == 10)
    #expect(skipping == 1)
    let tiers = (3...12).map { figures.months[CustomerRun.monthIndex(Fixture.date("2020-\($0 < 10 ? "0" : "")\($0)-01"))]?.tiers ?? [:] }
    #expect(tiers == [["gold": 1], ["gold": 1]] + Array(repeating: ["green": 1], count: 8))
  }
}
