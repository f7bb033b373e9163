/// A factor earning is multiplied by, and where it comes from (a tier or a `multiply` rule).
/// (A struct, not a tuple: arrays of tuples look their type up at run time on every event.)
struct Multiplier: Sendable {
  var factor: ExactDecimal
  /// Named in explanations only.
  var source: String
  /// The `multiply` rule's `round` clause; nil for tiers and rules without one.
  var rounding: RoundingMode? = nil
}
