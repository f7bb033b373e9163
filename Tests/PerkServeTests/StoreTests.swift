import Foundation
@testable import PerkCLI
import PerkRuntime
import PerkStore
import PerkTestSupport
import Testing

/// The stores directly, and the hashes the service keys requests and programs by.
@Suite(.serialized) struct StoreTests {
  @Test func sha256MatchesTheStandardVectors() {
    #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test func canonicalJSONIgnoresLayoutButNotOrderOrDigits() throws {
    let spaced = try JSONNode.parse(Array("{ \"a\" : [1, 2.50],\n \"b\": \"x\\u0041\" }".utf8), path: "t")
    #expect(CanonicalJSON.text(spaced) == #"{"a":[1,2.50],"b":"xA"}"#)
  }

  /// Both stores keep a snapshot's place in the customer's events the same way.
  @Test(arguments: ["memory", "sqlite"])
  func aSnapshotCoversTheEventsWrittenUpToIt(kind: String) throws {
    let scratch = try ScratchDirectory("perk-store")
    guard kind == "memory" || sqliteIsInstalled else { return }
    let store: any AccountStore = kind == "memory" ? MemoryStore() : try SQLiteStore(path: scratch.path("s.db"))
    func event(_ id: String) -> StoredEvent {
      StoredEvent(id: id, customer: "c", bodyHash: "h-\(id)", outcome: "o-\(id)", body: "b-\(id)")
    }
    var first = StoreChanges()
    first.events = [event("e1")]
    first.accounts["c"] = AccountWrite(profile: nil, state: "s1")
    try store.write(first)
    var second = StoreChanges()
    second.events = [event("e2")]
    second.accounts["c"] = AccountWrite(profile: "p", state: nil)
    try store.write(second)
    let account = try #require(try store.account("c"))
    #expect(account.state == "s1")
    #expect(account.profile == "p")
    let later = try store.events(of: "c", after: account.through)
    #expect(later.map(\.id) == ["e2"])
    #expect(later.map(\.body) == ["b-e2"])
    #expect(try store.event("e1")?.outcome == "o-e1")
    #expect(try store.customers() == ["c"])
  }

  /// Writes committed together in one group: one that fails (an event id stored before) fails
  /// alone, the others are committed.
  @Test(.enabled(if: sqliteIsInstalled, "SQLite is needed for --store: install libsqlite3-0 (apt-get install libsqlite3-0)"))
  func aFailingWriteInAGroupFailsAlone() throws {
    let scratch = try ScratchDirectory("perk-store-group")
    let store = try SQLiteStore(path: scratch.path("s.db"))
    var taken = StoreChanges()
    taken.events = [StoredEvent(id: "dup", customer: "a", bodyHash: "h", outcome: "o", body: "b")]
    taken.accounts["a"] = AccountWrite(profile: nil, state: "sa")
    try store.write(taken)
    let failures = Counter()
    DispatchQueue.concurrentPerform(iterations: 40) { index in
      var changes = StoreChanges()
      let id = index % 10 == 0 ? "dup" : "e\(index)"
      changes.events = [StoredEvent(id: id, customer: "c\(index)", bodyHash: "h", outcome: "o", body: "b")]
      changes.accounts["c\(index)"] = AccountWrite(profile: nil, state: "s\(index)")
      do { try store.write(changes) } catch { failures.add() }
    }
    #expect(failures.value == 4)
    let customers = try store.customers()
    #expect(customers.count == 1 + 36)
    #expect(!customers.contains("c0") && customers.contains("c1"))
    #expect(try store.event("dup")?.customer == "a")
  }

  final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
  }
}
