import Foundation

/// `perk-benchmark --serve`: a load generator for `perk serve` on loopback (docs/performance.md).
///
/// Starts the `perk` beside this executable as `perk serve rules/cafe.perk --store TMP.db` (or
/// `--store postgresql://…`, one or more servers) on ephemeral ports, then runs N clients, each on one kept-alive connection sending its share of M
/// purchases (for its own customers, so they never wait on each other's locks), and reports the
/// throughput and the latency percentiles of the whole run.
enum ServeLoad {
  struct Figures {
    var events: Int
    var seconds: Double
    var p50: Double
    var p99: Double
    var max: Double
    var failures: Int
  }

  /// `memory`: the in-memory store instead of SQLite (to see what the store costs). `store`: a
  /// `postgresql://` URL instead (a database you started), served by `servers` processes; client
  /// `c` talks to server `c % servers`.
  static func run(clients: Int, events: Int, customersPerClient: Int, memory: Bool, store: String? = nil,
                  servers: Int = 1) throws -> Figures {
    let perk = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("perk")
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("perk-load-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var processes: [Process] = []
    defer {
      for process in processes {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
      }
    }
    var ports: [Int] = []
    for index in 0..<(store == nil ? 1 : servers) {
      let process = Process()
      process.executableURL = perk
      process.arguments = ["serve", "rules/cafe.perk", "--listen", "127.0.0.1:0"]
        + (memory ? [] : ["--store", store ?? directory.appendingPathComponent("load.db").path])
      let output = Pipe()
      process.standardOutput = output
      // The per-request log would cost the server a write per request; it is still written, to a file.
      process.standardError = try FileHandle(forWritingTo: {
        let url = directory.appendingPathComponent("server-\(index).log")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
      }())
      try process.run()
      processes.append(process)
      // read(2), retried when interrupted: Foundation's readData(ofLength:) was seen returning
      // nothing before the server had written its first line.
      var line: [UInt8] = []
      var byte: UInt8 = 0
      while true {
        let count = read(output.fileHandleForReading.fileDescriptor, &byte, 1)
        if count < 0 && errno == EINTR { continue }
        if count <= 0 || byte == 10 { break }
        line.append(byte)
      }
      let text = String(decoding: line, as: UTF8.self)
      guard let range = text.range(of: "127.0.0.1:"), let port = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
        throw LoadError(message: "perk serve did not start: \(text)")
      }
      ports.append(port)
    }

    let perClient = events / clients
    let latencies = LatencyLog(capacity: perClient * clients)
    let group = DispatchGroup()
    let start = DispatchTime.now().uptimeNanoseconds
    for client in 0..<clients {
      let port = ports[client % ports.count]
      let thread = Thread {
        defer { group.leave() }
        guard let connection = try? Connection(port: port) else {
          latencies.fail(perClient)
          return
        }
        for index in 0..<perClient {
          let customer = "load-\(client)-\(index % customersPerClient)"
          let minutes = index / customersPerClient
          let body = """
            {"customer": "\(customer)", "event": {"type": "purchase", "id": "load-\(client)-\(index)", \
            "time": "2026-11-03T\(String(format: "%02d", 8 + minutes / 60)):\(String(format: "%02d", minutes % 60)):00-05:00", \
            "lines": [{"sku": "latte", "category": "coffee", "qty": 1, "unit_price": "4.50"}, \
            {"sku": "croissant", "category": "pastry", "qty": 1, "unit_price": "3.25"}]}}
            """
          let sent = DispatchTime.now().uptimeNanoseconds
          let ok = connection.post("/v1/events", body: body)
          let took = DispatchTime.now().uptimeNanoseconds - sent
          if ok { latencies.record(took) } else { latencies.fail(1) }
        }
      }
      group.enter()
      thread.start()
    }
    group.wait()
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let sorted = latencies.sorted()
    func percentile(_ p: Double) -> Double {
      sorted.isEmpty ? 0 : Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6
    }
    return Figures(events: sorted.count, seconds: elapsed, p50: percentile(0.5), p99: percentile(0.99),
                   max: Double(sorted.last ?? 0) / 1e6, failures: latencies.failures)
  }

  struct LoadError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  /// Latencies from all clients, in nanoseconds.
  final class LatencyLog: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [UInt64] = []
    private(set) var failures = 0
    init(capacity: Int) { values.reserveCapacity(capacity) }
    func record(_ value: UInt64) { lock.withLock { values.append(value) } }
    func fail(_ count: Int) { lock.withLock { failures += count } }
    func sorted() -> [UInt64] { lock.withLock { values.sorted() } }
  }

  /// One kept-alive HTTP/1.1 connection.
  final class Connection {
    let descriptor: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
      descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = in_port_t(UInt16(port).bigEndian)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      let status = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
      }
      guard status == 0 else { throw LoadError(message: "cannot connect to port \(port)") }
      var yes: Int32 = 1
      setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(descriptor) }

    /// Sends one POST and reads its whole response; true for a 200.
    func post(_ path: String, body: String) -> Bool {
      let request = Array("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
      guard request.withUnsafeBytes({ send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { return false }
      var chunk = [UInt8](repeating: 0, count: 65536)
      while true {
        if let end = headEnd(), let length = contentLength(end), buffer.count >= end + length {
          let ok = buffer.starts(with: Array("HTTP/1.1 200".utf8))
          buffer.removeFirst(end + length)
          return ok
        }
        guard read(&chunk) else { return false }
      }
    }

    private func read(_ chunk: inout [UInt8]) -> Bool {
      let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
      guard count > 0 else { return false }
      buffer += chunk[0..<count]
      return true
    }

    private func headEnd() -> Int? {
      guard buffer.count >= 4 else { return nil }
      for index in 3..<buffer.count where buffer[index] == 10 && buffer[index - 1] == 13 && buffer[index - 2] == 10 && buffer[index - 3] == 13 {
        return index + 1
      }
      return nil
    }

    private func contentLength(_ end: Int) -> Int? {
      let head = String(decoding: buffer[0..<end], as: UTF8.self).lowercased()
      guard let range = head.range(of: "content-length: ") else { return nil }
      return Int(head[range.upperBound...].prefix { $0.isNumber })
    }
  }
}
