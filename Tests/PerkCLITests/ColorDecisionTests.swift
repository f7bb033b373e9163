import Testing

@testable import PerkCLI

@Test func autoColoursOnlyOnATerminalWithoutNoColorOrDumbTerm() {
  let auto = ColorChoice.auto
  #expect(auto.enabled(environment: ["TERM": "xterm-256color"], stderrIsTerminal: true))
  #expect(!auto.enabled(environment: ["TERM": "xterm-256color"], stderrIsTerminal: false))
  #expect(!auto.enabled(environment: ["TERM": "dumb"], stderrIsTerminal: true))
  #expect(!auto.enabled(environment: ["TERM": "xterm", "NO_COLOR": ""], stderrIsTerminal: true))
  #expect(ColorChoice.always.enabled(environment: ["NO_COLOR": "1"], stderrIsTerminal: false))
  #expect(!ColorChoice.never.enabled(environment: [:], stderrIsTerminal: true))
}

@Test func optionsTakeValuesSeparatelyOrAfterEquals() throws {
  var args = ArgumentList(["a.perk", "--format=json", "b.perk", "--strict"])
  let format = try args.takeOption("--format")
  let strict = args.takeFlag("--strict")
  let positionals = try args.takePositionals(knownFlags: [])
  #expect(format == "json")
  #expect(strict)
  #expect(positionals == ["a.perk", "b.perk"])

  var missing = ArgumentList(["--event"])
  var threw = false
  do { _ = try missing.takeOption("--event") } catch { threw = error is UsageError }
  #expect(threw)

  var dash = ArgumentList(["-", "--event", "-"])
  let event = try dash.takeOption("--event")
  let rest = try dash.takePositionals(knownFlags: [])
  #expect(event == "-")
  #expect(rest == ["-"])
}

@Test func runInProcessCapturesOutput() {
  nonisolated(unsafe) var out = ""
  nonisolated(unsafe) var err = ""
  var console = Console(
    environment: [:], stderrIsTerminal: false, out: { out += $0 }, err: { err += $0 }, stdin: { .init() })
  let versionCode = PerkCommandLine.run(["--version"], console: &console)
  #expect(versionCode == 0)
  #expect(out == "perk 0.1.0\n")
  let helpCode = PerkCommandLine.run(["help", "nope"], console: &console)
  #expect(helpCode == 2)
  #expect(err.hasPrefix("error: unknown command `nope`\n"))
}

@Test func jsonSyntaxPositions() {
  #expect(JSONSyntax.check(Array("{\"a\": [1, {\"b\": null}]}".utf8)) == nil)
  #expect(JSONSyntax.check(Array("".utf8)) == .init(line: 1, column: 1, message: "unexpected end of input, expected a value"))
  #expect(JSONSyntax.check(Array("{\"€\": 1,\n \"b\" 2}".utf8)) == .init(line: 2, column: 6, message: "expected `:` after the key"))
  #expect(JSONSyntax.check(Array("[1] x".utf8)) == .init(line: 1, column: 5, message: "unexpected text after the JSON value"))
  #expect(JSONSyntax.check(Array("\"abc".utf8)) == .init(line: 1, column: 5, message: "unterminated string"))
}
