import Foundation
import Synchronization

/// The program's IANA time zone: turns instants into local dates and times.
///
/// All calendar logic (weekdays, months, periods, windows) happens in this zone, so
/// a purchase at 23:30 on a Tuesday in New York is a Tuesday purchase whatever the
/// server's zone. Offsets come from the system's time zone database, so DST changes
/// are honoured.
public struct ProgramTimeZone: Sendable, Hashable {
  /// The IANA identifier, such as `America/New_York`.
  public var identifier: String { table.identifier }
  /// The zone's one shared table: a zone is copied with every customer and evaluation, and one
  /// reference costs one retain where the identifier, the zone and the transitions cost three.
  private let table: Table
  private var zone: TimeZone { table.zone }
  /// Instants in `coveredRange` use the table; others ask Foundation directly.
  private static let coveredRange: Range<Int64> = 0..<4_102_444_800

  /// What is known of one zone, built once per zone and process.
  private final class Table: Sendable {
    let identifier: String
    let zone: TimeZone
    /// Offset changes between 1970 and 2100: `(instant of the change, offset from it on)`,
    /// ascending, so converting an instant is a binary search, not a call into the time zone
    /// database per event.
    let transitions: [(at: Int64, offset: Int64)]
    /// The offset before the first transition.
    let initialOffset: Int64

    init(identifier: String, zone: TimeZone, initialOffset: Int64, transitions: [(at: Int64, offset: Int64)]) {
      self.identifier = identifier
      self.zone = zone
      self.initialOffset = initialOffset
      self.transitions = transitions
    }
  }

  /// Tables already built, by identifier. The lock also keeps table building on one
  /// thread at a time: Foundation's ICU-backed transition queries are not safe to run
  /// concurrently on Linux (seen crashing in `nextDaylightSavingTimeTransition`).
  private static let tables = Mutex<[String: Table]>([:])

  /// The zone with this IANA identifier; nil if the system does not know it.
  public init?(identifier: String) {
    let found = Self.tables.withLock { tables -> Table? in
      if let built = tables[identifier] { return built }
      guard let zone = TimeZone(identifier: identifier) else { return nil }
      let built = Self.buildTable(zone)
      let table = Table(identifier: identifier, zone: zone, initialOffset: built.initial, transitions: built.transitions)
      tables[identifier] = table
      return table
    }
    guard let found else { return nil }
    table = found
  }

  /// Whether the system's time zone database knows this IANA identifier.
  public static func isKnown(_ identifier: String) -> Bool {
    ProgramTimeZone(identifier: identifier) != nil
  }

