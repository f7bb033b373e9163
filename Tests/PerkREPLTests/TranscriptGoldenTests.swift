import Foundation
import PerkTestSupport
import Testing

/// Golden transcripts: scripts piped through the built `perk repl --echo`, compared with
/// recorded output (`PERK_RECORD_GOLDEN=1` re-records; read the files after recording).
@Suite struct TranscriptGoldenTests {
  /// Runs `Goldens/NAME.repl` through `perk repl [program] --at 2026-11-03 --echo`.
  static func transcript(_ name: String, program: String?) throws -> String {
    let root = PerkExecutable.repositoryRoot()
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens/\(name).repl")
    let input = try String(contentsOf: script, encoding: .utf8)
    let result = try PerkExecutable.run(
      arguments: ["repl"] + (program.map { [$0] } ?? []) + ["--at", "2026-11-03", "--echo"],
      stdin: input, environment: ReplHistory.environment, currentDirectory: root)
    return result.stdout + "--- exit \(result.exitCode)\n" + (result.stderr.isEmpty ? "" : "--- stderr\n" + result.stderr)
  }

  @Test func everyCommandOnTheCafeProgram() throws {
    let saved = "/tmp/perk-repl-golden-tour.perk"
    try? FileManager.default.removeItem(atPath: saved)
    Golden.assertMatches(actual: try Self.transcript("tour", program: "rules/cafe.perk"), goldenPath: "Goldens/tour.txt")
    // `:save` wrote the program and a scenario replaying the session.
    let text = try String(contentsOfFile: saved, encoding: .utf8)
    Golden.assertMatches(actual: text, goldenPath: "Goldens/tour-saved.perk.txt")
    // … which `perk test` passes.
    let tested = try PerkExecutable.run(arguments: ["test", saved])
    #expect(tested.exitCode == 0, "\(tested.stdout)\(tested.stderr)")
    #expect(tested.stdout.hasSuffix("1 test, 1 passed, 0 failed\n"))
  }

  /// Moving the clock past a tier's keep date reports the drop once (the next event does not
  /// repeat it), and `:state` no longer shows a keep date that has passed.
  @Test func passingAKeepDateReportsTheDrop() throws {
    let transcript = try Self.transcript("keep", program: "rules/cafe.perk")
    #expect(transcript.contains("clock 2027-11-04 Thu 12:00 America/New_York\n  alice:\n    tier gold → green  tiers\n"))
    let afterTheDrop = try #require(transcript.range(of: "clock 2027-11-04")).upperBound
    #expect(transcript[..<afterTheDrop].contains("kept until 2027-11-03; "))
    #expect(!transcript[afterTheDrop...].contains("kept until"))
    // Reported once: the next purchase does not say `tier gold → green` again.
    #expect(transcript.components(separatedBy: "tier gold → green").count == 2)
    Golden.assertMatches(actual: transcript, goldenPath: "Goldens/keep.txt")
  }

  @Test func mistakesAreLocatedAndTheSessionGoesOn() throws {
    Golden.assertMatches(actual: try Self.transcript("errors", program: "rules/cafe.perk"), goldenPath: "Goldens/errors.txt")
  }

  @Test func aProgramBuiltAtThePrompt() throws {
    Golden.assertMatches(actual: try Self.transcript("scratch", program: nil), goldenPath: "Goldens/scratch.txt")
  }

  @Test func pipedWithoutEchoPrintsOnlyResultsAndExitsZero() throws {
    let result = try PerkExecutable.run(
      arguments: ["repl", "rules/cafe.perk", "--at", "2026-11-03T08:15"],
      stdin: ":customer ann\nbuy latte @ 4.50 coffee\nstars balance\n", environment: ReplHistory.environment,
      currentDirectory: PerkExecutable.repositoryRoot())
    #expect(result.exitCode == 0)
    #expect(result.stderr == "")
    #expect(result.stdout == """
      loaded rules/cafe.perk: "Bean & Leaf Rewards" (USD, America/New_York): 1 points currency, 3 tiers, 1 stamp card, 5 rules, 1 reward
      new customer ann (current)
      T1 ann 2026-11-03 Tue 08:15  paid $4.50
        +1 stamp   coffee card
        +18 stars  base earn
        next: 132 stars to free drink · 9 more coffee or tea items to a free one (coffee card) · $495.50 more spend to gold (net amounts paid, before tax)
        stars 18 · coffee card 1/10 · tier green
      18 stars

      """)
  }

  @Test func aBrokenFileIsReportedAndTheExitCodeIsOne() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("perk-repl-broken-\(UUID().uuidString).perk").path
    try "program \"x\"\n  currency USD\n  timezone UTC\n\nrule a\n  on purchase\n  earn 2 sars per $1 spent\n"
      .write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    // The file is shown with its errors and kept: after a fix, `:reload` loads it.
    let script = ":state\n:reload\n"
    let result = try PerkExecutable.run(arguments: ["repl", path], stdin: script, environment: ReplHistory.environment)
    #expect(result.exitCode == 1)
    #expect(result.stderr == "")
    #expect(result.stdout.hasPrefix("error[E0302]: unknown points currency `sars`\n"))
    #expect(result.stdout.contains("error: 1 error emitted\nfix the file, then `:reload`\nerror: no program yet\n"))
  }

  @Test func usageMistakesExitTwo() throws {
    let two = try PerkExecutable.run(arguments: ["repl", "a.perk", "b.perk"])
    #expect(two.exitCode == 2)
    #expect(two.stderr == "error: `perk repl` takes one file, not 2\n  = help: give one program file; `:load` switches to another inside\nrun `perk --help` for usage\n")
    let flag = try PerkExecutable.run(arguments: ["repl", "--ecko"])
    #expect(flag.exitCode == 2)
    #expect(flag.stderr.hasPrefix("error: unknown option `--ecko`\n  = help: did you mean `--echo`?"))
    let at = try PerkExecutable.run(arguments: ["repl", "--at", "tomorrow"])
    #expect(at.exitCode == 1)
    #expect(at.stderr == "error: --at: `tomorrow` is not a date (write `2026-11-03` or `2026-11-03T09:30`)\n")
  }
}
