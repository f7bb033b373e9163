/// What a caller running many customers one after another (the simulator) needs beyond the
/// one-customer API: making each new account in the storage of the one before.
extension Program {
  /// A new, empty account (what ``account()`` makes) built in the storage of `used`, an account
  /// of this program its caller is done with (left empty).
  ///
  /// Most customers of a real history have a handful of events: making their account's arrays
  /// (balances, stamps, tiers kept, rule awards, lots) and the evaluation buffers, and freeing
  /// them after, cost more than those events' earning. The arrays are emptied in place, their
  /// storage kept; the rule counters (``Account/takeRuleTally()``) are not carried over.
  package func account(reusing used: inout Account) -> Account {
    guard used.owner === self else { return account() }
    var working = used.takeWorking()
    working.clearForNewCustomer()
    var account = Account(working: working, program: self)
    account.buffers = used.takeBuffers()
    account.buffers.tally = RuleTally()
    return account
  }
}

extension WorkingState {
  /// Makes these values what ``init(newIn:)`` makes for their program (whose arrays they are
  /// sized for), keeping the storage of the arrays a new customer's evaluation fills again.
  ///
  /// Starts from ``empty``, so that any value not listed here is a new account's, and moves in
  /// only the arrays, each cleared.
  mutating func clearForNewCustomer() {
    var cleared = WorkingState.empty
    swap(&cleared.balances, &balances)
    for index in cleared.balances.indices { cleared.balances[index] = 0 }
    swap(&cleared.stamps, &stamps)
    for index in cleared.stamps.indices { cleared.stamps[index] = 0 }
    swap(&cleared.keptUntil, &keptUntil)
    for index in cleared.keptUntil.indices { cleared.keptUntil[index] = nil }
    swap(&cleared.ruleAwards, &ruleAwards)
    for index in cleared.ruleAwards.indices where !cleared.ruleAwards[index].isEmpty {
      cleared.ruleAwards[index].removeAll(keepingCapacity: true)
    }
    swap(&cleared.rebates, &rebates)
    for index in cleared.rebates.indices { cleared.rebates[index] = RebateAccount() }
    swap(&cleared.lots, &lots)
    cleared.lots.removeAll(keepingCapacity: true)
    self = cleared
  }
}
