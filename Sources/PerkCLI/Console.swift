import Foundation
import PerkOutput

/// Where a command writes, and what it knows about the terminal; tests capture output with `.capturing`.
struct Console {
  var environment: [String: String]
  var stderrIsTerminal: Bool
  var colors = false
  private var writeOut: (String) throws -> Void
  private var writeErr: (String) -> Void
  /// Reads standard input (for the `-` path); throws when it cannot be read (a directory).
  var readStandardInput: () throws -> Data

  init(
    environment: [String: String], stderrIsTerminal: Bool,
    out: @escaping (String) throws -> Void, err: @escaping (String) -> Void, stdin: @escaping () throws -> Data
  ) {
    self.environment = environment
    self.stderrIsTerminal = stderrIsTerminal
    self.writeOut = out
    self.writeErr = err
    self.readStandardInput = stdin
  }

  /// The process's own streams, written with `write(2)`: a failure of standard output is an
  /// ``OutputError`` (Foundation's `FileHandle.write(_:)` traps on one).
  static var standard: Console {
    Console(
      environment: ProcessInfo.processInfo.environment,
      stderrIsTerminal: isatty(STDERR_FILENO) == 1,
      out: { text in
        if let code = OutputFile.writeAll(Array(text.utf8), to: STDOUT_FILENO) { throw OutputError(path: "-", code: code) }
      },
      // A failure of standard error has nowhere to be reported; the command goes on.
      err: { _ = OutputFile.writeAll(Array($0.utf8), to: STDERR_FILENO) },
      // `readToEnd()` throws where `readDataToEndOfFile()` traps (`perk check - < /`).
      stdin: {
        do {
          return try FileHandle.standardInput.readToEnd() ?? Data()
        } catch {
          let code = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.code ?? Int(EIO)
          throw UserInputError(description: "<stdin>: cannot read: \(String(cString: strerror(Int32(code))))")
        }
      })
  }

  /// Writes to standard output; throws ``OutputError`` when it cannot (a full disk, a closed pipe).
  func out(_ text: String) throws { try writeOut(text) }
  func err(_ text: String) { writeErr(text) }

  /// Styling for the CLI's own messages, following the colour decision.
  var style: CLIStyle { CLIStyle(enabled: colors) }
}

/// Bold red `error` in the CLI's own messages when colours are on.
struct CLIStyle {
  var enabled: Bool
  func error(_ text: String) -> String { enabled ? "\u{1B}[1;31m\(text)\u{1B}[0m" : text }
}
