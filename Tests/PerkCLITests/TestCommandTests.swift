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

@Test func directoryMeansEveryPerkFileUnderItSortedByPath() throws {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("perk-test-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  let passing = try String(contentsOf: goldens.appendingPathComponent("test-passing.perk"), encoding: .utf8)
  let program = passing.components(separatedBy: "\ntest ").first ?? passing
  try passing.write(to: directory.appendingPathComponent("b.perk"), atomically: true, encoding: .utf8)
  try program.write(to: directory.appendingPathComponent("sub/a.perk"), atomically: true, encoding: .utf8)
  try "not perk".write(to: directory.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
  let result = try PerkExecutable.run(arguments: ["test", "."], environment: ["NO_COLOR": "1"], currentDirectory: directory)
  #expect(result.exitCode == 0)
  #expect(result.stdout == """
    PASS  ./b.perk:17  the eighth drink is free
    PASS  ./b.perk:26  muffins earn stars but no stamps
    NONE  ./sub/a.perk  no tests

    2 tests, 2 passed, 0 failed, 1 file without tests

    """)
}

@Test func filterRunsOnlyMatchingTests() throws {
  let result = try PerkExecutable.run(arguments: ["test", "--filter", "MUFFINS", "test-failing.perk"],
                                      environment: ["NO_COLOR": "1"], currentDirectory: goldens)
  #expect(result.exitCode == 1)
  #expect(result.stdout.hasPrefix("FAIL  test-failing.perk:26  muffins earn stars but no stamps\n"))
  #expect(result.stdout.hasSuffix("\n1 test, 0 passed, 1 failed\n"))
}

@Test func colorsMarkTheVerdictCaretsAndActualValue() throws {
  let result = try PerkExecutable.run(arguments: ["test", "--color", "always", "test-failing.perk"], currentDirectory: goldens)
  #expect(result.exitCode == 1)
  #expect(result.stdout.hasPrefix("\u{1B}[31mFAIL \u{1B}[0m test-failing.perk:17  the eighth drink is free\n"))
  #expect(result.stdout.contains("         |                              \u{1B}[31m^^^^^^^\u{1B}[0m\n"))
  #expect(result.stdout.contains("      actual:   \u{1B}[31malice has 0 stamps on drink card\u{1B}[0m\n"))
}

@Test func jsonForAFileWithErrorsListsItsDiagnostics() throws {
  let result = try PerkExecutable.run(arguments: ["test", "--format", "json", "test-error.perk"], currentDirectory: goldens)
  #expect(result.exitCode == 1)
  #expect(result.stdout.contains("\"status\": \"error\""))
  #expect(result.stdout.contains("\"code\": \"E0322\""))
  #expect(result.stdout.contains("\"code\": \"E0302\""))
  #expect(result.stdout.contains("\"files_with_errors\": 1"))
  #expect(result.stdout.contains("\"tests\": []"))
}

/// `--coverage`: a file whose tests leave a rule, a condition and a cap unexercised lists each by
/// position; the return paths were all taken. Text and JSON goldens.
@Test func coverageListsWhatNoTestExercised() throws {
  let text = try PerkExecutable.run(arguments: ["test", "--coverage", "test-coverage.perk"], environment: ["NO_COLOR": "1"],
                                    currentDirectory: goldens)
  #expect(text.exitCode == 0)
  #expect(text.stdout.contains("    test-coverage.perk:32:6  rule signup gift never fired\n"))
  Golden.assertMatches(actual: text.stdout, goldenPath: "Goldens/test-coverage.txt")
  let json = try PerkExecutable.run(arguments: ["test", "--coverage", "--format", "json", "test-coverage.perk"],
                                    currentDirectory: goldens)
  #expect(json.exitCode == 0)
  Golden.assertMatches(actual: json.stdout, goldenPath: "Goldens/test-coverage.json")
}

/// `--coverage` on a shipped rule file, run as the README shows it (from the repository root).
@Test func coverageOfARuleFile() throws {
  let root = PerkExecutable.repositoryRoot()
  let text = try PerkExecutable.run(arguments: ["test", "--coverage", "rules/p2-bakery-points.perk"],
                                    environment: ["NO_COLOR": "1"], currentDirectory: root)
  #expect(text.exitCode == 0)
  Golden.assertMatches(actual: text.stdout, goldenPath: "Goldens/coverage-p2-bakery-points.txt")
  let json = try PerkExecutable.run(arguments: ["test", "--coverage", "--format", "json", "rules/p2-bakery-points.perk"],
                                    currentDirectory: root)
  #expect(json.exitCode == 0)
  Golden.assertMatches(actual: json.stdout, goldenPath: "Goldens/coverage-p2-bakery-points.json")
}

/// Without `--coverage` the output is what it was: no coverage block, no `coverage` key.
@Test func noCoverageUnlessAsked() throws {
  let text = try PerkExecutable.run(arguments: ["test", "test-coverage.perk"], environment: ["NO_COLOR": "1"],
                                    currentDirectory: goldens)
  #expect(!text.stdout.contains("coverage of"))
  let json = try PerkExecutable.run(arguments: ["test", "--format", "json", "test-coverage.perk"], currentDirectory: goldens)
  #expect(!json.stdout.contains("\"coverage\""))
}
