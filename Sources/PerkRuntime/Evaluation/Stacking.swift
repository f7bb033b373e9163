/// Stacking: which of the rules whose conditions hold actually fire, and in which order.
///
/// 1. Order: higher `priority` first; equal priorities keep file order.
/// 2. Exclusive groups, settled in the order each group first appears in the file: a `group`
///    keeps its highest-priority member; a `best of` group keeps the member worth most to the
///    customer, valued by evaluating the event with each member in turn (with the rules already
///    chosen, without the members of groups settled later).
/// 3. Budgets: a rule whose firing would cost more than its budget has left does not fire
///    (all or nothing), nor does one the program's budget cannot pay for.
/// 4. Promotions change the prices, then earning, multipliers, caps and bonuses run on them.
extension EvaluationRun {
  mutating func applyRules(_ candidates: [Int]) throws(EvaluationError) {
    // Candidates come in file order, which is stacking order when no rule has a priority.
    guard program.hasPriorities || !program.stackingGroups.isEmpty else { return try applyWithinBudgets(candidates) }
    var firing = program.hasPriorities ? EvaluationRun.stackingOrder(candidates, rules: program.rules) : candidates
    firing = try settleGroups(firing)
    try applyWithinBudgets(firing)
  }

  /// Priority (higher first), then file order.
  static func stackingOrder(_ rules: [Int], rules specs: [RuleSpec]) -> [Int] {
    rules.sorted { a, b in
      let (pa, pb) = (specs[a].stacking.priority, specs[b].stacking.priority)
      return pa != pb ? pa > pb : a < b
    }
  }

  /// Runs the price and earning phases for one set of firing rules.
  mutating func applyFiring(_ firing: [Int]) throws(EvaluationError) {
    try applyPromotions(firing)
    try earn(program.amountBasis.conditionsAfterDiscounts ? rereadConditions(firing) : firing)
  }

  /// Keeps at most one rule of each exclusive group.
  func settleGroups(_ ordered: [Int]) throws(EvaluationError) -> [Int] {
    let groups = program.stackingGroups
    guard !groups.isEmpty else { return ordered }
    var firing = ordered
    for (g, group) in groups.enumerated() {
      let members = firing.filter { program.rules[$0].stacking.group == group }
      guard members.count > 1 else { continue }
      var chosen = members[0]  // stacking order: the highest priority, earliest in the file
      if members.contains(where: { program.rules[$0].stacking.bestOf }) {
        let later = Set(groups[(g + 1)...])
        var bestValue: Int64?
        for member in members {
          let trial = firing.filter { index in
            if let other = program.rules[index].stacking.group, later.contains(other) { return false }
            return !members.contains(index) || index == member
          }
          var run = self
          try run.applyFiring(trial)
          let value = run.customerValue(from: awards.count)
          if bestValue.map({ value > $0 }) ?? true {
            bestValue = value
            chosen = member
          }
        }
      }
      firing.removeAll { members.contains($0) && $0 != chosen }
    }
    return firing
  }

  /// What the awards from `start` on are worth to the customer, in minor units: money off, free
  /// items, points at their currency's worth, vouchers and rewards.
  func customerValue(from start: Int, rule: RuleSpec? = nil) -> Int64 {
    var total: Int64 = 0
    for award in awards[start...] {
      if let rule, award.source != rule.name || award.location != rule.location { continue }
      switch award.kind {
      case .points(_, _, let value), .freeItem(_, let value), .voucher(_, let value, _), .reward(_, let value), .discount(let value):
        let (sum, overflow) = total.addingReportingOverflow(value.minorUnits)
        total = overflow ? (value.minorUnits > 0 ? Int64.max : Int64.min) : sum
      default: break
      }
    }
    return total
  }
}