  /// The offset the system database itself gives at an instant, asked under the same lock
  /// (for tests that check the cached table against the database).
  package static func databaseOffset(_ identifier: String, at seconds: Int64) -> Int64? {
    tables.withLock { _ in
      TimeZone(identifier: identifier).map { Int64($0.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))) }
    }
  }

  /// Every IANA identifier the system knows, sorted (for did-you-mean help).
  public static var knownIdentifiers: [String] {
    tables.withLock { _ in TimeZone.knownTimeZoneIdentifiers.sorted() }
  }

  /// Samples the offset weekly and finds each change to the second by bisection:
  /// only `secondsFromGMT(for:)` is used, the simplest query the database answers.
  private static func buildTable(_ zone: TimeZone) -> (initial: Int64, transitions: [(at: Int64, offset: Int64)]) {
    func offset(_ seconds: Int64) -> Int64 {
      Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
    }
    let week: Int64 = 7 * 86_400
    let initial = offset(coveredRange.lowerBound)
    var table: [(at: Int64, offset: Int64)] = []
    var previous = coveredRange.lowerBound
    var previousOffset = initial
    var probe = previous + week
    while probe < coveredRange.upperBound {
      let current = offset(probe)
      if current != previousOffset {
        // The change lies in (previous, probe]: bisect to the first second with the new offset.
        var low = previous
        var high = probe
        while high - low > 1 {
          let mid = low + (high - low) / 2
          if offset(mid) == previousOffset { low = mid } else { high = mid }
        }
        table.append((high, current))
        previousOffset = current
      }
      previous = probe
      probe += week
    }
    return (initial, table)
  }

  /// Seconds east of UTC in force at `seconds` since 1970.
  func offset(at seconds: Int64) -> Int64 {
    guard Self.coveredRange.contains(seconds) else {
      return Self.tables.withLock { _ in Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))) }
    }
    let transitions = table.transitions
    var low = 0
    var high = transitions.count
    while low < high {
      let mid = (low + high) / 2
      if transitions[mid].at <= seconds { low = mid + 1 } else { high = mid }
    }
    return low == 0 ? table.initialOffset : transitions[low - 1].offset
  }

  /// The local date and minute of the day (0...1439) of an instant.
  public func localTime(of instant: Instant) -> (date: LocalDate, minuteOfDay: Int) {
    let offset = offset(at: instant.secondsSince1970)
    let local = instant.secondsSince1970 + offset
    let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    return (LocalDate(dayNumber: day), Int((local - day * 86_400) / 60))
  }

  /// The instant of a local wall-clock time. In a DST gap the time is read with the
  /// offset in force before the change; in an overlap, the earlier instant is chosen.
  public func instant(of date: LocalDate, secondOfDay: Int64) -> Instant {
    let wall = date.dayNumber * 86_400 + secondOfDay
    // Two passes settle the offset around a transition.
    var guess = wall - offset(at: wall)
    let second = wall - offset(at: guess)
    guess = min(guess, second)
    return Instant(secondsSince1970: guess)
  }

  /// The wall-clock seconds around `wall` (local seconds since 1970, as
  /// `instant(of:secondOfDay:)` counts them) over which that instant is the wall time less one
  /// offset, with the offset; nil when `wall` is not in such a stretch (the hours a change of
  /// offset makes ambiguous, and years the table does not cover).
  ///
  /// A reader of many local times keeps the stretch and skips the two look-ups per time.
  package func wallClockSpan(around wall: Int64) -> (walls: Range<Int64>, offset: Int64)? {
    guard Self.coveredRange.contains(wall) else { return nil }
    let transitions = table.transitions
    let initialOffset = table.initialOffset
    var low = 0
    var high = transitions.count
    while low < high {
      let mid = (low + high) / 2
      if transitions[mid].at <= wall { low = mid + 1 } else { high = mid }
    }
    let offset = low == 0 ? initialOffset : transitions[low - 1].offset
    let from = low == 0 ? Self.coveredRange.lowerBound : transitions[low - 1].at
    let to = low == transitions.count ? Self.coveredRange.upperBound : transitions[low].at
    // Both `wall` and `wall - offset` in [from, to): both of `instant(of:)`'s look-ups then
    // find this offset.
    let walls = max(from, from + offset)..<min(to, to + offset)
    return walls.contains(wall) ? (walls, offset) : nil
  }

  /// Two zones are equal when their identifiers are.
  public static func == (a: ProgramTimeZone, b: ProgramTimeZone) -> Bool { a.identifier == b.identifier }
  /// Hashes the identifier.
  public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }
}

/// A moment in time: whole seconds since 1970-01-01T00:00:00Z.
public struct Instant: Hashable, Sendable, Comparable, Codable {
  /// Seconds since the Unix epoch, UTC.
  public var secondsSince1970: Int64
  /// Creates an instant.
  public init(secondsSince1970: Int64) { self.secondsSince1970 = secondsSince1970 }
  /// Chronological order.
  public static func < (a: Instant, b: Instant) -> Bool { a.secondsSince1970 < b.secondsSince1970 }

  /// An instant is stored as its seconds since the Unix epoch (a plain JSON number).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(secondsSince1970)
  }

  /// Reads an instant stored as seconds since the Unix epoch.
  public init(from decoder: any Decoder) throws {
    secondsSince1970 = try decoder.singleValueContainer().decode(Int64.self)
  }
}
