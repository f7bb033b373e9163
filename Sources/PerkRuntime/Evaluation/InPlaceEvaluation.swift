/// The bulk form of evaluation: the account is updated where it is instead of being rebuilt.
///
/// The pure form returns a new ``AccountState`` and leaves the caller's untouched, which means
/// copying the account's arrays (recent purchases kept for returns, points lots, the spend
/// ledger) on every event. A caller that keeps one account per customer and only moves it
/// forward — the simulator, a batch job — hands the account over instead: its arrays are moved
/// into the evaluation and back, and grow in place.
extension Program {
  /// Evaluates one event and updates `state` in place.
  ///
  /// Gives exactly the awards of ``evaluate(_:customer:state:budgets:options:)`` and leaves
  /// `state` equal to that outcome's `state`. The returned outcome's own ``Outcome/state`` is
  /// empty: the new state is `state`. Duplicates and refused events (a redemption the balance
  /// cannot pay, a return of more than was bought) leave `state` as it was.
  /// - Throws: ``EvaluationError`` when an amount overflows or the basket is invalid. A basket
  ///   that is refused, a redemption and a return leave `state` as it was; after an amount
  ///   overflowed in any other event, `state` may be partly updated and should not be used
  ///   again: callers that go on after an error rebuild the account from its accepted events
  ///   (as the simulator does) or use the pure form.
  public func evaluate(_ event: Event, customer: Customer, updating state: inout AccountState,
                       budgets: inout BudgetLedger, options: EvaluationOptions) throws(EvaluationError) -> Outcome {
    switch event.kind {
    case .redemption, .return:
      // These may be refused after period ends already ran; the pure form keeps the account to return.
      var outcome = try evaluate(event, customer: customer, state: state, budgets: &budgets, options: options)
      if !outcome.duplicate, outcome.rejection == nil { swap(&state, &outcome.state) }
      outcome.state = AccountState()
      return outcome
    case .purchase, .signup, .custom:
      break
    }
    if state.recentTransactions.contains(event.id) {
      return Outcome(eventID: event.id, awards: [], state: AccountState(), duplicate: true,
                     balances: state.balances, amountPaid: .zero(currency), tierBefore: state.tier, tierAfter: state.tier)
    }
    // As in the pure form: a duplicate is reported before its basket is looked at.
    if case .purchase = event.kind { try EvaluationRun.validateBasket(event, currency: currency) }
    let tierBefore = state.tier
    var run = EvaluationRun(program: self, event: event, customer: customer, moving: &state)
    run.options = options
    run.promotions.budgets = budgets
    try run.advance()
    try run.evaluate()
    budgets = run.promotions.budgets
    run.working.write(into: &state, program: self)
    return run.summary(tierBefore: tierBefore, state: state)
  }
}
