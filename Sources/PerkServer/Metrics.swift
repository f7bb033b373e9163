import Foundation

/// Counters and a latency histogram, written in the Prometheus text format for `GET /metrics`.
public final class Metrics: @unchecked Sendable {
  /// The latency histogram's upper bounds, in seconds.
  static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

  private let lock = NSLock()
  private var requests: [String: Int] = [:]
  private var buckets = [Int](repeating: 0, count: Metrics.bounds.count)
  private var latencyCount = 0
  private var latencyNanoseconds: UInt64 = 0
  private var events: [String: Int] = [:]
  private var storeErrors = 0

  /// Empty counters.
  public init() {}

  /// Counts one answered request under its route pattern (not its path, which names customers).
  public func request(method: String, route: String, status: Int, nanoseconds: UInt64) {
    let key = "method=\"\(method)\",route=\"\(route)\",status=\"\(status)\""
    lock.lock()
    defer { lock.unlock() }
    requests[key, default: 0] += 1
    latencyCount += 1
    latencyNanoseconds += nanoseconds
    // Seconds only as a label for the reader: the histogram counts whole nanoseconds.
    for (index, bound) in Metrics.bounds.enumerated() where nanoseconds <= UInt64(bound * 1e9) { buckets[index] += 1 }
  }

  /// Counts one accepted event of `kind` (`purchase`, `return`…).
  public func event(kind: String) {
    lock.lock()
    events[kind, default: 0] += 1
    lock.unlock()
  }

  /// Counts one failure of the store.
  public func storeError() {
    lock.lock()
    storeErrors += 1
    lock.unlock()
  }

  /// The exposition text.
  public func exposition() -> String {
    lock.lock()
    defer { lock.unlock() }
    var text = "# HELP perk_requests_total HTTP requests answered, by method, route and status.\n"
    text += "# TYPE perk_requests_total counter\n"
    for key in requests.keys.sorted() { text += "perk_requests_total{\(key)} \(requests[key]!)\n" }
    text += "# HELP perk_request_duration_seconds Time from a request's first byte to its response.\n"
    text += "# TYPE perk_request_duration_seconds histogram\n"
    for (index, bound) in Metrics.bounds.enumerated() {
      text += "perk_request_duration_seconds_bucket{le=\"\(bound)\"} \(buckets[index])\n"
    }
    text += "perk_request_duration_seconds_bucket{le=\"+Inf\"} \(latencyCount)\n"
    let seconds = "\(latencyNanoseconds / 1_000_000_000).\(String(format: "%09d", latencyNanoseconds % 1_000_000_000))"
    text += "perk_request_duration_seconds_sum \(seconds)\n"
    text += "perk_request_duration_seconds_count \(latencyCount)\n"
    text += "# HELP perk_events_total Events accepted and stored, by kind.\n# TYPE perk_events_total counter\n"
    for kind in events.keys.sorted() { text += "perk_events_total{kind=\"\(kind)\"} \(events[kind]!)\n" }
    text += "# HELP perk_store_errors_total Failures of the account store.\n# TYPE perk_store_errors_total counter\n"
    text += "perk_store_errors_total \(storeErrors)\n"
    return text
  }
}
