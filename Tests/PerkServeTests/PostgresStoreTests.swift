import Foundation
import PerkStore
import PerkTestSupport
import Testing

/// `perk serve --store postgresql://…`: each test starts its own throw-away PostgreSQL server.
@Suite(.serialized, .enabled(if: PostgresServer.isInstalled, "\(PostgresServer.missing)"))
struct PostgresStoreTests {
  /// Idempotency, conflicts, customers and a restart, as with SQLite; the password of a URL is
  /// not printed.
  @Test func theAPIWorksAgainstAPostgreSQLStore() throws {
    let database = try PostgresServer()
    var server = try LiveServer(["rules/cafe.perk", "--store", database.url])
    let first = try server.request("POST", "/v1/events", body: purchase("pg-1", id: "t-1"))
    #expect(first.status == 200)
    #expect(first.body.contains("\"paid_minor\": 450"))
    #expect(try server.request("POST", "/v1/events", body: purchase("pg-1", id: "t-1")) == first)
    let conflict = try server.request("POST", "/v1/events", body: purchase("pg-1", id: "t-1", price: "9.00"))
    #expect(conflict.status == 409)
    #expect(errorCode(conflict.body) == "idempotency_conflict")
    let elsewhere = try server.request("POST", "/v1/events", body: purchase("pg-2", id: "t-1"))
    #expect(errorCode(elsewhere.body) == "idempotency_conflict")
    for index in 2...70 {
      #expect(try server.request("POST", "/v1/events", body: purchase("pg-1", id: "t-\(index)", day: 1 + index / 3)).status == 200)
    }
    let put = try server.request("PUT", "/v1/customers/pg-3", body: #"{"id": "pg-3", "segment": "student"}"#)
    #expect(put.status == 200)
    let before = try server.request("GET", "/v1/customers/pg-1/state")
    #expect(before.status == 200)
    #expect(server.stop() == 0)
    // A new server reads the snapshot (written at the 64th event) and replays the 6 after it.
    server = try LiveServer(["rules/cafe.perk", "--store", database.url])
    #expect(try server.request("GET", "/v1/customers/pg-1/state") == before)
    #expect(try server.request("GET", "/v1/customers/pg-3").body.contains("\"segment\": \"student\""))
    #expect(try server.request("GET", "/v1/customers/pg-9").status == 404)
    #expect(try server.request("POST", "/v1/events", body: purchase("pg-1", id: "t-1")) == first)
    let store = try PostgresStore(url: database.url)
    #expect(try store.customers() == ["pg-1", "pg-3"])
    #expect(try store.events(of: "pg-1", after: 0).map(\.id) == (1...70).map { "t-\($0)" })
    #expect(try store.version(of: "pg-1") == 70)

    let secret = "postgresql://perk:hunter2@127.0.0.1:\(database.port)/postgres"
    let withPassword = try LiveServer(["rules/cafe.perk", "--store", secret])
    #expect(try withPassword.request("GET", "/v1/customers/pg-1/state") == before)
    withPassword.stop()
    #expect(!withPassword.errorOutput().contains("hunter2"))
  }

  /// The store's refusals: exit 1 with a message that says what to do, exit 2 for an unknown scheme.
  @Test func aStoreThatCannotBeUsedIsRefusedWithAClearMessage() throws {
    let root = PerkExecutable.repositoryRoot()
    let missing = try PerkExecutable.run(arguments: ["serve", "rules/cafe.perk", "--store", "postgresql://perk@127.0.0.1:1/postgres"],
                                         environment: ["PERK_LIBPQ_LIBRARY": "libpq-not-here.so.5"], currentDirectory: root)
    #expect(missing.exitCode == 1)
    #expect(missing.stderr == "error: PostgreSQL is needed for --store postgresql://…: install libpq5 (apt-get install libpq5)\n")
    let unreachable = try PerkExecutable.run(arguments: ["serve", "rules/cafe.perk", "--store", "postgres://perk:pw@127.0.0.1:1/postgres"],
                                             currentDirectory: root)
    #expect(unreachable.exitCode == 1)
    #expect(unreachable.stderr.hasPrefix("error: postgres://perk:***@127.0.0.1:1/postgres: cannot connect: "))
    #expect(!unreachable.stderr.contains("pw@"))
    let unknown = try PerkExecutable.run(arguments: ["serve", "rules/cafe.perk", "--store", "mysql://x@127.0.0.1/db"],
                                         currentDirectory: root)
    #expect(unknown.exitCode == 2)
    #expect(unknown.stderr.contains("--store"))
    #expect(unknown.stderr.contains("postgresql://USER@HOST:PORT/DATABASE"))
  }

  /// Two servers on one database, six clients sending events for the same four customers to
  /// either server (every fifth event to both at once), one server killed with SIGKILL during
  /// the run and restarted, every unacknowledged event retried with its id: each customer's
  /// events are stored once, every acknowledged outcome and every account equals a sequential
  /// evaluation of the events in the order the store accepted them.
  @Test func twoServersOnOneDatabaseLoseNoUpdateAndApplyNothingTwice() throws {
    let database = try PostgresServer()
    let arguments = ["rules/cafe.perk", "--store", database.url]
    let servers = Servers([try LiveServer(arguments), try LiveServer(arguments)])
    let clients = 6
    let perClient = 25
    var work: [[(id: String, body: String, raced: Bool, server: Int)]] = []
    var random = SeededGenerator(state: 4)
    for client in 0..<clients {
      work.append((0..<perClient).map { index in
        let customer = "shared-\(random.next() % 4)"
        let price = ["4.50", "3.25", "12.00", "0.99"][Int(random.next() % 4)]
        let id = "pg-\(client)-\(index)"
        return (id, purchase(customer, id: id, day: 1 + index, price: price), index % 5 == 4, Int(random.next() % 2))
      })
    }
    let answers = Answers()
    let group = DispatchGroup()
    for client in 0..<clients {
      group.enter()
      let mine = work[client]
      Thread {
        defer { group.leave() }
        for item in mine {
          if item.raced {
            // The same id to both servers at once: both answer it, with the same outcome.
            let both = DispatchGroup()
            for server in 0..<2 {
              both.enter()
              Thread {
                defer { both.leave() }
                if let reply = servers.send(item.body, to: server, until: Date().addingTimeInterval(30)) { answers.add(item.id, reply) }
              }.start()
            }
            both.wait()
          } else if let reply = servers.send(item.body, to: item.server, until: Date().addingTimeInterval(30)) {
            answers.add(item.id, reply)
          }
        }
      }.start()
    }
    let started = Date()
    while answers.count < 50 && Date().timeIntervalSince(started) < 30 { Thread.sleep(forTimeInterval: 0.005) }
    servers.killAndRestart(1, arguments: arguments)
    #expect(group.wait(timeout: .now() + 60) == .success)

    let all = work.flatMap { $0 }
    let bodies = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.body) })
    let replies = answers.all
    #expect(Set(replies.keys) == Set(bodies.keys))
    for (id, bodiesSent) in replies {
      #expect(bodiesSent.allSatisfy { $0 == bodiesSent[0] }, "\(id): every answer to one id is the same")
    }
    // The order the store accepted each customer's events in; each event stored once.
    let store = try PostgresStore(url: database.url)
    var order: [String] = []
    for customer in try store.customers() { order += try store.events(of: customer, after: 0).map(\.id) }
    #expect(order.count == clients * perClient)
    #expect(Set(order).count == order.count)
    let lines = order.map { bodies[$0]!.replacingOccurrences(of: "\n", with: "") }.joined(separator: "\n") + "\n"
    let stream = try PerkExecutable.run(arguments: ["eval", "rules/cafe.perk", "--stream"], stdin: lines,
                                        currentDirectory: PerkExecutable.repositoryRoot())
    #expect(stream.exitCode == 0)
    var expectedStates: [String: NSDictionary] = [:]
    for (index, line) in stream.stdout.split(separator: "\n").enumerated() {
      let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let served = try JSONSerialization.jsonObject(with: Data(try #require(replies[order[index]]?.first).utf8)) as? NSDictionary
      #expect(served == (object["outcome"] as? NSDictionary), "\(order[index])")
      expectedStates[object["customer"] as! String] = object["state"] as? NSDictionary
    }
    #expect(expectedStates.count == 4)
    // Both servers answer every account as the sequential evaluation left it (neither serves a stale cache).
    for (customer, expected) in expectedStates {
      for server in 0..<2 {
        let stored = try servers.server(server).request("GET", "/v1/customers/\(customer)/state")
        #expect(try JSONSerialization.jsonObject(with: Data(stored.body.utf8)) as? NSDictionary == expected, "\(customer) on \(server)")
      }
    }
  }

  /// A referral released on one server and the nightly advance run on both at once: the
  /// referrer is credited once, and both servers show the same accounts.
  @Test func aReferralIsCreditedOnceWhenTwoServersAdvanceAtOnce() throws {
    let database = try PostgresServer()
    let arguments = ["rules/p7-referral.perk", "--store", database.url]
    let servers = Servers([try LiveServer(arguments), try LiveServer(arguments)])
    #expect(try servers.server(0).request("PUT", "/v1/customers/bob", body: #"{"id": "bob", "referred_by": "carol"}"#).status == 200)
    let bought = #"{"customer": "bob", "event": {"type": "purchase", "id": "T1", "time": "2026-03-02T10:00", "lines": [{"sku": "jacket", "category": "clothing", "unit_price": "25.00"}]}}"#
    #expect(try servers.server(1).request("POST", "/v1/events", body: bought).body.contains("\"transfers_held\""))
    let answers = Answers()
    DispatchQueue.concurrentPerform(iterations: 4) { index in
      if let reply = try? servers.server(index % 2).request("POST", "/v1/advance", body: #"{"to": "2026-03-20"}"#), reply.status == 200 {
        answers.add("advance", reply.body)
      }
    }
    #expect(answers.all["advance"]?.count == 4)
    for server in [servers.server(0), servers.server(1)] {
      #expect(try server.request("GET", "/v1/customers/carol/state").body.contains("\"points\" : 300"))
      #expect(try server.request("GET", "/v1/customers/bob/state").body.contains("\"points\" : 325"))
    }
    #expect(try PostgresStore(url: database.url).pendingTransfers().isEmpty)
  }

  /// The servers the clients send to; one is replaced when it is killed.
  final class Servers: @unchecked Sendable {
    private let lock = NSLock()
    private var servers: [LiveServer]
    init(_ servers: [LiveServer]) { self.servers = servers }

    func server(_ index: Int) -> LiveServer { lock.withLock { servers[index] } }

    func killAndRestart(_ index: Int, arguments: [String]) {
      let old = server(index)
      old.killHard()
      #expect(old.ended?.bySignal == true)
      do {
        let new = try LiveServer(arguments)
        lock.withLock { servers[index] = new }
      } catch {
        Issue.record("the killed server did not restart: \(error)")
      }
    }

    /// Sends `body` to server `index` until it answers 200 (a killed server's clients retry on the other one).
    func send(_ body: String, to index: Int, until deadline: Date) -> String? {
      var target = index
      while Date() < deadline {
        let head = "POST /v1/events HTTP/1.1\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        if let client = try? RawClient(port: server(target).port),
           let reply = try? RawClient.parse(client.exchange(Array((head + body).utf8))) {
          if reply.status == 200 { return reply.body }
          Issue.record("status \(reply.status): \(reply.body)")
          return nil
        }
        target = 1 - target
        Thread.sleep(forTimeInterval: 0.02)
      }
      return nil
    }
  }

  /// Every answer to every id.
  final class Answers: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [String: [String]] = [:]
    func add(_ id: String, _ body: String) { lock.withLock { answers[id, default: []].append(body) } }
    var count: Int { lock.withLock { answers.count } }
    var all: [String: [String]] { lock.withLock { answers } }
  }
}
