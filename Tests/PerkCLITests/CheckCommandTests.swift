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
