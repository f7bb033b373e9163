import Foundation

/// The REPL's history across sessions: one input line per line of `$PERK_HISTORY`, or of
/// `~/.perk_history` when it is unset. Lines are appended as they are entered, so a crash
/// loses nothing; the newest ``limit`` are loaded.
package struct HistoryFile: Sendable {
  /// How many lines are loaded.
  package static let limit = 1_000
  package let path: String

  /// The history file for an environment.
  package init(environment: [String: String]) {
    if let path = environment["PERK_HISTORY"], !path.isEmpty {
      self.path = path
    } else {
      let home = environment["HOME"] ?? NSHomeDirectory()
      self.path = (home as NSString).appendingPathComponent(".perk_history")
    }
  }

  package init(path: String) { self.path = path }

  /// The newest lines, oldest first; empty when the file does not exist or cannot be read.
  package func load() -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    return Array(lines.suffix(Self.limit))
  }

  /// Appends one line; failures are ignored (history is a convenience, never an error).
  package func append(_ line: String) {
    guard !line.contains("\n"), !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
    let data = Data((line + "\n").utf8)
    if let handle = FileHandle(forWritingAtPath: path) {
      defer { try? handle.close() }
      _ = try? handle.seekToEnd()
      try? handle.write(contentsOf: data)
    } else {
      _ = FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600])
    }
  }
}
