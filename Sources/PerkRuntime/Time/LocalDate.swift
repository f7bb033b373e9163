/// A calendar date in the program's time zone, stored as days since 1970-01-01.
///
/// All calendar arithmetic is done by hand on day numbers (Howard Hinnant's civil
/// algorithms), so it is exact for every proleptic Gregorian date and costs no
/// `Calendar` call.
public struct LocalDate: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
  /// Days since 1970-01-01.
  public var dayNumber: Int64

  /// Creates a date from its day number.
  public init(dayNumber: Int64) { self.dayNumber = dayNumber }

  /// Creates a date from year, month and day; nil if the date does not exist.
  public init?(year: Int, month: Int, day: Int) {
    guard month >= 1, month <= 12, day >= 1, day <= LocalDate.daysIn(month: month, year: year) else { return nil }
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let m = Int64(month)
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    dayNumber = era * 146097 + doe - 719468
  }

  /// Parses `yyyy-MM-dd`.
  public init?(iso text: some StringProtocol) {
    let bytes = Array(text.utf8)
    guard bytes.count == 10, bytes[4] == 45, bytes[7] == 45 else { return nil }
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for i in range {
        guard bytes[i] >= 48, bytes[i] <= 57 else { return nil }
        value = value * 10 + Int(bytes[i] - 48)
      }
      return value
    }
    guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
    self.init(year: y, month: m, day: d)
  }

  /// The years read from input files and options: a year outside them is a typo (`0026`) or a
  /// missing value, never a date to simulate or report on (a period of `00-1-12-31`).
  package static let readableYears = 1900...2200

  /// Whether the date's year is one of ``readableYears``.
  package var isReadable: Bool { LocalDate.readableYears.contains(components.year) }

  /// "is outside the years 1900–2200", for messages.
  package static var outsideReadableYears: String {
    "is outside the years \(readableYears.lowerBound)–\(readableYears.upperBound)"
  }

  /// Year, month (1...12) and day (1...31).
  public var components: (year: Int, month: Int, day: Int) {
    LocalDate.fastRange.contains(dayNumber) ? LocalDate.fastComponents(dayNumber) : LocalDate.generalComponents(dayNumber)
  }

  /// Day numbers whose components `fastComponents` computes (about the years −4,870 to 29,340;
  /// every intermediate value fits its 32-bit arithmetic far beyond them).
  static let fastRange: ClosedRange<Int64> = -2_500_000...10_000_000

  /// Neri and Schneider's civil-from-days ("Euclidean affine functions and their application to
  /// calendar algorithms", 2022): the divisions of `generalComponents` become multiplications
  /// and shifts on unsigned 32-bit values (dates are converted for every generated day, month
  /// index and calendar rule).
  @inline(__always)
  static func fastComponents(_ dayNumber: Int64) -> (year: Int, month: Int, day: Int) {
    // Days since 0000-03-01 shifted by 82 × 400 years, so that the value is never negative.
    let shift: UInt32 = 82
    let n = UInt32(truncatingIfNeeded: dayNumber + 719_468 + 146_097 * Int64(shift))
    let n1 = 4 &* n &+ 3
    let century = n1 / 146_097
    let dayOfCentury = n1 % 146_097 / 4
    let n2 = 4 &* dayOfCentury &+ 3
    let p2 = UInt64(2_939_745) &* UInt64(n2)
    let yearOfCentury = UInt32(truncatingIfNeeded: p2 >> 32)
    let dayOfYear = UInt32(truncatingIfNeeded: p2) / 2_939_745 / 4
    let n3 = 2_141 &* dayOfYear &+ 197_913
    let month = n3 >> 16
    let day = (n3 & 0xFFFF) / 2_141 + 1
    let january = dayOfYear >= 306
    let year = Int(100 &* century &+ yearOfCentury) - 400 * Int(shift) + (january ? 1 : 0)
    return (year, Int(january ? month &- 12 : month), Int(day))
  }

  /// Howard Hinnant's civil-from-days, for every day number.
  static func generalComponents(_ dayNumber: Int64) -> (year: Int, month: Int, day: Int) {
    let z = dayNumber + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (Int(yoe + era * 400 + (m <= 2 ? 1 : 0)), Int(m), Int(d))
  }

  /// ISO weekday: 1 is Monday, 7 is Sunday.
  public var weekday: Int {
    let w = (dayNumber + 3) % 7  // 1970-01-01 was a Thursday (ISO 4)
    return Int(w < 0 ? w + 7 : w) + 1
  }

  /// The same day-of-month `months` later (or earlier), clamped to the month's last day.
  public func adding(months: Int) -> LocalDate {
    let (y, m, d) = components
    let total = y * 12 + (m - 1) + months
    let year = total >= 0 ? total / 12 : (total - 11) / 12
    let month = total - year * 12 + 1
    return LocalDate(year: year, month: month, day: min(d, LocalDate.daysIn(month: month, year: year)))!
  }

  /// The date `days` later (or earlier).
  public func adding(days: Int64) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

  /// The first day of this date's month.
  public var startOfMonth: LocalDate { let c = components; return LocalDate(year: c.year, month: c.month, day: 1)! }
  /// The first day of this date's year.
  public var startOfYear: LocalDate { LocalDate(year: components.year, month: 1, day: 1)! }
  /// The Monday of this date's ISO week.
  public var startOfWeek: LocalDate { adding(days: -Int64(weekday - 1)) }

  /// The number of days in a month.
  public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// `yyyy-MM-dd`.
  public var description: String {
    let (y, m, d) = components
    // The years people use, written as ten bytes into a small string: padding and joining
    // strings cost about 2,700 instructions a date, and the till writes dates on every event.
    if (0...9999).contains(y) {
      return String(unsafeUninitializedCapacity: 10) { bytes in
        // Each number's digits end before `end`, zero-padded to `width`.
        func put(_ value: Int, end: Int, width: Int) {
          var rest = value
          for position in (end - width..<end).reversed() {
            bytes[position] = 48 + UInt8(rest % 10)
            rest /= 10
          }
        }
        put(y, end: 4, width: 4)
        bytes[4] = 45
        put(m, end: 7, width: 2)
        bytes[7] = 45
        put(d, end: 10, width: 2)
        return 10
      }
    }
    func pad(_ v: Int, _ width: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
  }

  /// Chronological order.
  public static func < (a: LocalDate, b: LocalDate) -> Bool { a.dayNumber < b.dayNumber }

  /// Encodes as `yyyy-MM-dd`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }

  /// Decodes `yyyy-MM-dd`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let date = LocalDate(iso: text) else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "`\(text)` is not a date (yyyy-MM-dd)")
    }
    self = date
  }
}
