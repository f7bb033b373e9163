import Foundation
import PerkTestSupport
import Testing

/// `hold N days not counting the earning day` in `perk sim` (rules/held-points.perk): bought
/// 2026-03-18, the 30 points are released on 2026-04-02 (not 2026-04-01, which the month-end
/// snapshot of March would include), so March closes with none spendable.
@Suite struct HoldCountingCommandTests {
  static let root = PerkExecutable.repositoryRoot()

  func csv(_ program: String) throws -> String {
    let result = try PerkExecutable.run(arguments: ["sim", program, "--history", "Tests/SimulatorFixtures/held.csv", "--threads", "1",
                                                    "--format", "csv"], currentDirectory: Self.root)
    #expect(result.exitCode == 0, "\(result.stderr)")
    return result.stdout
  }

  static let header = "month,revenue,transactions,active_customers,known_customers,cost,cost_points,"
    + "points_opening,points_issued,points_redeemed,points_expired,points_taken_back,points_closing\n"

  @Test func notCountingTheEarningDayReleasesADayLaterInTheSimulator() throws {
    #expect(try csv("rules/held-points.perk") == Self.header + """
      2026-03,30.00,1,1,1,0.30,0.30,0,0,0,0,0,0
      2026-04,5.00,1,1,1,0.05,0.05,0,30,0,0,0,30

      """)
  }

  @Test func theDefaultCountsTheEarningDay() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perk-hold-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let text = try String(contentsOf: Self.root.appendingPathComponent("rules/held-points.perk"), encoding: .utf8)
    let program = dir.appendingPathComponent("default.perk")
    try Data(text.replacingOccurrences(of: "hold 14 days not counting the earning day", with: "hold 14 days counting the earning day").utf8)
      .write(to: program)
    #expect(try csv(program.path) == Self.header + """
      2026-03,30.00,1,1,1,0.30,0.30,0,30,0,0,0,30
      2026-04,5.00,1,1,1,0.05,0.05,30,0,0,0,0,30

      """)
  }
}
