import Foundation
import PerkTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Drives the built `perk repl` on a pseudo-terminal, as a person would: keys in, screen out.
@Suite(.serialized) struct PseudoTerminalTests {
  /// A child process whose standard streams are the slave side of a pty.
  final class Terminal {
    let process = Process()
    var master: Int32 = -1
    var screen = ""

    init(arguments: [String], environment: [String: String]) throws {
      var slave: Int32 = -1
      guard openpty(&master, &slave, nil, nil, nil) == 0 else { throw POSIXError(.ENOTTY) }
      process.executableURL = PerkExecutable.url
      process.arguments = arguments
      var env = ProcessInfo.processInfo.environment
      env["PERK_RECORD_GOLDEN"] = nil
      env["NO_COLOR"] = nil
      for (key, value) in environment { env[key] = value }
      process.environment = env
      process.currentDirectoryURL = PerkExecutable.repositoryRoot()
      let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
      process.standardInput = handle
      process.standardOutput = handle
      process.standardError = handle
      try process.run()
      close(slave)
    }

    deinit {
      if process.isRunning { kill(process.processIdentifier, SIGKILL) }
      close(master)
    }

    /// The line discipline's local flags (on Linux the master reports the slave's settings).
    var localFlags: tcflag_t {
      var settings = termios()
      tcgetattr(master, &settings)
      return settings.c_lflag
    }

    func send(_ text: String) {
      let bytes = Array(text.utf8)
      _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Reads until the screen (since `from`) contains `text`; fails after 20 seconds.
    @discardableResult
    func expect(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
      let deadline = Date().addingTimeInterval(20)
      while !screen.contains(text) {
        guard Date() < deadline, readSome() else {
          Issue.record("never saw \(text.debugDescription); screen:\n\(screen)", sourceLocation: sourceLocation)
          return false
        }
      }
      return true
    }

    /// Reads what is there (waiting up to 0.5 s); false at end of output.
    @discardableResult
    func readSome() -> Bool {
      var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
      guard poll(&descriptor, 1, 500) > 0 else { return process.isRunning }
      var buffer = [UInt8](repeating: 0, count: 4096)
      let n = read(master, &buffer, buffer.count)
      guard n > 0 else { return false }
      screen += String(decoding: buffer[0..<n], as: UTF8.self)
      return true
    }

    /// Everything after the last occurrence of `marker`.
    func after(_ marker: String) -> String {
      guard let range = screen.range(of: marker, options: .backwards) else { return "" }
      return String(screen[range.upperBound...])
    }

    func waitForExit() -> Int32 {
      let deadline = Date().addingTimeInterval(20)
      while process.isRunning, Date() < deadline { readSome() }
      if process.isRunning {
        Issue.record("perk repl did not exit; screen:\n\(screen)")
        kill(process.processIdentifier, SIGKILL)
      }
      return process.waitForExit().status
    }
  }

