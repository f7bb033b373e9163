import PerkSource

/// One expectation that did not hold (or an event that could not run), located in the test.
package struct ScenarioFailure: Hashable, Sendable {
  /// Where the expectation (or event) is written.
  package var location: SourceLocation
  /// The source line, as written.
  package var sourceLine: String
  /// What the test claims, such as `alice earns 12 stars from base earn`.
  package var expected: String
  /// What happened, such as `alice earns 9 stars from base earn`.
  package var actual: String
  /// The last event's awards, when the claim is about them (empty otherwise).
  package var awards: [String]
  /// How many characters of the source line to underline, from the location's column.
  package var width: Int

  package init(location: SourceLocation, sourceLine: String, expected: String, actual: String, awards: [String] = [],
               width: Int = 1) {
    self.width = width
    self.location = location
    self.sourceLine = sourceLine
    self.expected = expected
    self.actual = actual
    self.awards = awards
  }
}

/// The result of running one `test` declaration.
package struct ScenarioResult: Hashable, Sendable {
  /// The test's name.
  package var name: String
  /// Where the test's name is written.
  package var location: SourceLocation
  /// How many expectations were checked.
  package var expectationCount: Int
  /// Every expectation that failed, in source order.
  package var failures: [ScenarioFailure]
  /// What the test's events exercised (for `perk test --coverage`).
  package var coverage = ScenarioCoverage()
  /// Whether every expectation held.
  package var passed: Bool { failures.isEmpty }
}

/// The result of running the tests of one `.perk` file.
package struct FileTestResult: Sendable {
  /// Whether the file compiled and how its tests went.
  package enum Status: String, Sendable {
    /// Every test passed.
    case passed
    /// At least one test failed.
    case failed
    /// The file has errors; no test ran.
    case error
    /// The file compiled and has no `test` declarations.
    case noTests = "no tests"
  }
  /// The file as read (for rendering diagnostics).
  package var file: SourceFile
  /// Every diagnostic of the file (errors stop the tests; warnings are shown).
  package var diagnostics: [Diagnostic]
  /// One result per test, in source order (empty when the file has errors).
  package var results: [ScenarioResult]
  /// The rules and caps the program offers to tests; nil when the file has errors.
  package var targets: CoverageTargets? = nil

  package var status: Status {
    if diagnostics.contains(where: { $0.severity == .error }) { return .error }
    if results.isEmpty { return .noTests }
    return results.allSatisfy(\.passed) ? .passed : .failed
  }
}
