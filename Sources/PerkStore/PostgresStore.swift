import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The shared store: accounts in a PostgreSQL database that any number of `perk serve`
/// processes use at once (docs/serve.md, "Several servers, one store").
///
/// Each ``write(_:)`` is one transaction, committed (`synchronous_commit` as the server has it:
/// on by default) before it returns. Events of one customer are serialized across processes by
/// a session advisory lock on the customer (``serialized(_:_:)``), held from the idempotency
/// check to the write; `perk_events.id` is the primary key, so one event id is stored once
/// whichever server wins a race; each write bumps the account's `version`, which the service
/// compares with its cached copy under the lock, so no server evaluates on a stale account.
public final class PostgresStore: AccountStore, @unchecked Sendable {
  /// The schema this code writes; a database with a newer one is refused.
  static let schemaVersion = 2
  /// The first key of every advisory lock Perk takes, so they do not collide with another application's.
  private static let lockSpace = "1919"
  /// Connections beyond this wait for one to be returned (PostgreSQL allows 100 by default, for all servers).
  private static let poolLimit = 24

  private let library: PostgresLibrary
  private let url: String
  private let place: String
  private let pool = NSCondition()
  private var idle: [PostgresConnection] = []
  private var open = 0
  /// The connection a thread holds inside ``serialized(_:_:)``: its calls use it (the lock is the connection's).
  private var pinned: [pthread_t: PostgresConnection] = [:]

  private static let schema = [
    "CREATE TABLE IF NOT EXISTS perk_schema (version INTEGER NOT NULL)",
    """
    CREATE TABLE IF NOT EXISTS perk_accounts (customer TEXT PRIMARY KEY, profile TEXT, state TEXT NOT NULL,
      through BIGINT NOT NULL DEFAULT 0, version BIGINT NOT NULL DEFAULT 1)
    """,
    """
    CREATE TABLE IF NOT EXISTS perk_events (id TEXT PRIMARY KEY, seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
      customer TEXT NOT NULL, body_hash TEXT NOT NULL, outcome TEXT NOT NULL, body TEXT NOT NULL)
    """,
    "CREATE INDEX IF NOT EXISTS perk_events_by_customer ON perk_events (customer, seq)",
    """
    CREATE TABLE IF NOT EXISTS perk_transfers (receiver TEXT NOT NULL, credit_id TEXT NOT NULL, transfer TEXT NOT NULL,
      credited BOOLEAN NOT NULL DEFAULT FALSE, seq BIGINT GENERATED ALWAYS AS IDENTITY, UNIQUE (receiver, credit_id))
    """,
    // Version 2: the messages due (a version-1 database gains the table when a version-2 server starts).
    """
    CREATE TABLE IF NOT EXISTS perk_messages (id TEXT PRIMARY KEY, seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
      customer TEXT NOT NULL, message TEXT NOT NULL, acknowledged BOOLEAN NOT NULL DEFAULT FALSE)
    """,
    "CREATE INDEX IF NOT EXISTS perk_messages_by_customer ON perk_messages (customer, seq)",
  ]

  /// Connects to `url` (`postgresql://` or `postgres://`, as libpq reads it) and creates the
  /// schema when it is missing.
  /// - Throws: ``StoreError`` when libpq is not installed, the database cannot be reached, or it
  ///   holds a newer schema than this Perk writes.
  public init(url: String) throws(StoreError) {
    switch PostgresLibrary.shared {
    case .success(let library): self.library = library
    case .failure(let error): throw error
    }
    self.url = url
    place = PostgresStore.redacted(url)
    let connection = try PostgresConnection(library: library, url: url, place: place)
    try transaction(connection) { () throws(StoreError) in
      // Two servers starting at once would race on CREATE TABLE: one creates, the other waits.
      try connection.query("SELECT pg_advisory_xact_lock(\(PostgresStore.lockSpace), 0)")
      for statement in PostgresStore.schema { try connection.query(statement) }
      let found = try connection.query("SELECT max(version) FROM perk_schema").first?.first ?? nil
      if let found, let version = Int(found) {
        guard version <= PostgresStore.schemaVersion else {
          throw StoreError("\(place): the store's schema is version \(version); this perk writes version "
                           + "\(PostgresStore.schemaVersion): use a newer perk")
        }
        // The statements above created what an older schema lacked.
        if version < PostgresStore.schemaVersion {
          try connection.query("UPDATE perk_schema SET version = $1", [String(PostgresStore.schemaVersion)])
        }
      } else {
        try connection.query("INSERT INTO perk_schema (version) VALUES ($1)", [String(PostgresStore.schemaVersion)])
      }
    }
    idle = [connection]
    open = 1
  }

