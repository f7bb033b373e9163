/// The bulk form of evaluation on a stored state: the account is updated where it is instead of
/// being rebuilt.
///
/// The pure form returns a new ``AccountState`` and leaves the caller's untouched, which means
/// copying the account's arrays (recent purchases kept for returns, points lots, the spend
/// ledger) on every event. A caller that keeps one state per customer and only moves it
/// forward hands the state over instead: its arrays are moved into the evaluation and back.
/// A caller that evaluates many events in a row does better still with an ``Account``, which
/// also keeps the names resolved between events.
extension Program {
  /// Evaluates one event and updates `state` in place.
  ///
  /// Gives exactly the awards of ``evaluate(_:customer:state:budgets:options:)`` and leaves
  /// `state` equal to that outcome's `state`. The returned outcome's own ``Outcome/state`` is
  /// empty: the new state is `state`. Duplicates, refused events (a redemption the balance
  /// cannot pay, a return of more than was bought) and events that throw leave `state` as it was.
  /// - Throws: ``EvaluationError`` when an amount overflows or the basket is invalid; `state`
  ///   is then left as it was.
  public func evaluate(_ event: Event, customer: Customer, updating state: inout AccountState,
                       budgets: inout BudgetLedger, options: EvaluationOptions) throws(EvaluationError) -> Outcome {
    var account = Account(moving: &state, program: self)
    account.indexesRecentIDs = false
    defer { state = stateCarryingWorkingForm(of: account) }
    return try evaluate(event, customer: customer, account: &account, budgets: &budgets, options: options)
  }
}
