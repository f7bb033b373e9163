import Foundation
import Perk
import PerkTestSupport
import Testing

@testable import PerkRuntime
@testable import PerkSimulator

/// The seeded differential test of evaluation (issue 17, point 3): generated programs ×
/// generated histories, every evaluation form against the others after every event.
///
/// For each case (one program, one history of a few customers in time order) three accounts
/// per customer are kept side by side:
/// - the account form, `Program.account()` evaluated in place with `.full` options;
/// - the pure state form, `evaluate(_:customer:state:budgets:options:)` with `.full`, whose
///   state goes through its JSON interchange (`JSONEncoder`, `Program.decodeState`) between
///   events;
/// - the account form with `.amountsOnly`;
/// - for a customer whose history has no returns, the bulk form `perk sim` evaluates such a
///   customer in: `.amountsOnly`, no records kept for returns, the rules' decisions counted.
///   Its purchases run as the program's plan when it has one (PurchasePlan.swift; every third
///   case draws a program the plan covers).
/// After every event, every month-end `advance` between a customer's events (to the first and
/// the last month start in the gap) and every referral credit, the outcomes (awards, balances,
/// tiers, rejections, duplicates, errors), the states and the budget ledgers must be equal: the
/// pure form's outcome exactly, the `.amountsOnly` and bulk ones but for explanations and till
/// facts (and the bulk form's state but for the records it does not keep and how far its lots
/// are merged, which records decide).
/// Then `perk sim` runs the history as CSV on 1 and 2 threads, and with quiet month ends
/// skipped and not: the JSON reports must be byte-identical.
///
/// `PERK_DIFFERENTIAL_CASES=N` runs N cases instead of ``defaultCases`` (the long run before a
/// release); `PERK_DIFFERENTIAL_SEED=S` replays the one case a failure names.
@Suite struct DifferentialTests {
  static let defaultCases = 1_000
  /// The cases are split in this many parts, run in parallel.
  static let parts = 8
  static let environment = ProcessInfo.processInfo.environment

  static var caseCount: Int { environment["PERK_DIFFERENTIAL_CASES"].flatMap { Int($0) } ?? defaultCases }
  /// The seed of case `index`; a failure prints it for `PERK_DIFFERENTIAL_SEED`.
  static func seed(ofCase index: Int) -> UInt64 { 20_261_207_000_000 + UInt64(index) }

  @Test func everyFormGivesTheSameResults() async throws {
    if let replay = Self.environment["PERK_DIFFERENTIAL_SEED"] {
      let seed = try #require(UInt64(replay), "PERK_DIFFERENTIAL_SEED must be a whole number")
      DifferentialCase(seed: seed)?.run()
      return
    }
    let count = Self.caseCount
    let (programs, seen) = await withTaskGroup(of: (Int, Set<String>).self) { group in
      for part in 0..<Self.parts {
        group.addTask {
          var programs = 0
          var seen: Set<String> = []
          for index in stride(from: part, to: count, by: Self.parts) {
            guard let differential = DifferentialCase(seed: Self.seed(ofCase: index)) else { continue }
            differential.run()
            seen.formUnion(differential.seen)
            programs += 1
          }
          return (programs, seen)
        }
      }
      return await group.reduce(into: (0, Set<String>())) { total, part in
        total.0 += part.0
        total.1.formUnion(part.1)
      }
    }
    #expect(programs == count)
    // The generators reach what the comparison is for: a few hundred cases see every kind of
    // award, refusal, error and hand-over at least once.
    if count >= 300 {
      #expect(Self.expected.subtracting(seen).isEmpty, "never seen: \(Self.expected.subtracting(seen).sorted())")
    }
  }

  static let expected: Set<String> = [
    "points", "stamps", "freeItem", "voucher", "reward", "tierChange", "rebate", "expired", "released", "redeemed", "discount",
    "rejected", "duplicate", "refunded", "shortfall", "transfer", "transferHeld", "transferCancelled", "message",
    "suppressedMessage", "budgetShortfall", "error", "plan",
  ]
}

