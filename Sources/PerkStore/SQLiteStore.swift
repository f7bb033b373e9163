import Foundation

/// The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so a write has
/// reached the disk when ``write(_:)`` returns, and a crash at any moment leaves each write
/// whole or absent.
///
/// One connection behind a lock: SQLite has one writer at a time anyway, and the reads are
/// primary-key lookups.
public final class SQLiteStore: AccountStore, @unchecked Sendable {
  private static let rowCode: Int32 = 100
  private static let doneCode: Int32 = 101
  private let sqlite: SQLiteLibrary
  private let database: OpaquePointer
  private let lock = NSLock()
  private var statements: [String: OpaquePointer] = [:]
  private let path: String

  private static let schema = """
    PRAGMA journal_mode=WAL;
    PRAGMA synchronous=FULL;
    CREATE TABLE IF NOT EXISTS accounts (customer TEXT PRIMARY KEY, profile TEXT, state TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, customer TEXT NOT NULL, body_hash TEXT NOT NULL, outcome TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS transfers (receiver TEXT NOT NULL, credit_id TEXT NOT NULL, transfer TEXT NOT NULL,
      credited INTEGER NOT NULL DEFAULT 0, seq INTEGER PRIMARY KEY AUTOINCREMENT, UNIQUE (receiver, credit_id));
    """

  /// Opens (creating when absent) the database at `path`.
  /// - Throws: ``StoreError`` when libsqlite3 is not installed or the file cannot be opened as a database.
  public init(path: String) throws(StoreError) {
    let sqlite: SQLiteLibrary
    switch SQLiteLibrary.shared {
    case .success(let library): sqlite = library
    case .failure(let error): throw error
    }
    self.sqlite = sqlite
    self.path = path
    var handle: OpaquePointer?
    // READWRITE | CREATE | FULLMUTEX
    let status = sqlite.open(path, &handle, 0x0000_0002 | 0x0000_0004 | 0x0001_0000, nil)
    guard status == 0, let handle else {
      let message = handle.flatMap { sqlite.errorMessage($0) }.map { String(cString: $0) } ?? "error \(status)"
      if let handle { _ = sqlite.close(handle) }
      throw StoreError("\(path): cannot open the store: \(message)")
    }
    database = handle
    _ = sqlite.busyTimeout(handle, 5000)
    do {
      try execute(SQLiteStore.schema)
    } catch {
      _ = sqlite.close(handle)
      throw error
    }
  }

  deinit {
    for statement in statements.values { _ = sqlite.finalize(statement) }
    _ = sqlite.close(database)
  }

  /// The stored account of `customer`.
  public func account(_ customer: String) throws(StoreError) -> StoredAccount? {
    try locked { () throws(StoreError) in
      try query("SELECT profile, state FROM accounts WHERE customer = ?1", [customer]).first.map {
        StoredAccount(profile: $0[0], state: $0[1] ?? "")
      }
    }
  }

  /// The stored row of the event `id`.
  public func event(_ id: String) throws(StoreError) -> StoredEvent? {
    try locked { () throws(StoreError) in
      try query("SELECT customer, body_hash, outcome FROM events WHERE id = ?1", [id]).first.map {
        StoredEvent(id: id, customer: $0[0] ?? "", bodyHash: $0[1] ?? "", outcome: $0[2] ?? "")
      }
    }
  }

  /// Every customer with an account, sorted.
  public func customers() throws(StoreError) -> [String] {
    try locked { () throws(StoreError) in
      try query("SELECT customer FROM accounts ORDER BY customer", []).map { $0[0] ?? "" }
    }
  }

  /// The transfers not yet credited, oldest first.
  public func pendingTransfers() throws(StoreError) -> [StoredTransfer] {
    try locked { () throws(StoreError) in
      try query("SELECT credit_id, receiver, transfer FROM transfers WHERE credited = 0 ORDER BY seq", []).map {
        StoredTransfer(creditID: $0[0] ?? "", receiver: $0[1] ?? "", transfer: $0[2] ?? "")
      }
    }
  }

  /// Applies `changes` in one transaction (`BEGIN IMMEDIATE` … `COMMIT`), rolled back on any failure.
  public func write(_ changes: StoreChanges) throws(StoreError) {
    try locked { () throws(StoreError) in
      try execute("BEGIN IMMEDIATE")
      do throws(StoreError) {
        for customer in changes.accounts.keys.sorted() {
          let account = changes.accounts[customer]!
          _ = try query("INSERT INTO accounts (customer, profile, state) VALUES (?1, ?2, ?3) "
                        + "ON CONFLICT (customer) DO UPDATE SET profile = excluded.profile, state = excluded.state",
                        [customer, account.profile, account.state])
        }
        for event in changes.events {
          _ = try query("INSERT INTO events (id, customer, body_hash, outcome) VALUES (?1, ?2, ?3, ?4)",
                        [event.id, event.customer, event.bodyHash, event.outcome])
        }
        for transfer in changes.released {
          _ = try query("INSERT OR IGNORE INTO transfers (receiver, credit_id, transfer) VALUES (?1, ?2, ?3)",
                        [transfer.receiver, transfer.creditID, transfer.transfer])
        }
        for transfer in changes.credited {
          _ = try query("UPDATE transfers SET credited = 1 WHERE receiver = ?1 AND credit_id = ?2",
                        [transfer.receiver, transfer.creditID])
        }
        try execute("COMMIT")
      } catch {
        try? execute("ROLLBACK")
        throw error
      }
    }
  }

  private func locked<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }

  private func execute(_ sql: String) throws(StoreError) {
    guard sqlite.exec(database, sql, nil, nil, nil) == 0 else { throw failure() }
  }

  /// Runs one statement (prepared once and kept) with text parameters; returns its rows.
  private func query(_ sql: String, _ parameters: [String?]) throws(StoreError) -> [[String?]] {
    let statement: OpaquePointer
    if let kept = statements[sql] {
      statement = kept
    } else {
      var made: OpaquePointer?
      guard sqlite.prepare(database, sql, -1, &made, nil) == 0, let made else { throw failure() }
      statements[sql] = made
      statement = made
    }
    defer { _ = sqlite.reset(statement) }
    for (index, parameter) in parameters.enumerated() {
      // A nil binds NULL: text of length -1 from a null pointer.
      let status = parameter.map { sqlite.bindText(statement, Int32(index + 1), $0, -1, -1) }
        ?? sqlite.bindText(statement, Int32(index + 1), nil, -1, -1)
      guard status == 0 else { throw failure() }
    }
    var rows: [[String?]] = []
    while true {
      let status = sqlite.step(statement)
      if status == SQLiteStore.doneCode { return rows }
      guard status == SQLiteStore.rowCode else { throw failure() }
      var row: [String?] = []
      for column in 0..<sqlite.columnCount(statement) {
        let text = sqlite.columnText(statement, column)
        let count = Int(sqlite.columnBytes(statement, column))
        row.append(text.map { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) })
      }
      rows.append(row)
    }
  }

  private func failure() -> StoreError {
    StoreError("\(path): \(sqlite.errorMessage(database).map { String(cString: $0) } ?? "unknown SQLite error")")
  }
}
