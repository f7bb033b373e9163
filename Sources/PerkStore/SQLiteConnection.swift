import Foundation

/// One SQLite connection with its prepared statements, used by one thread at a time.
final class SQLiteConnection: @unchecked Sendable {
  private static let rowCode: Int32 = 100
  private static let doneCode: Int32 = 101
  private let sqlite: SQLiteLibrary
  private let database: OpaquePointer
  private var statements: [String: OpaquePointer] = [:]
  private let path: String
  /// Held by whoever uses the connection.
  let lock = NSLock()

  /// Opens (creating when absent) the database at `path`.
  init(sqlite: SQLiteLibrary, path: String) throws(StoreError) {
    self.sqlite = sqlite
    self.path = path
    var handle: OpaquePointer?
    // SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
    let status = sqlite.open(path, &handle, 0x0000_0002 | 0x0000_0004 | 0x0001_0000, nil)
    guard status == 0, let handle else {
      let message = handle.flatMap { sqlite.errorMessage($0) }.map { String(cString: $0) } ?? "error \(status)"
      if let handle { _ = sqlite.close(handle) }
      throw StoreError("\(path): cannot open the store: \(message)")
    }
    database = handle
    _ = sqlite.busyTimeout(handle, 5000)
  }

  deinit {
    for statement in statements.values { _ = sqlite.finalize(statement) }
    _ = sqlite.close(database)
  }

  func execute(_ sql: String) throws(StoreError) {
    guard sqlite.exec(database, sql, nil, nil, nil) == 0 else { throw failure() }
  }

  /// Runs one statement (prepared once and kept) with text parameters; returns its rows.
  func query(_ sql: String, _ parameters: [String?]) throws(StoreError) -> [[String?]] {
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
      // A nil binds NULL: SQLite binds a null text pointer as NULL.
      let status = parameter.map { sqlite.bindText(statement, Int32(index + 1), $0, -1, -1) }
        ?? sqlite.bindText(statement, Int32(index + 1), nil, -1, -1)
      guard status == 0 else { throw failure() }
    }
    var rows: [[String?]] = []
    while true {
      let status = sqlite.step(statement)
      if status == SQLiteConnection.doneCode { return rows }
      guard status == SQLiteConnection.rowCode else { throw failure() }
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
