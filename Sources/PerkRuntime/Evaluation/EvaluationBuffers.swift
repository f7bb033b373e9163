/// The arrays one evaluation fills and forgets — the basket's lines, the firing rules, the
/// balances before earning, points per line — which an ``Account`` lends from one event to the
/// next: a batch of events then allocates them once, not on every event.
///
/// Only their capacity carries over: a run empties each before use.
struct EvaluationBuffers {
  var lines: [BasketLine] = []
  var firing: [Int] = []
  var balancesBefore: [Int64] = []
  var earnedDelta: [Int64] = []
  var flatPoints: [Int64] = []
  var linePoints = LineAmounts()
  /// The last planned purchase's awards (``PurchasePlan``), which its outcome shares: once the
  /// caller has dropped that outcome, the next purchase refills them in place instead of
  /// allocating.
  var awards: [Award] = []
  /// The simulator's last planned purchase's awards, by number (``Account/plannedAwards``).
  var plannedAwards = PlannedAwards()
  /// The points the last planned purchase earned, by currency index (zero: none).
  var plannedEarned: [Int64] = []
  /// Counters kept across events, not scratch (``EvaluationOptions/tallies``).
  var tally = RuleTally()
  /// The context the plan lends a purchase's values into for its rules' conditions (made on the
  /// first purchase that needs it). A copy of the account shares it, so it is lent into only
  /// while this holds the only reference (``conditionContext(for:)``).
  var reusableContext: EvaluationContext?

  /// The reusable context for `program`, taken out of the buffers (put it back after use): a new
  /// one when there is none yet, when another copy of the account shares it, or when it was
  /// made for another program.
  mutating func takeConditionContext(for program: Program) -> EvaluationContext {
    if var context = reusableContext.take(), isKnownUniquelyReferenced(&context), context.program === program {
      return context
    }
    return EvaluationContext(reusableFor: program)
  }
}

extension Array where Element == Int64 {
  /// Makes this `count` copies of `value` in place: a purchase resets its sums this way, where
  /// emptying the array and appending a repeated element cost a few hundred instructions.
  mutating func setAll(_ value: Int64, count: Int) {
    guard self.count == count else {
      self = Array(repeating: value, count: count)
      return
    }
    for index in indices { self[index] = value }
  }

  /// Makes this a copy of `values`, element by element in its own storage.
  mutating func setAll(to values: [Int64]) {
    guard count == values.count else {
      removeAll(keepingCapacity: true)
      append(contentsOf: values)
      return
    }
    for index in indices { self[index] = values[index] }
  }
}
