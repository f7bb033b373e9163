import Testing

@testable import PerkRuntime

/// The one-pass readings a history's reader uses (plain decimal amounts, local times within a
/// stretch of one UTC offset) give exactly the general readings' answers, and leave to the
/// general reading everything it refuses or reads another way.
@Suite struct OnePassReadingTests {
  static let usd = Currency.named("USD")!
  static let jpy = Currency.named("JPY")!
  static let kwd = Currency.named("KWD")!
  /// Four decimals: where `4.500` is ambiguous though it has three.
  static let fourDecimals = Currency(code: "XTS", symbol: "¤", minorDigits: 4)

  static func plain(_ text: String, _ currency: Currency, _ mark: DecimalMark = .point) -> Int64? {
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBufferPointer {
      MoneyText.plainDecimal(UnsafeBufferPointer($0), minorDigits: currency.minorDigits, mark: mark)
    }
  }

  static func general(_ text: String, _ currency: Currency, _ mark: DecimalMark) -> Result<Int64, MoneyProblem> {
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBufferPointer { MoneyText.parseInGeneral(UnsafeBufferPointer($0), currency: currency, mark: mark) }
  }

  static func check(_ text: String) {
    for currency in [usd, jpy, kwd, fourDecimals] {
      for mark in [DecimalMark.point, .comma] {
        let general = general(text, currency, mark)
        #expect(MoneyText.parse(text, currency: currency, mark: mark) == general, "`\(text)` in \(currency.code)")
        if let fast = plain(text, currency, mark) {
          #expect(general == .success(fast), "`\(text)` in \(currency.code), \(mark)")
        }
      }
    }
  }

  @Test func plainDecimalsReadAsTheGeneralWayReadsThem() {
    let texts = [
      "", "0", "7", "007", "12", "11.99", "4.5", "4.50", "4.500", "4.505", "0.50", "00.00", "0.0", ".50", "12.", "4,5", "4,50",
      "4,500", "1,234", "1,234.50", "1.234,50", "1.234.567", "-4.50", "$4.50", "USD 4.50", " 4.50", "4.50 ", "4.50\t", "1e3",
      "4..5", "4.5.6", "4 .50", "0.001", "12.345", "12.3456", "12.34567", "\u{663}", "4.5\u{0}", "４.50",
      "99999999999999999", "999999999999999999", "9999999999999999999", "9223372036854775807", "92233720368547758.07",
      "9999999999999999.99", "99999999999999999.99", "999999999999999.999", "9999999999999.9999", "18446744073709551616",
    ]
    for text in texts { Self.check(text) }
    // Seeded texts of digits, marks, signs and spaces.
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    let alphabet = Array("0123456789.,-$ ".utf8)
    for _ in 0..<3_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let length = Int(state >> 60)
      var text: [UInt8] = []
      for k in 0..<length { text.append(alphabet[Int((state >> UInt64(4 * (k % 14))) & 0xF) % alphabet.count]) }
      Self.check(String(decoding: text, as: UTF8.self))
    }
  }

  @Test func plainDecimalsTakeTheCommonShapes() {
    #expect(Self.plain("11.99", Self.usd) == 1199)
    #expect(Self.plain("4.5", Self.usd) == 450)
    #expect(Self.plain("007", Self.usd) == 700)
    #expect(Self.plain("4,5", Self.usd, .comma) == 450)
    #expect(Self.plain("4,5", Self.usd) == nil)
    #expect(Self.plain("12", Self.jpy) == 12)
    #expect(Self.plain("12.5", Self.jpy) == nil)
    #expect(Self.plain("4.500", Self.kwd) == 4500)
    #expect(Self.plain("4.500", Self.usd) == nil)
    #expect(Self.plain("4.500", Self.fourDecimals) == nil)
    #expect(Self.plain("4.50", Self.fourDecimals) == 45_000)
    #expect(Self.plain("999999999999999999", Self.jpy) == 999_999_999_999_999_999)
    #expect(Self.plain("9999999999999999999", Self.jpy) == nil)
    #expect(Self.plain("9999999999999999.99", Self.usd) == 999_999_999_999_999_999)
    #expect(Self.plain("-4.50", Self.usd) == nil)
  }

  @Test(arguments: ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC", "Pacific/Apia", "America/Sao_Paulo"])
  func wallClockSpansGiveTheInstantsOfLocalTimes(identifier: String) throws {
    let zone = try #require(ProgramTimeZone(identifier: identifier))
    let first = try #require(LocalDate(year: 2009, month: 12, day: 25)).dayNumber
    let last = try #require(LocalDate(year: 2031, month: 1, day: 5)).dayNumber
    var spans = 0
    for day in first...last {
      for second: Int64 in [0, 1800, 3600, 5400, 7200, 9000, 10_800, 43_200, 86_399] {
        let wall = day * 86_400 + second
        guard let span = zone.wallClockSpan(around: wall) else { continue }
        spans += 1
        #expect(span.walls.contains(wall))
        for probe in [span.walls.lowerBound, span.walls.upperBound - 1, wall] {
          let instant = zone.instant(of: LocalDate(dayNumber: TimeFormatDay.floor(probe)), secondOfDay: probe - TimeFormatDay.floor(probe) * 86_400)
          #expect(instant.secondsSince1970 == probe - span.offset, "\(identifier) at wall \(probe)")
        }
      }
    }
    #expect(spans > 60_000)
    #expect(zone.wallClockSpan(around: -86_400 * 400) == nil)
    #expect(zone.wallClockSpan(around: 4_102_444_800 + 86_400 * 400) == nil)
  }
}

/// Day numbers of wall-clock seconds, rounding down before 1970.
enum TimeFormatDay {
  static func floor(_ seconds: Int64) -> Int64 { seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400) }
}
