/// How customers are assumed to redeem points, since histories rarely record it.
package enum RedemptionPolicy: Sendable, Equatable, CustomStringConvertible {
  /// Nobody redeems: every point stays a liability until it expires.
  case none
  /// The cheapest reward is redeemed as soon as it is affordable (as often as affordable).
  case asap
  /// Customers save until the balance reaches `points`, then redeem the cheapest reward while affordable.
  case threshold(Int64)
  /// Each affordable redemption happens with probability `numerator / denominator`, drawn from a
  /// seeded generator per customer (deterministic, whatever the thread count or shard).
  case rate(numerator: UInt64, denominator: UInt64)

  /// Parses `none`, `asap`, `threshold:N`, `rate:0.7` (or `rate:70%`).
  package init?(_ text: String) {
    let lower = text.lowercased()
    if lower == "none" || lower == "never" { self = .none; return }
    if lower == "asap" { self = .asap; return }
    if lower.hasPrefix("threshold:"), let n = Int64(lower.dropFirst("threshold:".count)), n > 0 { self = .threshold(n); return }
    if lower.hasPrefix("rate:") {
      var body = String(lower.dropFirst("rate:".count))
      var percent = false
      if body.hasSuffix("%") { percent = true; body.removeLast() }
      let parts = body.split(separator: ".", omittingEmptySubsequences: false)
      guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isNumber),
            parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy(\.isNumber)), body.count <= 12,
            let digits = UInt64(whole + (parts.count == 2 ? parts[1] : "")) else { return nil }
      var denominator: UInt64 = 1
      for _ in 0..<(parts.count == 2 ? parts[1].count : 0) { denominator *= 10 }
      if percent { denominator *= 100 }
      guard digits <= denominator else { return nil }
      self = .rate(numerator: digits, denominator: denominator)
      return
    }
    return nil
  }

  /// The policy as written on the command line: `rate:0.7`.
  package var description: String {
    switch self {
    case .none: return "none"
    case .asap: return "asap"
    case .threshold(let n): return "threshold:\(n)"
    case .rate(let n, let d): return "rate:" + Percent.decimal(Int64(n), Int64(d), digits: 6, trim: true)
    }
  }

  /// One sentence for the report.
  package var explanation: String {
    switch self {
    case .none: return "nobody redeems; every point stays a liability until it expires"
    case .asap: return "the cheapest reward is redeemed as soon as it is affordable"
    case .threshold(let n): return "customers save until they hold \(n) points, then redeem the cheapest reward while affordable"
    case .rate(let n, let d): return Percent.of(Int64(n), Int64(d)) + " of affordable redemptions happen (seeded, per customer)"
    }
  }
}
