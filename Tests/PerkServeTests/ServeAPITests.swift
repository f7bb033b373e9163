import Foundation
import PerkTestSupport
import Testing

/// The API against a live server (docs/serve.md), with the in-memory store.
@Suite(.serialized) struct ServeAPITests {
  @Test func anEventReturnsTheOutcomePerkEvalPrints() throws {
    let root = PerkExecutable.repositoryRoot()
    let server = try LiveServer(["rules/cafe.perk"])
    let event = try String(contentsOf: root.appendingPathComponent("rules/examples/cafe-purchase.json"), encoding: .utf8)
    let customer = try String(contentsOf: root.appendingPathComponent("rules/examples/cafe-customer.json"), encoding: .utf8)
    let reply = try server.request("POST", "/v1/events", body: "{\"customer\": \(customer), \"event\": \(event)}")
    #expect(reply.status == 200)
    // The same bytes as `perk eval` (its golden), through the same encoder.
    let eval = try PerkExecutable.run(
      arguments: ["eval", "rules/cafe.perk", "--event", "rules/examples/cafe-purchase.json",
                  "--customer", "rules/examples/cafe-customer.json"], currentDirectory: root)
    #expect(reply.body + "\n" == eval.stdout)
  }

  @Test func previewStoresNothing() throws {
    let server = try LiveServer(["rules/cafe.perk"])
    let preview = try server.request("POST", "/v1/events?preview=true", body: purchase("c-1", id: "t-1"))
    #expect(preview.status == 200)
    #expect(preview.body.contains("\"stars\": 18"))
    #expect(try server.request("GET", "/v1/customers/c-1").status == 404)
    // The real event after the preview earns the same, once.
    let real = try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-1"))
    #expect(real.body == preview.body)
    #expect(try server.request("POST", "/v1/events?preview=maybe", body: purchase("c-1", id: "t-2")).status == 400)
  }

  @Test func retryingAnEventIdReturnsTheStoredOutcomeAndAnotherBodyIs409() throws {
    let server = try LiveServer(["rules/cafe.perk"])
    let first = try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-1"))
    // Spaced differently, the same request: the same bytes, nothing changes.
    let spaced = purchase("c-1", id: "t-1").replacingOccurrences(of: ", ", with: ",\n  ")
    let again = try server.request("POST", "/v1/events", body: spaced)
    #expect(first.status == 200)
    #expect(again.status == 200)
    #expect(again.body == first.body)
    let conflict = try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-1", price: "5.50"))
    #expect(conflict.status == 409)
    #expect(errorCode(conflict.body) == "idempotency_conflict")
    #expect(conflict.body.contains("\"field\": \"event.id\""))
    let elsewhere = try server.request("POST", "/v1/events", body: purchase("c-2", id: "t-1"))
    #expect(elsewhere.status == 409)
    let state = try server.request("GET", "/v1/customers/c-1/state")
    #expect(state.body.contains("\"stars\" : 18"))
    #expect(try server.request("GET", "/v1/customers/c-2").status == 404)
  }

