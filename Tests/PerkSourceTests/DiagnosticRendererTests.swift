import PerkSource
import Testing

/// A file and the byte range of the first occurrence of `needle` on a 1-based line.
private func range(of needle: String, in file: SourceFile, line: Int, extend: Int = 0) -> SourceRange {
  let text = file.lineText(line)
  let bytes = Array(text.utf8)
  let n = Array(needle.utf8)
  var index = 0
  while index + n.count <= bytes.count, Array(bytes[index..<index + n.count]) != n { index += 1 }
  let start = file.lineStarts[line - 1] + index
  return SourceRange(file: file.id, start: start, end: start + n.count + extend)
}

private let cafe = SourceFile(
  id: 0, path: "rules/cafe.perk",
  text: (1...13).map { _ in "#" }.joined(separator: "\n") + "\n  when tier is goldd\n")

@Test func rendersPrimaryLabelAndHelpLikeRustc() {
  var d = Diagnostic(
    .unknownTier, "unknown tier `goldd`", at: range(of: "goldd", in: cafe, line: 14),
    label: "no tier with this name is declared")
  d.help = "did you mean `gold`?"
  let text = DiagnosticRenderer(files: [cafe], colors: false).render(d)
  #expect(
    text == """
      error[E0301]: unknown tier `goldd`
        --> rules/cafe.perk:14:16
         |
      14 |   when tier is goldd
         |                ^^^^^ no tier with this name is declared
         |
         = help: did you mean `gold`?

      """)
}

@Test func countsCharactersNotBytesBeforeTheRange() {
  let file = SourceFile(path: "m.perk", text: "reward free costs €5 stars\n")
  let d = Diagnostic(.currencyMismatch, "money in `EUR` in a `USD` program", at: range(of: "€5", in: file, line: 1))
  let text = DiagnosticRenderer(files: [file], colors: false).render(d)
  #expect(
    text == """
      error[E0405]: money in `EUR` in a `USD` program
       --> m.perk:1:19
        |
      1 | reward free costs €5 stars
        |                   ^^

      """)
}

@Test func expandsTabsInLineAndUnderlineAlike() {
  let file = SourceFile(path: "t.perk", text: "rule x\n\ton purchase\tnow\n")
  let d = Diagnostic(.unexpectedTrailingText, "unexpected `now`", at: range(of: "now", in: file, line: 2))
  let text = DiagnosticRenderer(files: [file], colors: false).render(d)
  #expect(
    text == """
      error[E0209]: unexpected `now`
       --> t.perk:2:14
        |
      2 |     on purchase now
        |                 ^^^

      """)
}

@Test func emptyRangeAtEndOfLineIsOneCaret() {
  let file = SourceFile(path: "e.perk", text: "rule x\n  earn 2 stars per\n")
  let end = file.lineStarts[1] + file.lineBytes(2).count
  let d = Diagnostic(.expectedExpression, "expected an amount after `per`", at: SourceRange(file: 0, start: end, end: end))
  let text = DiagnosticRenderer(files: [file], colors: false).render(d)
  #expect(
    text == """
      error[E0207]: expected an amount after `per`
       --> e.perk:2:19
        |
      2 |   earn 2 stars per
        |                   ^

      """)
}

@Test func multiLineRangeUnderlinesToEndOfFirstLine() {
  let file = SourceFile(path: "m.perk", text: "rule a\n  when (x and\n  y)\n")
  let start = range(of: "(x", in: file, line: 2).start
  let d = Diagnostic(.unclosedParenthesis, "unclosed `(`", at: SourceRange(file: 0, start: start, end: start + 12))
  let text = DiagnosticRenderer(files: [file], colors: false).render(d)
  #expect(
    text == """
      error[E0205]: unclosed `(`
       --> m.perk:2:8
        |
      2 |   when (x and
        |        ^^^^^^

      """)
}

@Test func secondaryLabelsNotesAndWidestGutter() {
  let lines = (1...8).map { "# \($0)" } + ["tiers by spend this year", "  gold from $500", "# between", "  gold from $900"]
  let file = SourceFile(path: "d.perk", text: lines.joined(separator: "\n") + "\n")
  var d = Diagnostic(
    .duplicateDeclaration, "tier `gold` is declared twice", at: range(of: "gold", in: file, line: 12),
    label: "declared again here",
    labels: [.init("first declared here", at: range(of: "gold", in: file, line: 10))],
    notes: ["tier names must be unique"])
  d.help = "rename one of them"
  let text = DiagnosticRenderer(files: [file], colors: false).render(d)
  #expect(
    text == """
      error[E0306]: tier `gold` is declared twice
        --> d.perk:12:3
         |
      10 |   gold from $500
         |   ---- first declared here
      ...
      12 |   gold from $900
         |   ^^^^ declared again here
         |
         = note: tier names must be unique
         = help: rename one of them

      """)
}

@Test func warningsAndColours() {
  let file = SourceFile(path: "w.perk", text: "points stars\n")
  let d = Diagnostic(.unusedPointsCurrency, "`stars` is never earned", at: range(of: "stars", in: file, line: 1))
  let text = DiagnosticRenderer(files: [file], colors: true).render(d)
  let esc = "\u{1B}["
  #expect(
    text == """
      \(esc)1;33mwarning[W0101]\(esc)0m\(esc)1m: `stars` is never earned\(esc)0m
       \(esc)1;34m-->\(esc)0m w.perk:1:8
        \(esc)1;34m|\(esc)0m
      \(esc)1;34m1 |\(esc)0m points stars
        \(esc)1;34m|\(esc)0m \(esc)1;33m       ^^^^^\(esc)0m

      """)
}

