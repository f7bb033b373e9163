/// Round axis ticks in 1-2-5 steps (1, 2, 5, 10, 20, 50, …) over integers: minor units, counts,
/// basis points. Integers only, so a money axis never goes through floating point, and an axis
/// step is at least 1 (a chart of minor units never shows half a cent).
package enum NiceTicks {
  /// Evenly spaced ticks, each a multiple of a 1-2-5 step, from at or below `min(low, 0)` to at
  /// or above `max(high, 0)` (zero is always a tick: bars grow from it), at most `maxCount` + 1 of
  /// them. A zero range gives two ticks; the extremes of `Int64` clamp rather than overflow.
  package static func ticks(low: Int64, high: Int64, maxCount: Int = 5) -> [Int64] {
    let lo = Int128(Swift.min(0, Swift.min(low, high))), hi = Int128(Swift.max(0, Swift.max(low, high)))
    let intervals = Int128(Swift.max(1, maxCount))
    let span = Swift.max(1, hi - lo)
    let step = self.step(atLeast: (span + intervals - 1) / intervals, lo: lo, hi: hi, intervals: intervals)
    let first = floorDiv(lo, step) * step
    var last = -floorDiv(-hi, step) * step
    if first == last { last = first + step }
    var out: [Int64] = []
    var value = first
    while value <= last {
      out.append(Int64(clamping: value))
      value += step
    }
    return out
  }

  /// The smallest 1-2-5 step at least `minimum` whose rounded-out range still fits `intervals` steps.
  static func step(atLeast minimum: Int128, lo: Int128, hi: Int128, intervals: Int128) -> Int128 {
    var power: Int128 = 1
    while true {
      for factor: Int128 in [1, 2, 5] {
        let step = factor * power
        guard step >= minimum else { continue }
        // Rounding both ends out can add an interval: take the next step when it does.
        let count = -floorDiv(-hi, step) - floorDiv(lo, step)
        if count <= intervals { return step }
      }
      power *= 10
    }
  }

  static func floorDiv(_ a: Int128, _ b: Int128) -> Int128 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
  }
}
