import Foundation
import Perk
@testable import PerkRuntime
import Testing
@testable import PerkSimulator

/// `Account.resetForNewCustomer()` empties an account in place for the simulator's next
/// customer: every stored field must come out as `Program.account()` makes it, for accounts of
/// every program in rules/ that went through a year of purchases, a return, redemptions and
/// month ends (tiers, stamps, limits, expiry, rebates, held referral points, messages).
@Suite struct AccountResetTests {
  static let names: [String] = {
    let folder = Fixture.root.appendingPathComponent("rules")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return files.filter { $0.hasSuffix(".perk") }.map { String($0.dropLast(".perk".count)) }.sorted()
  }()

  /// Every stored field of an account by its path: read through `Mirror`, so that a field
  /// added later is compared too. The buffers are scratch a run empties before use (only the
  /// rule counters carry over).
  static func fields(_ account: Account) -> [String: Any] {
    var fields: [String: Any] = [:]
    for child in Mirror(reflecting: account).children {
      let label = child.label ?? "?"
      switch label {
      case "working":
        for field in Mirror(reflecting: account.working).children { fields["working." + (field.label ?? "?")] = field.value }
      case "buffers": fields["buffers.tally"] = account.buffers.tally
      default: fields[label] = child.value
      }
    }
    return fields
  }

  /// Whether two fields are equal: by `==` when their type has one (the program by identity).
  static func same(_ a: Any?, _ b: Any?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    if let program = a as? Program { return program === (b as? Program) }
    func equal<T: Equatable>(_ a: T, _ b: Any) -> Bool { (b as? T) == a }
    if let a = a as? any Equatable { return equal(a, b) }
    Issue.record("a field that cannot be compared: \(type(of: a))")
    return false
  }

  /// The paths of the fields in which two accounts differ.
  static func differences(_ a: Account, _ b: Account) -> Set<String> {
    let (x, y) = (fields(a), fields(b))
    return Set(x.keys).union(y.keys).filter { !same(x[$0], y[$0]) }
  }

  /// A year of one customer's events that the program's filters, rewards and returns all see.
  static func events(for program: Program) -> [Event] {
    let usd = program.currency
    func at(_ date: LocalDate, _ second: Int64 = 36_000) -> Instant { program.timeZone.instant(of: date, secondOfDay: second) }
    func day(_ month: Int, _ day: Int) -> LocalDate { LocalDate(year: 2024, month: month, day: day)! }
    func price(_ dollars: Int64) -> Money { Money(minorUnits: dollars * 100, currency: usd) }
    var lines = [LineItem(sku: "lamp", category: "home", quantity: 1, unitPrice: price(45))]
    for category in program.filteredCategories {
      lines.append(LineItem(sku: "sku-\(category)", category: category, quantity: 2, unitPrice: price(30)))
    }
    for sku in program.filteredSkus { lines.append(LineItem(sku: sku, category: "misc", quantity: 3, unitPrice: price(12))) }
    var events = [Event(kind: .signup, id: "s", time: at(day(1, 2)))]
    for month in 1...12 {
      for dayOfMonth in [5, 20] {
        let date = day(month, dayOfMonth)
        events.append(Event(kind: .purchase, id: "p\(month)-\(dayOfMonth)", time: at(date), lines: lines))
        if month == 3, dayOfMonth == 5 {
          events.append(Event(kind: .return(original: "p3-5"), id: "r3", time: at(day(3, 10)), lines: [lines[0]]))
        }
        if month == 7, dayOfMonth == 20 {
          for (index, reward) in program.rewards.enumerated() {
            events.append(Event(kind: .redemption(reward: reward.name), id: "x\(index)", time: at(date, 50_000)))
          }
        }
      }
    }
    return events
  }

  static let settings = RunSettings(policy: .rate(numerator: 1, denominator: 2), seed: 5, from: LocalDate(iso: "2024-01-01")!,
                                    to: LocalDate(iso: "2024-12-31")!, trace: false)

  static let customer = Customer(id: "c1", birthday: LocalDate(iso: "1990-06-15"), signupDate: LocalDate(iso: "2024-01-02"),
                                 segment: "vip", referredBy: "c0")

  /// The account of the customer after a year of `program`, and one more purchase counted in
  /// its rule counters (a run's end takes them out) and run as the purchase plan.
  static func used(_ program: Program) -> Account {
    var run = CustomerRun(program: program, settings: settings, customer: customer, ledger: FigureLedger(program: program))
    let events = events(for: program)
    run.run(events)
    var account = run.account
    var options = EvaluationOptions(explanations: false, tillFacts: false)
    options.tallies = true
    options.keepsReturnRecords = false  // so that it runs as the purchase plan (the running tier window)
    var budgets = BudgetLedger()
    let last = events.last!
    let late = Event(kind: .purchase, id: "late", time: last.time, lines: last.lines)
    _ = try? program.evaluate(late, customer: customer, account: &account, budgets: &budgets, options: options)
    return account
  }

  @Test func aResetAccountIsANewAccountForEveryProgram() throws {
    #expect(Self.names.count >= 20)
    var changed: Set<String> = []
    for name in Self.names {
      let program = Fixture.load(name)
      var account = Self.used(program)
      #expect(Set(Self.fields(account).keys) == Set(Self.fields(program.account()).keys))
      changed.formUnion(Self.differences(account, program.account()))
      account.resetForNewCustomer()
      #expect(Self.differences(account, program.account()).isEmpty, "\(name): \(Self.differences(account, program.account()).sorted())")
      #expect(program.state(of: account) == program.state(of: program.account()), "\(name)")
    }
    // The accounts went through everything a reset has to undo.
    let expected: Set<String> = [
      "working.balances", "working.stamps", "working.keptUntil", "working.ledger", "working.tierLedger", "working.purchaseCount",
      "working.lastPurchase", "working.ruleAwards", "working.tier", "working.recentTransactions", "working.rebates",
      "working.lots", "working.records", "working.processedThrough", "working.capUsage", "working.triggers", "working.tierWindow",
      "recentIDs", "buffers.tally",
    ]
    #expect(expected.subtracting(changed).isEmpty, "not exercised: \(expected.subtracting(changed).sorted())")
  }

  /// What `CustomerRun` never changes: the stored state an account was made from, and whether
  /// it keeps a set of recent ids.
  @Test func aResetForgetsTheStateTheAccountWasMadeFrom() throws {
    let program = Fixture.load("cafe")
    var account = program.account(program.state(of: Self.used(program)))
    account.indexesRecentIDs = false
    #expect(Self.differences(account, program.account()).isSuperset(of: ["base", "indexesRecentIDs"]))
    account.resetForNewCustomer()
    #expect(Self.differences(account, program.account()).isEmpty)
  }

  /// The reset account then evaluates as a new one does.
  @Test func aResetAccountEvaluatesAsANewOne() throws {
    for name in ["cafe", "members-club", "p4-wholesale-rebates", "p7-referral", "returns-corner-store"] {
      let program = Fixture.load(name)
      var reset = Self.used(program)
      reset.resetForNewCustomer()
      var new = program.account()
      for event in Self.events(for: program) {
        var a = BudgetLedger()
        var b = BudgetLedger()
        let left = try? program.evaluate(event, customer: Self.customer, account: &reset, budgets: &a, options: .amountsOnly)
        let right = try? program.evaluate(event, customer: Self.customer, account: &new, budgets: &b, options: .amountsOnly)
        #expect(left == right, "\(name) \(event.id)")
      }
      #expect(Self.differences(reset, new).isEmpty, "\(name): \(Self.differences(reset, new).sorted())")
    }
  }
}
