/// ANSI colour for the REPL's own output; every function is the identity when disabled
/// (piped sessions, `NO_COLOR`, `TERM=dumb`).
package struct ReplStyle: Sendable {
  package var enabled: Bool

  package init(enabled: Bool) { self.enabled = enabled }

  private func paint(_ code: String, _ text: String) -> String {
    enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  /// Bold, for headings and transaction ids.
  package func bold(_ text: String) -> String { paint("1", text) }
  /// Dim, for explanations and secondary facts.
  package func dim(_ text: String) -> String { paint("2", text) }
  /// Green, for what a customer gains.
  package func gain(_ text: String) -> String { paint("32", text) }
  /// Red, for what a customer loses and for errors.
  package func loss(_ text: String) -> String { paint("31", text) }
  /// Bold red `error`.
  package func error(_ text: String) -> String { paint("1;31", text) }
  /// Bold yellow `warning`.
  package func warning(_ text: String) -> String { paint("1;33", text) }
  /// Cyan, for names of rules and customers.
  package func name(_ text: String) -> String { paint("36", text) }
  /// Blue gutter, as in diagnostics.
  package func gutter(_ text: String) -> String { paint("1;34", text) }
}
