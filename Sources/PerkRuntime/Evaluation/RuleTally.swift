/// How often each rule was stopped, or fired, on the events whose trigger matched it: counters
/// the evaluator adds to when ``EvaluationOptions/tallies`` asks, so that `perk sim` can say why
/// a rule never fired without the Sets of an ``EvaluationTrace`` on every event.
///
/// Counted by ``EvaluationRun/collectFiringRules(_:into:)`` only (purchases, signups, custom
/// events): rules that run at period ends are not counted. The counters live in the account's
/// ``EvaluationBuffers`` and are taken out with ``Account/takeRuleTally()``.
package struct RuleTally: Sendable {
  /// What one evaluation decided about one rule whose trigger matched.
  package enum Outcome: Int, Sendable, CaseIterable {
    /// Its `when` did not hold.
    case conditionFalse
    /// A limit stopped it.
    case limitReached
    /// It fired (stacking, filters or caps may still have given it nothing).
    case fired
  }

  /// Counters by `rule index × outcome count + outcome`; empty until the first count.
  package private(set) var counts: [Int64] = []
  /// The outcome count, read once: `allCases` makes its array on every read, and a count is
  /// noted for each rule of each purchase.
  private static let width = Outcome.allCases.count

  package init() {}

  /// Whether nothing was counted (counters set to zero count nothing).
  package var isEmpty: Bool { counts.allSatisfy { $0 == 0 } }

  /// The count of `outcome` for the rule at `rule` (zero when none was counted).
  package func count(_ outcome: Outcome, rule: Int) -> Int64 {
    let slot = rule * Self.width + outcome.rawValue
    return slot < counts.count ? counts[slot] : 0
  }

  /// Sets every count to zero, keeping the storage: the simulator files each customer's counts
  /// (``counts``) and zeroes them, where a new array per customer was an allocation each.
  mutating func zero() {
    for slot in counts.indices { counts[slot] = 0 }
  }

  /// Counts one `outcome` for the rule at `rule` of a program of `rules` rules.
  mutating func note(_ outcome: Outcome, rule: Int, rules: Int) {
    if counts.isEmpty { counts = Array(repeating: 0, count: rules * Self.width) }
    counts[rule * Self.width + outcome.rawValue] &+= 1
  }
}

// Equal when every rule's counts are: counters set to zero (``zero()``) equal none at all.
extension RuleTally: Hashable {
  package static func == (a: RuleTally, b: RuleTally) -> Bool {
    for slot in 0..<max(a.counts.count, b.counts.count)
    where (slot < a.counts.count ? a.counts[slot] : 0) != (slot < b.counts.count ? b.counts[slot] : 0) {
      return false
    }
    return true
  }

  package func hash(into hasher: inout Hasher) {
    for slot in counts.indices where counts[slot] != 0 {
      hasher.combine(slot)
      hasher.combine(counts[slot])
    }
  }
}
