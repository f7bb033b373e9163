#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A write that failed: `cannot write PATH: No space left on device`.
package struct OutputError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The path as the user gave it (`-` is standard output).
  package var path: String
  /// The `errno` of the failure.
  package var code: Int32

  /// A failure of `path` with `errno` `code`.
  package init(path: String, code: Int32) {
    self.path = path
    self.code = code
  }

  /// Whether the reader went away (a closed pipe): not an error to report, the command just stops.
  package var isBrokenPipe: Bool { code == EPIPE }

  /// The system's wording of the failure, such as `No space left on device`.
  package var reason: String { String(cString: strerror(code)) }

  /// `cannot write PATH: REASON`.
  package var description: String {
    "cannot write \(path == "-" ? "standard output" : path): \(reason)"
  }
}