  @Test func badEventsNameTheFieldAndThePosition() throws {
    let server = try LiveServer(["rules/cafe.perk"])
    let typo = try server.request("POST", "/v1/events", body: #"{"customer": "c-1", "event": {"type": "purchase", "id": "t", "tim": "2026-11-03"}}"#)
    #expect(typo.status == 422)
    #expect(errorCode(typo.body) == "invalid_event")
    #expect(typo.body.contains("<request>:1:69: unknown key `tim` in the event; did you mean `time`?"))
    let notJSON = try server.request("POST", "/v1/events", body: "{")
    #expect(notJSON.status == 400)
    #expect(errorCode(notJSON.body) == "invalid_json")
    let withState = try server.request("POST", "/v1/events", body: #"{"customer": "c-1", "state": {}, "event": {}}"#)
    #expect(errorCode(withState.body) == "invalid_state")
    let noCustomer = try server.request("POST", "/v1/events", body: #"{"event": {"type": "signup", "id": "s", "time": "2026-11-03"}}"#)
    #expect(errorCode(noCustomer.body) == "invalid_customer")
    #expect(try server.request("GET", "/v1/events").status == 405)
    #expect(errorCode(try server.request("GET", "/nowhere").body) == "not_found")
  }

  @Test func customersAreReadAndWritten() throws {
    let server = try LiveServer(["rules/cafe.perk"])
    let put = try server.request("PUT", "/v1/customers/c-1", body: #"{"id": "c-1", "birthday": "1990-11-20", "segment": "student"}"#)
    #expect(put.status == 200)
    _ = try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-1"))
    let read = try server.request("GET", "/v1/customers/c-1?at=2026-11-04")
    #expect(read.status == 200)
    let object = try #require(JSONSerialization.jsonObject(with: Data(read.body.utf8)) as? [String: Any])
    let customer = try #require(object["customer"] as? [String: Any])
    #expect(customer["birthday"] as? String == "1990-11-20")
    #expect(customer["segment"] as? String == "student")
    #expect(object["stamps"] as? [String: Int] == ["coffee card": 1])
    #expect(object["tier"] as? String == "green")
    let account = try #require(object["account"] as? [String: Any])
    #expect(account["balances"] as? [String: Int] == ["stars": 18])
    #expect((account["near_misses"] as? [Any])?.count == 3)
    let mismatch = try server.request("PUT", "/v1/customers/c-1", body: #"{"id": "c-2"}"#)
    #expect(mismatch.status == 422)
    #expect(mismatch.body.contains("\"field\": \"id\""))
  }

  @Test func advanceRunsThePeriodEndsOnceAndCreditsReferrals() throws {
    let server = try LiveServer(["rules/p7-referral.perk"])
    _ = try server.request("PUT", "/v1/customers/bob", body: #"{"id": "bob", "referred_by": "carol"}"#)
    let bought = #"{"customer": "bob", "event": {"type": "purchase", "id": "T1", "time": "2026-03-02T10:00", "lines": [{"sku": "jacket", "category": "clothing", "unit_price": "25.00"}]}}"#
    let outcome = try server.request("POST", "/v1/events", body: bought)
    #expect(outcome.body.contains("\"transfers_held\""))
    let advanced = try server.request("POST", "/v1/advance", body: #"{"to": "2026-03-20"}"#)
    #expect(advanced.status == 200)
    #expect(advanced.body.contains("\"changed\": 1"))
    #expect(advanced.body.contains("\"transfers\""))
    #expect(advanced.body.contains("\"type\": \"period_end\""))
    // Again: carol's new account is brought up to the day, nothing is paid twice.
    let again = try server.request("POST", "/v1/advance", body: #"{"to": "2026-03-20"}"#)
    #expect(again.body.contains("\"accounts\": 2"))
    #expect(again.body.contains("\"outcomes\": []"))
    let third = try server.request("POST", "/v1/advance", body: #"{"to": "2026-03-20"}"#)
    #expect(third.body.contains("\"changed\": 0"))
    // The referrer is credited once, however often the advance is run.
    let carol = try server.request("GET", "/v1/customers/carol/state")
    #expect(carol.body.contains("\"points\" : 300"))
    let bob = try server.request("GET", "/v1/customers/bob/state")
    #expect(bob.body.contains("\"points\" : 325"))
    #expect(errorCode(try server.request("POST", "/v1/advance", body: #"{"to": "soon"}"#).body) == "invalid_time")
  }

  @Test func aProgramIsReloadedOnlyWhenItChecksCleanAndFitsTheAccounts() throws {
    let root = PerkExecutable.repositoryRoot()
    let server = try LiveServer(["rules/cafe.perk"])
    let before = try server.request("GET", "/v1/program")
    #expect(before.body.contains("\"name\": \"Bean & Leaf Rewards\""))
    _ = try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-1"))
    let broken = try server.request("POST", "/v1/program", body: "program \"x\"\n  currency USD\nrule y\n")
    #expect(broken.status == 422)
    #expect(errorCode(broken.body) == "program_has_errors")
    // A clean program that has no `stars` cannot read c-1's account: refused, the old one stays.
    let other = try String(contentsOf: root.appendingPathComponent("rules/p7-referral.perk"), encoding: .utf8)
    let incompatible = try server.request("POST", "/v1/program?path=p7.perk", body: other)
    #expect(incompatible.status == 409)
    #expect(errorCode(incompatible.body) == "program_incompatible")
    #expect(try server.request("GET", "/v1/program").body == before.body)
    // The same program with a rule renamed loads, and the account carries over.
    var cafe = try String(contentsOf: root.appendingPathComponent("rules/cafe.perk"), encoding: .utf8)
    cafe = cafe.replacingOccurrences(of: "pastry triple", with: "pastry treble")
    let loaded = try server.request("POST", "/v1/program?path=cafe2.perk", body: cafe)
    #expect(loaded.status == 200)
    #expect(loaded.body.contains("\"pastry treble\""))
    #expect(try server.request("GET", "/v1/customers/c-1").status == 200)
  }

  @Test func aTokenFileGuardsEveryEndpointButHealth() throws {
    let scratch = try ScratchDirectory("perk-serve-token")
    try "s3cret-token\n".write(toFile: scratch.path("token"), atomically: true, encoding: .utf8)
    let server = try LiveServer(["rules/cafe.perk", "--token-file", scratch.path("token")])
    #expect(try server.request("GET", "/healthz").status == 200)
    let missing = try server.request("GET", "/v1/program")
    #expect(missing.status == 401)
    #expect(errorCode(missing.body) == "unauthorized")
    #expect(try server.request("GET", "/metrics", headers: ["Authorization": "Bearer s3cret-toke"]).status == 401)
    #expect(try server.request("GET", "/v1/program", headers: ["Authorization": "Bearer s3cret-token2"]).status == 401)
    #expect(try server.request("GET", "/v1/program", headers: ["Authorization": "Bearer s3cret-token"]).status == 200)
  }

  @Test func metricsAndTheRequestLog() throws {
    let server = try LiveServer(["rules/cafe.perk"])
    _ = try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-1"))
    _ = try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-1", price: "1.00"))
    let metrics = try server.request("GET", "/metrics").body
    #expect(metrics.contains("perk_requests_total{method=\"POST\",route=\"/v1/events\",status=\"200\"} 1\n"))
    #expect(metrics.contains("perk_requests_total{method=\"POST\",route=\"/v1/events\",status=\"409\"} 1\n"))
    #expect(metrics.contains("perk_events_total{kind=\"purchase\"} 1\n"))
    #expect(metrics.contains("perk_request_duration_seconds_count 2\n"))
    #expect(metrics.contains("perk_store_errors_total 0\n"))
    #expect(server.stop() == 0)
    let lines = server.errorOutput().split(separator: "\n")
    let requests = lines.filter { $0.contains("\"path\":\"/v1/events\"") }
    #expect(requests.count == 2)
    #expect(requests.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
  }

  @Test func aMissingSQLiteLibraryIsAClearError() throws {
    let scratch = try ScratchDirectory("perk-serve-nolib")
    let result = try PerkExecutable.run(
      arguments: ["serve", "rules/cafe.perk", "--listen", "127.0.0.1:0", "--store", scratch.path("s.db")],
      environment: ["PERK_SQLITE_LIBRARY": "libperk-no-such-sqlite.so.0"], currentDirectory: PerkExecutable.repositoryRoot())
    #expect(result.exitCode == 1)
    #expect(result.stderr == "error: SQLite is needed for --store: install libsqlite3-0 (apt-get install libsqlite3-0)\n")
  }
}

/// SIGHUP reloads the program files under the rules of `POST /v1/program`.
@Test func sighupReloadsTheFilesOnlyWhenTheyCheckClean() throws {
  let root = PerkExecutable.repositoryRoot()
  let scratch = try ScratchDirectory("perk-serve-hup")
  let cafe = try String(contentsOf: root.appendingPathComponent("rules/cafe.perk"), encoding: .utf8)
  try cafe.write(toFile: scratch.path("cafe.perk"), atomically: true, encoding: .utf8)
  let server = try LiveServer([scratch.path("cafe.perk")])
  func waitForProgram(containing text: String) throws -> Bool {
    for _ in 0..<100 {
      if try server.request("GET", "/v1/program").body.contains(text) { return true }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return false
  }
  try cafe.replacingOccurrences(of: "pastry triple", with: "pastry treble").write(toFile: scratch.path("cafe.perk"), atomically: true,
                                                                                 encoding: .utf8)
  kill(server.process.processIdentifier, SIGHUP)
  #expect(try waitForProgram(containing: "\"pastry treble\""))
  try "program \"broken\"\n".write(toFile: scratch.path("cafe.perk"), atomically: true, encoding: .utf8)
  kill(server.process.processIdentifier, SIGHUP)
  Thread.sleep(forTimeInterval: 0.5)
  #expect(try waitForProgram(containing: "\"pastry treble\""))
  #expect(server.stop() == 0)
  let log = server.errorOutput()
  #expect(log.contains("\"message\":\"reloaded\""))
  #expect(log.contains("\"code\":\"program_has_errors\",\"message\":\"reload refused\""))
}

/// The same event id sent for two customers at the same moment: one request stores it, the
/// other gets 409 (not a store failure), whichever wins.
@Test(arguments: ["memory", "sqlite"])
func oneEventIdRacedForTwoCustomersIsStoredOnceAndTheOtherIs409(store: String) throws {
  let scratch = try ScratchDirectory("perk-serve-race")
  guard store == "memory" || sqliteIsInstalled else { return }
  let server = try LiveServer(["rules/cafe.perk"] + (store == "memory" ? [] : ["--store", scratch.path("s.db")]))
  let statuses = Statuses()
  let port = server.port
  DispatchQueue.concurrentPerform(iterations: 40) { index in
    let pair = index / 2
    let body = purchase("racer-\(index % 2)-\(pair)", id: "race-\(pair)")
    let head = "POST /v1/events HTTP/1.1\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
    let reply = (try? RawClient(port: port)).flatMap { try? RawClient.parse($0.exchange(Array((head + body).utf8))) }
    statuses.add(reply?.status ?? 0)
  }
  #expect(statuses.sorted == Array(repeating: 200, count: 20) + Array(repeating: 409, count: 20))
}

final class Statuses: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [Int] = []
  func add(_ value: Int) { lock.withLock { values.append(value) } }
  var sorted: [Int] { lock.withLock { values.sorted() } }
}

extension ServeAPITests {
  /// A tier whose keep date passed is lowered by the nightly advance, which says so, and the
  /// stored account then holds the lower tier (before, it held gold until the next event).
  @Test func advancePastAKeepDateLowersTheStoredTier() throws {
    let server = try LiveServer(["rules/cafe.perk"])
    let bought = try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-1", price: "600.00"))
    #expect(bought.body.contains("\"to\": \"gold\""))
    // Gold is kept through 2027-11-03.
    let kept = try server.request("POST", "/v1/advance", body: #"{"to": "2027-11-03T12:00:00-05:00"}"#)
    #expect(!kept.body.contains("tier_change"))
    #expect(try storedTier(server) == "gold")
    let lapsed = try server.request("POST", "/v1/advance", body: #"{"to": "2027-11-04T12:00:00-05:00"}"#)
    #expect(lapsed.status == 200)
    #expect(lapsed.body.contains("\"kind\": \"tier_change\""))
    #expect(lapsed.body.contains("\"from\": \"gold\""))
    #expect(lapsed.body.contains("\"to\": \"green\""))
    #expect(try storedTier(server) == "green")
    let read = try server.request("GET", "/v1/customers/c-1?at=2027-11-04")
    let object = try #require(JSONSerialization.jsonObject(with: Data(read.body.utf8)) as? [String: Any])
    #expect(object["tier"] as? String == "green")
  }

  /// The top-level `tier` of c-1's stored state (its purchase records name the tier they earned with too).
  private func storedTier(_ server: LiveServer) throws -> String? {
    let state = try server.request("GET", "/v1/customers/c-1/state")
    let object = try #require(JSONSerialization.jsonObject(with: Data(state.body.utf8)) as? [String: Any])
    return object["tier"] as? String
  }
}
