import Foundation
import PerkTestSupport

/// A throw-away PostgreSQL server for one test: `initdb` with trust authentication in a
/// scratch directory, listening on 127.0.0.1 and a free port, stopped (immediately) and
/// deleted when released. As root it runs as the `postgres` user (`runuser`), since the
/// server refuses to run as root.
final class PostgresServer {
  /// The directory holding the server's binaries (the newest of /usr/lib/postgresql/*/bin), or
  /// nil when none is installed: the PostgreSQL tests skip then.
  static let binaries: String? = {
    let root = "/usr/lib/postgresql"
    let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
    return versions.reversed().map { "\(root)/\($0)/bin" }
      .first { FileManager.default.isExecutableFile(atPath: "\($0)/postgres") && FileManager.default.isExecutableFile(atPath: "\($0)/initdb") }
  }()

  /// Whether the server and libpq are here to run the tests.
  static let isInstalled: Bool = {
    guard binaries != nil, let handle = dlopen("libpq.so.5", RTLD_NOW) else { return false }
    dlclose(handle)
    return true
  }()

  static let missing = "PostgreSQL is needed: apt-get install postgresql libpq5 (.ci/run installs them)"

  let scratch: ScratchDirectory
  let port: Int
  private let data: String
  private let server = Process()

  /// The URL `perk serve --store` takes.
  var url: String { "postgresql://perk@127.0.0.1:\(port)/postgres" }

  init() throws {
    guard let binaries = PostgresServer.binaries else { throw LiveServerError(message: PostgresServer.missing) }
    scratch = try ScratchDirectory("perk-pg")
    data = scratch.path("data")
    port = try PostgresServer.freePort()
    if geteuid() == 0 {
      try command("/bin/chown", ["postgres:postgres", scratch.root])
    }
    _ = FileManager.default.createFile(atPath: scratch.path("commands.log"), contents: nil)
    try postgres("\(binaries)/initdb", ["-D", data, "-A", "trust", "-U", "perk", "-E", "UTF8", "--locale=C", "--no-sync"])
    // fsync off: the tests kill `perk serve`, never this server; the socket directory is the data
    // directory, so nothing is written outside the scratch directory. `postgres` itself is the
    // child (not `pg_ctl start`): Foundation notices a child's exit when every copy of a socket
    // it gives the child is closed, and a server that `pg_ctl` leaves running keeps its copy.
    let log = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path("commands.log")))
    defer { try? log.close() }
    try log.seekToEnd()
    let arguments = ["\(binaries)/postgres", "-D", data, "-p", String(port), "-k", data, "-c", "listen_addresses=127.0.0.1",
                     "-c", "fsync=off", "-c", "max_connections=120"]
    server.executableURL = URL(fileURLWithPath: geteuid() == 0 ? "/usr/sbin/runuser" : arguments[0])
    server.arguments = geteuid() == 0 ? ["-u", "postgres", "--"] + arguments : Array(arguments.dropFirst())
    server.standardOutput = log
    server.standardError = log
    try server.runWithClosedInput()
    // Ready when it accepts connections (pg_isready exits 0), within 30 seconds.
    let deadline = Date().addingTimeInterval(30)
    while (try? postgres("\(binaries)/pg_isready", ["-q", "-h", "127.0.0.1", "-p", String(port), "-d", "postgres", "-U", "perk"])) == nil {
      guard Date() < deadline, server.isRunning else {
        stop()
        throw LiveServerError(message: "postgres did not start: \(scratch.read("commands.log") ?? "")")
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
  }

  deinit { stop() }

  /// Stops the server at once (SIGQUIT: immediate shutdown) and waits for it.
  private func stop() {
    guard server.isRunning else { return }
    let pid = scratch.read("data/postmaster.pid")?.split(separator: "\n").first.flatMap { Int32($0) }
    kill(pid ?? server.processIdentifier, SIGQUIT)
    _ = server.waitForExit()
  }

  /// Runs a PostgreSQL program, as the `postgres` user when this process is root.
  private func postgres(_ program: String, _ arguments: [String]) throws {
    if geteuid() == 0 {
      try self.command("/usr/sbin/runuser", ["-u", "postgres", "--", program] + arguments)
    } else {
      try self.command(program, arguments)
    }
  }

  /// Runs `program` to its end, its output appended to commands.log (shown when it fails).
  private func command(_ program: String, _ arguments: [String]) throws {
    let log = scratch.path("commands.log")
    if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
    let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    defer { try? output.close() }
    try output.seekToEnd()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    process.standardOutput = output
    process.standardError = output
    try process.runWithClosedInput()
    // A program at work (`initdb` on a loaded machine): killed only if it takes minutes.
    guard process.waitForExit(patience: 300).status == 0 else {
      throw LiveServerError(message: "\(program) \(arguments.joined(separator: " ")) failed: \(scratch.read("commands.log") ?? "")")
    }
  }

  /// A port nothing listens on now (the system's choice for port 0).
  private static func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
      }
    }
    guard bound else { throw LiveServerError(message: "no free port on 127.0.0.1") }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
