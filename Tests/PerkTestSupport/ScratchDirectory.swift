import Foundation

/// A temporary directory of a test's own, removed when the test is done: the place for the
/// files, links, FIFOs and device nodes a test makes (never the machine's own device nodes).
public final class ScratchDirectory {
  /// The directory's path.
  public let root: String

  /// Makes a new, empty directory named after `prefix`.
  public init(_ prefix: String) throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  /// The path of `name` inside the directory.
  public func path(_ name: String) -> String { root + "/" + name }

  /// The text of the file `name`, or nil when there is none.
  public func read(_ name: String) -> String? {
    FileManager.default.contents(atPath: path(name)).map { String(decoding: $0, as: UTF8.self) }
  }

  /// The file type bits (`S_IFREG`, `S_IFLNK`, …) of `name` itself, not of what a link names; 0 when absent.
  public func type(_ name: String) -> mode_t {
    var status = stat()
    return lstat(path(name), &status) == 0 ? status.st_mode & S_IFMT : 0
  }

  /// The names in the directory (or in its subdirectory `name`), sorted.
  public func listing(_ name: String = "") -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: name.isEmpty ? root : path(name))) ?? []).sorted()
  }
}
