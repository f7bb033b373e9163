import PerkRuntime

/// Local times of one read turned into instants, remembering the stretches of wall-clock time
/// with one UTC offset (`ProgramTimeZone.wallClockSpan`) it met: a history spans a few such
/// stretches (two a year where clocks change), so most rows skip the zone's two look-ups and
/// the calendar arithmetic (they were half of reading a time). Dates of the readable years are
/// found in a table of months. The answers are those of `zone.instant(of:secondOfDay:)` and
/// `LocalDate(year:month:day:)`.
struct WallClock {
  /// The stretches met, the last one met first; at most `maxSpans`.
  private var spans: [(walls: Range<Int64>, offset: Int64)] = []
  /// Enough for the clock changes of several years, in a history that is not in time order.
  static let maxSpans = 8
  /// The stretch the last time fell in, held apart: most rows fall in it (rows in customer
  /// order alternate between summer and winter time: moving a stretch to the front of
  /// `spans` instead cost a call to swap them).
  private var latestWalls: Range<Int64> = 0..<0
  private var latestOffset: Int64 = 0
  /// Every month of `LocalDate.readableYears`: its first day's number × 64 + its length in days.
  private let months = WallClock.monthTable
  private let firstYear = LocalDate.readableYears.lowerBound

  /// Built once a process (about 3,600 months).
  private static let monthTable: [Int64] = {
    var table: [Int64] = []
    for year in LocalDate.readableYears {
      for month in 1...12 {
        let first = LocalDate(year: year, month: month, day: 1)!.dayNumber
        let next = month == 12 ? LocalDate(year: year + 1, month: 1, day: 1)! : LocalDate(year: year, month: month + 1, day: 1)!
        table.append(first << 6 | (next.dayNumber - first))
      }
    }
    return table
  }()

  init() {}

  /// `zone.instant(of: date, secondOfDay: secondOfDay)`.
  mutating func instant(of date: LocalDate, secondOfDay: Int64, zone: ProgramTimeZone) -> Instant {
    let wall = date.dayNumber * 86_400 + secondOfDay
    if latestWalls.contains(wall) { return Instant(secondsSince1970: wall - latestOffset) }
    for k in spans.indices where spans[k].walls.contains(wall) {
      latestWalls = spans[k].walls
      latestOffset = spans[k].offset
      return Instant(secondsSince1970: wall - latestOffset)
    }
    if let span = zone.wallClockSpan(around: wall) {
      if spans.count == WallClock.maxSpans { spans.removeLast() }
      spans.insert(span, at: 0)
      latestWalls = span.walls
      latestOffset = span.offset
    }
    return zone.instant(of: date, secondOfDay: secondOfDay)
  }

  /// `LocalDate(year:month:day:)` of a year of `LocalDate.readableYears`; nil for any other
  /// year, as for an impossible date.
  func readableDate(year: Int, month: Int, day: Int) -> LocalDate? {
    let index = (year - firstYear) * 12 + month - 1
    guard month >= 1, month <= 12, index >= 0, index < months.count else { return nil }
    let entry = months[index]
    guard day >= 1, day <= Int(entry & 63) else { return nil }
    return LocalDate(dayNumber: entry >> 6 + Int64(day - 1))
  }

  /// `LocalDate(year:month:day:)`.
  func date(year: Int, month: Int, day: Int) -> LocalDate? {
    guard LocalDate.readableYears.contains(year) else { return LocalDate(year: year, month: month, day: day) }
    return readableDate(year: year, month: month, day: day)
  }
}
