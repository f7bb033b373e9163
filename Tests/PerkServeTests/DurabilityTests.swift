import Foundation
import PerkTestSupport
import Testing

/// The SQLite store under `kill -9`: clients keep sending while the server is killed and
/// restarted, retry what was not acknowledged with the same ids, and every account ends equal
/// to a sequential evaluation of the events (`perk eval --stream`): nothing lost, nothing doubled.
@Suite(.serialized) struct DurabilityTests {
  /// The port clients use, changed when the server restarts.
  final class Shared: @unchecked Sendable {
    private let lock = NSLock()
    private var currentPort: Int
    private var answers: [String: String] = [:]
    init(port: Int) { currentPort = port }
    var port: Int {
      get { lock.withLock { currentPort } }
      set { lock.withLock { currentPort = newValue } }
    }
    func acknowledge(_ id: String, _ body: String) { lock.withLock { answers[id] = body } }
    var acknowledged: [String: String] { lock.withLock { answers } }
  }

  @Test(.enabled(if: sqliteIsInstalled, "SQLite is needed for --store: install libsqlite3-0 (apt-get install libsqlite3-0)"))
  func killNineDuringLoadLosesNoAcknowledgedEventAndAppliesNoneTwice() throws {
    let scratch = try ScratchDirectory("perk-serve-crash")
    let arguments = ["rules/cafe.perk", "--store", scratch.path("accounts.db")]
    var server = try LiveServer(arguments)
    let shared = Shared(port: server.port)
    // 6 clients, each with 2 customers and 30 purchases on days that move forward, so expiry and
    // stamps depend on the order and a doubled or lost event shows in the state.
    let clients = 6
    var bodies: [[(id: String, body: String)]] = []
    var random = SeededGenerator(state: 19)
    for client in 0..<clients {
      bodies.append((0..<30).map { index in
        let customer = "crash-\(client)-\(index % 2)"
        let price = ["4.50", "3.25", "12.00", "0.99"][Int(random.next() % 4)]
        let id = "crash-\(client)-\(index)"
        return (id, purchase(customer, id: id, day: 1 + index / 2, price: price))
      })
    }
    let group = DispatchGroup()
    for client in 0..<clients {
      group.enter()
      let mine = bodies[client]
      Thread {
        defer { group.leave() }
        for (id, body) in mine {
          let deadline = Date().addingTimeInterval(30)
          while Date() < deadline {
            let port = shared.port
            let head = "POST /v1/events HTTP/1.1\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
            if let client = try? RawClient(port: port), let reply = try? RawClient.parse(client.exchange(Array((head + body).utf8))),
               reply.status == 200 {
              shared.acknowledge(id, reply.body)
              break
            }
            Thread.sleep(forTimeInterval: 0.02)
          }
        }
      }.start()
    }
    while shared.acknowledged.count < 50 { Thread.sleep(forTimeInterval: 0.005) }
    server.killHard()
    #expect(server.ended?.bySignal == true)
    server = try LiveServer(arguments)
    shared.port = server.port
    #expect(group.wait(timeout: .now() + 60) == .success)
    let acknowledged = shared.acknowledged
    #expect(acknowledged.count == clients * 30)

    // The sequential evaluation of the same events, client by client (each customer's events in order).
    let lines = bodies.flatMap { $0.map { $0.body.replacingOccurrences(of: "\n", with: "") } }.joined(separator: "\n") + "\n"
    let stream = try PerkExecutable.run(arguments: ["eval", "rules/cafe.perk", "--stream"], stdin: lines,
                                        currentDirectory: PerkExecutable.repositoryRoot())
    #expect(stream.exitCode == 0)
    var expectedStates: [String: Any] = [:]
    for (index, line) in stream.stdout.split(separator: "\n").enumerated() {
      let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let id = bodies.flatMap { $0 }[index].id
      // Each acknowledged outcome is the sequential one: none was applied twice or on a lost state.
      let served = try #require(acknowledged[id])
      let servedObject = try JSONSerialization.jsonObject(with: Data(served.utf8)) as? NSDictionary
      #expect(servedObject == (object["outcome"] as? NSDictionary), "\(id)")
      expectedStates[object["customer"] as! String] = object["state"]
    }
    for (customer, expected) in expectedStates {
      let stored = try server.request("GET", "/v1/customers/\(customer)/state")
      let state = try JSONSerialization.jsonObject(with: Data(stored.body.utf8)) as? NSDictionary
      #expect(state == (expected as? NSDictionary), "\(customer)")
    }
    // Retrying any event now returns what was acknowledged, byte for byte.
    let (id, body) = bodies[3][7]
    #expect(try server.request("POST", "/v1/events", body: body).body == acknowledged[id])
  }
}

/// An account read back after a restart is its last snapshot with the later events replayed:
/// 70 events cross the snapshot written at the 64th, and the state after a restart is the
/// sequential evaluation's.
@Test(.enabled(if: sqliteIsInstalled, "SQLite is needed for --store: install libsqlite3-0 (apt-get install libsqlite3-0)"))
func anAccountReadAfterARestartIsItsSnapshotWithTheLaterEventsReplayed() throws {
  let scratch = try ScratchDirectory("perk-serve-replay")
  let arguments = ["rules/cafe.perk", "--store", scratch.path("accounts.db")]
  var server = try LiveServer(arguments)
  let bodies = (0..<70).map { purchase("replayed", id: "r-\($0)", day: 1 + $0 / 3, price: ["4.50", "3.25", "7.10"][$0 % 3]) }
  for body in bodies { #expect(try server.request("POST", "/v1/events", body: body).status == 200) }
  let before = try server.request("GET", "/v1/customers/replayed/state").body
  #expect(server.stop() == 0)
  server = try LiveServer(arguments)
  let after = try server.request("GET", "/v1/customers/replayed/state").body
  #expect(after == before)
  let stream = try PerkExecutable.run(arguments: ["eval", "rules/cafe.perk", "--stream"],
                                      stdin: bodies.map { $0.replacingOccurrences(of: "\n", with: "") }.joined(separator: "\n"),
                                      currentDirectory: PerkExecutable.repositoryRoot())
  let last = try #require(stream.stdout.split(separator: "\n").last)
  let object = try #require(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
  let stored = try JSONSerialization.jsonObject(with: Data(after.utf8)) as? NSDictionary
  #expect(stored == (object["state"] as? NSDictionary))
  // The next event continues from the replayed state: the 71st purchase is not a duplicate.
  let next = try server.request("POST", "/v1/events", body: purchase("replayed", id: "r-70", day: 25))
  #expect(next.body.contains("\"duplicate\": false"))
}
