import Testing

@testable import PerkRuntime

@Test func civilDatesRoundTrip() {
  for day in stride(from: Int64(-800_000), to: 800_000, by: 997) {
    let date = LocalDate(dayNumber: day)
    let (y, m, d) = date.components
    #expect(LocalDate(year: y, month: m, day: d) == date)
  }
  #expect(LocalDate(year: 1970, month: 1, day: 1)?.dayNumber == 0)
  #expect(LocalDate(year: 1970, month: 1, day: 1)?.weekday == 4)
  #expect(LocalDate(iso: "2026-11-24")?.weekday == 2)
}

@Test func leapYears() {
  #expect(LocalDate(year: 2028, month: 2, day: 29) != nil)
  #expect(LocalDate(year: 2027, month: 2, day: 29) == nil)
  #expect(LocalDate(year: 2100, month: 2, day: 29) == nil)
  #expect(LocalDate(year: 2000, month: 2, day: 29) != nil)
  #expect(LocalDate(iso: "2028-02-29")!.adding(months: 12).description == "2029-02-28")
  #expect(LocalDate(iso: "2026-01-31")!.adding(months: 1).description == "2026-02-28")
  #expect(LocalDate(iso: "2026-03-31")!.adding(months: -13).description == "2025-02-28")
}

@Test func periodStarts() {
  let date = LocalDate(iso: "2026-11-26")!  // a Thursday
  #expect(date.startOfWeek.description == "2026-11-23")
  #expect(date.startOfMonth.description == "2026-11-01")
  #expect(date.startOfYear.description == "2026-01-01")
}

@Test func localTimeAcrossDaylightSavingChanges() {
  let zone = ProgramTimeZone(identifier: "America/New_York")!
  // 2026-03-08 07:30Z is 03:30 EDT (after the spring-forward at 02:00 EST).
  let spring = zone.localTime(of: Instant(secondsSince1970: LocalDate(iso: "2026-03-08")!.dayNumber * 86_400 + 7 * 3600 + 1800))
  #expect(spring.date.description == "2026-03-08" && spring.minuteOfDay == 3 * 60 + 30)
  // 2026-03-08 06:30Z is 01:30 EST.
  let before = zone.localTime(of: Instant(secondsSince1970: LocalDate(iso: "2026-03-08")!.dayNumber * 86_400 + 6 * 3600 + 1800))
  #expect(before.minuteOfDay == 90)
  // 2026-11-01 04:30Z is 00:30 EDT; 05:30Z is 01:30 EDT; 06:30Z is 01:30 EST.
  let fall = LocalDate(iso: "2026-11-01")!.dayNumber * 86_400
  #expect(zone.localTime(of: Instant(secondsSince1970: fall + 4 * 3600 + 1800)).minuteOfDay == 30)
  #expect(zone.localTime(of: Instant(secondsSince1970: fall + 6 * 3600 + 1800)).minuteOfDay == 90)
  // Late evening in New York is still the previous UTC day's local date.
  let lateEvening = zone.localTime(of: Instant(secondsSince1970: LocalDate(iso: "2026-11-25")!.dayNumber * 86_400 + 3 * 3600))
  #expect(lateEvening.date.description == "2026-11-24" && lateEvening.minuteOfDay == 22 * 60)
  // Local wall time to instant and back.
  let instant = zone.instant(of: LocalDate(iso: "2026-07-04")!, secondOfDay: 9 * 3600)
  #expect(zone.localTime(of: instant).minuteOfDay == 540)
  #expect(ProgramTimeZone(identifier: "Mars/Olympus") == nil)
}

/// The fast civil-from-days conversion agrees with the general one on every day of ±2,700
/// years around 1970, at both ends of its range, on seeded random days inside it, and the
/// general one takes over outside it.
@Test func fastCivilFromDaysAgreesWithTheGeneralOne() {
  func agree(_ day: Int64) -> Bool { LocalDate.fastComponents(day) == LocalDate.generalComponents(day) }
  func check(_ day: Int64) { #expect(agree(day), "day \(day)") }
  var mismatches: [Int64] = []
  for day in Int64(-1_000_000)...1_000_000 where !agree(day) { mismatches.append(day) }
  #expect(mismatches.isEmpty)
  for edge in [LocalDate.fastRange.lowerBound, LocalDate.fastRange.upperBound] {
    for day in (edge - 1_000)...(edge + 1_000) { check(day) }
  }
  var random = SplitMix(state: 17)
  let width = LocalDate.fastRange.upperBound - LocalDate.fastRange.lowerBound + 1
  for _ in 0..<100_000 { check(LocalDate.fastRange.lowerBound + random.next(width)) }
  // Known dates, through the public API, inside and outside the fast range.
  func components(_ y: Int, _ m: Int, _ d: Int) -> [Int] { let c = LocalDate(year: y, month: m, day: d)!.components; return [c.year, c.month, c.day] }
  #expect(components(2028, 2, 29) == [2028, 2, 29])
  #expect(components(1600, 3, 1) == [1600, 3, 1])
  #expect(components(-5000, 12, 31) == [-5000, 12, 31])
  #expect(components(40000, 1, 1) == [40000, 1, 1])
  #expect(!LocalDate.fastRange.contains(LocalDate(year: 40000, month: 1, day: 1)!.dayNumber))
}
