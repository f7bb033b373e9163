/// Renders diagnostics as text in the style of rustc: a header, a `-->` location, the
/// source line under a right-aligned gutter, the range underlined, then notes and help.
/// Control characters of the input are shown escaped (``ControlEscapes``), never sent raw.
///
///     error[E0301]: unknown tier `goldd`
///       --> rules/cafe.perk:14:16
///        |
///     14 |   when tier is goldd
///        |                ^^^^^ no tier with this name is declared
///        |
///        = help: did you mean `gold`?
public struct DiagnosticRenderer: Sendable {
  /// How many columns a tab advances; tabs are expanded in both the source line and the underline.
  static let tabWidth = 4

  private let files: [SourceFile.ID: SourceFile]
  private let style: TerminalStyle

  /// Creates a renderer for diagnostics whose ranges point into `files`; ANSI colours only when `colors`.
  public init(files: [SourceFile], colors: Bool) {
    var table: [SourceFile.ID: SourceFile] = [:]
    for file in files { table[file.id] = file }
    self.files = table
    self.style = TerminalStyle(enabled: colors)
  }

  /// Renders every diagnostic, each followed by a blank line.
  public func render(_ diagnostics: [Diagnostic]) -> String {
    diagnostics.map { render($0) + "\n" }.joined()
  }

  /// Renders one diagnostic; the text ends with a newline.
  public func render(_ diagnostic: Diagnostic) -> String {
    var out = header(diagnostic)
    let severityStyle = style.severity(diagnostic.severity)

    // Annotations grouped by file (primary file first), then by line.
    var annotations = [Annotation(range: diagnostic.range, message: diagnostic.primaryLabel, isPrimary: true)]
    annotations += diagnostic.labels.map { Annotation(range: $0.range, message: $0.message, isPrimary: false) }
    let shown = annotations.filter { files[$0.range.file] != nil }

    let lineNumbers = shown.compactMap { a in files[a.range.file].map { $0.location(of: a.range.start).line } }
    let width = String(lineNumbers.max() ?? 0).count
    let pad = String(repeating: " ", count: width)
    let bar = style.gutter("|")

    var fileOrder: [SourceFile.ID] = []
    for a in shown where !fileOrder.contains(a.range.file) { fileOrder.append(a.range.file) }

    for fileID in fileOrder {
      guard let file = files[fileID] else { continue }
      let inFile = shown.filter { $0.range.file == fileID }
      let anchor = inFile.first { $0.isPrimary } ?? inFile[0]
      let location = file.location(of: anchor.range.start)
      out += "\(pad)\(style.gutter("-->")) \(ControlEscapes.escaped("\(location)"))\n"
      out += "\(pad) \(bar)\n"
      var lines: [Int] = []
      for a in inFile {
        let line = file.location(of: a.range.start).line
        if !lines.contains(line) { lines.append(line) }
      }
      var previous: Int?
      for line in lines.sorted() {
        // Skipped lines between two shown ones are elided, as rustc does.
        if let previous, line > previous + 1 { out += style.gutter("...") + "\n" }
        previous = line
        let onLine = inFile.filter { file.location(of: $0.range.start).line == line }
          .sorted { $0.isPrimary && !$1.isPrimary }
        let window = Self.window(of: line, in: file, around: onLine.first?.range.start ?? 0)
        let lineStart = file.lineStarts[line - 1]
        let lineEnd = lineStart + file.lineBytes(line).count
        let prefix = window.lowerBound > lineStart ? "…" : ""
        let suffix = window.upperBound < lineEnd ? "…" : ""
        let text = prefix + String(decoding: file.bytes[window], as: UTF8.self) + suffix
        let number = String(line)
        let lineGutter = String(repeating: " ", count: width - number.count) + number
        out += "\(style.gutter(lineGutter + " |")) \(Self.shown(text))".trimmingTrailingSpaces() + "\n"
        for a in onLine {
          var (column, length) = Self.underlineSpan(of: a.range, in: file, line: line, window: window)
          column += prefix.count
          let mark = String(repeating: a.isPrimary ? "^" : "-", count: length)
          var underline = String(repeating: " ", count: column) + mark
          if let message = a.message, !message.isEmpty { underline += " " + ControlEscapes.escaped(message) }
          let painted = a.isPrimary ? severityStyle(underline) : style.secondary(underline)
          out += "\(pad) \(bar) \(painted)\n"
        }
      }
    }

    if !diagnostic.notes.isEmpty || diagnostic.help != nil {
      if !shown.isEmpty { out += "\(pad) \(bar)\n" }
      for note in diagnostic.notes { out += "\(pad) \(style.gutter("=")) \(style.bold("note")): \(ControlEscapes.escaped(note))\n" }
      if let help = diagnostic.help { out += "\(pad) \(style.gutter("=")) \(style.bold("help")): \(ControlEscapes.escaped(help))\n" }
    }
    return out
  }

