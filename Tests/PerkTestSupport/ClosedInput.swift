import Foundation

extension Process {
  /// Runs the process with a standard input that is at its end from the start: a pipe whose
  /// writing end is closed once the child has its copy.
  ///
  /// Rather than `FileHandle.nullDevice`: tests use no device node of the machine, and children
  /// spawned at once from parallel tests, each opening the null device through Foundation's one
  /// shared handle, once failed to start with "Bad file descriptor".
  public func runWithClosedInput() throws {
    let input = Pipe()
    standardInput = input
    try run()
    try? input.fileHandleForWriting.close()
  }
}
