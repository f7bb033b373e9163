import PerkRuntime
import PerkSource

/// A `:command` of the REPL, with its usage and one line of help.
package struct ReplCommandInfo: Sendable {
  package var name: String
  package var usage: String
  package var summary: String
}

extension Session {
  /// Every command, in the order `:help` lists them.
  package static let commands: [ReplCommandInfo] = [
    ReplCommandInfo(name: "help", usage: ":help", summary: "list the commands and the event notation"),
    ReplCommandInfo(name: "load", usage: ":load FILE", summary: "load a program (replaces the program; events start over)"),
    ReplCommandInfo(name: "reload", usage: ":reload", summary: "read the file again after editing it (keeps customers, clock and events)"),
    ReplCommandInfo(name: "customer", usage: ":customer NAME [birthday D] [signup D] [segment S] [referrer N] [tier T] [timezone Z]",
                    summary: "add or change a customer and make it current"),
    ReplCommandInfo(name: "use", usage: ":use NAME", summary: "make a customer current"),
    ReplCommandInfo(name: "state", usage: ":state", summary: "the current customer's balances, stamps, tier and why, counters"),
    ReplCommandInfo(name: "explain", usage: ":explain", summary: "the last outcome, rule by rule, with source locations and arithmetic"),
    ReplCommandInfo(name: "clock", usage: ":clock", summary: "show the clock"),
    ReplCommandInfo(name: "advance", usage: ":advance N days|weeks|months|years|hours|minutes",
                    summary: "move the clock forward, running the period ends it crosses"),
    ReplCommandInfo(name: "at", usage: ":at DATE [HH:MM] | :at HH:MM", summary: "move the clock to a date and time, running period ends"),
    ReplCommandInfo(name: "reset", usage: ":reset", summary: "forget every event: new accounts, clock back to the start"),
    ReplCommandInfo(name: "undo", usage: ":undo", summary: "take back the last event (or clock move)"),
    ReplCommandInfo(name: "history", usage: ":history", summary: "the events so far"),
    ReplCommandInfo(name: "save", usage: ":save FILE", summary: "write the program and the session as a `perk test` scenario"),
    ReplCommandInfo(name: "quit", usage: ":quit", summary: "leave (Ctrl-D too)"),
  ]

  /// The notation part of `:help`.
  static let notationHelp = """
    events (for the current customer, at the clock; ids T1, T2, … are given in order):
      buy 2 latte @ 4.50 coffee, croissant @ 3.25 pastry   quantity optional; price and category
                                                            optional once the SKU has been bought
      return T3 latte | return T3                          part of a purchase, or all of it
      redeem free drink                                    spend points on a catalog reward
      event referral [CUSTOMER]                            a named event (for CUSTOMER if given)
      signup                                               the customer joins (`:customer NAME signup D` sets the date)
    expressions: `stars balance`, `spend in last 12 months`, `days since last purchase`, …
    declarations: a `rule`, `reward`, … typed at column 1; indented lines continue it, an empty line ends it
    """

