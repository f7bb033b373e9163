import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// libpq, loaded at run time with `dlopen` as ``SQLiteLibrary`` is: building Perk needs nothing
/// beyond Swift, and only `--store postgresql://…` needs the library.
struct PostgresLibrary: @unchecked Sendable {
  typealias ConnectDB = @convention(c) (UnsafePointer<CChar>?) -> OpaquePointer?
  typealias Status = @convention(c) (OpaquePointer?) -> Int32
  typealias Message = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
  typealias Finish = @convention(c) (OpaquePointer?) -> Void
  typealias ExecParams = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32, UnsafePointer<UInt32>?,
                                         UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> OpaquePointer?
  typealias ErrorField = @convention(c) (OpaquePointer?, Int32) -> UnsafePointer<CChar>?
  typealias GetValue = @convention(c) (OpaquePointer?, Int32, Int32) -> UnsafePointer<CChar>?
  typealias GetCell = @convention(c) (OpaquePointer?, Int32, Int32) -> Int32

  let connect: ConnectDB
  let status: Status
  let errorMessage: Message
  let finish: Finish
  let execParams: ExecParams
  let resultStatus: Status
  let resultErrorMessage: Message
  let resultErrorField: ErrorField
  let rowCount: Status
  let columnCount: Status
  let value: GetValue
  let isNull: GetCell
  let length: GetCell
  let clear: Finish

  static let missing = "PostgreSQL is needed for --store postgresql://…: install libpq5 (apt-get install libpq5)"

  /// The library, loaded once; `PERK_LIBPQ_LIBRARY` names another file (tests name a missing one).
  static let shared: Result<PostgresLibrary, StoreError> = load(
    ProcessInfo.processInfo.environment["PERK_LIBPQ_LIBRARY"] ?? "libpq.so.5")

  static func load(_ name: String) -> Result<PostgresLibrary, StoreError> {
    guard let library = DynamicLibrary(name) else { return .failure(StoreError(missing)) }
    guard let connect = library.symbol("PQconnectdb", ConnectDB.self), let status = library.symbol("PQstatus", Status.self),
          let errorMessage = library.symbol("PQerrorMessage", Message.self), let finish = library.symbol("PQfinish", Finish.self),
          let execParams = library.symbol("PQexecParams", ExecParams.self), let resultStatus = library.symbol("PQresultStatus", Status.self),
          let resultErrorMessage = library.symbol("PQresultErrorMessage", Message.self),
          let resultErrorField = library.symbol("PQresultErrorField", ErrorField.self),
          let rowCount = library.symbol("PQntuples", Status.self), let columnCount = library.symbol("PQnfields", Status.self),
          let value = library.symbol("PQgetvalue", GetValue.self), let isNull = library.symbol("PQgetisnull", GetCell.self),
          let length = library.symbol("PQgetlength", GetCell.self), let clear = library.symbol("PQclear", Finish.self)
    else { return .failure(StoreError(missing + " (the loaded library lacks a function Perk calls)")) }
    return .success(PostgresLibrary(connect: connect, status: status, errorMessage: errorMessage, finish: finish,
                                    execParams: execParams, resultStatus: resultStatus, resultErrorMessage: resultErrorMessage,
                                    resultErrorField: resultErrorField, rowCount: rowCount, columnCount: columnCount, value: value,
                                    isNull: isNull, length: length, clear: clear))
  }
}
