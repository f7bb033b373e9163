import Foundation
import PerkOutput
import PerkSource

/// The `perk` command line: `check`, `eval`, `demo`, `help`.
///
/// Arguments are parsed by hand (no package dependencies). Exit codes: 0 success,
/// 1 the program or the input has errors or an output cannot be written, 2 the command line
/// itself is wrong. A reader that goes away (`perk sim | head -1`) ends the command quietly,
/// by SIGPIPE, as it ends `cat`.
public enum PerkCommandLine {
  /// The version printed by `perk --version`.
  public static let version = "0.1.0"

  /// What ``run(_:console:)`` returns when the reader of an output went away: the status a
  /// shell shows for a process ended by SIGPIPE (128 + 13).
  static let brokenPipeStatus: Int32 = 141

  /// Runs the command line with the process's arguments and returns the exit code.
  public static func main() -> Int32 {
    // A write to a closed pipe fails with EPIPE instead of killing the process at once, so
    // temporary files are removed first; then the process ends by SIGPIPE all the same.
    signal(SIGPIPE, SIG_IGN)
    var console = Console.standard
    let status = run(Array(CommandLine.arguments.dropFirst()), console: &console)
    if status == brokenPipeStatus {
      signal(SIGPIPE, SIG_DFL)
      raise(SIGPIPE)
    }
    return status
  }

  /// Runs one command; output goes to `console`.
  static func run(_ arguments: [String], console: inout Console) -> Int32 {
    do {
      var args = ArgumentList(arguments)
      // Global `--color` may come anywhere; read it first so usage errors are coloured too.
      let colorChoice = try args.takeOption("--color").map(ColorChoice.parse) ?? .auto
      console.colors = colorChoice.enabled(environment: console.environment, stderrIsTerminal: console.stderrIsTerminal)

      guard let first = args.takeFirst() else {
        try console.out(Help.overview)
        return 0
      }
      switch first {
      case "--help", "-h":
        try console.out(Help.overview)
        return 0
      case "--version":
        try console.out("perk \(version)\n")
        return 0
      case "help":
        guard let topic = args.takeFirst() else {
          try console.out(Help.overview)
          return 0
        }
        guard let text = Help.text(for: topic) else { throw UsageError.unknownCommand(topic) }
        try console.out(text)
        return 0
      default:
        guard let command = Command(rawValue: first) else {
          if first.hasPrefix("-") { throw UsageError.unknownFlag(first, known: ["--help", "--version", "--color"]) }
          throw UsageError.unknownCommand(first)
        }
        if args.takeFlag("--help") || args.takeFlag("-h") {
          try console.out(Help.text(for: command.rawValue) ?? Help.overview)
          return 0
        }
        switch command {
        case .check: return try CheckCommand.run(&args, console: &console)
        case .eval: return try EvalCommand.run(&args, console: &console)
        case .demo: return try DemoCommand.run(&args, console: &console)
        case .test: return try TestCommand.run(&args, console: &console)
        case .sim: return try SimCommand.run(&args, console: &console)
        case .gen: return try GenCommand.run(&args, console: &console)
        case .repl: return try ReplCommand.run(&args, console: &console)
        case .fmt: return try FmtCommand.run(&args, console: &console)
        case .lsp: return try LspCommand.run(&args, console: &console)
        case .serve: return try ServeCommand.run(&args, console: &console)
        }
      }
    } catch let error as UsageError {
      // Messages quote arguments and input: control characters in them are shown escaped.
      console.err("\(console.style.error("error")): \(ControlEscapes.escaped(error.message))\n")
      if let help = error.help { console.err("  = help: \(ControlEscapes.escaped(help))\n") }
      console.err("run `perk --help` for usage\n")
      return 2
    } catch let error as OutputError where error.isBrokenPipe {
      return brokenPipeStatus
    } catch let error as UserInputError {
      console.err("\(console.style.error("error")): \(ControlEscapes.escaped(error.description))\n")
      return 1
    } catch {
      console.err("\(console.style.error("error")): \(ControlEscapes.escaped("\(error)"))\n")
      return 1
    }
  }
}

/// The subcommands.
enum Command: String, CaseIterable {
  case check, eval, demo, test, sim, gen, repl, fmt, lsp, serve
}
