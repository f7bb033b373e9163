/// What completing the word before the cursor offers: the candidates and where the word starts.
package struct CompletionOffer: Equatable, Sendable {
  /// The character index where the text being completed starts.
  package var start: Int
  /// Full replacements for the text from `start` to the cursor.
  package var candidates: [String]
  package init(start: Int, candidates: [String]) {
    self.start = start
    self.candidates = candidates
  }
}

/// The editable line of the terminal REPL: a buffer and a cursor, history (up/down, Ctrl-R
/// reverse search) and tab completion. Pure: it takes keys and says what happened, so it is
/// tested by feeding key bytes and reading the buffer and cursor.
package struct LineEditor {
  /// What a key did, for the driver.
  package enum Event: Equatable {
    /// Redraw the line.
    case redraw
    /// Enter: the line is complete.
    case submit(String)
    /// Ctrl-C: the line (and any open declaration) is dropped.
    case cancel
    /// Ctrl-D on an empty line: leave.
    case endOfInput
    /// Tab with several candidates and nothing more in common: show them.
    case list([String])
    /// Ctrl-L.
    case clearScreen
  }

  /// A Ctrl-R search in progress.
  package struct Search: Equatable {
    package var query: String = ""
    /// The history index of the current match.
    package var match: Int?
    package var failed = false
    /// The line as it was when the search began, restored by Ctrl-C/Ctrl-G.
    var original: [Character]
    var originalCursor: Int
  }

  package private(set) var buffer: [Character] = []
  package private(set) var cursor = 0
  /// Earlier inputs, oldest first.
  package private(set) var history: [String]
  /// While browsing with up/down: the index shown; nil on the line being typed.
  private var historyIndex: Int?
  private var draft: [Character] = []
  package private(set) var search: Search?
  /// Candidates for the text before the cursor.
  private let complete: (String, Int) -> CompletionOffer?

  package init(history: [String] = [], complete: @escaping (String, Int) -> CompletionOffer? = { _, _ in nil }) {
    self.history = history
    self.complete = complete
  }

  /// The line's text.
  package var text: String { String(buffer) }

  /// Starts a new, empty line (history is kept).
  package mutating func reset() {
    buffer = []
    cursor = 0
    historyIndex = nil
    search = nil
  }

  /// Adds a submitted line to the history (not blank lines, not a repeat of the last one).
  package mutating func remember(_ line: String) {
    guard !line.trimmingCharacters(in: .whitespaces).isEmpty, history.last != line else { return }
    history.append(line)
  }

  /// Applies one key.
  package mutating func handle(_ key: Key) -> Event {
    if search != nil { return handleSearch(key) }
    switch key {
    case .character(let c):
      buffer.insert(c, at: cursor)
      cursor += 1
    case .enter:
      return .submit(text)
    case .tab:
      return completeWord()
    case .backspace:
      guard cursor > 0 else { break }
      cursor -= 1
      buffer.remove(at: cursor)
    case .delete:
      if cursor < buffer.count { buffer.remove(at: cursor) }
    case .left: cursor = max(0, cursor - 1)
    case .right: cursor = min(buffer.count, cursor + 1)
    case .home: cursor = 0
    case .end: cursor = buffer.count
    case .wordLeft: cursor = wordStart(before: cursor)
    case .wordRight: cursor = wordEnd(after: cursor)
    case .deleteWordBackward:
      let start = wordStart(before: cursor)
      buffer.removeSubrange(start..<cursor)
      cursor = start
    case .deleteWordForward:
      buffer.removeSubrange(cursor..<wordEnd(after: cursor))
    case .killToEnd: buffer.removeSubrange(cursor...)
    case .killToStart:
      buffer.removeSubrange(..<cursor)
      cursor = 0
    case .up: browse(by: -1)
    case .down: browse(by: 1)
    case .interrupt: return .cancel
    case .endOfInput:
      if buffer.isEmpty { return .endOfInput }
      if cursor < buffer.count { buffer.remove(at: cursor) }
    case .reverseSearch:
      search = Search(original: buffer, originalCursor: cursor)
    case .clearScreen: return .clearScreen
    case .escape, .ignored: break
    }
    return .redraw
  }

  // MARK: - Words

  private func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

  /// The start of the word before `index` (skipping the separators just before it).
  private func wordStart(before index: Int) -> Int {
    var i = index
    while i > 0, !isWordCharacter(buffer[i - 1]) { i -= 1 }
    while i > 0, isWordCharacter(buffer[i - 1]) { i -= 1 }
    return i
  }

  /// The end of the word after `index`.
  private func wordEnd(after index: Int) -> Int {
    var i = index
    while i < buffer.count, !isWordCharacter(buffer[i]) { i += 1 }
    while i < buffer.count, isWordCharacter(buffer[i]) { i += 1 }
    return i
  }

  // MARK: - History

  private mutating func browse(by step: Int) {
    guard !history.isEmpty else { return }
    let current = historyIndex ?? history.count
    let next = min(history.count, max(0, current + step))
    guard next != current else { return }
    if historyIndex == nil { draft = buffer }
    if next == history.count {
      historyIndex = nil
      buffer = draft
    } else {
      historyIndex = next
      buffer = Array(history[next])
    }
    cursor = buffer.count
  }

  private mutating func handleSearch(_ key: Key) -> Event {
    guard var s = search else { return .redraw }
    switch key {
    case .character(let c):
      s.query.append(c)
      s.match = find(s.query, before: history.count, fallback: s.match)
    case .backspace:
      if !s.query.isEmpty { s.query.removeLast() }
      s.match = s.query.isEmpty ? nil : find(s.query, before: history.count, fallback: nil)
    case .reverseSearch:
      if let from = s.match, let older = find(s.query, before: from, fallback: nil) { s.match = older } else { s.failed = !s.query.isEmpty }
      search = s
      return .redraw
    case .interrupt:
      buffer = s.original
      cursor = s.originalCursor
      search = nil
      return .redraw
    case .enter:
      accept(s)
      return .submit(text)
    default:
      // Any other key accepts the match and then acts on the line (as readline does).
      accept(s)
      if key == .escape { return .redraw }
      return handle(key)
    }
    s.failed = !s.query.isEmpty && (s.match.map { !history[$0].contains(s.query) } ?? true)
    search = s
    return .redraw
  }

  /// The newest history index below `before` whose entry contains `query`.
  private func find(_ query: String, before: Int, fallback: Int?) -> Int? {
    guard !query.isEmpty else { return fallback }
    var i = min(before, history.count) - 1
    while i >= 0 {
      if history[i].contains(query) { return i }
      i -= 1
    }
    return fallback
  }

  private mutating func accept(_ s: Search) {
    if let match = s.match {
      buffer = Array(history[match])
      cursor = buffer.count
    } else {
      buffer = s.original
      cursor = s.originalCursor
    }
    search = nil
  }

  /// What the terminal shows while searching: `(reverse-i-search)'que': the match`.
  package var searchLine: String? {
    guard let s = search else { return nil }
    let found = s.match.map { history[$0] } ?? ""
    return "(\(s.failed ? "failed " : "")reverse-i-search)`\(s.query)': \(found)"
  }

  // MARK: - Completion

  private mutating func completeWord() -> Event {
    guard let offer = complete(text, cursor), offer.start <= cursor else { return .redraw }
    let typed = String(buffer[offer.start..<cursor])
    let matches = offer.candidates.filter { $0.hasPrefix(typed) }
    guard !matches.isEmpty else { return .redraw }
    var common = matches[0]
    for m in matches.dropFirst() {
      common = String(zip(common, m).prefix { $0 == $1 }.map(\.0))
    }
    if matches.count == 1 { common += " " }
    if common.count > typed.count || matches.count == 1 {
      let insertion = Array(common.dropFirst(typed.count))
      buffer.insert(contentsOf: insertion, at: cursor)
      cursor += insertion.count
      return .redraw
    }
    return .list(matches)
  }
}

/// The part of a line that fits the terminal: a line longer than the room after the prompt
/// scrolls sideways so the cursor stays in view (a wrapped line could not be redrawn in
/// place), with `<` or `>` where text is hidden.
package func visibleWindow(of text: [Character], cursor: Int, room: Int) -> (shown: String, cursorColumn: Int) {
  // One column stays free for the cursor after the last character.
  let width = room - 1
  guard width > 3, text.count > width else { return (String(text), cursor) }
  // The text shown between the two markers; scrolled as little as keeps the cursor in view.
  let inner = width - 2
  let start = min(max(0, cursor - inner), text.count - inner)
  let end = start + inner
  let shown = (start > 0 ? "<" : "") + String(text[start..<end]) + (end < text.count ? ">" : "")
  return (shown, (start > 0 ? 1 : 0) + cursor - start)
}