  /// Runs one `:command`.
  mutating func command(_ line: String) throws(InputProblem) -> String {
    let body = line.dropFirst()
    let name = String(body.prefix { !$0.isWhitespace })
    let argument = body.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
    let argumentStart = line.count - argument.count
    let argumentSpan = argumentStart..<line.count
    func noArgument() throws(InputProblem) {
      guard argument.isEmpty else {
        throw InputProblem("`:\(name)` takes no argument", span: argumentSpan)
      }
    }
    switch name.lowercased() {
    case "help", "h", "?":
      try noArgument()
      return helpText()
    case "load":
      guard !argument.isEmpty else { throw InputProblem("`:load` needs a file", span: 0..<line.count, help: "write `:load rules/cafe.perk`") }
      return load(path: argument)
    case "reload":
      try noArgument()
      return reload()
    case "customer":
      return try customerCommand(argument, offset: argumentStart)
    case "use":
      return try use(argument, span: argumentSpan)
    case "state":
      try noArgument()
      return try stateText()
    case "explain":
      try noArgument()
      return try explainText()
    case "clock":
      try noArgument()
      return "\(clockText(world.clock))\n"
    case "advance":
      return try advance(argument, span: argumentSpan)
    case "at":
      return try moveClock(argument, span: argumentSpan)
    case "reset":
      try noArgument()
      resetWorld(keepClock: false)
      return "reset: every account is new; clock \(clockText(world.clock))\n"
    case "undo":
      try noArgument()
      return try undo()
    case "history":
      try noArgument()
      return historyText()
    case "save":
      guard !argument.isEmpty else { throw InputProblem("`:save` needs a file", span: 0..<line.count, help: "write `:save session.perk`") }
      return try save(to: argument)
    case "quit", "q", "exit":
      try noArgument()
      finished = true
      return ""
    default:
      let names = Self.commands.map(\.name)
      throw InputProblem("unknown command `:\(name)`", span: 0..<(name.count + 1),
                         help: Suggestions.closest(to: name, in: names).map { "did you mean `:\($0)`?" } ?? "`:help` lists the commands")
    }
  }

  func helpText() -> String {
    let width = Self.commands.map(\.usage.count).filter { $0 <= 32 }.max() ?? 20
    var out = "commands:\n"
    for c in Self.commands {
      if c.usage.count > width {
        out += "  \(c.usage)\n  \(String(repeating: " ", count: width))  \(c.summary)\n"
      } else {
        out += "  \(c.usage)\(String(repeating: " ", count: width - c.usage.count))  \(c.summary)\n"
      }
    }
    return out + Self.notationHelp + "\n"
  }

  mutating func reload() -> String {
    guard let path = loadedPath else {
      return failed(InputProblem("no file to reload", help: "`:load FILE` loads one").render(line: "", style: style))
    }
    guard let text = files.read(path) else {
      return failed(InputProblem("cannot read `\(path)`").render(line: "", style: style))
    }
    let previous = (loadedText, program, sources)
    loadedText = text
    let compiled = recompile()
    guard compiled.ok else {
      if previous.1 != nil { (loadedText, program, sources) = previous }
      return failed(compiled.text + (previous.1 == nil ? "fix the file, then `:reload`\n" : "the previous program stays in use\n"))
    }
    return compiled.text + "reloaded \(path): \(programSummary())\n"
  }

  // MARK: - Undo and history

  mutating func undo() throws(InputProblem) -> String {
    guard let last = history.popLast() else { throw InputProblem("nothing to undo") }
    world = last.before
    let what: String
    switch last.kind {
    case .event(let id, _): what = "\(id) (\(last.text))"
    case .clock: what = "clock move (\(last.text))"
    }
    return "undid \(what); clock \(clockText(world.clock))\n"
  }

  func historyText() -> String {
    guard !history.isEmpty else { return "no events yet\n" }
    var rows: [[String]] = []
    for (index, entry) in history.enumerated() {
      let id: String
      let time: Instant
      switch entry.kind {
      case .event(let eventID, let event): (id, time) = (eventID, event.time)
      case .clock(let to): (id, time) = ("", to)
      }
      rows.append(["\(index + 1)", id, entry.customer ?? "", shortTime(time), entry.text, entry.summary])
    }
    return table(rows, indent: "  ")
  }

  /// Left-aligned columns separated by two spaces; the last column is not padded.
  func table(_ rows: [[String]], indent: String) -> String {
    guard let columns = rows.map(\.count).max() else { return "" }
    var widths = Array(repeating: 0, count: columns)
    for row in rows { for (i, cell) in row.enumerated() where i < columns - 1 { widths[i] = max(widths[i], cell.count) } }
    var out = ""
    for row in rows {
      var line = indent
      for (i, cell) in row.enumerated() {
        line += cell
        if i < row.count - 1, widths[i] > 0 { line += String(repeating: " ", count: widths[i] - cell.count + 2) }
      }
      while line.hasSuffix(" ") { line.removeLast() }
      out += line + "\n"
    }
    return out
  }
}
