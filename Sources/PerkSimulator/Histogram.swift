/// Counts of values in bins whose edges are round 1-2-5 ticks (``NiceTicks``), so a chart's bin
/// labels read $0.00, $5.00, $10.00 rather than the raw spread divided by a bin count.
enum Histogram {
  /// Bins `[low, high]` (inclusive, integers) covering `values` and zero, at most `maxBins` of
  /// them; empty for no values.
  static func bins(_ values: [Int64], maxBins: Int) -> [(low: Int64, high: Int64, count: Int64)] {
    guard let low = values.min(), let high = values.max(), maxBins > 0 else { return [] }
    let ticks = NiceTicks.ticks(low: low, high: high, maxCount: maxBins)
    let first = Int128(ticks[0]), step = Int128(ticks[1]) - Int128(ticks[0])
    var counts = Array(repeating: Int64(0), count: ticks.count - 1)
    // The top edge belongs to the last bin.
    for value in values { counts[min(counts.count - 1, Int((Int128(value) - first) / step))] += 1 }
    return counts.indices.map { (ticks[$0], Int64(clamping: Int128(ticks[$0 + 1]) - 1), counts[$0]) }
  }
}