  /// `url` with its password, if it has one, replaced by `***` (for messages and the log).
  public static func redacted(_ url: String) -> String {
    guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@"),
          let colon = url[scheme.upperBound..<at].firstIndex(of: ":") else { return url }
    return String(url[..<url.index(after: colon)]) + "***" + String(url[at...])
  }

  /// Other servers write this store too: the service checks its cached accounts against ``version(of:)``.
  public var isShared: Bool { true }

  /// The account row's version: one more with every write that changes the account.
  public func version(of customer: String) throws(StoreError) -> Int64? {
    try using { (connection) throws(StoreError) in
      try connection.query("SELECT version FROM perk_accounts WHERE customer = $1", [customer]).first.flatMap { $0[0] }
        .flatMap { Int64($0) }
    }
  }

  /// Runs `body` holding the customer's advisory lock, which every server takes for the customer:
  /// the store calls `body` makes on this thread use the connection that holds it.
  public func serialized<T>(_ customer: String, _ body: () throws -> T) throws -> T {
    let connection = try checkOut()
    var healthy = true
    defer { checkIn(connection, healthy: healthy && connection.isHealthy) }
    do {
      try connection.query("SELECT pg_advisory_lock(\(PostgresStore.lockSpace), hashtext($1))", [customer])
    } catch {
      healthy = false
      throw error
    }
    pool.withLock { pinned[pthread_self()] = connection }
    defer {
      pool.withLock { pinned[pthread_self()] = nil }
      // A connection whose unlock failed is closed, which releases the lock.
      do {
        try connection.query("SELECT pg_advisory_unlock(\(PostgresStore.lockSpace), hashtext($1))", [customer])
      } catch {
        healthy = false
      }
    }
    return try body()
  }

  /// The stored account of `customer`.
  public func account(_ customer: String) throws(StoreError) -> StoredAccount? {
    try using { (connection) throws(StoreError) in
      try connection.query("SELECT profile, state, through, version FROM perk_accounts WHERE customer = $1", [customer]).first.map {
        StoredAccount(profile: $0[0], state: $0[1] ?? "", through: Int64($0[2] ?? "") ?? 0, version: Int64($0[3] ?? "") ?? 0)
      }
    }
  }

  /// The stored row of the event `id`.
  public func event(_ id: String) throws(StoreError) -> StoredEvent? {
    try using { (connection) throws(StoreError) in
      try connection.query("SELECT customer, body_hash, outcome, body, seq FROM perk_events WHERE id = $1", [id]).first.map {
        StoredEvent(id: id, customer: $0[0] ?? "", bodyHash: $0[1] ?? "", outcome: $0[2] ?? "", body: $0[3] ?? "",
                    seq: Int64($0[4] ?? "") ?? 0)
      }
    }
  }

  /// The customer's events after `seq`, in the order they were accepted (the customer's lock
  /// orders them, so their sequence numbers rise in commit order).
  public func events(of customer: String, after seq: Int64) throws(StoreError) -> [StoredEvent] {
    try using { (connection) throws(StoreError) in
      try connection.query("SELECT id, body_hash, outcome, body, seq FROM perk_events WHERE customer = $1 AND seq > $2::bigint "
                           + "ORDER BY seq", [customer, String(seq)]).map {
        StoredEvent(id: $0[0] ?? "", customer: customer, bodyHash: $0[1] ?? "", outcome: $0[2] ?? "", body: $0[3] ?? "",
                    seq: Int64($0[4] ?? "") ?? 0)
      }
    }
  }

  /// Every customer with an account, sorted (by code point, as Swift sorts).
  public func customers() throws(StoreError) -> [String] {
    try using { (connection) throws(StoreError) in
      try connection.query("SELECT customer FROM perk_accounts", []).map { $0[0] ?? "" }
    }.sorted()
  }

  /// The transfers not yet credited, oldest first.
  public func pendingTransfers() throws(StoreError) -> [StoredTransfer] {
    try using { (connection) throws(StoreError) in
      try connection.query("SELECT credit_id, receiver, transfer FROM perk_transfers WHERE NOT credited ORDER BY seq", []).map {
        StoredTransfer(creditID: $0[0] ?? "", receiver: $0[1] ?? "", transfer: $0[2] ?? "")
      }
    }
  }

