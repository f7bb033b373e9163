#if canImport(Glibc)
  import Glibc
  private let systemRead = Glibc.read
  private let systemWrite = Glibc.write
  private let systemSignal = Glibc.signal
#elseif canImport(Darwin)
  import Darwin
  private let systemRead = Darwin.read
  private let systemWrite = Darwin.write
  private let systemSignal = Darwin.signal
#endif

/// The terminal settings in force before raw mode, restored on every way out: normal
/// return, `:quit`, Ctrl-D, and SIGTERM/SIGHUP/SIGQUIT (a signal handler cannot capture
/// context, so the saved settings live in a global).
nonisolated(unsafe) private var savedSettings: termios?

private func restoreSavedSettings() {
  guard var settings = savedSettings else { return }
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &settings)
}

/// Raw mode via termios: no echo, no line buffering, no signals from Ctrl-C/Ctrl-Z (the
/// editor handles them), output processing kept so `\n` still starts a new line.
package enum RawTerminal {
  /// Whether standard input and output are both terminals.
  package static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

  /// Enters raw mode; false when standard input is not a terminal.
  package static func enable() -> Bool {
    var original = termios()
    guard tcgetattr(STDIN_FILENO, &original) == 0 else { return false }
    savedSettings = original
    var raw = original
    raw.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INPCK | ISTRIP | IXON)
    raw.c_cflag |= tcflag_t(CS8)
    raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN | ISIG)
    withUnsafeMutableBytes(of: &raw.c_cc) { cc in
      cc[Int(VMIN)] = 1
      cc[Int(VTIME)] = 0
    }
    guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0 else { return false }
    // A parent may have started us with these blocked (test runners do): unblock them, so
    // the handler runs and the terminal is restored.
    var handled = sigset_t()
    sigemptyset(&handled)
    for signal in [SIGTERM, SIGHUP, SIGQUIT] {
      sigaddset(&handled, signal)
      _ = systemSignal(signal) { number in
        restoreSavedSettings()
        _exit(128 + number)
      }
    }
    pthread_sigmask(SIG_UNBLOCK, &handled, nil)
    atexit { restoreSavedSettings() }
    return true
  }

  /// Leaves raw mode (safe to call more than once).
  package static func restore() {
    restoreSavedSettings()
  }

  /// The terminal's width in columns (80 when unknown).
  package static var width: Int {
    var size = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
  }

  /// Reads what is available (at least one byte, blocking); empty at end of input.
  package static func read() -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: 256)
    while true {
      let n = systemRead(STDIN_FILENO, &buffer, buffer.count)
      if n > 0 { return Array(buffer[0..<n]) }
      if n < 0, errno == EINTR { continue }
      return []
    }
  }

  /// Whether a byte is waiting (for telling a lone Escape from the start of a sequence).
  package static func hasInput(waitingMilliseconds: Int32) -> Bool {
    var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
    return poll(&descriptor, 1, waitingMilliseconds) > 0
  }

  /// Writes text to standard output at once.
  package static func write(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeMutableBytes { systemWrite(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { return }
      offset += n
    }
  }
}
