import Foundation

/// Reads a FIFO to its end on a thread of its own, so a writer that opens it (and waits for a
/// reader) can run; not a task, which a busy cooperative pool may never start.
public final class FIFOReader: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var data: Data?

  /// Starts reading `path` at once.
  public init(_ path: String) {
    let thread = Thread { [self] in
      data = FileHandle(forReadingAtPath: path)?.readDataToEndOfFile()
      done.signal()
    }
    thread.start()
  }

  /// What was read once the writer closed the FIFO; nil if nothing came within `seconds`.
  public func text(waitingAtMost seconds: Int = 60) -> String? {
    guard done.wait(timeout: .now() + .seconds(seconds)) == .success else { return nil }
    return data.map { String(decoding: $0, as: UTF8.self) }
  }
}