/// One program and one history, and the three accounts per customer compared on them.
private final class DifferentialCase {
  let seed: UInt64
  let source: String
  let program: Program
  let history: GeneratedHistory
  let customers: [String: Customer]

  var accounts: [String: Account] = [:]
  var states: [String: AccountState] = [:]
  var amountsOnly: [String: Account] = [:]
  var bulk: [String: Account] = [:]
  /// Per customer, the purchases whose record the bulk form keeps, as `perk sim` decides it
  /// from their whole history (``EvaluationOptions/purchasesKeepingRecords(in:)``).
  let recordedPurchases: [String: Set<String>?]
  var budgets = BudgetLedger()
  var stateBudgets = BudgetLedger()
  var amountsOnlyBudgets = BudgetLedger()
  /// Set at the first mismatch: what follows would repeat it.
  var failed = false
  /// How many of the history's events have been evaluated (for the failure message).
  var position = 0
  /// What the outcomes held (award kinds, refusals, transfers, messages): the generators' reach.
  var seen: Set<String> = []

  /// The case of `seed`; nil (after recording the failure) when the program does not compile.
  init?(seed: UInt64) {
    self.seed = seed
    var random = SeededGenerator(state: seed)
    let generated = GeneratedProgram(&random, plain: seed % 3 == 0)
    source = generated.source
    let compiled = compile(source: source, path: "generated-\(seed).perk")
    guard let program = compiled.program, !compiled.diagnostics.contains(where: { $0.severity == .error }) else {
      Issue.record("""
        seed \(seed): the generated program does not compile (a generator bug):
        \(compiled.diagnostics.map { "\($0.code) \($0.message)" }.joined(separator: "\n"))
        \(source)
        """)
      return nil
    }
    self.program = program
    history = GeneratedHistory(for: generated, program: program, &random)
    customers = Dictionary(uniqueKeysWithValues: history.customers.map { ($0.id, $0) })
    recordedPurchases = Dictionary(grouping: history.entries, by: \.customer)
      .mapValues { EvaluationOptions.purchasesKeepingRecords(in: $0.map(\.event)) }
    if program.purchasePlan != nil { seen.insert("plan") }
  }

  /// The options `perk sim` evaluates a purchase no return names in.
  static let bulkOptions: EvaluationOptions = {
    var options = EvaluationOptions.amountsOnly
    options.keepsReturnRecords = false
    options.tallies = true
    return options
  }()

  func run() {
    var lastEvent: [String: Instant] = [:]
    for (index, entry) in history.entries.enumerated() where !failed {
      if let last = lastEvent[entry.customer] { advanceMonthEnds(of: entry.customer, after: last, through: entry.event.time, index: index) }
      lastEvent[entry.customer] = entry.event.time
      guard !failed else { break }
      position = index + 1
      evaluate(entry, index: index)
    }
    if let end = history.entries.last?.event.time {
      let local = program.timeZone.localTime(of: end).date
      let after = program.timeZone.instant(of: local.startOfMonth.adding(months: 2), secondOfDay: 0)
      for (id, last) in lastEvent.sorted(by: { $0.key < $1.key }) where !failed {
        advanceMonthEnds(of: id, after: last, through: after, index: history.entries.count)
      }
    }
    if !failed { simulate() }
  }

  // MARK: - The three forms

  func evaluate(_ entry: GeneratedHistory.Entry, index: Int) {
    let event = entry.event
    let customer = customers[entry.customer]!
    let label = "event \(index) (\(describe(event)) of \(customer.id))"
    let outcome = compare(label, customer: customer, type: event.kind.typeName, time: event.time, roundTrip: true, eventID: event.id,
                          account: { (account, budgets, options) throws(EvaluationError) in
                            try self.program.evaluate(event, customer: customer, account: &account, budgets: &budgets, options: options)
                          },
                          state: { (state, budgets) throws(EvaluationError) in
                            try self.program.evaluate(event, customer: customer, state: state, budgets: &budgets, options: .full)
                          })
    if let outcome { credit(outcome.transfers, index: index) }
  }

