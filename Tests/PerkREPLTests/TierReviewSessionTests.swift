import Foundation
import Perk
import Testing
@testable import PerkREPL

/// `:advance` runs a scheduled tier review like any period end and shows the change.
@Suite struct TierReviewSessionTests {
  @Test func advanceShowsTheQuarterlyReview() {
    let text = (try? String(contentsOf: SessionTests.root.appendingPathComponent("rules/status-quarterly-review.perk"),
                            encoding: .utf8)) ?? ""
    let disk = SessionTests.Disk()
    disk.files["p14.perk"] = text
    var s = Session(style: ReplStyle(enabled: false), clock: Instant(secondsSince1970: 0), files: disk.access)
    _ = s.load(path: "p14.perk")
    _ = s.setStart("2026-01-15T12:00")
    _ = s.handle(":customer dana")
    _ = s.handle("buy 1 tent @ 1000.00 camping")
    #expect(s.handle(":at 2027-03-31") == "clock 2027-03-31 Wed 12:00 America/Denver\n  no period end changed anything\n")
    #expect(s.handle(":advance 1 day") == "clock 2027-04-01 Thu 12:00 America/Denver\n  dana:\n    tier gold → silver  tiers\n")
    #expect(s.world.accounts["dana"]?.state.tier == "silver")
    #expect(!s.hadError)
  }
}

extension TierReviewSessionTests {
  /// Why the REPL still reports drops itself: a tier held only by a rolling window's spend (no
  /// keep clause) is lowered by the runtime at the next event, not at a period end, so `:advance`
  /// shows it from the account view. A keep date's end is the runtime's own period end, shown once.
  @Test func advanceShowsATierTheWindowNoLongerHolds() {
    let disk = SessionTests.Disk()
    disk.files["window.perk"] = """
      program "Window"
        currency USD
        timezone America/New_York

      tiers by spend over last 30 days
        green  from $0
        gold   from $500

      """
    var s = Session(style: ReplStyle(enabled: false), clock: Instant(secondsSince1970: 0), files: disk.access)
    _ = s.load(path: "window.perk")
    _ = s.setStart("2026-03-02T12:00")
    _ = s.handle(":customer dana")
    _ = s.handle("buy 1 tent @ 600.00 camping")
    #expect(s.world.accounts["dana"]?.state.tier == "gold")
    // 2026-03-31 is the last day of the window that holds the spend.
    #expect(s.handle(":at 2026-03-31") == "clock 2026-03-31 Tue 12:00 America/New_York\n  no period end changed anything\n")
    #expect(s.handle(":advance 1 day") == "clock 2026-04-01 Wed 12:00 America/New_York\n  dana:\n    tier gold → green  tiers\n")
    #expect(s.world.accounts["dana"]?.state.tier == "green")
    #expect(!s.hadError)
  }
}
