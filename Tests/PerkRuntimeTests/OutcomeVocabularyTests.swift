import Foundation
import Perk
import PerkTestSupport
import Testing

@testable import PerkRuntime

/// What issue 19 found missing from the outcome: the tier a purchase earned at, an expiry's
/// date, and a time with seconds and offset (docs/interchange.md#one-vocabulary).
@Suite struct OutcomeVocabularyTests {
  static let cafe = StrictInterchangeTests.cafe

  func object(_ output: JSONOutput) -> [String: JSONOutput] {
    if case .object(let members) = output { return members }
    return [:]
  }

  /// The purchase that lifts alice to gold earned at green: `tier_before` says so, `tier` is the new one.
  @Test func aPurchaseSaysTheTierItEarnedAt() throws {
    let program = Self.cafe
    let customer = Customer(id: "alice", signupDate: LocalDate(iso: "2026-01-10"))
    let grinder = LineItem(sku: "grinder", category: "retail", quantity: 1, unitPrice: Money(minorUnits: 50_000, currency: program.currency))
    let time = program.timeZone.instant(of: LocalDate(iso: "2026-02-01")!, secondOfDay: 10 * 3600)
    let event = Event(kind: .purchase, id: "T1", time: time, lines: [grinder])
    let outcome = try program.evaluate(event, customer: customer, state: AccountState())
    let json = object(program.outcomeJSON(outcome, for: event))
    #expect(json["tier_before"] == .string("green"))
    #expect(json["tier"] == .string("gold"))
    #expect(json["time"] == .string("2026-02-01T10:00:00-05:00"))
    #expect(json["type"] == .string("purchase"))
    #expect(json["txn"] == .string("T1"))
    #expect(json["paid_minor"] == .integer(50_000))
    #expect(json["money_currency"] == .string("USD"))
    #expect(json["format"] == .string("perk.outcome/2"))
    guard case .array(let awards)? = json["awards"] else { Issue.record("no awards"); return }
    #expect(awards.map { object($0)["kind"] } == [.string("points"), .string("tier_change")])
    #expect(object(awards[1])["from"] == .string("green"))
    #expect(object(awards[1])["to"] == .string("gold"))
  }

  /// Expired points carry the first day they were gone, as the lot's `expires_on` and the till's `next_expiry` do.
  @Test func anExpiryCarriesItsDate() throws {
    var till = Till(pointsProgram())
    try till.buy("T1", "2026-03-15", [till.line("jacket", "clothes", cents: 12_050)])
    let day = try till.advance("2027-04-01")
    #expect(day.awards.map(\.kind) == [.expired(currency: "stars", amount: 120, date: LocalDate(iso: "2027-04-01")!)])
    let award = object(day.awards[0].json)
    #expect(award["date"] == .string("2027-04-01"))
    #expect(award["points"] == .integer(120))
    #expect(award["rule"] == .string("stars"))
  }

  @Test func timesAreRFC3339LocalWithSecondsAndOffset() throws {
    let newYork = try #require(ProgramTimeZone(identifier: "America/New_York"))
    let kolkata = try #require(ProgramTimeZone(identifier: "Asia/Kolkata"))
    let utc = try #require(ProgramTimeZone(identifier: "UTC"))
    // 2026-07-01T12:34:56Z: daylight saving time in New York.
    let summer = Instant(secondsSince1970: LocalDate(iso: "2026-07-01")!.dayNumber * 86_400 + 12 * 3600 + 34 * 60 + 56)
    #expect(newYork.rfc3339(summer) == "2026-07-01T08:34:56-04:00")
    #expect(kolkata.rfc3339(summer) == "2026-07-01T18:04:56+05:30")
    #expect(utc.rfc3339(summer) == "2026-07-01T12:34:56Z")
    // Just after midnight UTC is the evening before in New York (standard time).
    let winter = Instant(secondsSince1970: LocalDate(iso: "2026-01-01")!.dayNumber * 86_400 + 7)
    #expect(newYork.rfc3339(winter) == "2025-12-31T19:00:07-05:00")
    // Before 1970.
    let old = Instant(secondsSince1970: LocalDate(iso: "1960-02-29")!.dayNumber * 86_400 + 23 * 3600 + 59 * 60 + 59)
    #expect(utc.rfc3339(old) == "1960-02-29T23:59:59Z")
  }
}