  /// `advance` to the first and to the last local month start in (`after`, `through`]: a
  /// nightly job between a customer's events (both forms walk every day in between; each
  /// month end on its own would cost a step per month of every customer).
  func advanceMonthEnds(of id: String, after: Instant, through: Instant, index: Int) {
    let customer = customers[id]!
    let zone = program.timeZone(for: customer)
    var month = zone.localTime(of: after).date.startOfMonth.adding(months: 1)
    var monthStarts: [LocalDate] = []
    while zone.instant(of: month, secondOfDay: 0) <= through {
      monthStarts.append(month)
      month = month.adding(months: 1)
    }
    for month in Set([monthStarts.first, monthStarts.last].compactMap { $0 }).sorted() where !failed {
      let time = zone.instant(of: month, secondOfDay: 0)
      let outcome = compare("the month end \(month) before event \(index), for \(id)", customer: customer, type: "period_end", time: time,
                            roundTrip: false,
                            account: { (account, _, options) throws(EvaluationError) in
                              try self.program.advance(to: time, customer: customer, account: &account, options: options)
                            },
                            state: { (state, _) throws(EvaluationError) in
                              try self.program.advance(to: time, customer: customer, state: state, options: .full)
                            })
      if let outcome { credit(outcome.transfers, index: index) }
    }
  }

  /// Credits released referral transfers to their referrers, in every form.
  func credit(_ transfers: [PointsTransfer], index: Int) {
    for transfer in transfers where !failed {
      guard let referrer = customers[transfer.customer] else {
        record("event \(index): a transfer to `\(transfer.customer)`, who is not a customer of the history", "", "")
        return
      }
      _ = compare("the referral credit \(transfer.creditID) after event \(index)", customer: referrer, type: "referral_credit",
                  time: program.timeZone(for: referrer).instant(of: transfer.releaseOn, secondOfDay: 0), roundTrip: false,
                  account: { (account, _, _) throws(EvaluationError) in
                    try self.program.credit(transfer, customer: referrer, account: &account)
                  },
                  state: { (state, _) throws(EvaluationError) in
                    try self.program.credit(transfer, customer: referrer, state: state)
                  })
    }
  }

