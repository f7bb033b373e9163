import PerkSyntax

extension Help {
  static let test = """
    perk test — run the scenario tests written in Perk files

    USAGE:
      perk test FILE|DIR... [--format text|json] [--filter TEXT] [--coverage]

    Every `test` declaration is run in a fresh world: its customers, dated events and
    expectations. A directory means every .perk file under it, sorted by path. Each test
    is listed as PASS or FAIL; a failure shows the expectation's location and source line,
    what was expected and what happened. Files with errors are reported and run no test;
    files without tests are reported as `no tests`.

    STEPS: each line of a test starts with \(Keyword.list(Keyword.testSteps.map(\.rawValue))).
      customer NAME[, ATTRIBUTE…]   a customer of the test
      on DATE [TIME] NAME VERB …    an event; VERB is one of
                                    \(wrapped(Keyword.list(Keyword.testEvents.map(\.phrase)), indent: 32))
      expect NAME CLAIM …           an expectation about the last event; CLAIM is one of
                                    \(wrapped(Keyword.list(Keyword.testClaims.map(\.phrase)), indent: 32))

    OPTIONS:
      --format text|json   Output format (default: text)
      --filter TEXT        Run only the tests whose name contains TEXT (any letter case)
      --coverage           Also report, per file, the rules, conditions, limits, caps and return
                           paths the tests exercised, and list what none did
      --color always|never|auto

    EXIT STATUS:
      0 every test passed, 1 a test failed or a file has errors, 2 usage error or missing path

    """

  /// Breaks a generated list into lines of at most 90 columns after its commas (a phrase such
  /// as `moves to tier` stays whole), continuing at `indent`.
  static func wrapped(_ text: String, indent: Int) -> String {
    var lines: [String] = []
    var line = ""
    let items = text.components(separatedBy: ", ")
    for (i, item) in items.enumerated() {
      let word = i < items.count - 1 ? item + "," : item
      if !line.isEmpty, indent + line.count + 1 + word.count > 90 {
        lines.append(line)
        line = ""
      }
      line += (line.isEmpty ? "" : " ") + word
    }
    lines.append(line)
    return lines.joined(separator: "\n" + String(repeating: " ", count: indent))
  }
}
