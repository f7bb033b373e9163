import PerkCompiler
import PerkRuntime
import PerkSource

/// Runs one checked scenario against a compiled program in a fresh world.
///
/// The world holds each customer's account state, the last event's outcome per customer, and a
/// rejection not yet claimed by `expect rejected`. Events go through the public evaluator exactly as
/// an integrator's would; expectations only read outcomes and states.
struct ScenarioRunner {
  let program: Program
  let file: SourceFile

  /// What the last event did to one customer.
  private struct LastOutcome {
    var outcome: Outcome?
    /// The evaluator refused the event with this reason.
    var rejection: String?
  }

  private struct World {
    var customers: [String: Customer] = [:]
    var order: [String] = []
    var states: [String: AccountState] = [:]
    /// Rule and program budgets, shared by the test's customers.
    var budgets = BudgetLedger()
    /// The last event's outcome for each customer it touched.
    var last: [String: LastOutcome] = [:]
    /// Each customer's most recent outcome (for the next expiry).
    var latest: [String: Outcome] = [:]
    /// The customer of the last event; nil after `time passes`.
    var lastActor: String?
    /// A rejected event no `expect rejected` has claimed yet.
    var unclaimedRejection: (range: SourceRange, message: String)?
    var failures: [ScenarioFailure] = []
    var expectations = 0
    var coverage = ScenarioCoverage()
  }

  func run(_ scenario: CheckedScenario) -> ScenarioResult {
    var world = World()
    for step in scenario.steps {
      switch step {
      case .customer(let c):
        world.customers[c.customer.id] = c.customer
        world.order.append(c.customer.id)
        var state = AccountState()
        state.balances = c.balances
        // A starting balance is one lot with no expiry, earned on the signup day (if known).
        state.lots = c.balances.keys.sorted().compactMap { currency in
          guard let amount = c.balances[currency], amount > 0 else { return nil }
          return PointsLot(currency: currency, amount: amount, earned: c.customer.signupDate ?? LocalDate(dayNumber: 0))
        }
        world.states[c.customer.id] = state
      case .event(let event):
        flushRejection(&world)
        perform(event, in: &world)
      case .expect(let expectation):
        world.expectations += 1
        check(expectation, in: &world)
      }
    }
    flushRejection(&world)
    // An unexpected rejection is found only at the next event; report every failure in source order.
    let failures = world.failures.enumerated().sorted {
      ($0.element.location.offset, $0.offset) < ($1.element.location.offset, $1.offset)
    }.map(\.element)
    return ScenarioResult(name: scenario.name, location: file.location(of: scenario.nameRange.start),
                          expectationCount: world.expectations, failures: failures, coverage: world.coverage)
  }

  // MARK: Events

  private func perform(_ e: ScenarioEvent, in world: inout World) {
    world.last = [:]
    world.lastActor = e.customer
    let instant = program.timeZone.instant(of: e.date, secondOfDay: e.secondOfDay)
    guard let id = e.customer else {
      // `time passes`: period ends for every customer declared so far.
      for customer in world.order {
        advance(customer, to: instant, at: e.range, in: &world)
      }
      return
    }
    guard let customer = world.customers[id], let state = world.states[id] else { return }
    let kind: Event.Kind
    switch e.kind {
    case .purchase: kind = .purchase
    case .return(let original): kind = .return(original: original)
    case .redemption(let reward): kind = .redemption(reward: reward)
    case .signup: kind = .signup
    case .custom(let name): kind = .custom(name)
    case .timePasses: return
    }
    let lines = e.lines.map {
      LineItem(sku: $0.sku, category: $0.category, quantity: $0.quantity,
               unitPrice: Money(minorUnits: $0.unitPriceMinor, currency: program.currency))
    }
    let event = Event(kind: kind, id: e.id, time: instant, lines: lines, store: e.store, channel: e.channel)
    // Traced, for `--coverage`: the trace is the evaluator's own record of what it decided.
    var options = EvaluationOptions.full
    options.trace = true
    let isReturn = if case .return = kind { true } else { false }
    do {
      let outcome = try program.evaluate(event, customer: customer, state: state, budgets: &world.budgets, options: options)
      world.coverage.add(outcome, rejection: outcome.rejection, isReturn: isReturn)
      record(outcome, for: id, at: e.range, in: &world)
    } catch {
      world.coverage.add(nil, rejection: error.message, isReturn: isReturn)
      world.last[id] = LastOutcome(rejection: error.message)
      world.unclaimedRejection = (e.range, error.message)
    }
  }

  private func advance(_ id: String, to instant: Instant, at range: SourceRange, in world: inout World) {
    guard let customer = world.customers[id], let state = world.states[id] else { return }
    do {
      let outcome = try ScenarioClock.advance(program, to: instant, customer: customer, state: state)
      world.coverage.add(outcome, rejection: nil, isReturn: false)
      record(outcome, for: id, at: range, in: &world)
    } catch {
      world.last[id] = LastOutcome(rejection: error.message)
      world.unclaimedRejection = (range, error.message)
    }
  }

