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

    OPTIONS:
      --format text|json   Output format (default: text)
      --filter TEXT        Run only the tests whose name contains TEXT (any letter case)
      --coverage           Also report, per file, the rules, conditions, limits, caps and return
                           paths the tests exercised, and list what none did
      --color always|never|auto

    EXIT STATUS:
      0 every test passed, 1 a test failed or a file has errors, 2 usage error or missing path

    """
}
