/// ANSI styling for rendered diagnostics; every function is the identity when disabled.
struct TerminalStyle: Sendable {
  let enabled: Bool

  private func paint(_ code: String, _ text: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  /// Bold, for messages.
  func bold(_ text: String) -> String { paint("1", text) }
  /// Bold blue, for the gutter, `-->` and `=`.
  func gutter(_ text: String) -> String { paint("1;34", text) }
  /// Bold blue, for secondary underlines.
  func secondary(_ text: String) -> String { paint("1;34", text) }

  /// Bold red for errors, bold yellow for warnings, bold cyan for notes.
  func severity(_ severity: Severity) -> @Sendable (String) -> String {
    let code: String
    switch severity {
    case .error: code = "1;31"
    case .warning: code = "1;33"
    case .note: code = "1;36"
    }
    let enabled = self.enabled
    return { text in enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
  }
}
