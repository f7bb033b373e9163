import Foundation

/// Where a command writes, and what it knows about the terminal; tests capture output with `.capturing`.
struct Console {
  var environment: [String: String]
  var stderrIsTerminal: Bool
  var colors = false
  private var writeOut: (String) -> Void
  private var writeErr: (String) -> Void
  /// Reads standard input (for the `-` path).
  var readStandardInput: () -> Data

  init(
    environment: [String: String], stderrIsTerminal: Bool,
    out: @escaping (String) -> Void, err: @escaping (String) -> Void, stdin: @escaping () -> Data
  ) {
    self.environment = environment
    self.stderrIsTerminal = stderrIsTerminal
    self.writeOut = out
    self.writeErr = err
    self.readStandardInput = stdin
  }

  /// The process's own streams.
  static var standard: Console {
    Console(
      environment: ProcessInfo.processInfo.environment,
      stderrIsTerminal: isatty(STDERR_FILENO) == 1,
      out: { FileHandle.standardOutput.write(Data($0.utf8)) },
      err: { FileHandle.standardError.write(Data($0.utf8)) },
      stdin: { FileHandle.standardInput.readDataToEndOfFile() })
  }

  func out(_ text: String) { writeOut(text) }
  func err(_ text: String) { writeErr(text) }

  /// Styling for the CLI's own messages, following the colour decision.
  var style: CLIStyle { CLIStyle(enabled: colors) }
}

/// Bold red `error` in the CLI's own messages when colours are on.
struct CLIStyle {
  var enabled: Bool
  func error(_ text: String) -> String { enabled ? "\u{1B}[1;31m\(text)\u{1B}[0m" : text }
}
