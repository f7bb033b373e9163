import Testing
import Foundation
@testable import PerkRuntime

@Test func civilDates() {
  #expect(LocalDate(dayNumber: 0).description == "1970-01-01")
  #expect(LocalDate(year: 2024, month: 2, day: 29)?.description == "2024-02-29")
  #expect(LocalDate(year: 2026, month: 2, day: 29) == nil)
  #expect(LocalDate(year: 2000, month: 2, day: 29) != nil)
  #expect(LocalDate(year: 1900, month: 2, day: 29) == nil)
  #expect(LocalDate(year: 1969, month: 12, day: 31)?.dayNumber == -1)
  #expect(LocalDate(year: 2026, month: 3, day: 8)?.weekday == 7)
  #expect(LocalDate(year: 2026, month: 11, day: 3)?.weekday == 2)
  #expect(LocalDate(year: 2024, month: 1, day: 31)?.adding(months: 1).description == "2024-02-29")
  #expect(LocalDate(year: 2025, month: 3, day: 31)?.adding(months: -1).description == "2025-02-28")
  #expect(LocalDate(year: 2026, month: 11, day: 5)?.startOfWeek.description == "2026-11-02")
  #expect(LocalDate(year: 2026, month: 11, day: 5)?.startOfMonth.description == "2026-11-01")
  #expect(LocalDate(year: 2026, month: 11, day: 5)?.startOfYear.description == "2026-01-01")
}

@Test func newYorkAcrossDaylightSaving() throws {
  let zone = try #require(ProgramTimeZone(identifier: "America/New_York"))
  // 2026-03-08 06:59:59Z = 01:59:59 EST; 07:00:00Z = 03:00:00 EDT.
  let before = zone.localTime(of: Instant(secondsSince1970: 1_772_953_199))
  #expect(before.date.description == "2026-03-08")
  #expect(before.minuteOfDay == 119)
  let after = zone.localTime(of: Instant(secondsSince1970: 1_772_953_200))
  #expect(after.minuteOfDay == 180)
  // 2026-11-01 05:59:59Z = 01:59:59 EDT; 06:00:00Z = 01:00:00 EST.
  let lastEDT = zone.localTime(of: Instant(secondsSince1970: 1_793_512_799))
  #expect(lastEDT.minuteOfDay == 119)
  let firstEST = zone.localTime(of: Instant(secondsSince1970: 1_793_512_800))
  #expect(firstEST.date.description == "2026-11-01")
  #expect(firstEST.minuteOfDay == 60)
  // 23:30 local on a Tuesday is still Tuesday though it is Wednesday in UTC.
  let late = zone.localTime(of: Instant(secondsSince1970: 1_794_371_400))
  #expect(late.date.description == "2026-11-10")
  #expect(late.minuteOfDay == 23 * 60 + 30)
  #expect(ProgramTimeZone(identifier: "Mars/Olympus") == nil)
}

/// The cached transition table must agree with Foundation at every hour (and around each change).
@Test(arguments: ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo", "UTC"])
func cachedOffsetsMatchFoundation(identifier: String) throws {
  let zone = try #require(ProgramTimeZone(identifier: identifier))
  // Foundation's zone database is only asked through ProgramTimeZone's lock: ICU is not
  // safe to query from the parallel tests at once.
  func foundation(_ probe: Int64) -> Int64? { ProgramTimeZone.databaseOffset(identifier, at: probe) }
  var seconds: Int64 = 1_735_689_600  // 2025-01-01
  while seconds < 1_830_297_600 {  // 2028-01-01
    for probe in [seconds, seconds + 1799, seconds + 3599] {
      let expected = foundation(probe)
      #expect(zone.offset(at: probe) == expected, "\(identifier) at \(probe)")
      if zone.offset(at: probe) != expected { return }
    }
    seconds += 3600
  }
  #expect(zone.offset(at: 5_000_000_000) == foundation(5_000_000_000))
}

@Test func buildingAZoneIsCheap() throws {
  let clock = ContinuousClock()
  let elapsed = try clock.measure { for _ in 0..<10 { _ = try #require(ProgramTimeZone(identifier: "America/New_York")) } }
  #expect(elapsed < .seconds(2))
}

/// The date as text, padded as it always was (the years 0–9999 are written byte by byte).
@Test func dateTextMatchesThePaddedForm() {
  func padded(_ date: LocalDate) -> String {
    let (y, m, d) = date.components
    func pad(_ v: Int, _ width: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
  }
  // Every day of the years around both ends of the written range, and of the years in use.
  var differing: [String] = []
  for (from, to) in [(-3, 20), (1_899, 2_101), (9_990, 10_003)] {
    for day in LocalDate(year: from, month: 1, day: 1)!.dayNumber...LocalDate(year: to, month: 12, day: 31)!.dayNumber {
      let date = LocalDate(dayNumber: day)
      if date.description != padded(date) { differing.append(padded(date)) }
    }
  }
  #expect(differing.isEmpty)
  #expect(LocalDate(year: 0, month: 1, day: 1)?.description == "0000-01-01")
  #expect(LocalDate(year: 9_999, month: 12, day: 31)?.description == "9999-12-31")
  #expect(LocalDate(year: 10_000, month: 1, day: 1)?.description == "10000-01-01")
  #expect(LocalDate(year: 7, month: 3, day: 9)?.description == "0007-03-09")
}
