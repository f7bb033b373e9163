/// Groups typed lines into complete inputs: a declaration (`rule …` at column 1) continues
/// over the indented lines (and comments) after it; an empty line, or a line at column 1,
/// closes it. Every other line is an input of its own.
///
/// The same rule serves the terminal (where the prompt shows `...` while a declaration is
/// open) and piped scripts (where no blank line is needed before the next command).
package struct InputAssembler {
  private var pending: [String] = []
  /// Whether a line opens a declaration (the session's rule: see ``Session/opensDeclaration(_:)``).
  private let opens: (String) -> Bool

  package init(opens: @escaping (String) -> Bool = Session.startsDeclaration) {
    self.opens = opens
  }

  /// Whether a declaration is open (the next line may continue it).
  package var isOpen: Bool { !pending.isEmpty }

  /// Feeds one line (without its newline); returns the inputs it completes, in order.
  package mutating func feed(_ line: String) -> [String] {
    if isOpen {
      let continues = line.first == " " || line.first == "\t" || line.hasPrefix("#")
      if continues {
        pending.append(line)
        return []
      }
      let closed = pending.joined(separator: "\n")
      pending = []
      if line.trimmingCharacters(in: .whitespaces).isEmpty { return [closed] }
      return [closed] + feed(line)
    }
    if opens(line) {
      pending = [line]
      return []
    }
    return [line]
  }

  /// Closes an open declaration at the end of input (or on Ctrl-D).
  package mutating func finish() -> [String] {
    guard isOpen else { return [] }
    defer { pending = [] }
    return [pending.joined(separator: "\n")]
  }

  /// Drops an open declaration (Ctrl-C).
  package mutating func cancel() { pending = [] }
}
