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

  /// Decodes the row at `offset` and moves `offset` past it; nil on a truncated buffer.
  package static func decode(_ bytes: UnsafeBufferPointer<UInt8>, offset: inout Int) -> HistoryRow? {
    guard let time = readInt(bytes, &offset), let seq = readInt(bytes, &offset), offset < bytes.count,
          let kind = RowKind(rawValue: bytes[offset]) else { return nil }
    offset += 1
    guard let quantity = readInt(bytes, &offset), offset < bytes.count else { return nil }
    let hasUnit = bytes[offset] == 1
    offset += 1
    guard let unit = readInt(bytes, &offset), let total = readInt(bytes, &offset) else { return nil }
    // Field by field: an array of the eight strings cost an allocation per row.
    guard let customer = readString(bytes, &offset), let txn = readString(bytes, &offset), let sku = readString(bytes, &offset),
          let category = readString(bytes, &offset), let store = readString(bytes, &offset),
          let channel = readString(bytes, &offset), let originalTxn = readString(bytes, &offset),
          let name = readString(bytes, &offset) else { return nil }
    return HistoryRow(customer: customer, txn: txn, time: Instant(secondsSince1970: time), seq: seq, kind: kind,
                      sku: sku, category: category, quantity: quantity, unitMinor: hasUnit ? unit : nil,
                      totalMinor: total, store: store, channel: channel, originalTxn: originalTxn, name: name)
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

  static func readInt(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: inout Int) -> Int64? {
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
