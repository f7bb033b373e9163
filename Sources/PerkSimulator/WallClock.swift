import PerkRuntime

/// Local times of one read turned into instants, remembering the stretches of wall-clock time
/// with one UTC offset (`ProgramTimeZone.wallClockSpan`) it met and the last date: a history
/// spans a few such stretches (two a year where clocks change), and its rows come in runs of
/// the same day, so most skip the zone's two look-ups and the calendar arithmetic (they were
/// half of reading a time). The answers are those of `zone.instant(of:secondOfDay:)` and
/// `LocalDate(year:month:day:)`.
struct WallClock {
  /// The stretches met, the last one used first; at most `maxSpans`.
  private var spans: [(walls: Range<Int64>, offset: Int64)] = []
  /// Enough for the clock changes of several years, in a history that is not in time order.
  static let maxSpans = 8
  /// `(year × 100 + month) × 100 + day` of `date`, -1 before the first date: years have four
  /// digits and months and days two, so the key names one date.
  private var dateKey = -1
  private var date = LocalDate(dayNumber: 0)

  init() {}

  /// `zone.instant(of: date, secondOfDay: secondOfDay)`.
  mutating func instant(of date: LocalDate, secondOfDay: Int64, zone: ProgramTimeZone) -> Instant {
    let wall = date.dayNumber * 86_400 + secondOfDay
    for k in spans.indices where spans[k].walls.contains(wall) {
      if k > 0 { spans.swapAt(0, k) }
      return Instant(secondsSince1970: wall - spans[0].offset)
    }
    if let span = zone.wallClockSpan(around: wall) {
      if spans.count == WallClock.maxSpans { spans.removeLast() }
      spans.insert(span, at: 0)
    }
    return zone.instant(of: date, secondOfDay: secondOfDay)
  }

  /// `LocalDate(year:month:day:)` of a year of at most four digits and a month and day of at
  /// most two.
  mutating func date(year: Int, month: Int, day: Int) -> LocalDate? {
    let key = (year * 100 + month) * 100 + day
    if key == dateKey { return date }
    guard let found = LocalDate(year: year, month: month, day: day) else { return nil }
    dateKey = key
    date = found
    return found
  }
}
