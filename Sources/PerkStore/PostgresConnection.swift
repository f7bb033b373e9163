import Foundation

/// One libpq connection, used by one thread at a time (the store's pool hands it out).
final class PostgresConnection: @unchecked Sendable {
  private static let connectionOK: Int32 = 0
  private static let commandOK: Int32 = 1
  private static let tuplesOK: Int32 = 2
  private let library: PostgresLibrary
  private let connection: OpaquePointer
  /// Where it connects, without a password: error messages name it.
  let place: String

  /// Connects to `url` (`postgresql://user@host:port/db`, as libpq reads it).
  init(library: PostgresLibrary, url: String, place: String) throws(StoreError) {
    self.library = library
    self.place = place
    guard let connection = library.connect(url) else { throw StoreError("\(place): cannot connect: out of memory") }
    guard library.status(connection) == PostgresConnection.connectionOK else {
      let message = library.errorMessage(connection).map { String(cString: $0) } ?? "unknown error"
      library.finish(connection)
      throw StoreError("\(place): cannot connect: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
    self.connection = connection
    // libpq prints the server's notices on standard error, which is the service's JSON log:
    // "relation … already exists, skipping" from the schema's IF NOT EXISTS is not worth a line.
    try query("SET client_min_messages TO warning")
  }

  deinit { library.finish(connection) }

  /// Whether the connection still works (a server that restarted or a dropped socket: it does not).
  var isHealthy: Bool { library.status(connection) == PostgresConnection.connectionOK }

  /// Runs one statement with text parameters (`$1`, `$2`, … ; nil is NULL) and returns its rows as text.
  @discardableResult
  func query(_ sql: String, _ parameters: [String?] = []) throws(StoreError) -> [[String?]] {
    let copies: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.map { strdup($0) } ?? nil }
    defer { for copy in copies { free(copy) } }
    let result: OpaquePointer? = copies.map { UnsafePointer($0) }.withUnsafeBufferPointer { values in
      library.execParams(connection, sql, Int32(parameters.count), nil, values.baseAddress, nil, nil, 0)
    }
    guard let result else {
      throw StoreError("\(place): \(library.errorMessage(connection).map { String(cString: $0) } ?? "no result")")
    }
    defer { library.clear(result) }
    let status = library.resultStatus(result)
    guard status == PostgresConnection.commandOK || status == PostgresConnection.tuplesOK else {
      let message = library.resultErrorMessage(result).map { String(cString: $0) } ?? "error \(status)"
      throw StoreError("\(place): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
    var rows: [[String?]] = []
    let columns = library.columnCount(result)
    for row in 0..<library.rowCount(result) {
      rows.append((0..<columns).map { column in
        guard library.isNull(result, row, column) == 0, let text = library.value(result, row, column) else { return nil }
        let count = Int(library.length(result, row, column))
        return text.withMemoryRebound(to: UInt8.self, capacity: count) {
          String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
      })
    }
    return rows
  }
}