  @Test func lineEditingHistoryCompletionAndMultiLineInput() throws {
    let historyPath = FileManager.default.temporaryDirectory.appendingPathComponent("perk-history-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: historyPath) }
    // A line from an earlier session.
    try "buy 3 croissant @ 3.25 pastry\n".write(toFile: historyPath, atomically: true, encoding: .utf8)
    let t = try Terminal(arguments: ["repl", "rules/cafe.perk", "--at", "2026-11-03"],
                         environment: ["PERK_HISTORY": historyPath, "NO_COLOR": "1", "TERM": "xterm"])
    t.expect("perk> ")

    // Tab completes a command; the customer becomes the prompt.
    t.send(":cust\t")
    t.expect(":customer ")
    t.send("alice\r")
    t.expect("new customer alice (current)")
    t.expect("alice> ")

    // Line editing: Ctrl-A inserts at the start, Alt-B jumps back a word, → moves, Ctrl-E ends.
    t.send("uy 2 latte @ 4.50 cofee\u{01}b\u{05}\u{1B}b\u{1B}[C\u{1B}[Cf\u{05}\r")
    t.expect("T1 alice 2026-11-03 Tue 12:00  paid $9.00")

    // History from the earlier session, three lines up.
    t.send("\u{1B}[A\u{1B}[A\u{1B}[A")
    t.expect("buy 3 croissant @ 3.25 pastry")
    t.send("\r")
    t.expect("T2 alice 2026-11-03 Tue 12:00  paid $9.75")

    // Ctrl-R finds the latte purchase again.
    t.send("\u{12}latte")
    t.expect("(reverse-i-search)`latte': buy 2 latte @ 4.50 coffee")
    t.send("\r")
    t.expect("T3 alice 2026-11-03 Tue 12:00  paid $9.00")

    // Completion of a SKU seen before, and a list when several commands match.
    t.send("buy cro\t")
    t.expect("buy croissant ")
    t.send("\r")
    t.expect("T4 alice 2026-11-03 Tue 12:00  paid $3.25")
    t.send(":s\t")
    t.expect(":state  :save")
    // Ctrl-C drops the line.
    t.send("\u{03}")
    t.expect("^C")

    // A declaration continues over indented lines; an empty line ends it.
    t.send("rule big basket\r")
    t.expect("  ... ")
    t.send("  on purchase\r  when basket total >= $20\r  earn 100 stars\r\r")
    t.expect("added rule big basket")
    t.send("stars bal\t")
    t.expect("stars balance ")
    t.send("\r")
    t.expect("228 stars")

    // Ctrl-D leaves; the session's lines were appended to the history file.
    t.send("\u{04}")
    #expect(t.waitForExit() == 0)
    let history = try String(contentsOfFile: historyPath, encoding: .utf8)
    #expect(history == """
      buy 3 croissant @ 3.25 pastry
      :customer alice
      buy 2 latte @ 4.50 coffee
      buy 3 croissant @ 3.25 pastry
      buy 2 latte @ 4.50 coffee
      buy croissant 
      rule big basket
        on purchase
        when basket total >= $20
        earn 100 stars
      stars balance 

      """)
    // NO_COLOR: no colour codes, only cursor control.
    #expect(!t.screen.contains("\u{1B}[1m"))
    #expect(!t.screen.contains("\u{1B}[32m"))
  }

  /// On a terminal (80 columns here: the pty reports no size), a long output line breaks at a
  /// space, its continuation indented; piped output is never wrapped.
  @Test func longOutputLinesWrapAtWordBoundaries() throws {
    let historyPath = FileManager.default.temporaryDirectory.appendingPathComponent("perk-history-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: historyPath) }
    let t = try Terminal(arguments: ["repl", "rules/cafe.perk", "--at", "2026-11-03"],
                         environment: ["PERK_HISTORY": historyPath, "NO_COLOR": "1", "TERM": "xterm"])
    t.expect("perk> ")
    t.send(":customer ann\r")
    t.expect("ann> ")
    t.send("buy latte @ 4.50 coffee\r")
    t.expect("(coffee card) · $495.50 more spend to gold (net amounts paid, before tax)")
    let screen = t.screen.replacingOccurrences(of: "\r\n", with: "\n")
    #expect(screen.contains("  next: 132 stars to free drink · 9 more coffee or tea items to a free one\n"
      + "    (coffee card) · $495.50 more spend to gold (net amounts paid, before tax)\n"))
    t.send(":quit\r")
    #expect(t.waitForExit() == 0)
  }

  @Test func colourOnATerminalAndQuitRestoresTheTerminal() throws {
    let t = try Terminal(arguments: ["repl", "rules/cafe.perk", "--at", "2026-11-03"],
                         environment: ReplHistory.environment.merging(["TERM": "xterm"]) { $1 })
    t.expect("> ")
    // Raw mode while the REPL runs: no echo, no canonical lines, no signals from Ctrl-C.
    #expect(t.localFlags & tcflag_t(ECHO | ICANON | ISIG) == 0)
    t.send("buy latte @ 4.50 coffee\r")
    t.expect("\u{1B}[32m+18 stars\u{1B}[0m")
    t.send(":quit\r")
    #expect(t.waitForExit() == 0)
    // Restored on the way out.
    #expect(t.localFlags & tcflag_t(ECHO | ICANON | ISIG) == tcflag_t(ECHO | ICANON | ISIG))
  }

  @Test func aTerminationSignalRestoresTheTerminal() throws {
    let t = try Terminal(arguments: ["repl"], environment: ReplHistory.environment.merging(["TERM": "xterm"]) { $1 })
    t.expect("perk> ")
    #expect(t.localFlags & tcflag_t(ECHO | ICANON) == 0)
    t.process.terminate()
    #expect(t.waitForExit() == 128 + SIGTERM)
    #expect(t.localFlags & tcflag_t(ECHO | ICANON) == tcflag_t(ECHO | ICANON))
  }
}