  /// Runs one step in the three forms and compares them; returns the account form's outcome
  /// (nil when it threw or a form disagreed). `eventID`, a history event's id, decides whether
  /// the bulk form keeps its record.
  func compare(_ label: String, customer: Customer, type: String, time: Instant, roundTrip: Bool, eventID: String? = nil,
               account step: (inout Account, inout BudgetLedger, EvaluationOptions) throws(EvaluationError) -> Outcome,
               state pureStep: (AccountState, inout BudgetLedger) throws(EvaluationError) -> Outcome) -> Outcome? {
    let id = customer.id
    var account = accounts[id] ?? program.account()
    var quick = amountsOnly[id] ?? program.account()
    let stateBefore = states[id] ?? AccountState()
    let accountBefore = account
    let full = attempt { () throws(EvaluationError) in try step(&account, &budgets, .full) }
    let pure = attempt { () throws(EvaluationError) in try pureStep(stateBefore, &stateBudgets) }
    let amounts = attempt { () throws(EvaluationError) in try step(&quick, &amountsOnlyBudgets, .amountsOnly) }
    accounts[id] = account
    amountsOnly[id] = quick
    // Budgets are shared by every customer: the bulk form, on some customers only, keeps its own.
    var bulkAccount = bulk[id] ?? program.account()
    var bulkBudgets = BudgetLedger()
    var bulkOptions = Self.bulkOptions
    if let eventID, recordedPurchases[id].map({ $0?.contains(eventID) ?? true }) ?? true { bulkOptions.keepsReturnRecords = true }
    let bulkResult: Result<Outcome, EvaluationError>? = program.hasBudgets ? nil
      : attempt { () throws(EvaluationError) in try step(&bulkAccount, &bulkBudgets, bulkOptions) }
    bulk[id] = bulkAccount

    switch (full, pure, amounts) {
    case (.failure(let error), .failure(let pureError), .failure(let amountsError)):
      seen.insert("error")
      if "\(error)" != "\(pureError)" || "\(error)" != "\(amountsError)" {
        record("\(label): the forms throw different errors", "account form: \(error)\namounts only: \(amountsError)", "state form: \(pureError)")
      } else if program.state(of: account) != program.state(of: accountBefore) {
        record("\(label): the account form threw (\(error)) and did not restore the account", render(program.state(of: accountBefore)),
               render(program.state(of: account)))
      } else if program.state(of: quick) != program.state(of: accountBefore) {
        record("\(label): the amounts-only account form threw (\(error)) and did not restore the account", render(program.state(of: accountBefore)),
               render(program.state(of: quick)))
      } else if let bulkResult {
        guard case .failure(let bulkError) = bulkResult else {
          record("\(label): the bulk form did not throw (\(error))", "", "")
          return nil
        }
        if "\(bulkError)" != "\(error)" { record("\(label): the bulk form throws another error", "\(error)", "\(bulkError)") }
        if Self.comparable(program.state(of: bulkAccount)) != Self.comparable(program.state(of: accountBefore)) {
          record("\(label): the bulk form threw (\(error)) and did not restore the account",
                 render(Self.comparable(program.state(of: accountBefore))), render(Self.comparable(program.state(of: bulkAccount))))
        }
      }
      return nil
    case (.success(let outcome), .success(var pureOutcome), .success(let amountsOutcome)):
      var pureState = pureOutcome.state
      pureOutcome.state = AccountState()
      // A refused or duplicate event gives back the state exactly as it was passed in; the
      // account form's is that state in the program's form (a new customer's balances at 0).
      if pureOutcome.duplicate || pureOutcome.rejection != nil { pureState = program.state(of: program.account(pureState)) }
      if outcome != pureOutcome {
        record("\(label): the account form and the state form give different outcomes",
               render(outcome, type: type, time: time), render(pureOutcome, type: type, time: time))
        return nil
      }
      let after = program.state(of: account)
      if after != pureState {
        record("\(label): `program.state(of: account)` differs from the state form's state", render(after), render(pureState))
        return nil
      }
      // The state form's state crosses the interchange before the next event.
      var read = pureState
      if roundTrip {
        do {
          let bytes = Array(try Self.encoder.encode(pureState))
          read = try program.decodeState(JSONNode.parse(bytes, path: "state.json"), path: "state.json")
        } catch {
          record("\(label): the state does not cross its JSON interchange: \(error)", render(pureState), "")
          return nil
        }
        if read != pureState {
          record("\(label): the state read back from its JSON differs from the state written", render(pureState), render(read))
          return nil
        }
      }
      states[id] = read
      if stripped(outcome) != stripped(amountsOutcome) {
        record("\(label): `.amountsOnly` and `.full` give different amounts",
               render(stripped(outcome), type: type, time: time), render(stripped(amountsOutcome), type: type, time: time))
        return nil
      }
      if program.state(of: quick) != after {
        record("\(label): `.amountsOnly` and `.full` leave different states", render(after), render(program.state(of: quick)))
        return nil
      }
      if let bulkResult {
        guard case .success(let bulkOutcome) = bulkResult else {
          record("\(label): the bulk form threw and the others did not", render(outcome, type: type, time: time), "\(bulkResult)")
          return nil
        }
        if stripped(outcome) != stripped(bulkOutcome) {
          record("\(label): the bulk form\(program.purchasePlan != nil ? " (with the plan)" : "") and `.full` give different outcomes",
                 render(stripped(outcome), type: type, time: time), render(stripped(bulkOutcome), type: type, time: time))
          return nil
        }
        if Self.comparable(program.state(of: bulkAccount)) != Self.comparable(after) {
          record("\(label): the bulk form\(program.purchasePlan != nil ? " (with the plan)" : "") and `.full` leave different states",
                 render(Self.comparable(after)), render(Self.comparable(program.state(of: bulkAccount))))
          return nil
        }
      }
      if budgets != stateBudgets || budgets != amountsOnlyBudgets {
        record("\(label): the budget ledgers differ (account form | state form, amounts only)",
               "\(budgets)", "\(stateBudgets)\n\(amountsOnlyBudgets)")
        return nil
      }
      note(outcome)
      return outcome
    default:
      func text(_ result: Result<Outcome, EvaluationError>) -> String {
        switch result {
        case .success(let outcome): render(outcome, type: type, time: time)
        case .failure(let error): "threw: \(error)"
        }
      }
      record("\(label): one form threw and another did not", "account form: \(text(full))\namounts only: \(text(amounts))",
             "state form: \(text(pure))")
      return nil
    }
  }

