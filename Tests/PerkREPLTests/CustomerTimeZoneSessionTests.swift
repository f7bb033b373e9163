import Foundation
import Perk
import Testing
@testable import PerkREPL

/// `:customer NAME timezone Z` with a program that says `calendar in customer time zones`.
@Suite struct CustomerTimeZoneSessionTests {
  static func session() throws -> (Session, SessionTests.Disk) {
    let disk = SessionTests.Disk()
    disk.files["travel.perk"] = try String(contentsOf: SessionTests.root.appendingPathComponent("rules/travel-retailer-local-time.perk"),
                                           encoding: .utf8)
    var s = Session(style: ReplStyle(enabled: false), clock: Instant(secondsSince1970: 0), files: disk.access)
    _ = s.load(path: "travel.perk")
    // 04:30 on 1 April in London is 23:30 on 31 March in New York.
    _ = s.setStart("2026-04-01T04:30")
    return (s, disk)
  }

  @Test func anUnknownZoneIsALocatedErrorAndChangesNothing() throws {
    var (s, _) = try Self.session()
    _ = s.handle(":customer ana")
    let before = s.world
    #expect(s.handle(":customer ana timezone America/New_Yrok") == """
      error: unknown time zone `America/New_Yrok`
       --> <input>:1:24
        |
      1 | :customer ana timezone America/New_Yrok
        |                        ^^^^^^^^^^^^^^^^
        |
        = help: did you mean `America/New_York`?

      """)
    #expect(s.world == before)
    #expect(s.handle(":customer ana timezone").hasPrefix("error: `timezone` needs a time zone"))
  }

  @Test func theCustomersZoneAnswersTheCalendarAndIsSaved() throws {
    var (s, disk) = try Self.session()
    #expect(s.handle(":customer ana timezone America/New_York") == "new customer ana: timezone America/New_York (current)\n")
    let out = s.handle("buy guide @ 40 books")
    #expect(out.contains("  +10 miles  late flight\n"))
    _ = s.handle(":customer ben")
    #expect(!s.handle("buy guide @ 40 books").contains("late flight"))
    _ = s.handle(":save out.perk")
    let saved = disk.files["out.perk"] ?? ""
    #expect(saved.contains("\n  customer ana, timezone America/New_York\n"))
    #expect(saved.contains("\n  expect ana earns 10 miles from late flight\n"))
  }

  @Test func aProgramWithoutTheClauseSaysTheZoneIsIgnored() {
    let disk = SessionTests.Disk()
    var s = SessionTests.session(disk)
    #expect(s.handle(":customer ana timezone America/Chicago")
      == "new customer ana: timezone America/Chicago (ignored: the program answers in its own zone) (current)\n")
    _ = s.handle("buy latte @ 4.50 coffee")
    _ = s.handle(":save out.perk")
    // A test would refuse the zone (E0542): the saved customer has none.
    #expect(disk.files["out.perk"]?.contains("\n  customer ana\n") == true)
  }

  /// A starting tier is kept for 12 months from the customer's own day, whichever order
  /// `tier` and `timezone` are written in.
  @Test func aStartingTierIsKeptFromTheCustomersOwnDay() {
    let disk = SessionTests.Disk()
    disk.files["club.perk"] = """
      program "Club"
        currency GBP
        timezone Europe/London
        calendar in customer time zones

      points stars
        worth £0.01

      tiers by spend over last 12 months
        member  from £0
        gold    from £500
        keep for 12 months

      rule base
        on purchase
        earn 1 stars per £1 spent

      """
    var s = Session(style: ReplStyle(enabled: false), clock: Instant(secondsSince1970: 0), files: disk.access)
    _ = s.load(path: "club.perk")
    // 04:30 on 1 April in London is 23:30 on 31 March in New York.
    _ = s.setStart("2026-04-01T04:30")
    _ = s.handle(":customer ana tier gold timezone America/New_York")
    _ = s.handle(":customer ben tier gold")
    #expect(s.world.accounts["ana"]?.state.tierKeptUntil["gold"] == LocalDate(iso: "2027-03-31"))
    #expect(s.world.accounts["ben"]?.state.tierKeptUntil["gold"] == LocalDate(iso: "2027-04-01"))
  }
}