  /// Keeps an outcome; a refused event (``Outcome/rejection``) leaves the state as it was.
  private func record(_ outcome: Outcome, for id: String, at range: SourceRange, in world: inout World) {
    world.states[id] = outcome.state
    world.latest[id] = outcome
    world.last[id] = LastOutcome(outcome: outcome, rejection: outcome.rejection)
    if let reason = outcome.rejection { world.unclaimedRejection = (range, reason) }
    creditTransfers(outcome, in: &world)
  }

  /// Points an event released for other accounts (a referral's, once its hold has passed) are
  /// credited to those customers when the test declares them, as a till would; the credit is
  /// that customer's part of the event, so `expect bob earns 300 points` reads it.
  private func creditTransfers(_ outcome: Outcome, in world: inout World) {
    for transfer in outcome.transfers {
      guard let receiver = world.customers[transfer.customer], let state = world.states[transfer.customer],
            let credited = try? program.credit(transfer, customer: receiver, state: state) else { continue }
      world.states[transfer.customer] = credited.state
      world.latest[transfer.customer] = credited
      if var last = world.last[transfer.customer]?.outcome {
        last.awards += credited.awards
        last.state = credited.state
        world.last[transfer.customer] = LastOutcome(outcome: last)
      } else {
        world.last[transfer.customer] = LastOutcome(outcome: credited)
      }
    }
  }

  /// An event the evaluator refused fails the test unless the next lines expect the rejection.
  private func flushRejection(_ world: inout World) {
    guard let (range, message) = world.unclaimedRejection else { return }
    world.unclaimedRejection = nil
    world.failures.append(failure(at: range, line: range, expected: "the event is accepted",
                                  actual: "rejected: \(message)"))
  }

  // MARK: Expectations

  private func check(_ x: ScenarioExpectation, in world: inout World) {
    guard let who = x.customer ?? world.lastActor ?? world.last.keys.sorted().first else {
      world.failures.append(failure(at: x.range, line: x.lineRange, expected: ClaimText.expected(x.claim, customer: "?", currency: program.currency),
                                    actual: "no event names a customer"))
      return
    }
    if case .rejected(let reason) = x.claim {
      let rejection = world.last[who]?.rejection
      if let rejection, reason.map({ rejection.contains($0) }) ?? true {
        world.unclaimedRejection = nil
        return
      }
      if rejection != nil { world.unclaimedRejection = nil }
      world.failures.append(failure(at: x.range, line: x.lineRange, expected: ClaimText.expected(x.claim, customer: who, currency: program.currency),
                                    actual: rejection.map { "rejected: \($0)" } ?? "the event was accepted",
                                    awards: world.last[who]?.outcome.map(ClaimText.awards) ?? []))
      return
    }
    if x.claim.isAboutLastEvent {
      // A refused event awards nothing; only what the till says about it can be claimed.
      var readable = world.last[who]?.rejection == nil
      if case .told = x.claim { readable = true }
      // A customer the last event did not touch (a referrer with nothing released) got nothing.
      let state = world.states[who] ?? AccountState()
      let untouched = Outcome(eventID: "", awards: [], state: state, duplicate: false, balances: NamedAmounts(state.balances),
                              amountPaid: .zero(program.currency), tierBefore: state.tier, tierAfter: state.tier)
      guard let outcome = world.last[who] == nil ? untouched : world.last[who]?.outcome, readable else {
        let actual = world.last[who]?.rejection.map { "rejected: \($0)" } ?? "the last event did not involve \(who)"
        world.failures.append(failure(at: x.range, line: x.lineRange, expected: ClaimText.expected(x.claim, customer: who, currency: program.currency),
                                      actual: actual))
        return
      }
      if let actual = ClaimText.mismatch(x.claim, customer: who, outcome: outcome, currency: program.currency) {
        world.failures.append(failure(at: x.range, line: x.lineRange, expected: ClaimText.expected(x.claim, customer: who, currency: program.currency),
                                      actual: actual, awards: ClaimText.awards(outcome)))
      }
      return
    }
    let state = world.states[who] ?? AccountState()
    if let actual = ClaimText.mismatch(x.claim, customer: who, state: state, latest: world.latest[who]) {
      world.failures.append(failure(at: x.range, line: x.lineRange, expected: ClaimText.expected(x.claim, customer: who, currency: program.currency),
                                    actual: actual))
    }
  }

  private func failure(at range: SourceRange, line: SourceRange, expected: String, actual: String,
                       awards: [String] = []) -> ScenarioFailure {
    let location = file.location(of: range.start)
    let end = file.location(of: range.end)
    let lineText = file.lineText(location.line)
    let width = end.line == location.line ? end.column - location.column : lineText.count - location.column + 1
    return ScenarioFailure(location: location, sourceLine: lineText, expected: expected,
                           actual: actual, awards: awards, width: max(1, width))
  }
}
