// libFuzzer entry point: REPL input -> the session's commands, event notation, expressions
// and declarations, driven without a terminal (see docs/fuzzing.md).
import Perk
import PerkREPL

/// The input is what a user types, run twice from the same session (`rules/cafe.perk`
/// loaded, clock at 2026-03-02 09:00):
///
/// 1. piped, as `perk repl < FILE`: one input per line (`\r\n` or `\n`), through the
///    input assembler that joins a declaration's indented lines;
/// 2. as keystrokes on a terminal, as ``ReplDriver/runTerminal`` handles them: the bytes,
///    in reads of a few bytes, through the key decoder and the line editor (history,
///    completion, Ctrl-R search), each submitted line into the assembler and the session.
///
/// Files are in memory: `:load`/`:reload` see `rules/*.perk` only, `:save` writes nothing
/// (and fails for a path containing `full`, as on a full disk).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzREPL(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  FuzzREPL.piped(bytes)
  FuzzREPL.keys(bytes)
  return 0
}

enum FuzzREPL {
  static let files = Session.FileAccess(
    read: { path in FuzzPrograms.texts[path] },
    write: { path, _ in !path.contains("full") })

  /// A session with the café program loaded, copied for each input (a session is a value).
  static let start: Session = {
    let clock = Instant(secondsSince1970: 0)
    var session = Session(style: ReplStyle(enabled: false), clock: clock, files: files)
    _ = session.load(path: "rules/cafe.perk")
    guard session.setStart("2026-03-02T09:00") == nil else { fatalError("fuzz harness: bad start") }
    return session
  }()

  static func piped(_ bytes: [UInt8]) {
    var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map { line in
      String(decoding: line.last == 13 ? line.dropLast() : line, as: UTF8.self)
    }
    if lines.last == "" { lines.removeLast() }  // the newline ends the last line
    var session = start
    var next = 0
    // The writer never fails here, so neither does the run.
    _ = try? ReplDriver.runPiped(&session, readLine: {
      defer { next += 1 }
      return next < lines.count ? lines[next] : nil
    }, echo: true, write: { _ in })
  }

  static func keys(_ bytes: [UInt8]) {
    var session = start
    session.style = ReplStyle(enabled: true)
    var editor = LineEditor(history: ["buy latte", ":state"]) { text, cursor in session.completions(text, cursor: cursor) }
    var decoder = KeyDecoder()
    var assembler = InputAssembler { session.opensDeclaration($0) }
    func run(_ inputs: [String]) {
      for input in inputs where !session.finished { _ = session.handle(input) }
    }
    // Reads of a few bytes, so that escape sequences are split across reads too.
    let readSize = 1 + Int(bytes.first ?? 0) % 8
    var offset = 0
    reading: while offset < bytes.count, !session.finished {
      let read = Array(bytes[offset..<min(offset + readSize, bytes.count)])
      offset += read.count
      var keys = decoder.decode(read)
      if decoder.hasPending, offset >= bytes.count { keys += decoder.flush() }
      for key in keys {
        switch editor.handle(key) {
        case .redraw, .list, .clearScreen:
          _ = visibleWindow(of: editor.buffer, cursor: editor.cursor, room: 40)
        case .submit(let line):
          editor.remember(line)
          editor.reset()
          run(assembler.feed(line))
          if session.finished { break reading }
        case .cancel:
          assembler.cancel()
          editor.reset()
        case .endOfInput:
          break reading
        }
      }
    }
    run(assembler.finish())
  }
}
