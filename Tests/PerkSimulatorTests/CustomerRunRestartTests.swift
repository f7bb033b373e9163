import Perk
import PerkRuntime
import Testing
@testable import PerkSimulator

/// A chunk runs its customers through one `CustomerRun`, restarted for each, whose new account
/// is made in the old one's storage (`Program.account(reusing:)`): the figures must be those of
/// a fresh run (and a fresh account) per customer.
@Suite struct CustomerRunRestartTests {
  static let program = compile(source: """
    program "Restart"
      currency USD
      timezone UTC

    points stars
      worth $0.01
      expire 60 days after earning

    tiers by spend over last 30 days
      green  from $0     earn x1
      gold   from $40    earn x2

    stamps card
      collect 1 per item
      every 3 stamps: voucher "Free lamp" worth $5

    rule base earn
      on purchase
      earn 1 stars per $1 spent

    rule first big basket
      on purchase
      when basket total >= $30
      at most once per 365 days
      earn 25 stars

    """, path: "restart.perk").program!

  static let usd = Currency.named("USD")!

  static func purchase(_ id: String, _ date: String, dollars: Int64, quantity: Int64 = 1) -> Event {
    Event(kind: .purchase, id: id, time: program.timeZone.instant(of: Fixture.date(date), secondOfDay: 36_000),
          lines: [LineItem(sku: "lamp", category: "home", quantity: quantity, unitPrice: Money(minorUnits: dollars * 100, currency: usd))])
  }

  static func returned(_ original: String, _ date: String, dollars: Int64) -> Event {
    Event(kind: .return(original: original), id: original + "~return",
          time: program.timeZone.instant(of: Fixture.date(date), secondOfDay: 40_000),
          lines: [LineItem(sku: "lamp", category: "home", quantity: 1, unitPrice: Money(minorUnits: dollars * 100, currency: usd))])
  }

  static let settings = RunSettings(policy: .none, seed: 7, from: Fixture.date("2024-01-01"), to: Fixture.date("2024-12-31"), trace: false)

  /// Customers whose accounts leave something behind for the next one: a tier, stamps toward
  /// a voucher, a rule's limit used, lots expiring, a return.
  static let customers: [(id: String, events: [Event])] = [
    ("a", [purchase("a1", "2024-02-03", dollars: 35, quantity: 2), purchase("a2", "2024-02-20", dollars: 12)]),
    ("b", [purchase("b1", "2024-03-01", dollars: 40), returned("b1", "2024-03-05", dollars: 40)]),
    ("c", []),
    ("d", [purchase("d1", "2024-01-15", dollars: 31), purchase("d2", "2024-06-15", dollars: 31, quantity: 3)]),
    ("e", [purchase("e1", "2024-11-30", dollars: 8)]),
  ]

  static func fresh() -> (figures: Figures, customers: [CustomerFigure]) {
    var ledger = FigureLedger(program: program)
    var figures: [CustomerFigure] = []
    for (id, events) in customers {
      var run = CustomerRun(program: program, settings: settings, customer: Customer(id: id), ledger: ledger)
      ledger = FigureLedger(program: program)
      run.run(events)
      figures.append(CustomerFigure(id: id, cost: run.cost, revenue: run.revenue))
      ledger = run.takeLedger()
    }
    return (ledger.figures(), figures)
  }

  static func restarted() -> (figures: Figures, customers: [CustomerFigure]) {
    var run: CustomerRun?
    var figures: [CustomerFigure] = []
    for (id, events) in customers {
      if run == nil {
        run = CustomerRun(program: program, settings: settings, customer: Customer(id: id), ledger: FigureLedger(program: program))
      } else {
        run!.restart(customer: Customer(id: id))
      }
      run!.run(events)
      figures.append(CustomerFigure(id: id, cost: run!.cost, revenue: run!.revenue))
    }
    return (run!.takeLedger().figures(), figures)
  }

  @Test func aRestartedRunFilesWhatFreshRunsFile() {
    let fresh = Self.fresh()
    let restarted = Self.restarted()
    #expect(fresh.customers.contains { $0.cost != 0 })
    #expect(restarted.customers == fresh.customers)
    #expect(restarted.figures == fresh.figures)
  }

  @Test func anAccountMadeInAUsedOnesStorageIsANewAccount() throws {
    let program = Self.program
    var used = program.account()
    var budgets = BudgetLedger()
    for event in Self.customers[0].events + Self.customers[3].events {
      _ = try program.evaluate(event, customer: Customer(id: "a"), account: &used, budgets: &budgets, options: .amountsOnly)
    }
    #expect(program.state(of: used) != program.state(of: program.account()))
    var reused = program.account(reusing: &used)
    #expect(program.state(of: reused) == program.state(of: program.account()))
    // And it evaluates as a new one does.
    var new = program.account()
    for event in Self.customers[1].events {
      var spent = BudgetLedger()
      let a = try program.evaluate(event, customer: Customer(id: "b"), account: &reused, budgets: &spent, options: .amountsOnly)
      var unspent = BudgetLedger()
      let b = try program.evaluate(event, customer: Customer(id: "b"), account: &new, budgets: &unspent, options: .amountsOnly)
      #expect(a.awards == b.awards)
    }
    #expect(program.state(of: reused) == program.state(of: new))
  }
}