  /// The pending messages of `customer` (every customer's when nil), in the order they were stored.
  public func pendingMessages(of customer: String?) throws(StoreError) -> [StoredMessage] {
    try using { (connection) throws(StoreError) in
      try connection.query("SELECT id, customer, message FROM perk_messages WHERE NOT acknowledged "
                           + "AND ($1::text IS NULL OR customer = $1) ORDER BY seq", [customer]).map {
        StoredMessage(id: $0[0] ?? "", customer: $0[1] ?? "", message: $0[2] ?? "")
      }
    }
  }

  /// The stored message `id`.
  public func message(_ id: String) throws(StoreError) -> StoredMessage? {
    try using { (connection) throws(StoreError) in
      try connection.query("SELECT customer, message, acknowledged FROM perk_messages WHERE id = $1", [id]).first.map {
        StoredMessage(id: id, customer: $0[0] ?? "", message: $0[1] ?? "", acknowledged: $0[2] == "t")
      }
    }
  }

  /// Applies `changes` in one transaction, committed before this returns.
  public func write(_ changes: StoreChanges) throws(StoreError) {
    try using { (connection) throws(StoreError) in
      try transaction(connection) { () throws(StoreError) in
        for event in changes.events {
          try connection.query("INSERT INTO perk_events (id, customer, body_hash, outcome, body) VALUES ($1, $2, $3, $4, $5)",
                               [event.id, event.customer, event.bodyHash, event.outcome, event.body])
        }
        for customer in changes.accounts.keys.sorted() {
          let write = changes.accounts[customer]!
          if let state = write.state {
            try connection.query("INSERT INTO perk_accounts AS a (customer, profile, state, through) VALUES "
                                 + "($1, $2, $3, (SELECT COALESCE(MAX(seq), 0) FROM perk_events WHERE customer = $1)) "
                                 + "ON CONFLICT (customer) DO UPDATE SET profile = excluded.profile, state = excluded.state, "
                                 + "through = excluded.through, version = a.version + 1", [customer, write.profile, state])
          } else {
            try connection.query("UPDATE perk_accounts SET profile = $2, version = version + 1 WHERE customer = $1",
                                 [customer, write.profile])
          }
        }
        for transfer in changes.released {
          try connection.query("INSERT INTO perk_transfers (receiver, credit_id, transfer) VALUES ($1, $2, $3) "
                               + "ON CONFLICT (receiver, credit_id) DO NOTHING", [transfer.receiver, transfer.creditID, transfer.transfer])
        }
        for transfer in changes.credited {
          try connection.query("UPDATE perk_transfers SET credited = TRUE WHERE receiver = $1 AND credit_id = $2",
                               [transfer.receiver, transfer.creditID])
        }
        for message in changes.messages {
          try connection.query("INSERT INTO perk_messages (id, customer, message) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
                               [message.id, message.customer, message.message])
        }
        for id in changes.acknowledged {
          try connection.query("UPDATE perk_messages SET acknowledged = TRUE WHERE id = $1", [id])
        }
      }
    }
  }

  // MARK: - Connections

  private func transaction(_ connection: PostgresConnection, _ body: () throws(StoreError) -> Void) throws(StoreError) {
    try connection.query("BEGIN")
    do throws(StoreError) {
      try body()
      try connection.query("COMMIT")
    } catch {
      _ = try? connection.query("ROLLBACK")
      throw error
    }
  }

  /// Runs `body` on this thread's pinned connection, else on one from the pool.
  private func using<T>(_ body: (PostgresConnection) throws(StoreError) -> T) throws(StoreError) -> T {
    if let connection = pool.withLock({ pinned[pthread_self()] }) { return try body(connection) }
    let connection = try checkOut()
    do {
      let result = try body(connection)
      checkIn(connection, healthy: true)
      return result
    } catch {
      checkIn(connection, healthy: connection.isHealthy)
      throw error
    }
  }

  private func checkOut() throws(StoreError) -> PostgresConnection {
    pool.lock()
    while idle.isEmpty && open >= PostgresStore.poolLimit { pool.wait() }
    if let connection = idle.popLast() {
      pool.unlock()
      return connection
    }
    open += 1
    pool.unlock()
    do {
      return try PostgresConnection(library: library, url: url, place: place)
    } catch {
      pool.withLock {
        open -= 1
        pool.signal()
      }
      throw error
    }
  }

  /// Returns a connection to the pool; a broken one is closed (a new one is made when needed).
  private func checkIn(_ connection: PostgresConnection, healthy: Bool) {
    pool.withLock {
      if healthy { idle.append(connection) } else { open -= 1 }
      pool.signal()
    }
  }
}
