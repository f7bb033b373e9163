import PerkRuntime

/// What one history row records.
package enum RowKind: UInt8, Sendable {
  case purchase = 0, `return` = 1, redeem = 2, custom = 3, signup = 4
}

/// One valid row of a purchase history, in canonical form.
///
/// Money is minor units of the program's currency; `seq` is the row's line number, which
/// orders ties (rows with the same time keep their file order).
package struct HistoryRow: Sendable, Equatable {
  package var customer: String
  /// The transaction id; empty when the row had none (it is then its own basket).
  package var txn: String
  package var time: Instant
  package var seq: Int64
  package var kind: RowKind
  package var sku: String
  package var category: String
  /// Units, always positive (a negative quantity in the file made the row a return).
  package var quantity: Int64
  /// The price of one unit, when the file gave one.
  package var unitMinor: Int64?
  /// The line total (`amount`, or quantity × unit price).
  package var totalMinor: Int64
  package var store: String
  package var channel: String
  package var originalTxn: String
  /// The reward (`redeem` rows) or the event name (custom events).
  package var name: String

  package init(customer: String, txn: String, time: Instant, seq: Int64, kind: RowKind, sku: String = "", category: String = "",
               quantity: Int64 = 0, unitMinor: Int64? = nil, totalMinor: Int64 = 0, store: String = "", channel: String = "",
               originalTxn: String = "", name: String = "") {
    self.customer = customer
    self.txn = txn
    self.time = time
    self.seq = seq
    self.kind = kind
    self.sku = sku
    self.category = category
    self.quantity = quantity
    self.unitMinor = unitMinor
    self.totalMinor = totalMinor
    self.store = store
    self.channel = channel
    self.originalTxn = originalTxn
    self.name = name
  }

  /// The basket lines of this row: one line, or two when a line total does not divide evenly
  /// by the quantity (`$10.00` for 3 → 2 × $3.33 and 1 × $3.34: the total and the units stay exact).
  package func lines(currency: Currency) -> [LineItem] {
    guard quantity > 0 else { return [] }
    if let unitMinor {
      return [LineItem(sku: sku, category: category, quantity: quantity, unitPrice: Money(minorUnits: unitMinor, currency: currency))]
    }
    let unit = totalMinor / quantity
    let extra = totalMinor % quantity
    if extra == 0 {
      return [LineItem(sku: sku, category: category, quantity: quantity, unitPrice: Money(minorUnits: unit, currency: currency))]
    }
    return [
      LineItem(sku: sku, category: category, quantity: quantity - extra, unitPrice: Money(minorUnits: unit, currency: currency)),
      LineItem(sku: sku, category: category, quantity: extra, unitPrice: Money(minorUnits: unit + 1, currency: currency)),
    ]
  }
}

/// A valid row as the reader parsed it, before any of its texts became a string: the texts
/// are the file's bytes (or the reader's copies of quoted, non-ASCII or JSON fields), valid
/// only during the call that receives the row. Pass one encodes them as they are
/// (`RowCodec.encode(_:into:)`); `HistoryRow(_:)` makes the strings.
///
/// A trivial value (its texts are `RowText`s): made and dropped once a row without reference
/// counting.
struct ParsedRow {
  var customer: RowText
  var txn: RowText
  var time: Instant
  var seq: Int64
  var kind: RowKind
  /// Empty for a row without one: the row's SKU is then `item`.
  var sku = RowText()
  var category = RowText()
  var quantity: Int64 = 0
  var unitMinor: Int64?
  var totalMinor: Int64 = 0
  var store: RowText
  var channel: RowText
  var originalTxn: RowText
  var name = RowText()

  init(customer: RowText, txn: RowText, time: Instant, seq: Int64, kind: RowKind, store: RowText, channel: RowText,
       originalTxn: RowText) {
    self.customer = customer
    self.txn = txn
    self.time = time
    self.seq = seq
    self.kind = kind
    self.store = store
    self.channel = channel
    self.originalTxn = originalTxn
  }

  /// A row for the reader to parse into (`HistoryReader.parseFields(…into:…)`), its texts empty.
  init() {
    self.init(customer: RowText(), txn: RowText(), time: Instant(secondsSince1970: 0), seq: 0, kind: .custom, store: RowText(),
              channel: RowText(), originalTxn: RowText())
  }
}

