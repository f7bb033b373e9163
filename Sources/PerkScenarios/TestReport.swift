import PerkRuntime
import PerkSource

/// What `perk test` prints: one line per test, the details of each failure, and a summary.
package struct TestReport: Sendable {
  /// The files' results, in the order run.
  package var files: [FileTestResult]

  package init(files: [FileTestResult]) { self.files = files }

  package var testCount: Int { files.reduce(0) { $0 + $1.results.count } }
  package var failedCount: Int { files.reduce(0) { $0 + $1.results.filter { !$0.passed }.count } }
  package var errorFileCount: Int { files.filter { $0.status == .error }.count }
  package var noTestFileCount: Int { files.filter { $0.status == .noTests }.count }

  /// Exit status: 0 when everything passed, 1 for any failure or file with errors.
  package var exitCode: Int32 { failedCount > 0 || errorFileCount > 0 ? 1 : 0 }

  /// `3 tests, 2 passed, 1 failed` plus files with errors or without tests.
  package var summary: String {
    var text = "\(testCount) \(testCount == 1 ? "test" : "tests"), \(testCount - failedCount) passed, \(failedCount) failed"
    if errorFileCount > 0 { text += ", \(errorFileCount) \(errorFileCount == 1 ? "file" : "files") with errors" }
    if noTestFileCount > 0 { text += ", \(noTestFileCount) \(noTestFileCount == 1 ? "file" : "files") without tests" }
    return text
  }

  // MARK: Text

  /// The report for people. Diagnostics of a file come before its tests, rendered as `perk check` does.
  package func text(colors: Bool) -> String {
    var out = ""
    for file in files {
      let diagnostics = file.diagnostics
      if !diagnostics.isEmpty {
        out += DiagnosticRenderer(files: [file.file], colors: colors).render(diagnostics)
      }
      switch file.status {
      case .error:
        let errors = diagnostics.filter { $0.severity == .error }.count
        out += paint("ERROR", .red, colors) + " \(file.file.path)  does not compile (\(errors) \(errors == 1 ? "error" : "errors"))\n"
      case .noTests:
        out += paint("NONE ", .dim, colors) + " \(file.file.path)  no tests\n"
      case .passed, .failed:
        for result in file.results {
          let tag = result.passed ? paint("PASS ", .green, colors) : paint("FAIL ", .red, colors)
          out += "\(tag) \(file.file.path):\(result.location.line)  \(result.name)\n"
          for failure in result.failures { out += describe(failure, colors: colors) }
        }
      }
    }
    out += "\n" + summary + "\n"
    return out
  }

  private func describe(_ failure: ScenarioFailure, colors: Bool) -> String {
    let location = failure.location
    let number = String(location.line)
    let gutter = String(repeating: " ", count: number.count)
    var out = "      --> \(location)\n"
    out += "      \(gutter) |\n"
    out += "      \(number) | \(failure.sourceLine)\n"
    let indent = String(repeating: " ", count: max(0, location.column - 1))
    out += "      \(gutter) | \(indent)\(paint(String(repeating: "^", count: failure.width), .red, colors))\n"
    out += "      expected: \(failure.expected)\n"
    out += "      actual:   \(paint(failure.actual, .red, colors))\n"
    for (index, award) in failure.awards.enumerated() {
      out += (index == 0 ? "      awards:   " : "                ") + award + "\n"
    }
    return out
  }

  private enum Color: String {
    case red = "31", green = "32", dim = "2"
  }

  private func paint(_ text: String, _ color: Color, _ enabled: Bool) -> String {
    enabled ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
  }

  // MARK: JSON

  /// The report for tools: sorted keys, the same bytes for the same results.
  package var json: String { json(coverage: false) }

  /// The report for tools; with `coverage`, a `coverage` array (``CoverageReport/json``) too.
  package func json(coverage: Bool) -> String {
    let fileObjects = files.map { file -> JSONOutput in
      .object([
        "path": .string(file.file.path),
        "status": .string(file.status.rawValue),
        "diagnostics": .array(file.diagnostics.map { d in
          let location = file.file.location(of: d.range.start)
          return .object([
            "code": .string(d.code.rawValue), "severity": .string(d.severity.rawValue), "message": .string(d.message),
            "line": .integer(Int64(location.line)), "column": .integer(Int64(location.column)),
          ])
        }),
        "tests": .array(file.results.map { result in
          .object([
            "name": .string(result.name),
            "line": .integer(Int64(result.location.line)),
            "status": .string(result.passed ? "passed" : "failed"),
            "expectations": .integer(Int64(result.expectationCount)),
            "failures": .array(result.failures.map { f in
              .object([
                "line": .integer(Int64(f.location.line)), "column": .integer(Int64(f.location.column)),
                "source": .string(f.sourceLine), "expected": .string(f.expected), "actual": .string(f.actual),
                "awards": .array(f.awards.map { .string($0) }),
              ])
            }),
          ])
        }),
      ])
    }
    var report: [String: JSONOutput] = [
      "files": .array(fileObjects),
      "summary": .object([
        "tests": .integer(Int64(testCount)), "passed": .integer(Int64(testCount - failedCount)),
        "failed": .integer(Int64(failedCount)), "files_with_errors": .integer(Int64(errorFileCount)),
        "files_without_tests": .integer(Int64(noTestFileCount)),
      ]),
    ]
    if coverage { report["coverage"] = CoverageReport(files).json }
    return JSONOutput.object(report).rendered()
  }
}
