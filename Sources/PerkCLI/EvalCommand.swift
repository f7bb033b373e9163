import Foundation
import PerkRuntime
import PerkSource

/// `perk eval FILE... --event EVENT.json [--customer C.json] [--state S.json] [--out-state NEW.json]`,
/// or `perk eval FILE... --stream` (``EvalStream``).
enum EvalCommand {
  static func run(_ args: inout ArgumentList, console: inout Console) throws -> Int32 {
    if args.takeFlag("--stream") {
      let decimalMark: DecimalMark = args.takeFlag("--decimal-comma") ? .comma : .point
      let paths = try args.takePositionals(knownFlags: ["--stream", "--color", "--decimal-comma"])
      guard !paths.isEmpty else { throw UsageError.missingArgument("a Perk file to evaluate") }
      guard !paths.contains("-") else { throw UsageError.missingArgument("a program file: with `--stream`, standard input is the events") }
      return try EvalStream.run(try InputFiles.sources(paths, console: console), decimalMark: decimalMark, input: STDIN_FILENO,
                                console: console)
    }
    let eventPath = try args.takeOption("--event")
    let customerPath = try args.takeOption("--customer")
    let statePath = try args.takeOption("--state")
    let outStatePath = try args.takeOption("--out-state")
    let decimalMark: DecimalMark = args.takeFlag("--decimal-comma") ? .comma : .point
    let paths = try args.takePositionals(
      knownFlags: ["--event", "--customer", "--state", "--out-state", "--color", "--decimal-comma"])
    guard !paths.isEmpty else { throw UsageError.missingArgument("a Perk file to evaluate") }
    guard let eventPath else { throw UsageError.missingArgument("`--event EVENT.json`") }
    let stdinUses = ([eventPath, customerPath, statePath] + paths.map { Optional($0) }).filter { $0 == "-" }.count
    if stdinUses > 1 { throw UsageError.missingArgument("a distinct input: `-` (standard input) can be used once") }

    let files = try InputFiles.sources(paths, console: console)
    let event = try InputFiles.json(eventPath, console: console)
    let customer = try customerPath.map { try InputFiles.json($0, console: console) }
    let state = try statePath.map { try InputFiles.json($0, console: console) }

    // Opened before anything is printed: a state that cannot be written fails the command first.
    let newState = try outStatePath.map { try CommandOutput.open($0, console: console) }

    let diagnostics = Engine.check(files)
    if diagnostics.contains(where: { $0.severity == .error }) {
      let renderer = DiagnosticRenderer(files: files, colors: console.colors)
      console.err(renderer.render(diagnostics))
      if let summary = renderer.summary(of: diagnostics) { console.err(summary + "\n") }
      return 1
    }
    let result = try Engine.evaluate(
      files, event: event, eventPath: eventPath, decimalMark: decimalMark,
      customer: customer, customerPath: customerPath, state: state, statePath: statePath)
    try console.out(result.outcome + "\n")
    if let newState {
      // Atomic for a regular file: a full disk leaves the old state whole.
      try newState.write(result.state + "\n")
      try newState.commit()
    }
    return 0
  }
}
