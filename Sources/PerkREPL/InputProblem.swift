/// A mistake in a line typed at the prompt that is not a program diagnostic (an event in the
/// REPL's notation, a command's argument): rendered like a diagnostic, with an underline
/// under the typed line, so every error looks the same.
struct InputProblem: Error, Equatable {
  /// One lowercase phrase without a final period; source text in backticks.
  var message: String
  /// The underlined columns of the typed line, in characters; nil underlines nothing.
  var span: Range<Int>?
  /// Text after the underline.
  var label: String?
  /// How to fix it.
  var help: String?

  init(_ message: String, span: Range<Int>? = nil, label: String? = nil, help: String? = nil) {
    self.message = message
    self.span = span
    self.label = label
    self.help = help
  }

  /// `error: …`, then the typed line with its underline, then `= help: …`.
  func render(line: String, style: ReplStyle) -> String {
    var out = "\(style.error("error")): \(style.bold(message))\n"
    if let span {
      let shown = line.replacingTabs()
      out += " \(style.gutter("-->")) <input>:1:\(span.lowerBound + 1)\n"
      out += "  \(style.gutter("|"))\n"
      out += "\(style.gutter("1 |")) \(shown)\n"
      let width = max(1, span.count)
      var underline = String(repeating: " ", count: span.lowerBound) + String(repeating: "^", count: width)
      if let label { underline += " " + label }
      out += "  \(style.gutter("|")) \(style.error(underline))\n"
      if help != nil { out += "  \(style.gutter("|"))\n" }
    }
    if let help { out += "  \(style.gutter("=")) \(style.bold("help")): \(help)\n" }
    return out
  }
}

extension String {
  /// Tabs as single spaces, so underline columns (counted in characters) stay aligned.
  func replacingTabs() -> String { String(map { $0 == "\t" ? " " : $0 }) }
}