extension HistoryRow {
  /// The row a parsed row stands for, its texts made strings.
  init(_ parsed: ParsedRow) {
    self.init(customer: parsed.customer.text, txn: parsed.txn.text, time: parsed.time, seq: parsed.seq, kind: parsed.kind,
              sku: parsed.sku.isEmpty && (parsed.kind == .purchase || parsed.kind == .return) ? "item" : parsed.sku.text,
              category: parsed.category.text, quantity: parsed.quantity, unitMinor: parsed.unitMinor, totalMinor: parsed.totalMinor,
              store: parsed.store.text, channel: parsed.channel.text, originalTxn: parsed.originalTxn.text, name: parsed.name.text)
  }
}

/// A row that could not be used, with where it is and why.
package struct BadRow: Error, Sendable, Equatable, CustomStringConvertible {
  package var path: String
  /// The physical line the row (record) starts on.
  package var line: Int64
  package var reason: String
  /// The row as in the file (the lines of a multi-line record joined by `\n`), for `--rejects`.
  package var raw: [UInt8]

  package init(path: String, line: Int64, reason: String, raw: [UInt8] = []) {
    self.path = path
    self.line = line
    self.reason = reason
    self.raw = raw
  }

  /// `file:line: reason`, the reason's control characters escaped (`\u{1B}`, `\n`): a report
  /// or an error on a terminal never carries the file's raw escape sequences or line breaks.
  package var description: String { "\(path):\(line): \(reason.escapingControls)" }
}

// MARK: - Compact binary form (partition files)

/// An encoded row read in place: its numbers decoded, its texts where they are in the
/// partition's bytes (`RowCodec.decodeInPlace`).
struct EncodedRow {
  var time: Int64
  var seq: Int64
  var kind: RowKind
  var quantity: Int64
  var unitMinor: Int64?
  var totalMinor: Int64
  var customer: Range<Int>
  var txn: Range<Int>
  var sku: Range<Int>
  var category: Range<Int>
  var store: Range<Int>
  var channel: Range<Int>
  var originalTxn: Range<Int>
  var name: Range<Int>

  /// A row to decode into (`RowCodec.decodeInPlace(_:offset:into:)`).
  static let empty = EncodedRow(time: 0, seq: 0, kind: .custom, quantity: 0, unitMinor: nil, totalMinor: 0, customer: 0..<0, txn: 0..<0,
                                sku: 0..<0, category: 0..<0, store: 0..<0, channel: 0..<0, originalTxn: 0..<0, name: 0..<0)
}

