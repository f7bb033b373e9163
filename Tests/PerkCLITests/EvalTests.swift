import Foundation
import PerkTestSupport
import Testing

@Test func evalCafePurchasePrintsTheExactOutcome() throws {
  let root = PerkExecutable.repositoryRoot()
  let stateURL = FileManager.default.temporaryDirectory.appendingPathComponent("perk-state-\(UUID().uuidString).json")
  defer { try? FileManager.default.removeItem(at: stateURL) }
  let result = try PerkExecutable.run(
    arguments: [
      "eval", "rules/cafe.perk", "--event", "rules/examples/cafe-purchase.json",
      "--customer", "rules/examples/cafe-customer.json", "--out-state", stateURL.path,
    ],
    currentDirectory: root)
  #expect(result.exitCode == 0)
  #expect(result.stderr == "")
  Golden.assertMatches(actual: result.stdout, goldenPath: "Goldens/eval-cafe-purchase.json")

  // The same transaction again, from the written state, pays nothing.
  let again = try PerkExecutable.run(
    arguments: [
      "eval", "rules/cafe.perk", "--event", "-", "--customer", "rules/examples/cafe-customer.json",
      "--state", stateURL.path,
    ],
    stdin: try String(contentsOf: root.appendingPathComponent("rules/examples/cafe-purchase.json"), encoding: .utf8),
    currentDirectory: root)
  #expect(again.exitCode == 0)
  #expect(again.stdout.contains("\"duplicate\": true"))
  #expect(again.stdout.contains("\"awards\": []"))
}

/// A return through `perk eval`: each reversal under the rule that gave it, with why, and the
/// refund (the golden is the JSON a till reads).
@Test func evalReturnsThePurchaseFromTheWrittenState() throws {
  let root = PerkExecutable.repositoryRoot()
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("perk-eval-return-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  let bought = directory.appendingPathComponent("bought.json")
  let purchase = try PerkExecutable.run(
    arguments: ["eval", "rules/cafe.perk", "--event", "rules/examples/cafe-purchase.json",
                "--customer", "rules/examples/cafe-customer.json", "--out-state", bought.path],
    currentDirectory: root)
  #expect(purchase.exitCode == 0)
  let result = try PerkExecutable.run(
    arguments: ["eval", "rules/cafe.perk", "--event", "rules/examples/cafe-return.json",
                "--customer", "rules/examples/cafe-customer.json", "--state", bought.path],
    currentDirectory: root)
  #expect(result.exitCode == 0)
  #expect(result.stderr == "")
  Golden.assertMatches(actual: result.stdout, goldenPath: "Goldens/eval-cafe-return.json")
}

@Test func evalReportsABadEventFieldWithItsPosition() throws {
  let root = PerkExecutable.repositoryRoot()
  let result = try PerkExecutable.run(
    arguments: ["eval", "rules/cafe.perk", "--event", "-"],
    stdin: "{\"type\": \"purchase\", \"id\": \"t\", \"time\": \"yesterday\", \"lines\": []}",
    currentDirectory: root)
  #expect(result.exitCode == 1)
  #expect(result.stderr.hasPrefix("error: <stdin>:1:"))
}

@Test func demoRunsTheCafeExample() throws {
  let result = try PerkExecutable.run(arguments: ["demo"])
  #expect(result.exitCode == 0)
  #expect(result.stdout.hasPrefix("Bean & Leaf Rewards: 3 purchases for customer c-1001\n"))
  #expect(result.stdout.contains("\"duplicate\": true"))
}

@Test func evalReferralShowsTheReferrersHeldPoints() throws {
  let root = PerkExecutable.repositoryRoot()
  let result = try PerkExecutable.run(
    arguments: [
      "eval", "rules/p7-referral.perk", "--event", "rules/examples/p7-purchase.json",
      "--customer", "rules/examples/p7-customer.json",
    ],
    currentDirectory: root)
  #expect(result.exitCode == 0)
  #expect(result.stderr == "")
  Golden.assertMatches(actual: result.stdout, goldenPath: "Goldens/eval-p7-referral.json")
}

/// `perk eval` after a keep date with no advance in between: the event's own period ends lower
/// the stored tier first (the `tier_change` comes before the event's awards, from the period
/// end), and `--out-state` holds the lower tier.
@Test func evalAfterAKeepDateLowersTheTierAtThePeriodEnd() throws {
  let root = PerkExecutable.repositoryRoot()
  let scratch = try ScratchDirectory("perk-eval-keep")
  let grinder = #"{"type": "purchase", "id": "t-1", "time": "2026-11-03T12:00:00-05:00", "lines": [{"sku": "grinder", "category": "retail", "qty": 1, "unit_price": "600.00"}]}"#
  let latte = #"{"type": "purchase", "id": "t-2", "time": "2027-11-04T12:00:00-05:00", "lines": [{"sku": "latte", "category": "coffee", "qty": 1, "unit_price": "4.50"}]}"#
  try grinder.write(toFile: scratch.path("grinder.json"), atomically: true, encoding: .utf8)
  try latte.write(toFile: scratch.path("latte.json"), atomically: true, encoding: .utf8)
  let bought = try PerkExecutable.run(
    arguments: ["eval", "rules/cafe.perk", "--event", scratch.path("grinder.json"), "--out-state", scratch.path("gold.json")],
    currentDirectory: root)
  #expect(bought.exitCode == 0, "\(bought.stderr)")
  // The top-level tier: the purchase records name the tier they earned with too.
  func storedTier(_ name: String) throws -> String? {
    let object = try JSONSerialization.jsonObject(with: Data((scratch.read(name) ?? "").utf8)) as? [String: Any]
    return object?["tier"] as? String
  }
  #expect(try storedTier("gold.json") == "gold")
  let later = try PerkExecutable.run(
    arguments: ["eval", "rules/cafe.perk", "--event", scratch.path("latte.json"), "--state", scratch.path("gold.json"),
                "--out-state", scratch.path("after.json")],
    currentDirectory: root)
  #expect(later.exitCode == 0, "\(later.stderr)")
  let outcome = try #require(JSONSerialization.jsonObject(with: Data(later.stdout.utf8)) as? [String: Any])
  let awards = try #require(outcome["awards"] as? [[String: Any]])
  #expect(awards.first?["kind"] as? String == "tier_change")
  #expect(awards.first?["from"] as? String == "gold")
  #expect(awards.first?["to"] as? String == "green")
  #expect(awards.filter { $0["kind"] as? String == "tier_change" }.count == 1)
  #expect(try storedTier("after.json") == "green")
}
