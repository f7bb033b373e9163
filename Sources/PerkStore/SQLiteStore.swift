import Foundation

/// The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so a write has
/// reached the disk when ``write(_:)`` returns, and a crash at any moment leaves each write
/// whole or absent.
///
/// Two connections: reads go to one while the other commits (WAL lets a reader see the last
/// commit during a write). Writes are committed in groups: a write that arrives while another
/// group is being synced waits and goes into the next group, one transaction and one `fsync`
/// for all of them. Each write's changes are still all in one transaction, and no write
/// returns before its transaction is durable; a group that fails is retried write by write,
/// so one bad write fails alone.
public final class SQLiteStore: AccountStore, @unchecked Sendable {
  private let reader: SQLiteConnection
  private let writer: SQLiteConnection
  private let queue = NSCondition()
  private var pending: [Ticket] = []
  private var committing = false

  private final class Ticket {
    let changes: StoreChanges
    var done = false
    var error: StoreError?
    init(_ changes: StoreChanges) { self.changes = changes }
  }

  /// The schema this code writes (SQLite's `user_version`; 0 in a file from before it was kept
  /// is version 1); a file with a newer one is refused.
  static let schemaVersion = 2

  private static let schema = """
    PRAGMA journal_mode=WAL;
    PRAGMA synchronous=FULL;
    CREATE TABLE IF NOT EXISTS accounts (customer TEXT PRIMARY KEY, profile TEXT, state TEXT NOT NULL,
      through INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, customer TEXT NOT NULL, body_hash TEXT NOT NULL, outcome TEXT NOT NULL,
      body TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS events_by_customer ON events (customer);
    CREATE TABLE IF NOT EXISTS transfers (receiver TEXT NOT NULL, credit_id TEXT NOT NULL, transfer TEXT NOT NULL,
      credited INTEGER NOT NULL DEFAULT 0, seq INTEGER PRIMARY KEY AUTOINCREMENT, UNIQUE (receiver, credit_id));
    CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, customer TEXT NOT NULL, message TEXT NOT NULL,
      acknowledged INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX IF NOT EXISTS messages_by_customer ON messages (customer, acknowledged);
    """

  /// Opens (creating when absent) the database at `path`.
  /// - Throws: ``StoreError`` when libsqlite3 is not installed or the file cannot be opened as a database.
  public init(path: String) throws(StoreError) {
    let sqlite: SQLiteLibrary
    switch SQLiteLibrary.shared {
    case .success(let library): sqlite = library
    case .failure(let error): throw error
    }
    writer = try SQLiteConnection(sqlite: sqlite, path: path)
    // A file from a newer perk may hold tables this one would not keep up to date.
    let found = Int(try writer.query("PRAGMA user_version", []).first?.first.flatMap { $0 } ?? "") ?? 0
    guard found <= SQLiteStore.schemaVersion else {
      throw StoreError("\(path): the store's schema is version \(found); this perk writes version \(SQLiteStore.schemaVersion): "
                       + "use a newer perk")
    }
    // The tables missing from an older file (version 1 had no `messages`) are created here.
    try writer.execute(SQLiteStore.schema)
    try writer.execute("PRAGMA user_version = \(SQLiteStore.schemaVersion);")
    reader = try SQLiteConnection(sqlite: sqlite, path: path)
    try reader.execute("PRAGMA synchronous=FULL;")
  }

  /// The stored account of `customer`.
  public func account(_ customer: String) throws(StoreError) -> StoredAccount? {
    try read { () throws(StoreError) in
      try reader.query("SELECT profile, state, through FROM accounts WHERE customer = ?1", [customer]).first.map {
        StoredAccount(profile: $0[0], state: $0[1] ?? "", through: Int64($0[2] ?? "") ?? 0)
      }
    }
  }

  /// The stored row of the event `id`.
  public func event(_ id: String) throws(StoreError) -> StoredEvent? {
    try read { () throws(StoreError) in
      try reader.query("SELECT customer, body_hash, outcome, body, rowid FROM events WHERE id = ?1", [id]).first.map {
        StoredEvent(id: id, customer: $0[0] ?? "", bodyHash: $0[1] ?? "", outcome: $0[2] ?? "", body: $0[3] ?? "",
                    seq: Int64($0[4] ?? "") ?? 0)
      }
    }
  }

  /// The customer's events after `seq` (their rowids: SQLite gives each new row a larger one), in order.
  public func events(of customer: String, after seq: Int64) throws(StoreError) -> [StoredEvent] {
    try read { () throws(StoreError) in
      try reader.query("SELECT id, body_hash, outcome, body, rowid FROM events WHERE customer = ?1 AND rowid > CAST(?2 AS INTEGER) "
                       + "ORDER BY rowid", [customer, String(seq)]).map {
        StoredEvent(id: $0[0] ?? "", customer: customer, bodyHash: $0[1] ?? "", outcome: $0[2] ?? "", body: $0[3] ?? "",
                    seq: Int64($0[4] ?? "") ?? 0)
      }
    }
  }

