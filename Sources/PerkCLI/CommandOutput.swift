import PerkOutput

/// A command's file output (`--out`, `--trace`, `--out-state`, `gen --out`): standard output
/// through the ``Console`` when no path or `-` is given, otherwise an ``OutputFile``
/// (written through devices and FIFOs, atomic for regular files).
///
/// Commands open their outputs before the work, so a location that cannot be written fails
/// at once, and commit them after it; an output dropped without ``commit()`` leaves a
/// regular file as it was.
final class CommandOutput {
  private let console: Console
  private let file: OutputFile?
  private var pending: [UInt8] = []

  private init(console: Console, file: OutputFile?) {
    self.console = console
    self.file = file
  }

  /// Opens `path` (nil or `-`: standard output).
  static func open(_ path: String?, console: Console) throws -> CommandOutput {
    guard let path, path != "-" else { return CommandOutput(console: console, file: nil) }
    return CommandOutput(console: console, file: try OutputFile.open(path))
  }

  /// Whether the output goes to standard output.
  var isStandardOutput: Bool { file == nil || file?.isStandardStream == true }

  func write(_ text: String) throws {
    try write(text.utf8)
  }

  func write(_ bytes: some Sequence<UInt8>) throws {
    guard let file else {
      pending.append(contentsOf: bytes)
      // Standard output is written in large pieces too: a trace can be millions of lines.
      if pending.count >= 1 << 16 { try flushStandardOutput() }
      return
    }
    try file.write(bytes)
  }

  /// Finishes the output (for a regular file: the atomic rename).
  func commit() throws {
    guard let file else { return try flushStandardOutput() }
    try file.commit()
  }

  private func flushStandardOutput() throws {
    guard !pending.isEmpty else { return }
    defer { pending.removeAll(keepingCapacity: true) }
    try console.out(String(decoding: pending, as: UTF8.self))
  }
}
