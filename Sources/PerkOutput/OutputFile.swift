#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// The system calls by module, since `OutputFile.open` and `write` shadow the C names inside the class.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
  #if canImport(Glibc)
    Glibc.open(path, flags, mode)
  #else
    Darwin.open(path, flags, mode)
  #endif
}

private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
  #else
    Darwin.write(descriptor, bytes, count)
  #endif
}

private func systemClose(_ descriptor: Int32) -> Int32 {
  #if canImport(Glibc)
    Glibc.close(descriptor)
  #else
    Darwin.close(descriptor)
  #endif
}

/// A file a command writes for the user (`--out`, `--trace`, `--out-state`, `gen --out`,
/// the REPL's `:save`), written so that nothing is destroyed that should not be.
///
/// Opening decides how the bytes reach the path:
/// - `-`, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N` are the process's
///   own descriptors, written as they are (a shell's `>>` stays an append);
/// - anything else that is not a regular file (a device such as `/dev/null`, a FIFO) is
///   written through, never replaced;
/// - a regular file, or a path that does not exist yet, is written to a temporary file in the
///   same directory and renamed over the target by ``commit()`` after `fsync`, so a reader
///   sees the old file or the whole new one, never a part; a symbolic link is followed to the
///   file it names, which is replaced and the link kept; the replaced file keeps its
///   permissions (and its owner, when the process may set it).
///
/// Opening is also the check that the location is writable: a command that runs for long
/// opens its outputs first. Until ``commit()`` nothing of a regular file has changed, and a
/// file that is dropped or ``discard()``ed leaves nothing behind. Every failure is an
/// ``OutputError`` ("cannot write PATH: No space left on device").
///
/// Bytes are buffered (64 KiB) and written with `write(2)`: Foundation's `FileHandle.write(_:)`
/// traps on an error.
package final class OutputFile {
  /// The path as the user gave it.
  package let path: String
  private var descriptor: Int32
  private let ownsDescriptor: Bool
  /// For a regular file: the temporary file being written and the file it will replace.
  private let replacement: (temporary: String, target: String)?
  private var buffer: [UInt8] = []
  private var finished = false

  private static let bufferSize = 1 << 16

  private init(path: String, descriptor: Int32, ownsDescriptor: Bool, replacement: (temporary: String, target: String)?) {
    self.path = path
    self.descriptor = descriptor
    self.ownsDescriptor = ownsDescriptor
    self.replacement = replacement
    buffer.reserveCapacity(Self.bufferSize)
  }

  deinit { discard() }

  /// Whether this output goes straight to a descriptor the process was given (standard output).
  package var isStandardStream: Bool { !ownsDescriptor }

  /// Opens `path` for writing, as described on the type; nothing is written yet.
  package static func open(_ path: String) throws(OutputError) -> OutputFile {
    let target: String
    switch try resolvingLinks(path) {
    case .descriptor(let inherited):
      guard fcntl(inherited, F_GETFD) != -1 else { throw OutputError(path: path, code: errno) }
      return OutputFile(path: path, descriptor: inherited, ownsDescriptor: false, replacement: nil)
    case .path(let resolved):
      target = resolved
    }
    var existing = stat()
    let exists = stat(target, &existing) == 0
    if !exists, errno != ENOENT { throw OutputError(path: path, code: errno) }
    if exists {
      let type = existing.st_mode & S_IFMT
      if type == S_IFDIR { throw OutputError(path: path, code: EISDIR) }
      if type != S_IFREG {
        // A device or a FIFO: write to it, as a shell's `>` does (opening a FIFO waits for its reader).
        let fd = systemOpen(target, O_WRONLY | O_CLOEXEC, 0)
        guard fd >= 0 else { throw OutputError(path: path, code: errno) }
        return OutputFile(path: path, descriptor: fd, ownsDescriptor: true, replacement: nil)
      }
      // Renaming over a read-only file would succeed; refuse as opening it for writing would.
      if access(target, W_OK) != 0 { throw OutputError(path: path, code: errno) }
    }
    let (fd, temporary) = try createTemporary(beside: target, path: path)
    if exists {
      // The new file takes the old one's permissions; the owner only when allowed (root).
      _ = fchmod(fd, existing.st_mode & 0o7777)
      if existing.st_uid != getuid() || existing.st_gid != getgid() { _ = fchown(fd, existing.st_uid, existing.st_gid) }
    }
    return OutputFile(path: path, descriptor: fd, ownsDescriptor: true, replacement: (temporary, target))
  }

  /// Writes `text` to `path` in one go: ``open(_:)``, write, ``commit()``.
  package static func write(_ text: String, to path: String) throws(OutputError) {
    let file = try open(path)
    try file.write(text)
    try file.commit()
  }

  /// Appends bytes (buffered).
  package func write(_ bytes: some Sequence<UInt8>) throws(OutputError) {
    precondition(!finished, "OutputFile written after commit or discard")
    buffer.append(contentsOf: bytes)
    if buffer.count >= Self.bufferSize { try flush() }
  }

  /// Appends the UTF-8 of `text` (buffered).
  package func write(_ text: String) throws(OutputError) {
    try write(text.utf8)
  }

  /// Writes what is buffered.
  package func flush() throws(OutputError) {
    guard !buffer.isEmpty else { return }
    defer { buffer.removeAll(keepingCapacity: true) }
    if let code = Self.writeAll(buffer, to: descriptor) { throw OutputError(path: path, code: code) }
  }

  /// Finishes the output: writes what is buffered and, for a regular file, syncs the
  /// temporary file and renames it over the target. On a failure nothing is left behind
  /// and the target is as it was.
  package func commit() throws(OutputError) {
    precondition(!finished, "OutputFile committed twice")
    do {
      try flush()
    } catch {
      discard()
      throw error
    }
    finished = true
    guard ownsDescriptor else { return }
    guard let replacement else {
      // A device or FIFO: a failed close can still report a lost write.
      if systemClose(descriptor) != 0, errno != EINTR { throw OutputError(path: path, code: errno) }
      return
    }
    let failed: Int32? =
      if fsync(descriptor) != 0, errno != EINVAL { errno }
      else if systemClose(descriptor) != 0, errno != EINTR { errno }
      else if rename(replacement.temporary, replacement.target) != 0 { errno }
      else { nil }
    if let failed {
      _ = systemClose(descriptor)
      unlink(replacement.temporary)
      throw OutputError(path: path, code: failed)
    }
    // The rename itself is durable once the directory is synced; a failure here loses nothing.
    let directory = systemOpen(Self.directory(of: replacement.target), O_RDONLY | O_CLOEXEC, 0)
    if directory >= 0 {
      _ = fsync(directory)
      _ = systemClose(directory)
    }
  }

  /// Abandons the output: a regular file's target is left as it was and the temporary file
  /// removed. Bytes already written through to a device or FIFO stay written.
  package func discard() {
    guard !finished else { return }
    finished = true
    buffer.removeAll()
    guard ownsDescriptor else { return }
    _ = systemClose(descriptor)
    if let replacement { unlink(replacement.temporary) }
  }

  // MARK: - Writing to a descriptor

  /// Writes every byte to a descriptor, retrying interrupted and partial writes and waiting
  /// while a non-blocking descriptor is full; the `errno` of a failure, or nil.
  package static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
    bytes.withUnsafeBytes { raw -> Int32? in
      var offset = 0
      while offset < raw.count {
        let n = systemWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
        if n > 0 {
          offset += n
          continue
        }
        if n < 0, errno == EINTR { continue }
        if n < 0, errno == EAGAIN || errno == EWOULDBLOCK {
          var wait = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
          _ = poll(&wait, 1, -1)
          continue
        }
        return n < 0 ? errno : EIO
      }
      return nil
    }
  }

  // MARK: - Resolving the path

  /// The descriptor a path names when it is one of the process's own streams.
  static func inheritedDescriptor(_ path: String) -> Int32? {
    switch path {
    case "-", "/dev/stdout": return STDOUT_FILENO
    case "/dev/stderr": return STDERR_FILENO
    default:
      for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
        return Int32(path.dropFirst(prefix.count))
      }
      return nil
    }
  }

  /// Where a path leads once its symbolic links are followed.
  enum Resolved: Equatable {
    /// One of the process's own descriptors (`/dev/stdout`, or a link to it).
    case descriptor(Int32)
    /// The last link's target, which may not exist yet (a shell's `>` through a dangling link
    /// creates the file it names).
    case path(String)
  }

  /// Follows the chain of symbolic links from `path`. A step that names one of the process's
  /// own descriptors stops there: `/dev/stdout` is a link to `/proc/self/fd/1`, whose target
  /// reads as the file a shell opened (perhaps to append), which must not be replaced.
  static func resolvingLinks(_ path: String) throws(OutputError) -> Resolved {
    var current = path
    for _ in 0..<40 {
      if let descriptor = inheritedDescriptor(current) { return .descriptor(descriptor) }
      var status = stat()
      guard lstat(current, &status) == 0 else {
        if errno == ENOENT { return .path(current) }
        throw OutputError(path: path, code: errno)
      }
      guard status.st_mode & S_IFMT == S_IFLNK else { return .path(current) }
      var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let length = readlink(current, &target, target.count - 1)
      guard length >= 0 else { throw OutputError(path: path, code: errno) }
      let link = String(decoding: target[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      current = link.hasPrefix("/") ? link : directory(of: current) + "/" + link
    }
    throw OutputError(path: path, code: ELOOP)
  }

  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  /// A new hidden file next to `target` (same directory, so the rename cannot cross file
  /// systems), created with mode 0666 less the umask, as a new file would be.
  private static func createTemporary(beside target: String, path: String) throws(OutputError) -> (Int32, String) {
    let name = target.lastIndex(of: "/").map { String(target[target.index(after: $0)...]) } ?? target
    let prefix = target.contains("/") ? directory(of: target) + "/" : ""
    for _ in 0..<100 {
      let temporary = prefix + "." + name + ".perk-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
      let fd = systemOpen(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
      if fd >= 0 { return (fd, temporary) }
      if errno != EEXIST { throw OutputError(path: path, code: errno) }
    }
    throw OutputError(path: path, code: EEXIST)
  }
}