  func note(_ outcome: Outcome) {
    for award in outcome.awards {
      let kind = switch award.kind {
      case .points: "points"
      case .stamps: "stamps"
      case .freeItem: "freeItem"
      case .voucher: "voucher"
      case .reward: "reward"
      case .tierChange: "tierChange"
      case .rebate: "rebate"
      case .expired: "expired"
      case .released: "released"
      case .redeemed: "redeemed"
      case .discount: "discount"
      }
      seen.insert(kind)
    }
    let facts: [(String, Bool)] = [
      ("rejected", outcome.rejection != nil), ("duplicate", outcome.duplicate), ("refunded", outcome.refunded != nil),
      ("shortfall", !outcome.shortfall.isEmpty), ("transfer", !outcome.transfers.isEmpty), ("transferHeld", !outcome.transfersHeld.isEmpty),
      ("transferCancelled", !outcome.transfersCancelled.isEmpty), ("message", !outcome.messages.isEmpty),
      ("suppressedMessage", !outcome.suppressedMessages.isEmpty), ("budgetShortfall", !outcome.budgetShortfalls.isEmpty),
    ]
    for (name, held) in facts where held { seen.insert(name) }
  }

  func attempt(_ body: () throws(EvaluationError) -> Outcome) -> Result<Outcome, EvaluationError> {
    do throws(EvaluationError) {
      return .success(try body())
    } catch {
      return .failure(error)
    }
  }

  /// A state as the bulk form can match it: without purchase records, and its lots summed by
  /// currency, expiry and whether they are pending (records decide which lots may be merged;
  /// merging changes no balance, expiry or spending).
  static func comparable(_ state: AccountState) -> AccountState {
    var state = state
    state.records = []
    var sums: [String: PointsLot] = [:]
    for lot in state.lots {
      let key = "\(lot.currency)|\(lot.expiresOn.map { "\($0)" } ?? "-")|\(lot.pendingUntil.map { "\($0)" } ?? "-")"
      if var sum = sums[key] {
        sum.amount += lot.amount
        sums[key] = sum
      } else {
        sums[key] = PointsLot(currency: lot.currency, amount: lot.amount, earned: LocalDate(dayNumber: 0), expiresOn: lot.expiresOn,
                              pendingUntil: lot.pendingUntil)
      }
    }
    state.lots = sums.keys.sorted().map { sums[$0]! }
    return state
  }

  /// The outcome without what `.amountsOnly` leaves out: explanations and till facts.
  func stripped(_ outcome: Outcome) -> Outcome {
    var outcome = outcome
    outcome.awards = outcome.awards.map { award in
      var award = award
      award.explanation = ""
      return award
    }
    outcome.pending = [:]
    outcome.nextExpiry = []
    outcome.facts = []
    outcome.nearMisses = []
    return outcome
  }

  // MARK: - The simulator

