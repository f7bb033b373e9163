import Foundation

/// A history file for REPL runs in tests: a path of the test process's own under the
/// temporary directory, so no test reads or writes the user's `~/.perk_history` or a
/// device node such as the machine's `/dev/null`.
public enum ReplHistory {
  /// The history file, in a directory made once per test process.
  private static let path: String = {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("perk-repl-history-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent("history").path
  }()

  /// The environment that points `perk repl` at the scratch history file.
  public static var environment: [String: String] { ["PERK_HISTORY": path] }
}
