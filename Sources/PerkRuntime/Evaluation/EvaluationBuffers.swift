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
  /// The last planned purchase's awards (``PurchasePlan``): its outcome shares them, and once
  /// the caller has dropped that outcome the next purchase refills them in place instead of
  /// allocating. Stale until then; never read.
  var awards: [Award] = []
  /// Counters kept across events, not scratch (``EvaluationOptions/tallies``).
  var tally = RuleTally()
}
