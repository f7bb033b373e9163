import Foundation
import PerkTestSupport

/// A `perk serve` process on an ephemeral loopback port, stopped (SIGTERM) when released.
final class LiveServer {
  let process = Process()
  let port: Int
  private let stdout = Pipe()
  private let stderr = Pipe()

  /// Starts `perk serve ARGUMENTS --listen 127.0.0.1:0` and reads the port from its first line.
  init(_ arguments: [String], environment: [String: String] = [:]) throws {
    process.executableURL = PerkExecutable.url
    process.arguments = ["serve"] + arguments + ["--listen", "127.0.0.1:0"]
    process.currentDirectoryURL = PerkExecutable.repositoryRoot()
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    process.standardOutput = stdout
    process.standardError = stderr
    try process.runWithClosedInput()
    let line = LiveServer.firstLine(of: stdout.fileHandleForReading.fileDescriptor)
    let text = String(decoding: line, as: UTF8.self)
    guard let range = text.range(of: "127.0.0.1:"),
          let port = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
      if process.isRunning { kill(process.processIdentifier, SIGKILL) }
      let (status, bySignal) = process.waitForExit()
      let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      throw LiveServerError(message: "perk serve did not start (status \(status), "
                              + "\(bySignal ? "signal" : "exit")): \(text) \(errors)")
    }
    self.port = port
  }

  deinit { stop() }

  /// The first line written to `descriptor`, read with `read(2)` (retried when a signal
  /// interrupts it), within 20 seconds.
  static func firstLine(of descriptor: Int32) -> [UInt8] {
    var line: [UInt8] = []
    let deadline = Date().addingTimeInterval(20)
    var byte: UInt8 = 0
    while Date() < deadline {
      var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
      guard poll(&ready, 1, 1000) >= 0 || errno == EINTR else { break }
      if ready.revents == 0 { continue }
      let count = read(descriptor, &byte, 1)
      if count < 0 && errno == EINTR { continue }
      if count <= 0 || byte == 10 { break }
      line.append(byte)
    }
    return line
  }

  /// SIGTERM, then waits for the exit; returns the status.
  @discardableResult
  func stop() -> Int32 {
    if ended == nil, process.isRunning { kill(process.processIdentifier, SIGTERM) }
    return waitForExit()
  }

  /// Ends the process at once, as a crash would.
  func killHard() {
    if ended == nil, process.isRunning { kill(process.processIdentifier, SIGKILL) }
    waitForExit()
  }

  /// How the process ended, once it has: its exit status, or the signal that ended it.
  private(set) var ended: (status: Int32, bySignal: Bool)?

  /// Waits for the process to end and returns its status (or the signal that ended it);
  /// `Process.waitForExit(patience:)` says why not `waitUntilExit`.
  @discardableResult
  func waitForExit() -> Int32 {
    if ended == nil { ended = process.waitForExit() }
    return ended!.status
  }

  /// Everything the server wrote on standard error (after it stopped).
  func errorOutput() -> String {
    String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  }

  /// One request on a new connection; the status and the body.
  func request(_ method: String, _ path: String, body: String = "", headers: [String: String] = [:]) throws -> (status: Int, body: String) {
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n"
    for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
    let reply = try RawClient(port: port).exchange(Array((head + "\r\n" + body).utf8))
    return try RawClient.parse(reply)
  }
}

struct LiveServerError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

/// A client that writes bytes as given, so tests can send what no HTTP library would.
final class RawClient {
  let descriptor: Int32

  init(port: Int) throws {
    descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let status = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard status == 0 else {
      close(descriptor)
      throw LiveServerError(message: "cannot connect to port \(port)")
    }
    var timeout = timeval(tv_sec: 20, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
  }

  deinit { close(descriptor) }

  func send(_ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
      if written <= 0 { return }
      offset += written
    }
  }

  /// Everything the server sends until it closes the connection.
  func readToEnd() -> [UInt8] {
    var all: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
      if count <= 0 { return all }
      all += chunk[0..<count]
    }
  }

  func exchange(_ bytes: [UInt8]) throws -> [UInt8] {
    send(bytes)
    return readToEnd()
  }

  /// The status code and body of one response.
  /// A reply whose body is shorter than its `Content-Length` is an error, not an answer: a
  /// server killed while writing it (the durability tests kill servers mid-run) leaves the
  /// client a cut-off body, which must count as unacknowledged and be retried.
  static func parse(_ reply: [UInt8]) throws -> (status: Int, body: String) {
    let text = String(decoding: reply, as: UTF8.self)
    guard let split = text.range(of: "\r\n\r\n"), text.hasPrefix("HTTP/1.1 "),
          let status = Int(text.dropFirst("HTTP/1.1 ".count).prefix(3)) else {
      throw LiveServerError(message: "not an HTTP response: \(text.prefix(200))")
    }
    let body = String(text[split.upperBound...])
    for line in text[..<split.lowerBound].split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
      let declared = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
      guard declared == body.utf8.count else {
        throw LiveServerError(message: "a cut-off reply: \(body.utf8.count) of \(declared.map(String.init) ?? "?") body bytes")
      }
    }
    return (status, body)
  }
}

/// The `code` of a JSON error body.
func errorCode(_ body: String) -> String? {
  guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
        let error = object["error"] as? [String: Any] else { return nil }
  return error["code"] as? String
}

/// A purchase envelope for `customer`.
func purchase(_ customer: String, id: String, day: Int = 3, price: String = "4.50") -> String {
  """
  {"customer": "\(customer)", "event": {"type": "purchase", "id": "\(id)", "time": "2026-11-\(String(format: "%02d", day))T08:15:00-05:00", \
  "lines": [{"sku": "latte", "category": "coffee", "qty": 1, "unit_price": "\(price)"}]}}
  """
}

/// Whether libsqlite3 can be loaded; tests of the SQLite store skip without it.
let sqliteIsInstalled: Bool = {
  guard let handle = dlopen("libsqlite3.so.0", RTLD_NOW) else { return false }
  dlclose(handle)
  return true
}()

/// Where python3 is, if anywhere on the PATH; the client example's test skips without it.
let python3Path: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
  .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
