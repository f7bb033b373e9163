/// A text of a parsed row (`ParsedRow`): UTF-8 bytes valid only during the call that receives
/// the row — the file's bytes where they lie, or the reader's copy (`TextArena`) of a text it
/// had to make (a quoted, non-ASCII or JSON field).
///
/// A trivial value, unlike `FieldValue` (which holds a `String` when it has one): a row of nine
/// of them is made and dropped with no reference counting, where destroying a row of
/// `FieldValue`s cost about 165 instructions, twice a row.
struct RowText {
  var bytes: UnsafeBufferPointer<UInt8>

  /// An absent text.
  init() { bytes = UnsafeBufferPointer(start: nil, count: 0) }

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  var isEmpty: Bool { bytes.isEmpty }

  /// The number of UTF-8 bytes of the text.
  var utf8Count: Int { bytes.count }

  /// The text as a string (the bytes are always valid UTF-8: a copy of a string's, or ASCII).
  var text: String { String(decoding: bytes, as: UTF8.self) }

  /// Calls `body` with the text's UTF-8 bytes.
  @inline(__always)
  func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R { try body(bytes) }
}
