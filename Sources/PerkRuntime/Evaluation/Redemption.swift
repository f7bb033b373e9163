/// Redemption: the customer spends points on a catalog reward.
///
/// The reward's cost comes out of the spendable lots of its currency in the program's order
/// (`spend oldest first`, the default, or `spend closest to expiry first`). A balance that
/// cannot pay, or a reward the program does not have, refuses the event with a reason;
/// nothing changes. Held (pending) points cannot be spent.
extension EvaluationRun {
  /// Names compare ignoring case and runs of spaces, as the language reads them.
  static func normalizedName(_ name: String) -> String {
    name.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
  }

  mutating func redeem(_ name: String) throws(EvaluationError) {
    let wanted = EvaluationRun.normalizedName(name)
    guard let reward = program.rewards.first(where: { EvaluationRun.normalizedName($0.name) == wanted }) else {
      let known = program.rewards.map { "`\($0.name)`" }.joined(separator: ", ")
      rejection = "unknown reward `\(name)`" + (known.isEmpty ? "; the program has no rewards" : "; the rewards are \(known)")
      return
    }
    let spec = program.points[reward.currency]
    let balance = working.balances[reward.currency]
    guard balance >= reward.cost else {
      let pending = working.lots.reduce(Int64(0)) { $1.currency == spec.name && $1.isPending ? $0 + $1.amount : $0 }
      rejection = "\(reward.name) needs \(reward.cost) \(spec.name), has \(balance)"
        + (pending > 0 ? " (\(pending) more held until the return window clears)" : "")
      return
    }
    reconcileLots()
    let taken = takeFromLots(reward.cost, currency: reward.currency, preferring: nil)
    working.balances[reward.currency] -= reward.cost
    let order = spec.spendOrder == .oldestFirst ? "oldest points first" : "points closest to expiry first"
    awards.append(Award(kind: .redeemed(reward: reward.name, currency: spec.name, cost: reward.cost, value: money(reward.worthMinor)),
                        source: reward.name, location: nil,
                        explanation: explain("\(reward.cost) \(spec.name) spent on \(reward.name) (worth \(money(reward.worthMinor))), \(order); "
                          + "\(balance) → \(balance - reward.cost) \(spec.name)"
                          + (taken == reward.cost ? "" : " (\(reward.cost - taken) not found in lots)"))))
  }
}