  /// The summary line, such as `error: 2 errors and 1 warning emitted`; nil when there is nothing to report.
  public func summary(errors: Int, warnings: Int) -> String? {
    func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
    let text: String
    let severity: Severity
    switch (errors, warnings) {
    case (0, 0): return nil
    case (_, 0): text = count(errors, "error"); severity = .error
    case (0, _): text = count(warnings, "warning"); severity = .warning
    default: text = count(errors, "error") + " and " + count(warnings, "warning"); severity = .error
    }
    return "\(style.severity(severity)(severity.rawValue))\(style.bold(": \(text) emitted"))"
  }

  /// The summary for a list of diagnostics.
  public func summary(of diagnostics: [Diagnostic]) -> String? {
    summary(
      errors: diagnostics.count { $0.severity == .error },
      warnings: diagnostics.count { $0.severity == .warning })
  }

  private func header(_ diagnostic: Diagnostic) -> String {
    let kind = "\(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]"
    return "\(style.severity(diagnostic.severity)(kind))\(style.bold(": \(ControlEscapes.escaped(diagnostic.message))"))\n"
  }

  /// Lines longer than this many bytes are shown as a window around the first annotation,
  /// so a diagnostic on a megabyte-long line prints a screenful, not the megabyte.
  static let maximumShownLineBytes = 200

  /// The bytes of `line` to show: the whole line, or a window of it around `anchor`
  /// snapped to UTF-8 character boundaries.
  static func window(of line: Int, in file: SourceFile, around anchor: Int) -> Range<Int> {
    let lineStart = file.lineStarts[line - 1]
    let lineEnd = lineStart + file.lineBytes(line).count
    guard lineEnd - lineStart > maximumShownLineBytes else { return lineStart..<lineEnd }
    var start = max(lineStart, min(anchor, lineEnd) - 60)
    var end = min(lineEnd, start + 160)
    while start > lineStart, file.bytes[start] & 0xC0 == 0x80 { start -= 1 }
    while end < lineEnd, file.bytes[end] & 0xC0 == 0x80 { end += 1 }
    return start..<end
  }

  /// Display column (0-based, tabs expanded) and underline length for `range` on `line`
  /// (or on the shown `window` of it).
  ///
  /// Ranges that run past the line underline to its end; empty ranges get one mark.
  static func underlineSpan(of range: SourceRange, in file: SourceFile, line: Int, window: Range<Int>? = nil) -> (Int, Int) {
    let shown = window ?? (file.lineStarts[line - 1]..<(file.lineStarts[line - 1] + file.lineBytes(line).count))
    let lineStart = shown.lowerBound
    let lineEnd = shown.upperBound
    let start = min(max(range.start, lineStart), lineEnd)
    let end = min(max(range.end, start), lineEnd)
    let before = String(decoding: file.bytes[lineStart..<start], as: UTF8.self)
    let covered = String(decoding: file.bytes[start..<end], as: UTF8.self)
    let column = displayWidth(before)
    let length = displayWidth(covered, startingAt: column)
    return (column, max(1, length))
  }

  /// The number of columns `text` takes when it starts at `column`, as ``shown(_:)`` shows it.
  static func displayWidth(_ text: String, startingAt column: Int = 0) -> Int {
    layout(text, startingAt: column).width
  }

  /// A source line as shown: tabs expanded to tab stops and control characters escaped
  /// (`\u{1B}`), the same way ``displayWidth(_:startingAt:)`` counts them, so underlines stay aligned.
  static func shown(_ text: String) -> String {
    layout(text, startingAt: 0).text
  }

  private static func layout(_ text: String, startingAt column: Int) -> (text: String, width: Int) {
    var out = ""
    var position = column
    for character in text {
      if character == "\t" {
        let n = tabWidth - position % tabWidth
        out += String(repeating: " ", count: n)
        position += n
      } else if let escape = ControlEscapes.escaped(character) {
        out += escape
        position += escape.count
      } else {
        out.append(character)
        position += 1
      }
    }
    return (out, position - column)
  }
}

/// One underlined range in a rendered snippet.
private struct Annotation {
  var range: SourceRange
  var message: String?
  var isPrimary: Bool
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var s = self
    while s.last == " " { s.removeLast() }
    return s
  }
}
