import Foundation

/// Texts of a partition's encoded rows compared, hashed and checked in place.
struct EncodedBytes {
  let buffer: UnsafeBufferPointer<UInt8>

  /// Whether two texts have the same bytes.
  func same(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
    guard a.count == b.count else { return false }
    guard a.lowerBound != b.lowerBound, !a.isEmpty, let base = buffer.baseAddress else { return true }
    let n = a.count
    // Most texts (SKUs, categories, transaction ids) are short: two words compared in place
    // cost less than the call.
    let x = UnsafeRawPointer(base + a.lowerBound), y = UnsafeRawPointer(base + b.lowerBound)
    if n >= 8 {
      guard n <= 16 else { return memcmp(x, y, n) == 0 }
      return x.loadUnaligned(as: UInt64.self) == y.loadUnaligned(as: UInt64.self)
        && x.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    }
    // Shorter texts (categories such as "cd") as two halves or three bytes, each within the
    // text, as `RowCodec.ByteWriter.copy` writes them: a call to `memcmp` cost more.
    if n >= 4 {
      return x.loadUnaligned(as: UInt32.self) == y.loadUnaligned(as: UInt32.self)
        && x.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == y.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
    }
    return x.load(as: UInt8.self) == y.load(as: UInt8.self)
      && x.load(fromByteOffset: n >> 1, as: UInt8.self) == y.load(fromByteOffset: n >> 1, as: UInt8.self)
      && x.load(fromByteOffset: n - 1, as: UInt8.self) == y.load(fromByteOffset: n - 1, as: UInt8.self)
  }

  /// Whether a text is plain ASCII: two such texts are equal as strings exactly when their
  /// bytes are (Swift compares strings by canonical equivalence, which only differs beyond ASCII).
  func isASCII(_ range: Range<Int>) -> Bool {
    guard let base = buffer.baseAddress else { return true }
    var i = range.lowerBound
    while i + 8 <= range.upperBound {
      if UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
      i += 8
    }
    while i < range.upperBound {
      if base[i] >= 0x80 { return false }
      i += 1
    }
    return true
  }

  /// FNV-1a of a text's bytes, continuing from `hash`.
  func hash(_ range: Range<Int>, from hash: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64 {
    var hash = hash
    for i in range {
      hash ^= UInt64(buffer[i])
      hash &*= 0x0000_0100_0000_01B3
    }
    return hash
  }

  /// A text as a string (one that does not repeat, such as a transaction id).
  func string(_ range: Range<Int>) -> String {
    range.isEmpty ? "" : String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
  }
}

/// One string per distinct text of encoded rows (SKUs, categories, stores, channels, reward
/// and event names): a history repeats a few of them on every row, and a row's line items then
/// share their strings instead of each making its own (a text longer than 15 bytes is a heap
/// allocation per copy). The texts are looked up by their bytes, which make the same string.
///
/// A table is used with the bytes of one partition only: it keeps where each text is in them.
struct StringTable {
  /// Where a text is and its hash, together: a look-up reads one entry, not two arrays.
  private struct Key {
    var range: Range<Int>
    var hash: UInt64
  }

  private var slots = [Int32](repeating: -1, count: 64)
  private var keys: [Key] = []
  private var values: [String] = []

  /// The string of a text of `bytes`, made on its first sight.
  mutating func string(_ range: Range<Int>, in bytes: EncodedBytes) -> String {
    // Numbered first: `string(number: number(…))` would read the table as it was before the
    // text was added (the call's `self` is evaluated before its argument).
    let known = number(range, in: bytes)
    return string(number: known)
  }

  /// The number of a text of `bytes` in the table (its string made on its first sight), or -1
  /// for an empty text: a number names the same string for as long as the table is used.
  // Inlined, as `hash`, with the first sight of a text out of line: pass two looks up a row's
  // SKU and category on every row, and the call with the insertion cost more than the look-up.
  @inline(__always)
  mutating func number(_ range: Range<Int>, in bytes: EncodedBytes) -> Int32 {
    guard !range.isEmpty else { return -1 }
    let hash = StringTable.hash(range, in: bytes)
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let k = slots[slot]
      if k < 0 { break }
      let key = keys[Int(k)]
      if key.hash == hash, bytes.same(key.range, range) { return k }
      slot = (slot + 1) & mask
    }
    return add(range, hash: hash, slot: slot, in: bytes)
  }

  /// Adds a text not in the table at its free `slot`; returns its number.
  @inline(never)
  private mutating func add(_ range: Range<Int>, hash: UInt64, slot: Int, in bytes: EncodedBytes) -> Int32 {
    let number = Int32(values.count)
    slots[slot] = number
    keys.append(Key(range: range, hash: hash))
    values.append(bytes.string(range))
    if values.count * 2 > slots.count { grow() }
    return number
  }

  /// The string of a number ``number(_:in:)`` gave ("" for -1).
  func string(number: Int32) -> String {
    number < 0 ? "" : values[Int(number)]
  }

  /// A non-empty text's hash, eight bytes at a time (FNV-1a, a byte at a time, cost a third of
  /// a look-up): the table's own, so that its slots are no contract.
  @inline(__always)
  private static func hash(_ range: Range<Int>, in bytes: EncodedBytes) -> UInt64 {
    guard let base = bytes.buffer.baseAddress else { return 0 }
    let start = UnsafeRawPointer(base + range.lowerBound)
    let n = range.count
    var hash = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
    var i = 0
    while i + 8 <= n {
      hash = (hash ^ start.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
      i += 8
    }
    if i < n {
      var tail: UInt64 = 0
      if n >= 8 {
        // The last eight bytes, overlapping the words already taken.
        tail = start.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
      } else {
        while i < n {
          tail |= UInt64(start.load(fromByteOffset: i, as: UInt8.self)) << UInt64(i * 8)
          i += 1
        }
      }
      hash = (hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53
    }
    return hash ^ (hash >> 29)
  }

  private mutating func grow() {
    slots = [Int32](repeating: -1, count: slots.count * 2)
    let mask = slots.count - 1
    for (k, key) in keys.enumerated() {
      var slot = Int(truncatingIfNeeded: key.hash) & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(k)
    }
  }
}
