import Foundation
import PerkTestSupport
import Testing

@Test func evalWholesalePurchasePrintsTheRebateAccrual() throws {
  let root = PerkExecutable.repositoryRoot()
  let result = try PerkExecutable.run(
    arguments: [
      "eval", "rules/p4-wholesale-rebates.perk", "--event", "rules/examples/p4-purchase.json",
      "--customer", "rules/examples/p4-customer.json",
    ],
    currentDirectory: root)
  #expect(result.exitCode == 0)
  #expect(result.stderr == "")
  Golden.assertMatches(actual: result.stdout, goldenPath: "Goldens/eval-p4-purchase.json")
}
