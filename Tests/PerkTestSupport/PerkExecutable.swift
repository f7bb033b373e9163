import Foundation

/// Runs the built `perk` executable, as swift-argument-parser's TestHelpers do: the product
/// sits in the build products directory, next to the test bundle (`.build/debug/perk`).
public enum PerkExecutable {
  /// What a run produced.
  public struct Result: Sendable {
    /// Everything written to standard output.
    public var stdout: String
    /// Everything written to standard error.
    public var stderr: String
    /// The exit status (the signal's number when ``signal`` is set).
    public var exitCode: Int32
    /// The signal that ended the process, if one did (SIGPIPE for a closed pipe).
    public var signal: Int32? = nil
  }

  /// The build products directory: the one holding the test bundle (or, on macOS, its parent).
  public static var productsDirectory: URL {
    #if os(macOS)
      for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        return bundle.bundleURL.deletingLastPathComponent()
      }
    #endif
    return Bundle.main.bundleURL
  }

  /// The `perk` executable.
  public static var url: URL { productsDirectory.appendingPathComponent("perk") }

  /// Where the run's standard output goes.
  public enum StandardOutput: Sendable {
    /// Captured into ``Result/stdout``.
    case captured
    /// Opened for writing and given to the process (a file, a device node, a FIFO a test made).
    case path(String)
    /// A pipe whose reading end is closed before the process starts: every write fails with EPIPE.
    case closedPipe
  }

  /// Runs `perk` with arguments, standard input and extra environment variables.
  ///
  /// The environment starts from this process's, minus colour variables, so tests are deterministic.
  public static func run(
    arguments: [String],
    stdin: String = "",
    environment: [String: String] = [:],
    currentDirectory: URL? = nil,
    standardOutput: StandardOutput = .captured
  ) throws -> Result {
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = nil
    env["PERK_RECORD_GOLDEN"] = nil
    for (key, value) in environment { env[key] = value }
    process.environment = env
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let input = Pipe()
    let output = Pipe()
    let error = Pipe()
    process.standardInput = input
    var outputFile: FileHandle?
    switch standardOutput {
    case .captured:
      process.standardOutput = output
    case .path(let path):
      guard let handle = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteNoPermission) }
      outputFile = handle
      process.standardOutput = handle
    case .closedPipe:
      process.standardOutput = output
      try output.fileHandleForReading.close()
    }
    defer { try? outputFile?.close() }
    process.standardError = error
    try process.run()
    if case .closedPipe = standardOutput { try? output.fileHandleForWriting.close() }
    input.fileHandleForWriting.write(Data(stdin.utf8))
    try? input.fileHandleForWriting.close()
    // Read both pipes concurrently so a full pipe never blocks the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { errData = error.fileHandleForReading.readDataToEndOfFile() }
    var outData = Data()
    if case .captured = standardOutput { outData = output.fileHandleForReading.readDataToEndOfFile() }
    try? output.fileHandleForWriting.close()
    group.wait()
    let (status, bySignal) = process.waitForExit()
    return Result(
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self),
      exitCode: status,
      signal: bySignal ? status : nil)
  }

  /// The repository root (for `rules/`, `docs/`), found from a test file's path.
  public static func repositoryRoot(filePath: String = #filePath) -> URL {
    var url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    while url.path != "/" {
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
      url.deleteLastPathComponent()
    }
    return url
  }
}
