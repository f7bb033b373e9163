import Foundation
import PerkTestSupport
import Testing

/// `perk sim` on the programs that state a deal's selection and a rule's earning basis: the
/// simulator evaluates them as `perk test` does, returns included.
@Suite struct PolicySimTests {
  static let root = PerkExecutable.repositoryRoot()

  static func sim(_ program: String, history rows: String) throws -> [String: Any] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perk-policy-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let history = dir.appendingPathComponent("history.csv").path
    try Data(("customer,txn,time,sku,category,qty,unit_price,type,orig_txn\n" + rows).utf8).write(to: URL(fileURLWithPath: history))
    let result = try PerkExecutable.run(arguments: ["sim", program, "--history", history, "--threads", "1", "--format", "json"],
                                        currentDirectory: root)
    try #require(result.exitCode == 0, "\(result.stderr)")
    return try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  static func points(_ report: [String: Any]) -> [String: Int] {
    ((report["points"] as? [String: Any])?["points"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
  }

  @Test func earningBeforeDiscountsWithAReturn() throws {
    let report = try Self.sim("rules/record-shop-points-before-discounts.perk", history: """
      alice,T1,2026-05-04T12:00,blue,cds,1,15.00,,
      alice,T1,2026-05-04T12:00,kind,cds,1,12.00,,
      alice,T1,2026-05-04T12:00,brew,cds,1,10.00,,
      alice,T1,2026-05-04T12:00,abbey,vinyl,1,30.00,,
      alice,R1,2026-05-05T12:00,blue,cds,-1,15.00,return,T1

      """)
    // 67 + 15 + 5 on $67.00 recorded / $54.00 paid; the kept basket earns 52 + 10 + 4.
    let points = Self.points(report)
    #expect(points["issued"] == 87)
    #expect(points["taken_back"] == 21)
    #expect(points["outstanding"] == 66)
    #expect((report["totals"] as? [String: Any])?["refunds_minor"] as? Int == 500)
    #expect(report["cost_by_rule"] as? [String: Int] == ["cd deal": 0, "cd points": 10, "member bonus": 4, "receipt points": 52,
                                                          "vinyl sale": 300])
  }

  @Test func cheapestAcrossTheBasketWithAReturn() throws {
    let report = try Self.sim("rules/snacks-cheapest-across-basket.perk", history: """
      alice,T1,2026-03-02T10:00,a,snacks,1,5.00,,
      alice,T1,2026-03-02T10:00,b,snacks,1,4.00,,
      alice,T1,2026-03-02T10:00,c,snacks,1,3.00,,
      alice,T1,2026-03-02T10:00,d,snacks,1,2.00,,
      alice,T1,2026-03-02T10:00,e,snacks,2,1.00,,
      alice,R1,2026-03-03T10:00,d,snacks,-1,2.00,return,T1

      """)
    // Both $1 units free ($14.00 paid, 14 points); the kept five units free one: $13.00, 13 points.
    let points = Self.points(report)
    #expect(points["issued"] == 14)
    #expect(points["outstanding"] == 13)
    #expect((report["totals"] as? [String: Any])?["refunds_minor"] as? Int == 100)
    #expect(report["cost_by_rule"] as? [String: Int] == ["base earn": 13, "snacks buy 3 pay 2": 100])
  }
}
