import Foundation
import PerkTestSupport
import Testing

private let diagnostics = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("Diagnostics")

@Test func checkCleanFilesExitsZeroSilently() throws {
  let result = try PerkExecutable.run(
    arguments: ["check", "rules/cafe.perk", "rules/p1-corner-cafe-punch-card.perk"],
    currentDirectory: PerkExecutable.repositoryRoot())
  #expect(result.exitCode == 0)
  #expect(result.stdout == "")
  #expect(result.stderr == "")
}

@Test func checkWithErrorsExitsOneAndRendersEveryDiagnosticAndSummary() throws {
  let result = try PerkExecutable.run(
    arguments: ["check", "E0301-unknown-tier.perk", "E0302-unknown-points-currency.perk"],
    environment: ["NO_COLOR": "1"], currentDirectory: diagnostics)
  #expect(result.exitCode == 1)
  let first = try String(contentsOf: diagnostics.appendingPathComponent("E0301-unknown-tier.txt"), encoding: .utf8)
  #expect(result.stderr.hasPrefix(first.replacingOccurrences(of: "\nerror: 1 error emitted\n", with: "")))
  #expect(result.stderr.contains("error[E0302]: unknown points currency `starz`"))
  #expect(result.stderr.hasSuffix("\nerror: 2 errors emitted\n"))
}

@Test func warningsFailOnlyWithStrict() throws {
  let plain = try PerkExecutable.run(arguments: ["check", "W0105-redundant-condition.perk"], currentDirectory: diagnostics)
  #expect(plain.exitCode == 0)
  #expect(plain.stderr.hasSuffix("warning: 1 warning emitted\n"))
  let strict = try PerkExecutable.run(
    arguments: ["check", "--strict", "W0105-redundant-condition.perk"], currentDirectory: diagnostics)
  #expect(strict.exitCode == 1)
}

@Test func jsonFormatPrintsTheGoldenOnStdout() throws {
  let result = try PerkExecutable.run(
    arguments: ["check", "--format", "json", "E0301-unknown-tier.perk"], currentDirectory: diagnostics)
  #expect(result.exitCode == 1)
  let golden = try String(contentsOf: diagnostics.appendingPathComponent("E0301-unknown-tier.json"), encoding: .utf8)
  #expect(result.stdout == golden)
  #expect(result.stderr == "error: 1 error emitted\n")
}

@Test func togetherChecksFilesAsOneProgram() throws {
  let result = try PerkExecutable.run(
    arguments: ["check", "--together", "rules/cafe.perk", "rules/p3-fashion-tiers.perk"],
    currentDirectory: PerkExecutable.repositoryRoot())
  #expect(result.exitCode == 1)
  #expect(result.stderr.contains("error[E0509]: a second `program` declaration"))
}

@Test func asOfJudgesRuleDatesFromThatDay() throws {
  let file = "W0117-rule-window-closed.perk"
  let without = try PerkExecutable.run(arguments: ["check", "--strict", file], currentDirectory: diagnostics)
  #expect(without.exitCode == 0)
  #expect(without.stderr == "")
  let before = try PerkExecutable.run(arguments: ["check", "--strict", "--as-of", "2026-03-31", file], currentDirectory: diagnostics)
  #expect(before.exitCode == 0)
  let after = try PerkExecutable.run(arguments: ["check", "--as-of", "2026-06-01", file], currentDirectory: diagnostics)
  #expect(after.exitCode == 0)
  #expect(after.stderr.hasPrefix("warning[W0117]: rule `spring sale` can no longer fire: its dates end before 2026-06-01\n"))
  let bad = try PerkExecutable.run(arguments: ["check", "--as-of", "2026-02-30", file], currentDirectory: diagnostics)
  #expect(bad.exitCode == 2)
  #expect(bad.stderr.hasPrefix("error: invalid value `2026-02-30` for `--as-of`"))
}
