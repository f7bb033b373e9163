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
    var account = Account(working: .empty, program: self)
    swap(&account, &used)
    account.resetForNewCustomer()
    return account
  }
}

extension WorkingState {
  /// Makes these values what ``init(newIn:)`` makes for `program`, keeping the storage of the
  /// arrays a new customer's evaluation fills again.
  ///
  /// Field by field rather than from ``empty`` and moved arrays: building a whole value and
  /// assigning it cost about 3,500 instructions a customer. Every stored property is listed
  /// here (`AccountResetTests` compares the result with a new account's).
  mutating func clearForNewCustomer(program: Program) {
    // Values left without their arrays (an account whose evaluation never gave them back)
    // are made again.
    guard balances.count == program.points.count, stamps.count == program.cards.count,
          keptUntil.count == (program.tiers?.levels.count ?? 0), ruleAwards.count == program.rules.count,
          rebates.count == program.rebates.count else {
      self = WorkingState(newIn: program)
      return
    }
    for index in balances.indices { balances[index] = 0 }
    for index in stamps.indices { stamps[index] = 0 }
    for index in keptUntil.indices { keptUntil[index] = nil }
    // Emptied keeping their storage: most customers record a day or two, and a new array for
    // them was an allocation and a copy each. (The indexes of a slice emptied in place need not
    // start at 0; every use of a ledger reads them from the slice.)
    if !ledger.isEmpty { ledger.removeAll(keepingCapacity: true) }
    tierWindow = nil
    if !tierLedger.isEmpty { tierLedger.removeAll(keepingCapacity: true) }
    purchaseCount = 0
    lastPurchase = nil
    for index in ruleAwards.indices where !ruleAwards[index].isEmpty {
      ruleAwards[index].removeAll(keepingCapacity: true)
    }
    tier = nil
    recentTransactions.removeAllKeepingCapacity()
    for index in rebates.indices { rebates[index] = RebateAccount() }
    if !lots.isEmpty { lots.removeAll(keepingCapacity: true) }
    records.removeAllKeepingCapacity()
    recordsOutOfOrder = false
    processedThrough = nil
    if !capUsage.isEmpty { capUsage = [:] }
    if !triggers.isEmpty { triggers = TriggerState() }
  }
}
