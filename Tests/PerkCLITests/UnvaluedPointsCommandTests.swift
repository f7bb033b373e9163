import Foundation
import PerkTestSupport
import Testing

/// Points without a `worth` (rules/points-without-worth.perk): they check, evaluate and
/// simulate, and every output counts them and says their money value is unknown.
@Suite struct UnvaluedPointsCommandTests {
  static let root = PerkExecutable.repositoryRoot()
  static let program = "rules/points-without-worth.perk"
  static let history = "Tests/SimulatorFixtures/no-worth.csv"

  func sim(_ extra: [String]) throws -> String {
    let result = try PerkExecutable.run(arguments: ["sim", Self.program, "--history", Self.history, "--threads", "1"] + extra,
                                        currentDirectory: Self.root)
    #expect(result.exitCode == 0, "\(result.stderr)")
    return result.stdout
  }

  @Test func aProgramWithoutWorthChecksCleanly() throws {
    let result = try PerkExecutable.run(arguments: ["check", "--strict", Self.program], currentDirectory: Self.root)
    #expect(result.exitCode == 0)
    #expect(result.stderr == "")
  }

  @Test func evalGivesUnvaluedPointsANullValue() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perk-unvalued-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let event = dir.appendingPathComponent("e.json").path
    try Data(#"{"type":"purchase","id":"T1","time":"2026-01-05T10:00:00Z","lines":[{"sku":"lamp","category":"home","qty":1,"unit_price":"30.00"}]}"#.utf8)
      .write(to: URL(fileURLWithPath: event))
    let result = try PerkExecutable.run(arguments: ["eval", Self.program, "--event", event], currentDirectory: Self.root)
    #expect(result.exitCode == 0, "\(result.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let awards = try #require(json["awards"] as? [[String: Any]])
    let values = awards.map { "\($0["currency"] ?? "") \($0["points"] ?? "") \($0["value_minor"].map { $0 is NSNull ? "null" : "\($0)" } ?? "-")" }
    #expect(values == ["stars 60 null", "stars 10 null", "credit 30 30"])
  }

  @Test func textReportCountsUnvaluedPointsOutsideTheMoneyTotals() throws {
    let out = try sim([])
    #expect(out.contains("""
        reward cost             $0.65
        cost share of revenue   1.00%
        modelled redemptions        0
        note: money totals exclude points of stars: no `worth` is stated, so their value is unknown

      """))
    #expect(out.contains("""
        Cost by kind                                   cost    share
        ----------------------------------------  ---------  -------
        points (at stated value)                      $0.65  100.00%
        points: stars (value unknown)             160 stars
        total (points of unknown value excluded)      $0.65  100.00%

        Cost by rule                       cost    share
        ------------  -------------------------  -------
        visit bonus                       $0.65  100.00%
        base earn     130 stars (value unknown)
        visit bonus    30 stars (value unknown)

      """))
    #expect(out.contains("""
        Points: stars (no worth stated: value unknown)  points          value
        ----------------------------------------------  ------  -------------
        issued                                             160  value unknown
        redeemed                                             0  value unknown
        expired                                              0  value unknown
        outstanding (liability)                            160  value unknown

      """))
    #expect(out.contains("  2026-02       70      90         0        0         0      160     value unknown\n"))
    // The valued currency is costed as before.
    #expect(out.contains("  issued                                   65  $0.65\n"))
  }

  @Test func csvReportSaysTheValueIsUnknown() throws {
    #expect(try sim(["--format", "csv"]) == """
      month,revenue,transactions,active_customers,known_customers,cost,cost_points,credit_opening,credit_issued,credit_redeemed,\
      credit_expired,credit_taken_back,credit_closing,stars_opening,stars_issued,stars_redeemed,stars_expired,stars_taken_back,\
      stars_closing,stars_value
      2026-01,30.00,1,1,1,0.30,0.30,0,30,0,0,0,30,0,70,0,0,0,70,unknown
      2026-02,35.00,2,2,2,0.35,0.35,30,35,0,0,0,65,70,90,0,0,0,160,unknown

      """)
  }

  @Test func jsonReportHasNullValuesAndCountsByRule() throws {
    let json = try #require(try JSONSerialization.jsonObject(with: Data(try sim(["--format", "json"]).utf8)) as? [String: Any])
    let points = try #require(json["points"] as? [String: [String: Any]])
    #expect(points["stars"]?["worth_known"] as? Bool == false)
    #expect(points["stars"]?["outstanding_value_minor"] is NSNull)
    #expect(points["stars"]?["deferred_revenue_minor"] is NSNull)
    #expect(points["stars"]?["issued"] as? Int == 160)
    #expect(points["credit"]?["worth_known"] as? Bool == true)
    #expect(points["credit"]?["outstanding_value_minor"] as? Int == 65)
    #expect(json["points_of_unknown_value"] as? [String] == ["stars"])
    #expect(json["unvalued_points_by_rule"] as? [String: [String: Int]] == ["base earn": ["stars": 130], "visit bonus": ["stars": 30]])
    #expect(json["cost_by_kind"] as? [String: Int] == ["points": 65])
    #expect(json["cost_by_rule"] as? [String: Int] == ["visit bonus": 65])
    #expect((json["totals"] as? [String: Any])?["cost_minor"] as? Int == 65)
    let months = try #require(json["months"] as? [[String: Any]])
    let monthly = months.compactMap { ($0["points"] as? [String: [String: Any]])?["stars"]?["deferred_revenue_minor"] }
    #expect(monthly.count == 2 && monthly.allSatisfy { $0 is NSNull })
  }

  @Test func htmlReportSaysTheValueIsUnknown() throws {
    let html = try sim(["--format", "html"])
    #expect(html.contains("<td>note</td><td>money totals exclude points of stars: no `worth` is stated, so their value is unknown</td>"))
    #expect(html.contains("<td>points: stars (value unknown)</td><td>160 stars</td>"))
    #expect(html.contains("<td>base earn</td><td>130 stars (value unknown)</td>"))
    #expect(html.contains("<td>outstanding (liability)</td><td>160</td><td>value unknown</td>"))
  }

  @Test func traceGivesUnvaluedPointsANullCost() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perk-unvalued-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let trace = dir.appendingPathComponent("trace.jsonl").path
    _ = try sim(["--trace", trace])
    let first = try #require(try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").first)
    let line = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
    let awards = try #require(line["awards"] as? [[String: Any]])
    let costs = awards.map { "\($0["rule"] ?? "") \($0["cost_minor"].map { $0 is NSNull ? "null" : "\($0)" } ?? "-")" }
    #expect(costs == ["base earn null", "visit bonus null", "visit bonus 30"])
    #expect(awards.map { $0["value_minor"] is NSNull } == [true, true, false])
  }

  @Test func mergedShardsKeepTheUnvaluedCounts() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perk-unvalued-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    var paths: [String] = []
    for k in 1...2 {
      let path = dir.appendingPathComponent("s\(k).json").path
      _ = try sim(["--shard", "\(k)/2", "--format", "json", "--out", path])
      paths.append(path)
    }
    let merged = try PerkExecutable.run(arguments: ["sim", "merge"] + paths, currentDirectory: Self.root)
    #expect(merged.exitCode == 0, "\(merged.stderr)")
    #expect(merged.stdout.contains("  base earn     130 stars (value unknown)\n"))
    #expect(merged.stdout.contains("  visit bonus    30 stars (value unknown)\n"))
    #expect(merged.stdout.contains("  issued                                             160  value unknown\n"))
  }
}
