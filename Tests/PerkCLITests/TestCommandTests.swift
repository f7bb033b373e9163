import Foundation
import PerkTestSupport
import Testing

/// `perk test`: the shipped rule files' own tests, goldens for a passing and a failing file, exit codes.
private let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

/// The README's test command: `swift test` fails when any scenario test in rules/ fails.
@Test func everyScenarioTestInRulesPasses() throws {
  let result = try PerkExecutable.run(arguments: ["test", "rules/"], environment: ["NO_COLOR": "1"],
                                      currentDirectory: PerkExecutable.repositoryRoot())
  #expect(result.exitCode == 0, "perk test rules/ failed:\n\(result.stdout)\(result.stderr)")
  #expect(result.stdout.contains("PASS  rules/cafe.perk:"))
  #expect(!result.stdout.contains("FAIL"))
  #expect(result.stderr == "")
}

@Test func passingFileGolden() throws {
  let result = try PerkExecutable.run(arguments: ["test", "test-passing.perk"], environment: ["NO_COLOR": "1"],
                                      currentDirectory: goldens)
  #expect(result.exitCode == 0)
  Golden.assertMatches(actual: result.stdout, goldenPath: "Goldens/test-passing.txt")
}

@Test func failingFileGolden() throws {
  let result = try PerkExecutable.run(arguments: ["test", "test-failing.perk"], environment: ["NO_COLOR": "1"],
                                      currentDirectory: goldens)
  #expect(result.exitCode == 1)
  Golden.assertMatches(actual: result.stdout, goldenPath: "Goldens/test-failing.txt")
}

@Test func failingFileJSONGolden() throws {
  let result = try PerkExecutable.run(arguments: ["test", "--format", "json", "test-failing.perk"],
                                      currentDirectory: goldens)
  #expect(result.exitCode == 1)
  Golden.assertMatches(actual: result.stdout, goldenPath: "Goldens/test-failing.json")
}

@Test func fileWithErrorsExitsOne() throws {
  let result = try PerkExecutable.run(arguments: ["test", "test-error.perk"], environment: ["NO_COLOR": "1"],
                                      currentDirectory: goldens)
  #expect(result.exitCode == 1)
  Golden.assertMatches(actual: result.stdout, goldenPath: "Goldens/test-error.txt")
}

@Test func usageErrorsExitTwo() throws {
  let none = try PerkExecutable.run(arguments: ["test"], currentDirectory: goldens)
  #expect(none.exitCode == 2)
  #expect(none.stderr.hasPrefix("error: missing a Perk file or directory to test"))
  let missing = try PerkExecutable.run(arguments: ["test", "no-such.perk"], currentDirectory: goldens)
  #expect(missing.exitCode == 2)
  #expect(missing.stderr == "error: no-such.perk: no such file or directory\n")
  let format = try PerkExecutable.run(arguments: ["test", "--format", "xml", "test-passing.perk"], currentDirectory: goldens)
  #expect(format.exitCode == 2)
}
