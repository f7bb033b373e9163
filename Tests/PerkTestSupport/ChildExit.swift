import Foundation

extension Process {
  /// Waits for the process to end: its exit status, or the signal that ended it.
  ///
  /// Foundation's `waitUntilExit` once missed a child's exit (a `perk serve` stopped by a test
  /// stayed a zombie, Foundation's monitor asleep, and the suite hung until CI's limit). This
  /// polls `isRunning` instead and, when the exit is not noticed within `patience` seconds, kills
  /// and reaps the child itself (Foundation's own wait then finds no child, which it takes as an
  /// exit). Call it once the child is done or told to stop: one still working after `patience`
  /// is killed.
  public func waitForExit(patience: TimeInterval = 30) -> (status: Int32, bySignal: Bool) {
    let deadline = Date().addingTimeInterval(patience)
    while isRunning, Date() < deadline { usleep(10_000) }
    if isRunning {
      let pid = processIdentifier
      kill(pid, SIGKILL)
      var status: Int32 = 0
      var reaped: pid_t
      repeat { reaped = waitpid(pid, &status, 0) } while reaped < 0 && errno == EINTR
      if reaped == pid {
        let signal = status & 0x7f
        return signal == 0 ? ((status >> 8) & 0xff, false) : (signal, true)
      }
      // Foundation reaped it in the meantime: its figures are about to be set.
      while isRunning { usleep(10_000) }
    }
    return (terminationStatus, terminationReason == .uncaughtSignal)
  }
}
