import Testing
@testable import PerkRuntime

private let dollars2 = Currency.named("USD")!

private func bonusProgram(_ period: LimitSpec.Period, count: Int64 = 1) -> Program {
  Program(
    name: "Limits", currency: dollars2, timeZone: ProgramTimeZone(identifier: "America/New_York")!,
    points: [PointsSpec(name: "stars", worthMinor: ExactDecimal(significand: 1, scale: 0), rounding: .down)],
    tiers: nil, cards: [],
    rules: [RuleSpec(name: "bonus", location: nil, trigger: .purchase, condition: nil,
                     effects: [.earn(rate: ExactDecimal(significand: 10, scale: 0), currency: 0, basis: .flat)],
                     limits: [LimitSpec(count: count, period: period)], replaces: nil)],
    rewards: [], filters: [], windows: [])
}

/// Bonus points awarded by a run of purchases at the given local dates (noon, New York winter).
private func bonuses(_ program: Program, _ dates: [(Int, Int, Int)]) throws -> [Int64] {
  var state = AccountState()
  var result: [Int64] = []
  for (index, (y, m, d)) in dates.enumerated() {
    let time = Instant(secondsSince1970: LocalDate(year: y, month: m, day: d)!.dayNumber * 86_400 + 17 * 3600)
    let outcome = try program.evaluate(
      Event(kind: .purchase, id: "T\(index)", time: time,
            lines: [LineItem(sku: "a", category: "c", quantity: 1, unitPrice: Money(minorUnits: 100, currency: dollars2))]),
      customer: Customer(id: "x"), state: state)
    result.append(outcome.earned["stars", default: 0])
    state = outcome.state
  }
  return result
}

@Test func oncePerIsoWeekStartsOnMonday() throws {
  // Sat 2026-01-03, Sun 2026-01-04 (same ISO week), Mon 2026-01-05 (new week).
  #expect(try bonuses(bonusProgram(.calendar(.week)), [(2026, 1, 3), (2026, 1, 4), (2026, 1, 5)]) == [10, 0, 10])
}

@Test func oncePerCalendarMonthAndDay() throws {
  #expect(try bonuses(bonusProgram(.calendar(.month)), [(2026, 1, 31), (2026, 1, 31), (2026, 2, 1)]) == [10, 0, 10])
  #expect(try bonuses(bonusProgram(.calendar(.day)), [(2026, 1, 31), (2026, 1, 31), (2026, 2, 1)]) == [10, 0, 10])
}

@Test func twiceEverMeansTwiceInTotal() throws {
  #expect(try bonuses(bonusProgram(.ever, count: 2), [(2025, 1, 1), (2026, 1, 1), (2027, 1, 1)]) == [10, 10, 0])
}

@Test func rollingDaysCountFromEarlierAwards() throws {
  // 2026-01-01 then 7 days: 2026-01-07 is within 7 days (inclusive window of 7 local days), 2026-01-08 is not.
  #expect(try bonuses(bonusProgram(.rollingDays(7)), [(2026, 1, 1), (2026, 1, 7), (2026, 1, 8)]) == [10, 0, 10])
}

@Test func invalidBasketsAreErrorsWithMessages() {
  let program = bonusProgram(.ever)
  func message(_ line: LineItem) -> String {
    do {
      _ = try program.evaluate(Event(kind: .purchase, id: "E", time: Instant(secondsSince1970: 1_772_000_000), lines: [line]),
                               customer: Customer(id: "x"), state: AccountState())
      return "no error"
    } catch { return error.message }
  }
  #expect(message(LineItem(sku: "a", category: "c", quantity: 1, unitPrice: Money(minorUnits: 100, currency: Currency.named("EUR")!)))
          == "line `a` is priced in EUR but the program uses USD")
  #expect(message(LineItem(sku: "a", category: "c", quantity: 0, unitPrice: Money(minorUnits: 100, currency: dollars2)))
          == "line `a` has quantity 0; a purchase needs positive quantities")
  #expect(message(LineItem(sku: "a", category: "c", quantity: 1, unitPrice: Money(minorUnits: -100, currency: dollars2)))
          == "line `a` has a negative price -$1.00; refunds are not purchases")
}
