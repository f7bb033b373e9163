import Foundation
@testable import PerkStore
import PerkTestSupport
import Testing

/// The messages `perk serve` keeps for a deliverer (docs/serve.md, "Messages"): stored with the
/// event or advance that made them due, listed with stable ids, acknowledged once.
@Suite(.serialized) struct MessageDeliveryTests {
  /// A receipt line on every purchase and an email 30 days after the last one.
  static let program = """
    program "Messages"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    rule earn
      on purchase
      earn 1 stars per $1 spent
      send message "You have {stars balance} stars" via receipt

    rule miss you
      on 30 days without purchase
      send message "We miss you, {customer}" via email

    reward free drink costs 150 stars, worth $5

    """

  /// The ids are derived from the cause (event `t-1` of `c-1`; the period end of 2026-12-03):
  /// they stay the same from one version to the next, so a deliverer's dedupe keeps working.
  static let receiptID = "m-0cd023859800e0e4e3d1282c749f8125"
  static let emailID = "m-9240f91e8d3bab4aa969e80ab8559194"

  static func programFile(_ scratch: ScratchDirectory) throws -> String {
    let path = scratch.path("messages.perk")
    try program.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// The `id`s of a listing, in order.
  static func ids(_ body: String) -> [String] {
    guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
          let messages = object["messages"] as? [[String: Any]] else { return ["<not a listing>"] }
    return messages.map { $0["id"] as? String ?? "<no id>" }
  }

  static func ack(_ server: LiveServer, _ customer: String, _ id: String) throws -> (status: Int, body: String) {
    try server.request("POST", "/v1/customers/\(customer)/messages/\(id)/ack")
  }

  @Test func aPurchaseAndAnAdvanceLeavePendingMessagesThatAreAcknowledgedOnce() throws {
    let scratch = try ScratchDirectory("perk-messages")
    let server = try LiveServer([try MessageDeliveryTests.programFile(scratch)])
    #expect(try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-1")).status == 200)
    let listed = try server.request("GET", "/v1/customers/c-1/messages")
    #expect(listed.status == 200)
    #expect(listed.body == """
      {
        "messages": [
          {
            "channel": "receipt",
            "customer": "c-1",
            "due": "2026-11-03T08:15",
            "id": "\(MessageDeliveryTests.receiptID)",
            "rule": "earn",
            "text": "You have 4 stars",
            "why": "purchase t-1"
          }
        ]
      }

      """)
    // A retried event is answered from the store: no second message.
    #expect(try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-1")).status == 200)
    #expect(MessageDeliveryTests.ids(try server.request("GET", "/v1/customers/c-1/messages").body) == [MessageDeliveryTests.receiptID])

    let advance = try server.request("POST", "/v1/advance", body: #"{"to": "2026-12-10"}"#)
    #expect(advance.status == 200)
    // The period end's message shows in the advance's answer, though it earned nothing.
    #expect(advance.body.contains("\"text\": \"We miss you, c-1\""))
    #expect(try server.request("POST", "/v1/advance", body: #"{"to": "2026-12-10"}"#).body.contains("\"changed\": 0"))
    #expect(try server.request("POST", "/v1/advance", body: #"{"to": "2026-12-20"}"#).status == 200)
    let both = [MessageDeliveryTests.receiptID, MessageDeliveryTests.emailID]
    #expect(MessageDeliveryTests.ids(try server.request("GET", "/v1/customers/c-1/messages").body) == both)
    #expect(MessageDeliveryTests.ids(try server.request("GET", "/v1/messages?pending=true").body) == both)

    let first = try MessageDeliveryTests.ack(server, "c-1", MessageDeliveryTests.receiptID)
    #expect(first.status == 200)
    #expect(first.body.contains("\"status\": \"acknowledged\""))
    let again = try MessageDeliveryTests.ack(server, "c-1", MessageDeliveryTests.receiptID)
    #expect(again.status == 200)
    #expect(again.body.contains("\"status\": \"already_acknowledged\""))
    #expect(MessageDeliveryTests.ids(try server.request("GET", "/v1/customers/c-1/messages").body) == [MessageDeliveryTests.emailID])
    #expect(MessageDeliveryTests.ids(try server.request("GET", "/v1/messages").body) == [MessageDeliveryTests.emailID])
  }

  /// A refused redemption keeps the account as it was and lists no message (the runtime's
  /// rule); the next event walks the period end again, and its message is stored once.
  @Test func aRefusedEventLeavesThePeriodEndsMessageToTheNextEvent() throws {
    let scratch = try ScratchDirectory("perk-messages")
    let server = try LiveServer([try MessageDeliveryTests.programFile(scratch)])
    #expect(try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-1")).status == 200)
    let redeem = #"{"customer": "c-1", "event": {"type": "redeem", "id": "r-1", "time": "2026-12-10T09:00:00-05:00", "reward": "free drink"}}"#
    let refused = try server.request("POST", "/v1/events", body: redeem)
    #expect(refused.status == 200)
    #expect(refused.body.contains("\"rejection\": \"free drink needs 150 stars, has 4\""))
    #expect(MessageDeliveryTests.ids(try server.request("GET", "/v1/customers/c-1/messages").body) == [MessageDeliveryTests.receiptID])
    let next = try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-2").replacingOccurrences(of: "2026-11-03", with: "2026-12-11"))
    #expect(next.body.contains("We miss you, c-1"))
    let listed = try server.request("GET", "/v1/customers/c-1/messages").body
    #expect(MessageDeliveryTests.ids(listed).count == 3)
    #expect(listed.components(separatedBy: "We miss you, c-1").count == 2)
    #expect(try server.request("POST", "/v1/advance", body: #"{"to": "2026-12-20"}"#).status == 200)
    #expect(MessageDeliveryTests.ids(try server.request("GET", "/v1/customers/c-1/messages").body) == MessageDeliveryTests.ids(listed))
  }

  @Test func unknownMessagesCustomersAndMethodsAreRefusedWithAJSONError() throws {
    let scratch = try ScratchDirectory("perk-messages")
    let server = try LiveServer([try MessageDeliveryTests.programFile(scratch)])
    #expect(try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-1")).status == 200)
    #expect(try server.request("POST", "/v1/events", body: purchase("c-2", id: "t-2")).status == 200)
    let unknown = try MessageDeliveryTests.ack(server, "c-1", "m-nothing")
    #expect(unknown.status == 404)
    #expect(errorCode(unknown.body) == "unknown_message")
    // Another customer's message is not found under this one, and stays pending.
    let elsewhere = try MessageDeliveryTests.ack(server, "c-2", MessageDeliveryTests.receiptID)
    #expect(elsewhere.status == 404)
    #expect(errorCode(elsewhere.body) == "unknown_message")
    #expect(MessageDeliveryTests.ids(try server.request("GET", "/v1/customers/c-1/messages").body) == [MessageDeliveryTests.receiptID])
    let nobody = try server.request("GET", "/v1/customers/c-9/messages")
    #expect(nobody.status == 404)
    #expect(errorCode(nobody.body) == "unknown_customer")
    #expect(errorCode(try server.request("GET", "/v1/messages?pending=false").body) == "invalid_query")
    #expect(try server.request("GET", "/v1/customers/c-1/messages/\(MessageDeliveryTests.receiptID)/ack").status == 405)
    #expect(try server.request("POST", "/v1/customers/c-1/messages").status == 405)
    #expect(try server.request("GET", "/v1/customers/c-1/messages/x").status == 404)
  }

  @Test(.enabled(if: sqliteIsInstalled, "SQLite is needed for --store: install libsqlite3-0 (apt-get install libsqlite3-0)"))
  func afterKillNinePendingMessagesArePendingAndAcknowledgedOnesStayAcknowledged() throws {
    let scratch = try ScratchDirectory("perk-messages")
    let arguments = [try MessageDeliveryTests.programFile(scratch), "--store", scratch.path("accounts.db")]
    var server = try LiveServer(arguments)
    #expect(try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-1")).status == 200)
    #expect(try server.request("POST", "/v1/advance", body: #"{"to": "2026-12-10"}"#).status == 200)
    #expect(try MessageDeliveryTests.ack(server, "c-1", MessageDeliveryTests.receiptID).status == 200)
    server.killHard()
    server = try LiveServer(arguments)
    #expect(MessageDeliveryTests.ids(try server.request("GET", "/v1/customers/c-1/messages").body) == [MessageDeliveryTests.emailID])
    #expect(try MessageDeliveryTests.ack(server, "c-1", MessageDeliveryTests.receiptID).body.contains("already_acknowledged"))
    // The event and the advance again, after the restart: nothing new, nothing acknowledged comes back.
    #expect(try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-1")).status == 200)
    #expect(try server.request("POST", "/v1/advance", body: #"{"to": "2026-12-10"}"#).status == 200)
    #expect(MessageDeliveryTests.ids(try server.request("GET", "/v1/messages?pending=true").body) == [MessageDeliveryTests.emailID])
  }

  /// Each store keeps a message id once, lists pending ones in the order stored, and keeps an acknowledgement.
  @Test(arguments: ["memory", "sqlite"])
  func aStoreKeepsAMessageIdOnceAndItsAcknowledgement(kind: String) throws {
    let scratch = try ScratchDirectory("perk-messages")
    guard kind == "memory" || sqliteIsInstalled else { return }
    let store: any AccountStore = kind == "memory" ? MemoryStore() : try SQLiteStore(path: scratch.path("s.db"))
    let first = StoredMessage(id: "m-b", customer: "c-1", message: #"{"text":"one"}"#)
    let second = StoredMessage(id: "m-a", customer: "c-2", message: #"{"text":"two"}"#)
    var changes = StoreChanges()
    changes.messages = [first, second]
    try store.write(changes)
    // The same id again (another text: a bug elsewhere) keeps the first row.
    changes.messages = [StoredMessage(id: "m-b", customer: "c-1", message: #"{"text":"again"}"#)]
    try store.write(changes)
    #expect(try store.pendingMessages(of: nil) == [first, second])
    #expect(try store.pendingMessages(of: "c-2") == [second])
    changes = StoreChanges()
    changes.acknowledged = ["m-b", "m-unknown"]
    try store.write(changes)
    #expect(try store.pendingMessages(of: nil) == [second])
    #expect(try store.message("m-b")?.acknowledged == true)
    #expect(try store.message("m-unknown") == nil)
  }

  /// A store file from before messages were kept (no table, `user_version` 0) is read and gains
  /// the table; a file from a newer perk is refused.
  @Test(.enabled(if: sqliteIsInstalled, "SQLite is needed for --store: install libsqlite3-0 (apt-get install libsqlite3-0)"))
  func anOlderSQLiteFileGainsTheMessagesTableAndANewerOneIsRefused() throws {
    let scratch = try ScratchDirectory("perk-messages")
    let path = scratch.path("old.db")
    let sqlite = try SQLiteLibrary.shared.get()
    do {
      let old = try SQLiteConnection(sqlite: sqlite, path: path)
      try old.execute("""
        CREATE TABLE accounts (customer TEXT PRIMARY KEY, profile TEXT, state TEXT NOT NULL, through INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE events (id TEXT PRIMARY KEY, customer TEXT NOT NULL, body_hash TEXT NOT NULL, outcome TEXT NOT NULL,
          body TEXT NOT NULL);
        CREATE TABLE transfers (receiver TEXT NOT NULL, credit_id TEXT NOT NULL, transfer TEXT NOT NULL,
          credited INTEGER NOT NULL DEFAULT 0, seq INTEGER PRIMARY KEY AUTOINCREMENT, UNIQUE (receiver, credit_id));
        INSERT INTO accounts (customer, state) VALUES ('c-1', '{}');
        """)
    }
    let store = try SQLiteStore(path: path)
    #expect(try store.customers() == ["c-1"])
    var changes = StoreChanges()
    changes.messages = [StoredMessage(id: "m-1", customer: "c-1", message: "{}")]
    try store.write(changes)
    try store.write(changes)
    #expect(try store.pendingMessages(of: "c-1") == [StoredMessage(id: "m-1", customer: "c-1", message: "{}")])
    #expect(try store.message("m-1")?.acknowledged == false)

    let newer = scratch.path("newer.db")
    try SQLiteConnection(sqlite: sqlite, path: newer).execute("PRAGMA user_version = 3;")
    #expect(throws: StoreError.self) { try SQLiteStore(path: newer) }
    do {
      _ = try SQLiteStore(path: newer)
    } catch {
      #expect(error.message == "\(newer): the store's schema is version 3; this perk writes version 2: use a newer perk")
    }
  }
}

/// The same messages with `--store postgresql://…`, each test on its own throw-away server.
@Suite(.serialized, .enabled(if: PostgresServer.isInstalled, "\(PostgresServer.missing)"))
struct MessageDeliveryPostgresTests {
  @Test func pendingMessagesSurviveARestartAndAreAcknowledgedOnce() throws {
    let scratch = try ScratchDirectory("perk-messages")
    let database = try PostgresServer()
    let arguments = [try MessageDeliveryTests.programFile(scratch), "--store", database.url]
    var server = try LiveServer(arguments)
    #expect(try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-1")).status == 200)
    #expect(try server.request("POST", "/v1/events", body: purchase("c-1", id: "t-1")).status == 200)
    #expect(try server.request("POST", "/v1/advance", body: #"{"to": "2026-12-10"}"#).status == 200)
    #expect(try server.request("POST", "/v1/advance", body: #"{"to": "2026-12-10"}"#).status == 200)
    let both = [MessageDeliveryTests.receiptID, MessageDeliveryTests.emailID]
    #expect(MessageDeliveryTests.ids(try server.request("GET", "/v1/customers/c-1/messages").body) == both)
    #expect(try MessageDeliveryTests.ack(server, "c-1", MessageDeliveryTests.receiptID).body.contains("\"status\": \"acknowledged\""))
    server.killHard()
    server = try LiveServer(arguments)
    #expect(try MessageDeliveryTests.ack(server, "c-1", MessageDeliveryTests.receiptID).body.contains("already_acknowledged"))
    #expect(MessageDeliveryTests.ids(try server.request("GET", "/v1/messages?pending=true").body) == [MessageDeliveryTests.emailID])
    #expect(errorCode(try MessageDeliveryTests.ack(server, "c-1", "m-nothing").body) == "unknown_message")
  }

  /// A version-1 database (before messages) gains the table and is marked version 2.
  @Test func aVersionOneDatabaseGainsTheMessagesTable() throws {
    let database = try PostgresServer()
    _ = try PostgresStore(url: database.url)
    let library = try PostgresLibrary.shared.get()
    let connection = try PostgresConnection(library: library, url: database.url, place: "test")
    try connection.query("DROP TABLE perk_messages")
    try connection.query("UPDATE perk_schema SET version = 1")
    let store = try PostgresStore(url: database.url)
    #expect(try connection.query("SELECT version FROM perk_schema") == [["2"]])
    var changes = StoreChanges()
    changes.messages = [StoredMessage(id: "m-1", customer: "c-1", message: "{}")]
    try store.write(changes)
    try store.write(changes)
    changes = StoreChanges()
    changes.acknowledged = ["m-1"]
    try store.write(changes)
    #expect(try store.pendingMessages(of: nil) == [])
    #expect(try store.message("m-1") == StoredMessage(id: "m-1", customer: "c-1", message: "{}", acknowledged: true))
  }
}