  /// `perk sim` on the history as CSV (with the customers' profiles, and a redemption policy
  /// drawn from the seed): 1 and 2 threads, quiet month ends skipped and not.
  func simulate() {
    var table = CustomerTable()
    for customer in history.customers { table.customers[customer.id] = customer }
    let csv = history.csv(program)
    guard csv.split(separator: "\n").count > 1 else { return }
    let policy: RedemptionPolicy = switch seed % 4 {
    case 0: .none
    case 1: .asap
    case 2: .threshold(300)
    default: .rate(numerator: 7, denominator: 10)
    }
    func report(threads: Int, skipping: Bool) -> String {
      var options = SimulationOptions()
      options.policy = policy
      options.threads = threads
      options.skipsQuietPeriodEnds = skipping
      do {
        let result = try Simulator(program: program, options: options)
          .run(history: .bytes(name: "generated.csv", Array(csv.utf8)), read: HistoryReadOptions(), customers: table, traceSink: nil)
        return JSONReport.render(result, settings: ReportSettings(), compare: nil, sweep: [])
      } catch {
        return "threw: \(error)"
      }
    }
    // One thread advancing every account at every month end against two threads skipping
    // quiet month ends; the run that tells which of the two made a difference only on a mismatch.
    let plain = report(threads: 1, skipping: false)
    let fast = report(threads: 2, skipping: true)
    guard plain != fast else { return }
    let oneThreadSkipping = report(threads: 1, skipping: true)
    if oneThreadSkipping != fast {
      record("perk sim (redeem \(policy)): --threads 1 and --threads 2 give different JSON reports\nhistory:\n\(csv)", oneThreadSkipping, fast)
    } else {
      record("perk sim (redeem \(policy)): skipping quiet month ends changes the JSON report\nhistory:\n\(csv)", plain, oneThreadSkipping)
    }
  }

  // MARK: - Reporting

  static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return encoder
  }()

  func render(_ state: AccountState) -> String {
    (try? Self.encoder.encode(state)).map { String(decoding: $0, as: UTF8.self) } ?? "\(state)"
  }

  func render(_ outcome: Outcome, type: String, time: Instant) -> String {
    program.outcomeJSON(outcome, type: type, name: nil, time: time).rendered() + "\nmessages: \(outcome.messages)"
      + "\nsuppressed: \(outcome.suppressedMessages)\nbudget shortfalls: \(outcome.budgetShortfalls)"
  }

  func describe(_ event: Event) -> String {
    let lines = event.lines.map { "\($0.quantity) × \($0.sku) (\($0.category)) at \($0.unitPrice)" }.joined(separator: ", ")
    return "\(event.kind.typeName) \(event.kind.customName.map { "`\($0)` " } ?? "")\(event.id) at \(event.time.secondsSince1970)"
      + (lines.isEmpty ? "" : ": " + lines)
      + { if case .return(let original) = event.kind { " of \(original)" } else if case .redemption(let reward) = event.kind { " of `\(reward)`" } else { "" } }()
  }

  /// Records a mismatch with everything needed to replay it, and stops the case.
  func record(_ what: String, _ left: String, _ right: String, diff: Bool = true) {
    failed = true
    var sides = "--- one side\n\(left)\n--- the other side\n\(right)"
    if diff {
      let a = left.split(separator: "\n", omittingEmptySubsequences: false)
      let b = right.split(separator: "\n", omittingEmptySubsequences: false)
      let differing = (0..<max(a.count, b.count)).filter { $0 >= a.count || $0 >= b.count || a[$0] != b[$0] }
      if let first = differing.first, left.count + right.count > 4_000 {
        let shown = differing.prefix(30).map { i in
          "line \(i + 1):\n  - \(i < a.count ? String(a[i]) : "(none)")\n  + \(i < b.count ? String(b[i]) : "(none)")"
        }
        sides = "first difference at line \(first + 1):\n" + shown.joined(separator: "\n")
      }
    }
    let customers = history.customers.map { "\($0.id): birthday \($0.birthday.map(\.description) ?? "-"), signup \($0.signupDate.map(\.description) ?? "-"), segment \($0.segment ?? "-"), referred by \($0.referredBy ?? "-"), zone \($0.timeZone?.identifier ?? "-"), attributes \($0.attributes)" }
    Issue.record("""
      seed \(seed) (replay: PERK_DIFFERENTIAL_SEED=\(seed) swift test --skip-build --filter DifferentialTests)
      \(what)
      \(sides)
      program:
      \(source)
      customers: \(customers.joined(separator: "; "))
      events (\(history.entries.count); through the failing one):
      \(history.entries.prefix(position).enumerated().map { "\($0.offset): \($0.element.customer) \(describe($0.element.event))" }.joined(separator: "\n"))
      """)
  }
}
