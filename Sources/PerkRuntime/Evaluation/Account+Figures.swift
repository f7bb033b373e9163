extension Account {
  /// Copies the balances into `balances`, by the program's currency index (``Program/points``):
  /// for a caller that reads them after every change, without the dictionary by name of
  /// ``Outcome/balances`` and without sharing the account's array (which would make the next
  /// evaluation copy it).
  package func copyBalances(into balances: inout [Int64]) {
    guard balances.count == working.balances.count else {
      balances.removeAll(keepingCapacity: true)
      balances.append(contentsOf: working.balances)
      return
    }
    for index in balances.indices { balances[index] = working.balances[index] }
  }
}
