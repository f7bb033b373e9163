import Foundation
import PerkSimulator

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `perk sim --rejects FILE`: every rejected history row, as `RejectsCSV`.
///
/// The file is opened before the run, so a path that cannot be written is reported before a
/// long simulation, and written through (a symlink's target, a FIFO or a device is written, not
/// replaced). A failed write is an error naming the file and the reason, never a trap.
final class RejectsFile {
  let path: String
  private let descriptor: Int32
  private var buffer: [UInt8] = RejectsCSV.header

  /// Opens (and empties) `path`; `inputs` are the files the run reads, which it must not be.
  init(path: String, inputs: [String]) throws {
    self.path = path
    var target = stat()
    if stat(path, &target) == 0 {
      for input in inputs {
        var other = stat()
        if stat(input, &other) == 0, other.st_dev == target.st_dev, other.st_ino == target.st_ino {
          throw UserInputError(description: "--rejects \(path) is \(input), which the run reads; name another file")
        }
      }
    }
    descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw RejectsFile.failure(path, errno) }
  }

  deinit { _ = close(descriptor) }

  func add(_ row: BadRow) throws {
    RejectsCSV.append(row, to: &buffer)
    if buffer.count >= 1 << 20 { try flush() }
  }

  /// Writes what is buffered; called at the end of the run and whenever 1 MB has gathered.
  func flush() throws {
    var offset = 0
    while offset < buffer.count {
      let written = buffer.withUnsafeBytes { raw in write(descriptor, raw.baseAddress! + offset, raw.count - offset) }
      if written < 0 {
        if errno == EINTR { continue }
        throw RejectsFile.failure(path, errno)
      }
      offset += written
    }
    buffer.removeAll(keepingCapacity: true)
  }

  static func failure(_ path: String, _ code: Int32) -> UserInputError {
    UserInputError(description: "cannot write \(path) (the rejected rows): \(String(cString: strerror(code)))")
  }
}
