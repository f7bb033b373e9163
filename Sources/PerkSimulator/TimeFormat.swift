import PerkRuntime

/// How the `time` column is written. `auto` reads ISO 8601 forms; a pattern such as
/// `yyyyMMdd` or `dd/MM/yyyy HH:mm` reads other exports; `unix` reads seconds since 1970.
///
/// A time without an offset is a wall-clock time in the program's time zone; a date
/// without a time is midnight there.
package enum TimeFormat: Sendable, Equatable {
  case auto
  case unix
  case pattern([Token])

  package enum Token: Sendable, Equatable {
    case year, month, day, hour, minute, second
    case literal(UInt8)
  }

  /// Parses `--time-format`; nil when the pattern has no year, month and day.
  package init?(_ text: String) {
    switch text {
    case "auto", "iso", "iso8601": self = .auto; return
    case "unix", "epoch": self = .unix; return
    default: break
    }
    var tokens: [Token] = []
    var bytes = Substring(text).utf8[...]
    let fields: [(String, Token)] = [("yyyy", .year), ("MM", .month), ("dd", .day), ("HH", .hour), ("mm", .minute), ("ss", .second)]
    outer: while let first = bytes.first {
      for (name, token) in fields where bytes.starts(with: name.utf8) {
        tokens.append(token)
        bytes = bytes.dropFirst(name.utf8.count)
        continue outer
      }
      guard !(first >= 65 && first <= 90) && !(first >= 97 && first <= 122) else { return nil }
      tokens.append(.literal(first))
      bytes = bytes.dropFirst()
    }
    guard tokens.contains(.year), tokens.contains(.month), tokens.contains(.day) else { return nil }
    self = .pattern(tokens)
  }

  /// Why a text is not a time.
  package enum Problem: Error, Equatable {
    /// Not this form, or an impossible date.
    case mismatch
    /// A date of this form whose year is not one of `LocalDate.readableYears`.
    case yearOutOfRange
  }

  /// Reads a time, refusing years outside `LocalDate.readableYears`.
  package func read(_ text: UnsafeBufferPointer<UInt8>, zone: ProgramTimeZone) -> Result<Instant, Problem> {
    let instant: Instant?
    switch self {
    case .unix:
      instant = TimeFormat.unixSeconds(text)
      if let instant, !LocalDate(dayNumber: TimeFormat.floorDiv(instant.secondsSince1970, 86_400)).isReadable {
        return .failure(.yearOutOfRange)
      }
    case .auto:
      if let year = TimeFormat.digits(text, 0, 4), !LocalDate.readableYears.contains(year) { return .failure(.yearOutOfRange) }
      instant = TimeFormat.iso(text, zone: zone)
    case .pattern(let tokens):
      if let year = TimeFormat.patternYear(tokens, text), !LocalDate.readableYears.contains(year) { return .failure(.yearOutOfRange) }
      instant = TimeFormat.pattern(tokens, text, zone: zone)
    }
    return instant.map { .success($0) } ?? .failure(.mismatch)
  }

  /// `read(_:zone:)`, with the common ISO shapes of a history read in place and their local
  /// times turned into instants through `clock` (what one read of a history shares).
  func read(_ text: UnsafeBufferPointer<UInt8>, zone: ProgramTimeZone, clock: inout WallClock) -> Result<Instant, Problem> {
    if case .auto = self, let instant = TimeFormat.localISO(text, zone: zone, clock: &clock) { return .success(instant) }
    return read(text, zone: zone)
  }

  package func read(_ text: String, zone: ProgramTimeZone) -> Result<Instant, Problem> {
    var copy = Array(text.utf8)
    return copy.withUnsafeMutableBufferPointer { read(UnsafeBufferPointer($0), zone: zone) }
  }

  /// Reads a time; nil when the text does not have this form, names an impossible date or a
  /// year outside `LocalDate.readableYears`.
  package func parse(_ text: String, zone: ProgramTimeZone) -> Instant? {
    try? read(text, zone: zone).get()
  }

  static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

  /// `count` ASCII digits at `at` as a number; nil if any is not a digit.
  static func digits(_ text: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int) -> Int? {
    guard at + count <= text.count else { return nil }
    var value = 0
    for i in at..<(at + count) {
      let byte = text[i]
      guard byte >= 48, byte <= 57 else { return nil }
      value = value * 10 + Int(byte - 48)
    }
    return value
  }

  /// The year a pattern's text gives, when the text has digits where the pattern's year is
  /// (the rest is checked by `pattern`).
  static func patternYear(_ tokens: [Token], _ text: UnsafeBufferPointer<UInt8>) -> Int? {
    var index = 0
    for token in tokens {
      switch token {
      case .year: return digits(text, index, 4)
      case .month, .day, .hour, .minute, .second: index += 2
      case .literal: index += 1
      }
    }
    return nil
  }

  static func unixSeconds(_ text: UnsafeBufferPointer<UInt8>) -> Instant? {
    var value: Int64 = 0
    guard !text.isEmpty, text.count <= 12 else { return nil }
    for byte in text {
      guard byte >= 48, byte <= 57 else { return nil }
      value = value * 10 + Int64(byte - 48)
    }
    return Instant(secondsSince1970: value)
  }

  static func pattern(_ tokens: [Token], _ text: UnsafeBufferPointer<UInt8>, zone: ProgramTimeZone) -> Instant? {
    var index = 0
    var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
    func digits(_ count: Int) -> Int? {
      guard let value = TimeFormat.digits(text, index, count) else { return nil }
      index += count
      return value
    }
    for token in tokens {
      switch token {
      case .year: guard let v = digits(4) else { return nil }; year = v
      case .month: guard let v = digits(2) else { return nil }; month = v
      case .day: guard let v = digits(2) else { return nil }; day = v
      case .hour: guard let v = digits(2), v < 24 else { return nil }; hour = v
      case .minute: guard let v = digits(2), v < 60 else { return nil }; minute = v
      case .second: guard let v = digits(2), v < 61 else { return nil }; second = min(v, 59)
      case .literal(let byte): guard index < text.count, text[index] == byte else { return nil }; index += 1
      }
    }
    guard index == text.count, let date = LocalDate(year: year, month: month, day: day) else { return nil }
    return zone.instant(of: date, secondOfDay: Int64(hour * 3600 + minute * 60 + second))
  }

  /// The shapes of `iso` that most histories write, `yyyy-MM-dd`, `yyyy-MM-ddTHH:mm` and
  /// `yyyy-MM-ddTHH:mm:ss` (`T`, `t` or a space), read by position with no look-ups; nil for
  /// any other text and any that `iso` (or `read`'s year check) refuses, which `read` then
  /// reads the general way, so refusals are the general path's. What it reads is what `iso`
  /// reads.
  static func localISO(_ text: UnsafeBufferPointer<UInt8>, zone: ProgramTimeZone, clock: inout WallClock) -> Instant? {
    let n = text.count
    guard n == 10 || n == 16 || n == 19, let p = text.baseAddress else { return nil }
    if n == 19 { return localISOWithSeconds(p, zone: zone, clock: &clock) }
    func two(_ i: Int) -> Int? {
      let tens = p[i] &- 48
      let ones = p[i + 1] &- 48
      guard tens < 10, ones < 10 else { return nil }
      return Int(tens) * 10 + Int(ones)
    }
    guard p[4] == 45, p[7] == 45, let century = two(0), let rest = two(2), let month = two(5), let day = two(8),
          let date = clock.readableDate(year: century * 100 + rest, month: month, day: day) else { return nil }
    guard n > 10 else { return clock.instant(of: date, secondOfDay: 0, zone: zone) }
    guard p[10] == 84 || p[10] == 32 || p[10] == 116, p[13] == 58, let hour = two(11), hour < 24,
          let minute = two(14), minute < 60 else { return nil }
    var second = 0
    if n == 19 {
      // Otherwise an offset of hours alone (`+05`), which `iso` reads.
      guard p[16] == 58, let s = two(17), s < 61 else { return nil }
      second = min(s, 59)
    }
    return clock.instant(of: date, secondOfDay: Int64(hour * 3600 + minute * 60 + second), zone: zone)
  }

  /// `localISO` of the shape nearly every history writes, `yyyy-MM-ddTHH:mm:ss` (19 bytes at
  /// `p`), its digits and separators checked eight bytes at a time: read one by one, they were
  /// most of reading a time.
  @inline(__always)
  static func localISOWithSeconds(_ p: UnsafePointer<UInt8>, zone: ProgramTimeZone, clock: inout WallClock) -> Instant? {
    let raw = UnsafeRawPointer(p)
    // Bytes 0–7 (`yyyy-MM-`), 8–15 (`ddTHH:mm`) and 11–18 (`HH:mm:ss`), byte k at bits 8k, each
    // byte xor `0`: a digit becomes its value.
    let zeros: UInt64 = 0x3030_3030_3030_3030
    let a = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) ^ zeros
    let b = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) ^ zeros
    let c = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 11, as: UInt64.self)) ^ zeros
    // `-` at 4 and 7, `:` at 13 and 16 (xor `0`: 0x1D and 0x0A).
    guard a & 0xFF00_00FF_0000_0000 == 0x1D00_001D_0000_0000, c & 0x0000_FF00_00FF_0000 == 0x0000_0A00_000A_0000 else { return nil }
    let separator = p[10]
    guard separator == 84 || separator == 32 || separator == 116 else { return nil }
    // Whether every byte of `x` under `mask` is below 10 (adding 0x76 to its low seven bits
    // sets the high bit from 10 on, and carries into no other byte).
    @inline(__always) func digits(_ x: UInt64, _ mask: UInt64) -> Bool {
      let masked = x & mask
      return (((masked & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | masked) & 0x8080_8080_8080_8080 == 0
    }
    guard digits(a, 0x00FF_FF00_FFFF_FFFF), digits(b, 0xFFFF), digits(c, 0xFFFF_00FF_FF00_FFFF) else { return nil }
    @inline(__always) func two(_ x: UInt64, _ k: UInt64) -> Int {
      Int(truncatingIfNeeded: (x >> (8 &* k)) & 0xFF) &* 10 &+ Int(truncatingIfNeeded: (x >> (8 &* k &+ 8)) & 0xFF)
    }
    let hour = two(c, 0)
    let minute = two(c, 3)
    let second = two(c, 6)
    guard hour < 24, minute < 60, second < 61,
          let date = clock.readableDate(year: two(a, 0) &* 100 &+ two(a, 2), month: two(a, 5), day: two(b, 0)) else { return nil }
    return clock.instant(of: date, secondOfDay: Int64(hour &* 3600 &+ minute &* 60 &+ min(second, 59)), zone: zone)
  }

  /// `yyyy-MM-dd`, `yyyy-MM-ddTHH:mm[:ss[.fff]][Z|±HH:MM|±HHMM]` (a space may replace `T`).
  static func iso(_ text: UnsafeBufferPointer<UInt8>, zone: ProgramTimeZone) -> Instant? {
    let n = text.count
    func digits(_ at: Int, _ count: Int) -> Int? { TimeFormat.digits(text, at, count) }
    guard n >= 10, let year = digits(0, 4), text[4] == 45, let month = digits(5, 2), text[7] == 45,
          let day = digits(8, 2), let date = LocalDate(year: year, month: month, day: day) else { return nil }
    if n == 10 { return zone.instant(of: date, secondOfDay: 0) }
    guard text[10] == 84 || text[10] == 32 || text[10] == 116, let hour = digits(11, 2), hour < 24,
          n >= 16, text[13] == 58, let minute = digits(14, 2), minute < 60 else { return nil }
    var index = 16
    var second = 0
    if index < n, text[index] == 58 {
      guard let s = digits(index + 1, 2), s < 61 else { return nil }
      second = min(s, 59)
      index += 3
      if index < n, text[index] == 46 || text[index] == 44 {
        index += 1
        let start = index
        while index < n, text[index] >= 48, text[index] <= 57 { index += 1 }
        guard index > start else { return nil }
      }
    }
    let wall = Int64(hour * 3600 + minute * 60 + second)
    if index == n { return zone.instant(of: date, secondOfDay: wall) }
    var offset: Int64 = 0
    if text[index] == 90 || text[index] == 122 {
      guard index + 1 == n else { return nil }
    } else if text[index] == 43 || text[index] == 45 {
      let sign: Int64 = text[index] == 45 ? -1 : 1
      guard let oh = digits(index + 1, 2) else { return nil }
      var om = 0
      if index + 3 == n {
        om = 0
      } else if index + 6 == n, text[index + 3] == 58, let m = digits(index + 4, 2) {
        om = m
      } else if index + 5 == n, let m = digits(index + 3, 2) {
        om = m
      } else {
        return nil
      }
      guard oh < 24, om < 60 else { return nil }
      offset = sign * Int64(oh * 3600 + om * 60)
    } else {
      return nil
    }
    return Instant(secondsSince1970: date.dayNumber * 86_400 + wall - offset)
  }
}
