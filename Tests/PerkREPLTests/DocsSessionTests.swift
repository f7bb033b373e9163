import Foundation
import PerkTestSupport
import Testing

/// docs/repl.md shows a recorded session; this test re-runs its script through the built
/// `perk repl` and fails when the transcript in the docs is not what the REPL prints.
/// `PERK_RECORD_GOLDEN=1` rewrites the transcript in the docs (read it afterwards).
@Test func theRecordedSessionInTheDocsIsWhatTheReplPrints() throws {
  let root = PerkExecutable.repositoryRoot()
  let script = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Goldens/designer.repl"), encoding: .utf8)
  let result = try PerkExecutable.run(
    arguments: ["repl", "rules/cafe.perk", "--at", "2026-11-03T08:30", "--echo"],
    stdin: script, environment: ReplHistory.environment, currentDirectory: root)
  #expect(result.exitCode == 0)
  #expect(result.stderr == "")
  let block = "```text\n$ perk repl rules/cafe.perk --at 2026-11-03T08:30 --echo < designer.repl\n" + result.stdout + "```\n"

  let docs = root.appendingPathComponent("docs/repl.md")
  let text = try String(contentsOf: docs, encoding: .utf8)
  let begin = "<!-- session:begin -->\n"
  let end = "<!-- session:end -->"
  guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex) else {
    Issue.record("docs/repl.md has no session markers")
    return
  }
  let shown = String(text[start.upperBound..<stop.lowerBound])
  if ProcessInfo.processInfo.environment["PERK_RECORD_GOLDEN"] == "1" {
    try (String(text[..<start.upperBound]) + block + String(text[stop.lowerBound...])).write(to: docs, atomically: true, encoding: .utf8)
    Issue.record("recorded the session in docs/repl.md")
    return
  }
  // The session saved itself as a scenario; `perk test` passes it.
  let tested = try PerkExecutable.run(arguments: ["test", "/tmp/perk-cafe-session.perk"])
  #expect(tested.exitCode == 0, "\(tested.stdout)\(tested.stderr)")
  #expect(tested.stdout.hasSuffix("1 test, 1 passed, 0 failed\n"))
  if shown != block {
    Issue.record(Comment(rawValue: "docs/repl.md's session differs (- docs, + REPL):\n" + Golden.lineDiff(expected: shown, actual: block)))
  }
}
