import Foundation
import PerkTestSupport
import Testing

/// A rule's own rounding reaches every evaluation form: `perk eval` and `perk sim` award the
/// same 38 points for 37.5 (P3's fragrance rule rounds half up; the currency rounds down).
@Test func evalAndSimRoundAFragrancePurchaseHalfUp() throws {
  let root = PerkExecutable.repositoryRoot()
  let scratch = try ScratchDirectory("perk-rounding")
  try #"{"type": "purchase", "id": "t1", "time": "2026-03-02T10:00:00-08:00", "lines": [{"sku": "perfume", "category": "fragrance", "qty": 1, "unit_price": "25.00"}]}"#
    .write(toFile: scratch.path("event.json"), atomically: true, encoding: .utf8)
  try "customer,txn,time,sku,category,qty,unit_price,type,orig_txn\na,t1,2026-03-02T10:00:00,perfume,fragrance,1,25.00,,\n"
    .write(toFile: scratch.path("history.csv"), atomically: true, encoding: .utf8)

  let eval = try PerkExecutable.run(arguments: ["eval", "rules/p3-fashion-tiers.perk", "--event", scratch.path("event.json")],
                                    currentDirectory: root)
  #expect(eval.exitCode == 0)
  #expect(eval.stdout.contains(#""explanation": "$25.00 spent × 3 club points per $2.00 = 37.5 → 38 club points (round half up)""#))
  #expect(eval.stdout.contains(#""club points": 38"#))

  let sim = try PerkExecutable.run(arguments: ["sim", "rules/p3-fashion-tiers.perk", "--history", scratch.path("history.csv"),
                                               "--format", "json", "--threads", "1"], currentDirectory: root)
  #expect(sim.exitCode == 0)
  #expect(sim.stdout.contains(#""issued": 38"#))
  #expect(sim.stdout.contains(#""fragrance points": 38"#))
}
