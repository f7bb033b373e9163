import Foundation
import PerkREPL
import PerkRuntime

/// `perk repl [FILE] [--at DATE[THH:MM]] [--echo]`: the interactive workbench.
///
/// On a terminal: line editing, history in `$PERK_HISTORY` or `~/.perk_history`, completion,
/// colour (off with `NO_COLOR`, `TERM=dumb` or `--color never`). Piped: plain lines in, plain
/// results out, exit code 1 when any input failed.
enum ReplCommand {
  static let help = """
    perk repl — try a program interactively: invent customers, type events, see what they earn

    USAGE:
      perk repl [FILE] [--at DATE[THH:MM]] [--echo]

    Type `:help` inside for the commands and the event notation (`buy 2 latte @ 4.50 coffee`).
    Piped (standard input not a terminal), it reads one input per line and prints only the
    results, without colour; the exit status is 1 when any input failed.

    OPTIONS:
      --at DATE[THH:MM]   Start the clock there, in the program's time zone (default: now)
      --echo              Piped: print each input after its prompt (a transcript)
      --color always|never|auto

    """

  static func run(_ args: inout ArgumentList, console: inout Console) throws -> Int32 {
    let start = try args.takeOption("--at")
    let echo = args.takeFlag("--echo")
    let paths = try args.takePositionals(knownFlags: ["--at", "--echo", "--color"])
    guard paths.count <= 1 else {
      console.err("\(console.style.error("error")): `perk repl` takes one file, not \(paths.count)\n  = help: give one program file; `:load` switches to another inside\nrun `perk --help` for usage\n")
      return 2
    }
    let interactive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    // Colour only on a terminal: a piped session is a script and its output is data.
    let colours = interactive && console.colors
    let now = Instant(secondsSince1970: Int64(Date().timeIntervalSince1970) / 60 * 60)
    var session = Session(style: ReplStyle(enabled: colours), clock: now)
    var opening = ""
    // A file with errors is shown and kept: fix it and `:reload` (a piped session then exits 1).
    if let path = paths.first { opening = session.load(path: path) }
    if let start, let problem = session.setStart(start) {
      throw UserInputError(description: "--at: \(problem)")
    }
    if interactive {
      let banner = "perk repl \(PerkCommandLine.version): `:help` lists the commands, Ctrl-D leaves\n" + opening
      return ReplDriver.runTerminal(&session, history: HistoryFile(environment: console.environment), banner: banner)
    }
    try console.out(opening)
    return try ReplDriver.runPiped(&session, readLine: { readLine(strippingNewline: true) }, echo: echo, write: console.out)
  }
}
