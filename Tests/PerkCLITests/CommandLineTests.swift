import Foundation
import PerkTestSupport
import Testing

/// Runs the built `perk` in a fresh temporary directory holding `files`.
private func perk(
  _ arguments: [String], files: [String: String] = [:], stdin: String = "",
  environment: [String: String] = [:]
) throws -> PerkExecutable.Result {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("perk-cli-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  for (name, text) in files {
    try Data(text.utf8).write(to: directory.appendingPathComponent(name))
  }
  return try PerkExecutable.run(
    arguments: arguments, stdin: stdin, environment: environment, currentDirectory: directory)
}

@Test func helpListsTheCommands() throws {
  let result = try perk(["--help"])
  #expect(result.exitCode == 0)
  #expect(result.stdout.hasPrefix("perk — check and run Perk reward programs\n"))
  for command in ["check", "eval", "demo", "help"] {
    #expect(result.stdout.contains("\n  \(command) "))
  }
  #expect(result.stderr == "")
}

@Test func commandHelpBothWays() throws {
  let a = try perk(["help", "check"])
  let b = try perk(["check", "--help"])
  #expect(a.exitCode == 0)
  #expect(b.exitCode == 0)
  #expect(a.stdout == b.stdout)
  #expect(a.stdout.contains("perk check FILE... [--format text|json] [--strict]"))
}

/// The scenario help lists the verbs from the keyword table (it once omitted `accrues`).
@Test func testHelpListsEveryVerbOfTheKeywordTable() throws {
  let result = try perk(["help", "test"])
  #expect(result.exitCode == 0)
  #expect(result.stdout.contains("""
      expect NAME CLAIM …           an expectation about the last event; CLAIM is one of
                                    `earns`, `loses`, `spends`, `saves`, `gets`, `collects`,
                                    `moves to tier`, `pays`, `has`, `is rejected` or `accrues`
    """))
  #expect(result.stdout.contains("`signs up`"))
  let check = try perk(["help", "check"])
  #expect(check.stdout.contains("`program`, `points`, `tiers`, `stamps`, `rule`, `reward`, `rebate` or `test`"))
}

@Test func versionPrintsVersion() throws {
  let result = try perk(["--version"])
  #expect(result.exitCode == 0)
  #expect(result.stdout == "perk 0.1.0\n")
}

@Test func unknownCommandIsUsageErrorWithSuggestion() throws {
  let result = try perk(["chek", "a.perk"])
  #expect(result.exitCode == 2)
  #expect(result.stdout == "")
  #expect(
    result.stderr == """
      error: unknown command `chek`
        = help: did you mean `check`?
      run `perk --help` for usage

      """)
}

@Test func unknownFlagIsUsageErrorWithSuggestion() throws {
  let result = try perk(["check", "--stirct", "a.perk"])
  #expect(result.exitCode == 2)
  #expect(result.stderr.hasPrefix("error: unknown option `--stirct`\n  = help: did you mean `--strict`?\n"))
}

@Test func invalidFormatValueIsUsageError() throws {
  let result = try perk(["check", "--format", "xml", "a.perk"])
  #expect(result.exitCode == 2)
  #expect(result.stderr.hasPrefix("error: invalid value `xml` for `--format`\n  = help: expected one of `text`, `json`\n"))
}

@Test func checkWithoutFilesIsUsageError() throws {
  let result = try perk(["check"])
  #expect(result.exitCode == 2)
  #expect(result.stderr.hasPrefix("error: missing a Perk file to check\n"))
}

@Test func missingFileIsAnInputError() throws {
  let result = try perk(["check", "nope.perk"])
  #expect(result.exitCode == 1)
  #expect(result.stderr == "error: nope.perk: no such file\n")
}

@Test func noColorDisablesColourAndAlwaysForcesIt() throws {
  let plain = try perk(["chek"], environment: ["NO_COLOR": "1"])
  #expect(!plain.stderr.contains("\u{1B}["))
  let forced = try perk(["--color", "always", "chek"], environment: ["NO_COLOR": "1"])
  #expect(forced.stderr.hasPrefix("\u{1B}[1;31merror\u{1B}[0m: unknown command `chek`"))
  let never = try perk(["chek", "--color=never"])
  #expect(!never.stderr.contains("\u{1B}["))
}

@Test func malformedEventJSONReportsLineAndColumn() throws {
  let result = try perk(
    ["eval", "p.perk", "--event", "event.json"],
    files: ["p.perk": "program \"x\"\n", "event.json": "{\n  \"type\": \"purchase\",\n  \"lines\": [1, 2,]\n}\n"])
  #expect(result.exitCode == 1)
  #expect(result.stderr == "error: event.json:3:18: unexpected character `]`, expected a value\n")
}

@Test func malformedJSONFromStandardInput() throws {
  let result = try perk(
    ["eval", "p.perk", "--event", "-"], files: ["p.perk": "program \"x\"\n"], stdin: "{\"a\": tru}")
  #expect(result.exitCode == 1)
  #expect(result.stderr == "error: <stdin>:1:7: unexpected character, expected `true`\n")
}

@Test func evalNeedsAnEvent() throws {
  let result = try perk(["eval", "p.perk"], files: ["p.perk": ""])
  #expect(result.exitCode == 2)
  #expect(result.stderr.hasPrefix("error: missing `--event EVENT.json`\n"))
}
