/// A customer's account as it stands at one instant, with no event: what `perk repl` shows
/// for `:state` and what an expression typed at its prompt (`stars balance`, `spend in last
/// 12 months`) reads.
///
/// It answers with the evaluator's own rules (the held tier, window sums), so the REPL
/// never re-implements them. Basket quantities are zero: there is no basket.
package struct AccountView {
  let program: Program
  let working: WorkingState
  package let customer: Customer
  package let today: LocalDate
  package let minuteOfDay: Int
  /// The tier held today (qualified or still kept), as an index into the program's levels.
  package let tierIndex: Int?

  package var weekday: Int { today.weekday }
  package var dayNumber: Int64 { today.dayNumber }
  package var month: Int { today.components.month }
  package var dayOfMonth: Int { today.components.day }
  package var birthdayMonth: Int? { customer.birthday?.components.month }
  package var signupDayNumber: Int64? { customer.signupDate?.dayNumber }
  package var segment: String? { customer.segment }
  package var daysSinceLastPurchase: Int64? { working.lastPurchase.map { today.dayNumber - $0.dayNumber } }
  package var daysSinceSignup: Int64? { customer.signupDate.map { today.dayNumber - $0.dayNumber } }
  package var purchasesSoFar: Int64 { working.purchaseCount }

  /// The balance of the points currency at `currency` (an index into the program's currencies).
  package func balance(currency: Int) -> Int64 {
    working.balances.indices.contains(currency) ? working.balances[currency] : 0
  }

  /// The stamps on the card at `card` (an index into the program's cards).
  package func stamps(card: Int) -> Int64 {
    working.stamps.indices.contains(card) ? working.stamps[card] : 0
  }

  /// Spend (minor units) and visits in any window ending today, read from the ledger as the
  /// evaluator reads it. The window need not be one of the program's own.
  package func sum(_ window: WindowSpec) -> (spend: Int64, visits: Int64) {
    working.sum(window, today: today)
  }

  /// The tier window's spend and visits, the days each level is kept until, and the level
  /// the measure qualifies for today: the "why" behind the held tier.
  package var tierStanding: (spend: Int64, visits: Int64, qualified: Int?, keptUntil: [LocalDate?])? {
    guard let tiers = program.tiers, program.windows.indices.contains(tiers.window) else { return nil }
    let (spend, visits) = working.tierSum(program, today: today)
    return (spend, visits, qualifiedIndex, working.keptUntil)
  }

  /// The level the tier measure reaches today, before keep clauses.
  package let qualifiedIndex: Int?
}

extension Program {
  /// The account of `customer` as it stands at `time`: see ``AccountView``.
  package func view(customer: Customer, state: AccountState, at time: Instant) -> AccountView {
    // An event nobody reacts to: the run computes the held tier exactly as an evaluation would.
    let probe = Event(kind: .custom(""), id: "", time: time)
    let run = EvaluationRun(program: self, event: probe, customer: customer, working: WorkingState(state, program: self))
    let qualified = run.qualifiedTier()
    let (today, minute) = timeZone(for: customer).localTime(of: time)
    return AccountView(program: self, working: run.working, customer: customer, today: today, minuteOfDay: minute,
                       tierIndex: run.effectiveTier(qualified: qualified), qualifiedIndex: qualified)
  }
}
