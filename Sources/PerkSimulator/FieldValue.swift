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

  /// An absent field: empty, as no bytes rather than an empty string, which every copy of a
  /// row would retain and release (absent columns are common: `store`, `channel`, `reward`).
  init() {
    bytes = UnsafeBufferPointer(start: nil, count: 0)
    string = nil
  }

  init(text: String) {
    bytes = UnsafeBufferPointer(start: nil, count: 0)
    string = text
  }

  /// A field's bytes as in the file, not yet trimmed; nil when they are not plain ASCII (the
  /// caller then reads the field as text).
  init?(raw: UnsafeBufferPointer<UInt8>) {
    guard FieldValue.isPlain(raw) else { return nil }
    self.init(plain: raw)
  }

  /// A field's bytes as in the file, not yet trimmed, known to be plain ASCII (`isPlain`: the
  /// whole record was).
  // Inlined: a dozen fields a row.
  @inline(__always)
  init(plain raw: UnsafeBufferPointer<UInt8>) {
    var start = 0
    var end = raw.count
    while start < end, raw[start] == 32 || raw[start] == 9 { start += 1 }
    while end > start, raw[end - 1] == 32 || raw[end - 1] == 9 { end -= 1 }
    // Within `raw` by construction (slicing checked the bounds again, for every field).
    bytes = UnsafeBufferPointer(start: raw.baseAddress.map { $0 + start }, count: end - start)
    string = nil
  }

  /// Whether no byte is a line break, a carriage return or beyond ASCII. Eight bytes at a time:
  /// a word with no byte below 14 and none of 128 or more is plain as a whole (tabs, the only
  /// byte below 14 a field commonly has, are looked at one by one).
  static func isPlain(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = raw.baseAddress else { return true }
    let n = raw.count
    var i = 0
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    while i + 8 <= n {
      let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
      // Bytes below 14 set their high bit in `word - 14 × ones` where `word` had it clear.
      if (word | ((word &- 14 &* ones) & ~word)) & highs != 0 {
        for k in i..<(i + 8) where !isPlain(base[k]) { return false }
      }
      i += 8
    }
    while i < n {
      if !isPlain(base[i]) { return false }
      i += 1
    }
    return true
  }

  private static func isPlain(_ byte: UInt8) -> Bool { byte < 0x80 && byte != 13 && byte != 10 }

  var isEmpty: Bool { string?.isEmpty ?? bytes.isEmpty }

  /// Whether the field is bytes of the record where they lie (not a string made for it).
  var isInPlace: Bool { string == nil }

  /// The number of UTF-8 bytes of the field's text.
  var utf8Count: Int { string?.utf8.count ?? bytes.count }

  /// Whether the field is `1` (a redemption's only quantity).
  var isOne: Bool {
    guard let string else { return bytes.count == 1 && bytes[0] == 49 }
    return string == "1"
  }

  /// The field as a string (what a row keeps, or what a message quotes).
  var text: String { string ?? String(decoding: bytes, as: UTF8.self) }

  /// Calls `body` with the field's UTF-8 bytes.
  func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    guard var text = string else { return body(bytes) }
    return text.withUTF8(body)
  }

  /// The row kind a `type` field names, whatever its case; nil for any other name (a custom event).
  var kind: RowKind? {
    guard string == nil else {
      // Compared by bytes: a lowered text equal to an ASCII name as a string has its bytes.
      var lowered = text.lowercased()
      return lowered.withUTF8(FieldValue.kind(lowercased:))
    }
    // The longest name is 10 bytes: a longer field is a custom event, and a shorter one is
    // lowered on the stack and compared with no string made. Most are written in lower case:
    // lowering changes nothing in a field equal to a name, so such a field is looked up as it is.
    guard bytes.count <= 10 else { return nil }
    if let kind = FieldValue.kind(lowercased: bytes) { return kind }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { lowered in
      for (k, byte) in bytes.enumerated() { lowered[k] = byte >= 65 && byte <= 90 ? byte + 32 : byte }
      return FieldValue.kind(lowercased: UnsafeBufferPointer(rebasing: lowered[0..<bytes.count]))
    }
  }

  private static func kind(lowercased name: UnsafeBufferPointer<UInt8>) -> RowKind? {
    func named(_ known: StaticString) -> Bool {
      guard known.utf8CodeUnitCount == name.count else { return false }
      for k in 0..<name.count where known.utf8Start[k] != name[k] { return false }
      return true
    }
    if name.isEmpty || named("purchase") || named("sale") || named("order") { return .purchase }
    if named("return") || named("refund") { return .return }
    if named("redeem") || named("redemption") { return .redeem }
    if named("signup") || named("sign up") || named("join") { return .signup }
    return nil
  }
}