/// Rows are written to partition buffers in a compact binary form between the two passes,
/// so pass two reads back exactly what pass one validated, without re-parsing text.
package enum RowCodec {
  package static func encode(_ row: HistoryRow, into out: inout [UInt8]) {
    appendInt(row.time.secondsSince1970, &out)
    appendInt(row.seq, &out)
    out.append(row.kind.rawValue)
    appendInt(row.quantity, &out)
    out.append(row.unitMinor == nil ? 0 : 1)
    appendInt(row.unitMinor ?? 0, &out)
    appendInt(row.totalMinor, &out)
    // One call per field: an array of the eight strings cost an allocation per row.
    appendString(row.customer, &out)
    appendString(row.txn, &out)
    appendString(row.sku, &out)
    appendString(row.category, &out)
    appendString(row.store, &out)
    appendString(row.channel, &out)
    appendString(row.originalTxn, &out)
    appendString(row.name, &out)
  }

  /// Encodes a parsed row exactly as `encode(HistoryRow(row), into:)` would, without making
  /// its strings: the row is written to a scratch buffer on the stack and appended in one copy
  /// (appending byte by byte checked the array's capacity and uniqueness at every byte).
  static func encode(_ row: ParsedRow, into out: inout [UInt8]) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumSize(row)) { scratch in
      let count = encode(row, to: scratch.baseAddress!)
      out.append(contentsOf: UnsafeBufferPointer(start: scratch.baseAddress, count: count))
    }
  }

  /// The most bytes `encode(_:to:)` writes for `row`: seven numbers and eight lengths of at most
  /// 10 bytes each, two flag bytes, the texts.
  static func maximumSize(_ row: ParsedRow) -> Int {
    let skuIsDefault = row.sku.isEmpty && (row.kind == .purchase || row.kind == .return)
    return 152 &+ row.customer.utf8Count &+ row.txn.utf8Count &+ (skuIsDefault ? 4 : row.sku.utf8Count) &+ row.category.utf8Count
      &+ row.store.utf8Count &+ row.channel.utf8Count &+ row.originalTxn.utf8Count &+ row.name.utf8Count
  }

  /// Writes a parsed row at `base`, which has room for `maximumSize(row)` bytes, exactly as
  /// `encode(HistoryRow(row), into:)` would; returns the number of bytes written.
  static func encode(_ row: ParsedRow, to base: UnsafeMutablePointer<UInt8>) -> Int {
    let skuIsDefault = row.sku.isEmpty && (row.kind == .purchase || row.kind == .return)
    var writer = ByteWriter(base: base)
    writer.int(row.time.secondsSince1970)
    writer.int(row.seq)
    writer.byte(row.kind.rawValue)
    writer.int(row.quantity)
    writer.byte(row.unitMinor == nil ? 0 : 1)
    writer.int(row.unitMinor ?? 0)
    writer.int(row.totalMinor)
    writer.text(row.customer.bytes)
    writer.text(row.txn.bytes)
    if skuIsDefault {
      writer.byte(8)
      writer.fourBytes(0x6D65_7469)  // "item"
    } else {
      writer.text(row.sku.bytes)
    }
    writer.text(row.category.bytes)
    writer.text(row.store.bytes)
    writer.text(row.channel.bytes)
    writer.text(row.originalTxn.bytes)
    writer.text(row.name.bytes)
    return writer.count
  }

  /// Writes the codec's numbers and texts to memory the caller sized.
  struct ByteWriter {
    let base: UnsafeMutablePointer<UInt8>
    var count = 0

    // Unchecked arithmetic: the caller sized the memory, and counts far below `Int.max`.
    mutating func byte(_ value: UInt8) {
      base[count] = value
      count &+= 1
    }

    // Inlined, as `text`: seven numbers and eight texts a row.
    @inline(__always)
    mutating func int(_ value: Int64) {
      var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
      while v >= 0x80 {
        byte(UInt8(truncatingIfNeeded: v) | 0x80)
        v &>>= 7
      }
      byte(UInt8(truncatingIfNeeded: v))
    }

    @inline(__always)
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
      // Most texts are shorter than 64 bytes: their length is one byte, its zig-zag form.
      let n = bytes.count
      if n < 64 { byte(UInt8(truncatingIfNeeded: n &<< 1)) } else { int(Int64(n)) }
      guard let source = bytes.baseAddress, n > 0 else { return }
      ByteWriter.copy(UnsafeRawPointer(source), to: UnsafeMutableRawPointer(base + count), count: n)
      count &+= n
    }

    /// Writes the four bytes of `value`, lowest first (a short constant text).
    @inline(__always)
    mutating func fourBytes(_ value: UInt32) {
      UnsafeMutableRawPointer(base + count).storeBytes(of: value.littleEndian, as: UInt32.self)
      count &+= 4
    }

    /// Copies `n` bytes; up to 16 as two words (or halves, or bytes) that may overlap, each
    /// within the `n` bytes: a call to `memcpy` per text cost more than the copy.
    @inline(__always)
    static func copy(_ source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count n: Int) {
      if n >= 8 {
        guard n <= 16 else { return target.copyMemory(from: source, byteCount: n) }
        target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
        target.storeBytes(of: source.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), toByteOffset: n - 8, as: UInt64.self)
      } else if n >= 4 {
        target.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
        target.storeBytes(of: source.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self), toByteOffset: n - 4, as: UInt32.self)
      } else if n > 0 {
        target.storeBytes(of: source.load(as: UInt8.self), as: UInt8.self)
        target.storeBytes(of: source.load(fromByteOffset: n >> 1, as: UInt8.self), toByteOffset: n >> 1, as: UInt8.self)
        target.storeBytes(of: source.load(fromByteOffset: n - 1, as: UInt8.self), toByteOffset: n - 1, as: UInt8.self)
      }
    }
  }

  /// Decodes the row at `offset` and moves `offset` past it; nil on a truncated buffer.
  package static func decode(_ bytes: UnsafeBufferPointer<UInt8>, offset: inout Int) -> HistoryRow? {
    guard let row = decodeInPlace(bytes, offset: &offset) else { return nil }
    func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
    return HistoryRow(customer: text(row.customer), txn: text(row.txn), time: Instant(secondsSince1970: row.time), seq: row.seq,
                      kind: row.kind, sku: text(row.sku), category: text(row.category), quantity: row.quantity,
                      unitMinor: row.unitMinor, totalMinor: row.totalMinor, store: text(row.store), channel: text(row.channel),
                      originalTxn: text(row.originalTxn), name: text(row.name))
  }

  /// Decodes the numbers of the row at `offset` and where its texts are, without making a
  /// string, and moves `offset` past it; nil on a truncated buffer.
  // Inlined, as `textRange` and `customerRange`: pass two decodes every row (`textRange`
  // inlined alone made `customerRange` slower).
  @inline(__always)
  static func decodeInPlace(_ bytes: UnsafeBufferPointer<UInt8>, offset: inout Int) -> EncodedRow? {
    var row = EncodedRow.empty
    return decodeInPlace(bytes, offset: &offset, into: &row) ? row : nil
  }

  /// `decodeInPlace(_:offset:)` into a row the caller keeps from row to row; false (`row` then
  /// partly overwritten) on a truncated buffer.
  // Pass two's loop over a customer's rows decodes into one row: the optional row returned
  // (some 180 bytes) was copied twice a row with `memcpy`.
  @inline(__always)
  static func decodeInPlace(_ bytes: UnsafeBufferPointer<UInt8>, offset: inout Int, into row: inout EncodedRow) -> Bool {
    // A row's five numbers and two flags take at most 52 bytes: with that many left, they are
    // read without checking each byte against the end (the checks and optionals of `readInt`
    // cost about a third of pass two's decoding). Only the texts' lengths and extents are then
    // checked; a row nearer the end takes the checked path below.
    if offset >= 0, bytes.count - offset >= 52, let base = bytes.baseAddress {
      var at = offset
      guard let time = uncheckedInt(base, &at), let seq = uncheckedInt(base, &at), let kind = RowKind(rawValue: base[at])
      else { return false }
      at &+= 1
      guard let quantity = uncheckedInt(base, &at) else { return false }
      let hasUnit = base[at] == 1
      at &+= 1
      guard let unit = uncheckedInt(base, &at), let total = uncheckedInt(base, &at),
            let customer = shortTextRange(bytes, &at), let txn = shortTextRange(bytes, &at), let sku = shortTextRange(bytes, &at),
            let category = shortTextRange(bytes, &at), let store = shortTextRange(bytes, &at),
            let channel = shortTextRange(bytes, &at), let originalTxn = shortTextRange(bytes, &at),
            let name = shortTextRange(bytes, &at) else { return false }
      offset = at
      row = EncodedRow(time: time, seq: seq, kind: kind, quantity: quantity, unitMinor: hasUnit ? unit : nil, totalMinor: total,
                       customer: customer, txn: txn, sku: sku, category: category, store: store, channel: channel,
                       originalTxn: originalTxn, name: name)
      return true
    }
    guard let time = readInt(bytes, &offset), let seq = readInt(bytes, &offset), offset < bytes.count,
          let kind = RowKind(rawValue: bytes[offset]) else { return false }
    offset += 1
    guard let quantity = readInt(bytes, &offset), offset < bytes.count else { return false }
    let hasUnit = bytes[offset] == 1
    offset += 1
    guard let unit = readInt(bytes, &offset), let total = readInt(bytes, &offset),
          let customer = textRange(bytes, &offset), let txn = textRange(bytes, &offset), let sku = textRange(bytes, &offset),
          let category = textRange(bytes, &offset), let store = textRange(bytes, &offset),
          let channel = textRange(bytes, &offset), let originalTxn = textRange(bytes, &offset),
          let name = textRange(bytes, &offset) else { return false }
    row = EncodedRow(time: time, seq: seq, kind: kind, quantity: quantity, unitMinor: hasUnit ? unit : nil, totalMinor: total,
                     customer: customer, txn: txn, sku: sku, category: category, store: store, channel: channel,
                     originalTxn: originalTxn, name: name)
    return true
  }

  /// Where the customer of the row at `offset` is, moving `offset` past the row; nil on a
  /// truncated buffer.
  @inline(__always)
  static func customerRange(_ bytes: UnsafeBufferPointer<UInt8>, offset: inout Int) -> Range<Int>? {
    guard readInt(bytes, &offset) != nil, readInt(bytes, &offset) != nil, offset < bytes.count else { return nil }
    offset += 1
    guard readInt(bytes, &offset) != nil, offset < bytes.count else { return nil }
    offset += 1
    guard readInt(bytes, &offset) != nil, readInt(bytes, &offset) != nil, let customer = textRange(bytes, &offset) else { return nil }
    for _ in 1..<8 {
      guard textRange(bytes, &offset) != nil else { return nil }
    }
    return customer
  }

  @inline(__always)
  static func textRange(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: inout Int) -> Range<Int>? {
    guard let count = readInt(bytes, &offset), count >= 0, offset + Int(count) <= bytes.count else { return nil }
    defer { offset += Int(count) }
    return offset..<(offset + Int(count))
  }

  /// `textRange`, a text shorter than 64 bytes (its length one byte) read with unchecked
  /// arithmetic: the checked sums and range of `textRange` cost more than the rest of it.
  @inline(__always)
  static func shortTextRange(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: inout Int) -> Range<Int>? {
    guard offset < bytes.count, let base = bytes.baseAddress else { return nil }
    let first = base[offset]
    guard first < 0x80 else { return textRange(bytes, &offset) }
    // An odd byte is a negative length (zig-zag), which no text has.
    guard first & 1 == 0 else { return nil }
    let start = offset &+ 1
    let end = start &+ Int(first &>> 1)
    guard end <= bytes.count else { return nil }
    offset = end
    return Range(uncheckedBounds: (start, end))
  }

  /// Reads the customer of the row at `offset` and moves `offset` past the row, decoding
  /// nothing else; nil on a truncated buffer.
  package static func customer(_ bytes: UnsafeBufferPointer<UInt8>, offset: inout Int) -> String? {
    guard readInt(bytes, &offset) != nil, readInt(bytes, &offset) != nil, offset < bytes.count else { return nil }
    offset += 1
    guard readInt(bytes, &offset) != nil, offset < bytes.count else { return nil }
    offset += 1
    guard readInt(bytes, &offset) != nil, readInt(bytes, &offset) != nil, let customer = readString(bytes, &offset) else { return nil }
    for _ in 1..<8 {
      guard let length = readInt(bytes, &offset), length >= 0, offset + Int(length) <= bytes.count else { return nil }
      offset += Int(length)
    }
    return customer
  }

  static func appendInt(_ value: Int64, _ out: inout [UInt8]) {
    // Zig-zag varint: small numbers (quantities, most prices) take one or two bytes.
    var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
    while v >= 0x80 {
      out.append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    out.append(UInt8(v))
  }

  @inline(__always)
  static func readInt(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: inout Int) -> Int64? {
    // Most numbers and every short text's length take one byte.
    if offset < bytes.count, bytes[offset] < 0x80 {
      let byte = bytes[offset]
      offset += 1
      return Int64(byte >> 1) ^ -Int64(byte & 1)
    }
    return readLongInt(bytes, &offset)
  }

  /// The number at `base + offset` (at least ten bytes readable there), as `readInt` reads it:
  /// nil for more than ten bytes, as `readInt` reports.
  @inline(__always)
  static func uncheckedInt(_ base: UnsafePointer<UInt8>, _ offset: inout Int) -> Int64? {
    let first = base[offset]
    if first < 0x80 {
      offset &+= 1
      return Int64(first >> 1) ^ -Int64(first & 1)
    }
    let p = base + offset
    var result = UInt64(first & 0x7F)
    var shift: UInt64 = 7
    var i = 1
    while i < 10 {
      let byte = p[i]
      i &+= 1
      result |= UInt64(byte & 0x7F) &<< shift
      if byte < 0x80 {
        offset &+= i
        return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
      }
      shift &+= 7
    }
    return nil
  }

  static func readLongInt(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: inout Int) -> Int64? {
    // A time (five bytes) or a price in cents above 63 (two) on nearly every row: with ten
    // bytes left, the longest number cannot run past the end, and the bytes are read without
    // checking each against it (the checked loop below cost about 60 instructions a number).
    if offset >= 0, bytes.count - offset >= 10, let base = bytes.baseAddress, let value = uncheckedInt(base, &offset) {
      return value
    }
    // An eleventh byte would shift past 64 bits: the checked loop reports it.
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while offset < bytes.count, shift < 64 {
      let byte = bytes[offset]
      offset += 1
      result |= UInt64(byte & 0x7F) << shift
      if byte < 0x80 {
        let decoded = Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
        return decoded
      }
      shift += 7
    }
    return nil
  }

  static func appendString(_ text: String, _ out: inout [UInt8]) {
    // Through the string's contiguous UTF-8: appending its `utf8` view went element by element.
    var text = text
    text.withUTF8 { bytes in
      appendInt(Int64(bytes.count), &out)
      out.append(contentsOf: bytes)
    }
  }

  static func readString(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: inout Int) -> String? {
    guard let count = readInt(bytes, &offset), count >= 0, offset + Int(count) <= bytes.count else { return nil }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<(offset + Int(count))]), as: UTF8.self)
    offset += Int(count)
    return text
  }
}
