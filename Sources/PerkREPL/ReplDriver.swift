import PerkRuntime

/// Runs a session against standard input: line by line when piped, with the line editor
/// on a terminal.
package enum ReplDriver {
  /// Piped mode: no editing, no colour, nothing echoed unless `echo` (then each input is
  /// printed after its prompt, which makes a readable transcript). Returns the exit code:
  /// 1 when any input failed, so scripts notice. A failure of `write` (a full disk, a
  /// closed pipe) ends the session and is thrown.
  package static func runPiped(_ session: inout Session, readLine: () -> String?, echo: Bool, write: (String) throws -> Void) throws -> Int32 {
    let box = SessionBox(session)
    defer { session = box.session }
    let code = try runPiped(box, readLine: readLine, echo: echo, write: write)
    return code
  }

  static func runPiped(_ box: SessionBox, readLine: () -> String?, echo: Bool, write: (String) throws -> Void) throws -> Int32 {
    var assembler = InputAssembler { box.session.opensDeclaration($0) }
    func handle(_ input: String) throws {
      if echo {
        let lines = input.split(separator: "\n", omittingEmptySubsequences: false)
        var shown = ""
        for (index, line) in lines.enumerated() {
          shown += (index == 0 ? box.session.prompt : String(repeating: " ", count: max(0, box.session.prompt.count - 4)) + "... ") + line + "\n"
        }
        try write(shown)
      }
      try write(box.session.handle(input))
    }
    while !box.session.finished, let line = readLine() {
      for input in assembler.feed(line) {
        try handle(input)
        if box.session.finished { break }
      }
    }
    if !box.session.finished { for input in assembler.finish() { try handle(input) } }
    return box.session.hadError ? 1 : 0
  }

  /// Terminal mode: raw input through the ``LineEditor``, history kept in `history`.
  /// The terminal is restored on every way out.
  package static func runTerminal(_ session: inout Session, history: HistoryFile, banner: String) -> Int32 {
    guard RawTerminal.enable() else {
      // RawTerminal.write cannot fail: what a terminal refuses is dropped.
      return (try? runPiped(&session, readLine: { Swift.readLine(strippingNewline: true) }, echo: false, write: RawTerminal.write)) ?? 1
    }
    defer { RawTerminal.restore() }
    let box = SessionBox(session)
    defer { session = box.session }
    var editor = LineEditor(history: history.load()) { text, cursor in box.session.completions(text, cursor: cursor) }
    var decoder = KeyDecoder()
    var assembler = InputAssembler { box.session.opensDeclaration($0) }
    let style = box.session.style
    RawTerminal.write(banner)

    func prompt() -> String {
      assembler.isOpen ? String(repeating: " ", count: max(0, box.session.prompt.count - 4)) + "... " : box.session.prompt
    }
    func render() {
      if let search = editor.searchLine {
        RawTerminal.write("\r\u{1B}[K" + search)
        return
      }
      let shownPrompt = prompt()
      let (shown, column) = visibleWindow(of: editor.buffer, cursor: editor.cursor, room: RawTerminal.width - shownPrompt.count)
      RawTerminal.write("\r\u{1B}[K" + style.bold(shownPrompt) + shown)
      let back = shown.count - column
      if back > 0 { RawTerminal.write("\u{1B}[\(back)D") }
    }
    func run(_ inputs: [String]) {
      for input in inputs {
        RawTerminal.write(WordWrap.wrap(box.session.handle(input), width: RawTerminal.width))
        if box.session.finished { return }
      }
    }

    render()
    reading: while !box.session.finished {
      let bytes = RawTerminal.read()
      if bytes.isEmpty {
        RawTerminal.write("\n")
        run(assembler.finish())
        break
      }
      var keys = decoder.decode(bytes)
      if decoder.hasPending, !RawTerminal.hasInput(waitingMilliseconds: 30) { keys += decoder.flush() }
      for key in keys {
        switch editor.handle(key) {
        case .redraw:
          render()
        case .submit(let line):
          RawTerminal.write("\r\u{1B}[K" + style.bold(prompt()) + line + "\n")
          editor.remember(line)
          history.append(line)
          editor.reset()
          run(assembler.feed(line))
          if box.session.finished { break reading }
          render()
        case .cancel:
          RawTerminal.write("^C\n")
          assembler.cancel()
          editor.reset()
          render()
        case .endOfInput:
          RawTerminal.write("\n")
          run(assembler.finish())
          break reading
        case .list(let candidates):
          RawTerminal.write("\n" + columns(candidates, width: RawTerminal.width))
          render()
        case .clearScreen:
          RawTerminal.write("\u{1B}[H\u{1B}[2J")
          render()
        }
      }
    }
    return 0
  }

  /// Candidates in columns that fit the terminal, as shells list them.
  package static func columns(_ items: [String], width: Int) -> String {
    let cell = (items.map(\.count).max() ?? 0) + 2
    let perRow = max(1, width / max(1, cell))
    var out = ""
    for (index, item) in items.enumerated() {
      let last = index % perRow == perRow - 1 || index == items.count - 1
      out += last ? item + "\n" : item + String(repeating: " ", count: cell - item.count)
    }
    return out
  }
}

/// The session, shared with the completion closure the line editor holds.
final class SessionBox {
  var session: Session
  init(_ session: Session) { self.session = session }
}
