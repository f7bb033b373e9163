/// One field of a history row as the reader parses it: its bytes (unquoted, spaces trimmed)
/// when they are plain ASCII, valid only while the row is parsed, or its text otherwise.
///
/// Plain ASCII bytes are read as they are: times, quantities and amounts are parsed from them
/// without a `String`, and spaces trimmed byte by byte trim exactly what `trimmingSpaces` does
/// on characters. Anything else (a quoted field, a non-ASCII byte, a carriage return, a JSON
/// value) takes the text, as every field did before: the same rows are read, with the same
/// messages.
struct FieldValue {
  private var bytes: UnsafeBufferPointer<UInt8>
  private var string: String?

  /// An absent field: empty.
  init() {
    bytes = UnsafeBufferPointer(start: nil, count: 0)
    string = ""
  }

  init(text: String) {
    bytes = UnsafeBufferPointer(start: nil, count: 0)
    string = text
  }

  /// A field's bytes as in the file, not yet trimmed; nil when they are not plain ASCII (the
  /// caller then reads the field as text).
  init?(raw: UnsafeBufferPointer<UInt8>) {
    var start = 0
    var end = raw.count
    for byte in raw where byte >= 0x80 || byte == 13 || byte == 10 { return nil }
    while start < end, raw[start] == 32 || raw[start] == 9 { start += 1 }
    while end > start, raw[end - 1] == 32 || raw[end - 1] == 9 { end -= 1 }
    bytes = UnsafeBufferPointer(rebasing: raw[start..<end])
    string = nil
  }

  var isEmpty: Bool { string?.isEmpty ?? bytes.isEmpty }

  /// The field as a string (what a row keeps, or what a message quotes).
  var text: String { string ?? String(decoding: bytes, as: UTF8.self) }

  /// Calls `body` with the field's UTF-8 bytes.
  func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    guard var copy = string.map({ Array($0.utf8) }) else { return body(bytes) }
    return copy.withUnsafeMutableBufferPointer { body(UnsafeBufferPointer($0)) }
  }

  /// The row kind a `type` field names, whatever its case; nil for any other name (a custom event).
  var kind: RowKind? {
    guard string == nil else { return FieldValue.kind(lowercased: text.lowercased()) }
    // The longest name is 10 bytes: a longer field is a custom event, and a shorter one is
    // lowered on the stack (a small string needs no allocation either).
    guard bytes.count <= 10 else { return nil }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { lowered in
      for (k, byte) in bytes.enumerated() { lowered[k] = byte >= 65 && byte <= 90 ? byte + 32 : byte }
      return FieldValue.kind(lowercased: String(decoding: UnsafeBufferPointer(rebasing: lowered[0..<bytes.count]), as: UTF8.self))
    }
  }

  private static func kind(lowercased name: String) -> RowKind? {
    switch name {
    case "", "purchase", "sale", "order": return .purchase
    case "return", "refund": return .return
    case "redeem", "redemption": return .redeem
    case "signup", "sign up", "join": return .signup
    default: return nil
    }
  }
}
