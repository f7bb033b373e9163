/// What one evaluation exercised, recorded by the evaluator itself as it decides (see
/// ``EvaluationOptions/trace``) so that `perk test --coverage` reports what the rules really
/// did, never what a second reading of the program guesses they would do.
///
/// Rules are indexes into the program's rules; a cap is named by the rule whose cap it is
/// (nil for a currency's own cap) and its spec.
package struct EvaluationTrace: Hashable, Sendable {
  /// A cap: the currency's (`rule` nil) or one rule's.
  package struct Cap: Hashable, Sendable {
    /// The rule whose `cap` clause this is; nil for a cap declared under `points`.
    package var rule: String?
    /// The cap as the program holds it.
    package var spec: CapSpec

    package init(rule: String?, spec: CapSpec) {
      self.rule = rule
      self.spec = spec
    }
  }

  /// Rules whose trigger matched and whose `when` held.
  package var conditionsTrue: Set<Int> = []
  /// Rules whose trigger matched and whose `when` did not hold.
  package var conditionsFalse: Set<Int> = []
  /// Rules whose trigger, condition and limits let them fire (stacking may still give them nothing).
  package var fired: Set<Int> = []
  /// Rules a limit stopped from firing.
  package var limitsReached: Set<Int> = []
  /// Caps that cut an award.
  package var capsReached: Set<Cap> = []

  package init() {}

  /// Adds what another evaluation exercised.
  package mutating func formUnion(_ other: EvaluationTrace) {
    conditionsTrue.formUnion(other.conditionsTrue)
    conditionsFalse.formUnion(other.conditionsFalse)
    fired.formUnion(other.fired)
    limitsReached.formUnion(other.limitsReached)
    capsReached.formUnion(other.capsReached)
  }
}