  /// Every customer with an account, sorted.
  public func customers() throws(StoreError) -> [String] {
    try read { () throws(StoreError) in
      try reader.query("SELECT customer FROM accounts ORDER BY customer", []).map { $0[0] ?? "" }
    }
  }

  /// The transfers not yet credited, oldest first.
  public func pendingTransfers() throws(StoreError) -> [StoredTransfer] {
    try read { () throws(StoreError) in
      try reader.query("SELECT credit_id, receiver, transfer FROM transfers WHERE credited = 0 ORDER BY seq", []).map {
        StoredTransfer(creditID: $0[0] ?? "", receiver: $0[1] ?? "", transfer: $0[2] ?? "")
      }
    }
  }

  /// The pending messages of `customer` (every customer's when nil), in the order they were stored (rowid).
  public func pendingMessages(of customer: String?) throws(StoreError) -> [StoredMessage] {
    try read { () throws(StoreError) in
      try reader.query("SELECT id, customer, message FROM messages WHERE acknowledged = 0 AND (?1 IS NULL OR customer = ?1) "
                       + "ORDER BY rowid", [customer]).map {
        StoredMessage(id: $0[0] ?? "", customer: $0[1] ?? "", message: $0[2] ?? "")
      }
    }
  }

  /// The stored message `id`.
  public func message(_ id: String) throws(StoreError) -> StoredMessage? {
    try read { () throws(StoreError) in
      try reader.query("SELECT customer, message, acknowledged FROM messages WHERE id = ?1", [id]).first.map {
        StoredMessage(id: id, customer: $0[0] ?? "", message: $0[1] ?? "", acknowledged: $0[2] == "1")
      }
    }
  }

  /// Applies `changes` in one transaction, durable before this returns (see the type's note on groups).
  public func write(_ changes: StoreChanges) throws(StoreError) {
    let ticket = Ticket(changes)
    queue.lock()
    pending.append(ticket)
    while !ticket.done {
      if committing {
        queue.wait()
        continue
      }
      // This thread commits everything waiting, its own write included.
      committing = true
      let group = pending
      pending = []
      queue.unlock()
      commit(group)
      queue.lock()
      committing = false
      queue.broadcast()
    }
    queue.unlock()
    if let error = ticket.error { throw error }
  }

  /// Commits `group` in one transaction; if that fails, each write in its own.
  private func commit(_ group: [Ticket]) {
    writer.lock.lock()
    defer { writer.lock.unlock() }
    do {
      try transaction(group.map(\.changes))
    } catch {
      for ticket in group {
        do {
          try transaction([ticket.changes])
        } catch {
          ticket.error = error
        }
      }
    }
    queue.lock()
    for ticket in group { ticket.done = true }
    queue.unlock()
  }

  private func transaction(_ all: [StoreChanges]) throws(StoreError) {
    try writer.execute("BEGIN IMMEDIATE")
    do throws(StoreError) {
      for changes in all { try apply(changes) }
      try writer.execute("COMMIT")
    } catch {
      try? writer.execute("ROLLBACK")
      throw error
    }
  }

  private func apply(_ changes: StoreChanges) throws(StoreError) {
    for event in changes.events {
      _ = try writer.query("INSERT INTO events (id, customer, body_hash, outcome, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                           [event.id, event.customer, event.bodyHash, event.outcome, event.body])
    }
    for customer in changes.accounts.keys.sorted() {
      let write = changes.accounts[customer]!
      if let state = write.state {
        _ = try writer.query("INSERT INTO accounts (customer, profile, state, through) VALUES "
                             + "(?1, ?2, ?3, (SELECT COALESCE(MAX(rowid), 0) FROM events WHERE customer = ?1)) "
                             + "ON CONFLICT (customer) DO UPDATE SET profile = excluded.profile, state = excluded.state, "
                             + "through = excluded.through", [customer, write.profile, state])
      } else {
        _ = try writer.query("UPDATE accounts SET profile = ?2 WHERE customer = ?1", [customer, write.profile])
      }
    }
    for transfer in changes.released {
      _ = try writer.query("INSERT OR IGNORE INTO transfers (receiver, credit_id, transfer) VALUES (?1, ?2, ?3)",
                           [transfer.receiver, transfer.creditID, transfer.transfer])
    }
    for transfer in changes.credited {
      _ = try writer.query("UPDATE transfers SET credited = 1 WHERE receiver = ?1 AND credit_id = ?2",
                           [transfer.receiver, transfer.creditID])
    }
    for message in changes.messages {
      _ = try writer.query("INSERT OR IGNORE INTO messages (id, customer, message) VALUES (?1, ?2, ?3)",
                           [message.id, message.customer, message.message])
    }
    for id in changes.acknowledged {
      _ = try writer.query("UPDATE messages SET acknowledged = 1 WHERE id = ?1", [id])
    }
  }

  private func read<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
    reader.lock.lock()
    defer { reader.lock.unlock() }
    return try body()
  }
}
