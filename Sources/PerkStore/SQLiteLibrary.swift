import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// libsqlite3, loaded at run time with `dlopen`, so building Perk needs nothing beyond Swift:
/// only a store that is used needs the library.
struct SQLiteLibrary: @unchecked Sendable {
  typealias Open = @convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<OpaquePointer?>?, Int32, UnsafePointer<CChar>?) -> Int32
  typealias Close = @convention(c) (OpaquePointer?) -> Int32
  typealias Exec = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, OpaquePointer?, OpaquePointer?, OpaquePointer?) -> Int32
  typealias Prepare = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<OpaquePointer?>?, OpaquePointer?) -> Int32
  /// The destructor argument is passed as an integer: -1 is `SQLITE_TRANSIENT` (copy the text now).
  typealias BindText = @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, Int32, Int) -> Int32
  typealias Step = @convention(c) (OpaquePointer?) -> Int32
  typealias ColumnText = @convention(c) (OpaquePointer?, Int32) -> UnsafePointer<UInt8>?
  typealias ColumnBytes = @convention(c) (OpaquePointer?, Int32) -> Int32
  typealias Finalize = @convention(c) (OpaquePointer?) -> Int32
  typealias ErrorMessage = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
  typealias BusyTimeout = @convention(c) (OpaquePointer?, Int32) -> Int32

  let open: Open
  let close: Close
  let exec: Exec
  let prepare: Prepare
  let bindText: BindText
  let step: Step
  let columnText: ColumnText
  let columnBytes: ColumnBytes
  let columnCount: Step
  let reset: Finalize
  let finalize: Finalize
  let errorMessage: ErrorMessage
  let busyTimeout: BusyTimeout

  static let missing = "SQLite is needed for --store: install libsqlite3-0 (apt-get install libsqlite3-0)"

  /// The library, loaded once; `PERK_SQLITE_LIBRARY` names another file (tests name a missing one).
  static let shared: Result<SQLiteLibrary, StoreError> = load(
    ProcessInfo.processInfo.environment["PERK_SQLITE_LIBRARY"] ?? "libsqlite3.so.0")

  static func load(_ name: String) -> Result<SQLiteLibrary, StoreError> {
    guard let library = DynamicLibrary(name) else { return .failure(StoreError(missing)) }
    guard let open = library.symbol("sqlite3_open_v2", Open.self), let close = library.symbol("sqlite3_close", Close.self),
          let exec = library.symbol("sqlite3_exec", Exec.self), let prepare = library.symbol("sqlite3_prepare_v2", Prepare.self),
          let bindText = library.symbol("sqlite3_bind_text", BindText.self), let step = library.symbol("sqlite3_step", Step.self),
          let columnText = library.symbol("sqlite3_column_text", ColumnText.self),
          let columnBytes = library.symbol("sqlite3_column_bytes", ColumnBytes.self),
          let columnCount = library.symbol("sqlite3_column_count", Step.self),
          let reset = library.symbol("sqlite3_reset", Finalize.self), let finalize = library.symbol("sqlite3_finalize", Finalize.self),
          let errorMessage = library.symbol("sqlite3_errmsg", ErrorMessage.self),
          let busyTimeout = library.symbol("sqlite3_busy_timeout", BusyTimeout.self)
    else { return .failure(StoreError(missing + " (the loaded library lacks a function Perk calls)")) }
    return .success(SQLiteLibrary(open: open, close: close, exec: exec, prepare: prepare, bindText: bindText, step: step,
                                  columnText: columnText, columnBytes: columnBytes, columnCount: columnCount, reset: reset, finalize: finalize,
                                  errorMessage: errorMessage, busyTimeout: busyTimeout))
  }
}