@Test func summaryLine() {
  let r = DiagnosticRenderer(files: [], colors: false)
  #expect(r.summary(errors: 2, warnings: 1) == "error: 2 errors and 1 warning emitted")
  #expect(r.summary(errors: 1, warnings: 0) == "error: 1 error emitted")
  #expect(r.summary(errors: 0, warnings: 3) == "warning: 3 warnings emitted")
  #expect(r.summary(errors: 0, warnings: 0) == nil)
}

@Test func diagnosticWithoutFileShowsHeaderOnly() {
  let d = Diagnostic(.missingProgram, "no `program` declaration", at: .none)
  #expect(DiagnosticRenderer(files: [], colors: false).render(d) == "error[E0501]: no `program` declaration\n")
}

@Test func jsonHasStableSortedKeys() {
  let file = SourceFile(path: "j.perk", text: "x €goldd\n")
  var d = Diagnostic(.unknownTier, "unknown tier `goldd`", at: range(of: "goldd", in: file, line: 1), label: "here")
  d.help = "did you mean `gold`?"
  let json = DiagnosticJSON.encode([d], files: [file])
  #expect(
    json == """
      [
        {
          "code" : "E0301",
          "help" : "did you mean `gold`?",
          "label" : "here",
          "labels" : [

          ],
          "message" : "unknown tier `goldd`",
          "notes" : [

          ],
          "path" : "j.perk",
          "range" : {
            "end" : {
              "column" : 9,
              "line" : 1,
              "offset" : 10
            },
            "start" : {
              "column" : 4,
              "line" : 1,
              "offset" : 5
            }
          },
          "severity" : "error"
        }
      ]
      """)
}

@Test func labelInAnotherFileGetsItsOwnArrow() {
  let a = SourceFile(id: 0, path: "a.perk", text: "rule base earn\n")
  let b = SourceFile(id: 1, path: "b.perk", text: "\nrule base earn\n")
  let d = Diagnostic(
    .duplicateDeclaration, "rule `base earn` is declared twice",
    at: range(of: "base earn", in: b, line: 2), label: "declared again here",
    labels: [.init("first declared here", at: range(of: "base earn", in: a, line: 1))])
  let text = DiagnosticRenderer(files: [a, b], colors: false).render(d)
  #expect(
    text == """
      error[E0306]: rule `base earn` is declared twice
       --> b.perk:2:6
        |
      2 | rule base earn
        |      ^^^^^^^^^ declared again here
       --> a.perk:1:6
        |
      1 | rule base earn
        |      --------- first declared here

      """)
}

@Test func longLinesShowAWindowAroundTheError() {
  let text = "rule x\n  when " + String(repeating: "a ", count: 500) + "%" + String(repeating: " b", count: 500) + "\n"
  let file = SourceFile(path: "long.perk", text: text)
  let offset = Array(text.utf8).firstIndex(of: UInt8(ascii: "%"))!
  let diagnostic = Diagnostic(.invalidCharacter, "unexpected character `%`", at: SourceRange(file: 0, start: offset, end: offset + 1))
  let rendered = DiagnosticRenderer(files: [file], colors: false).render(diagnostic)
  let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
  #expect(lines[1] == " --> long.perk:2:1008")
  #expect(lines[3].hasPrefix("2 | …a a a") && lines[3].hasSuffix("…"))
  #expect(lines[3].count < 200)
  // The caret sits under the `%` inside the window.
  let caret = lines[4].firstIndex(of: "^").map { lines[4].distance(from: lines[4].startIndex, to: $0) }
  let percent = lines[3].firstIndex(of: "%").map { lines[3].distance(from: lines[3].startIndex, to: $0) }
  #expect(caret != nil && caret == percent)
}

/// ESC, NUL and other control characters of the input are shown escaped — in the source
/// line, the message and the help — and the underline stays under the right characters.
@Test func escapesControlCharactersOfTheInput() {
  let file = SourceFile(path: "c.perk", text: "rule \u{1B}[31mred\0 x\n")
  var d = Diagnostic(.invalidCharacter, "unexpected character `\u{1B}`", at: range(of: "x", in: file, line: 1), label: "not `\u{7}`")
  d.help = "remove `\u{1B}[31m`\r"
  let text = DiagnosticRenderer(files: [file], colors: false).render(d)
  #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
  #expect(
    text == #"""
      error[E0101]: unexpected character `\u{1B}`
       --> c.perk:1:16
        |
      1 | rule \u{1B}[31mred\0 x
        |                      ^ not `\u{07}`
        |
        = help: remove `\u{1B}[31m`\r

      """#)
}

@Test func escapesC1ControlsDeleteAndBidiOverridesButNotPrintableText() {
  #expect(ControlEscapes.escaped("a\u{9B}31m\u{7F}é€\t") == #"a\u{009B}31m\u{7F}é€\t"#)
  // A right-to-left override would show the rest of the line reversed.
  #expect(ControlEscapes.escaped("rule \u{202E}abc\u{2066}") == #"rule \u{202E}abc\u{2066}"#)
  #expect(ControlEscapes.escaped("a\tb", keepingTabs: true) == "a\tb")
  #expect(ControlEscapes.escaped("plain `text` 🥐") == "plain `text` 🥐")
}
