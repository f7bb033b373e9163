import PerkRuntime
#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

// The fast path of reading a history: a record with no quote, carriage return or byte beyond
// ASCII is split in one scan of its bytes (`HistoryFormat.splitPlain`), and a purchase or
// return among them is read straight from its fields (`PlainRowReader`), with no
// closure per field and no string. Anything else — and any row the fast path would refuse —
// goes the general way (`HistoryFormat.split`, `HistoryReader.parseFields`), which gives the
// messages; both read the same rows (`PlainRecordTests`).

extension HistoryFormat {
  /// Whether `splitPlain` can split this format's records (whitespace-separated fields run
  /// together, JSON Lines have none).
  var splitsPlain: Bool { self == .csv || self == .semicolon || self == .tsv }

  /// Splits a record into the byte ranges of its fields as `split` would, when it has no byte
  /// that `split` or `FieldValue.isPlain` treats apart: a quote (CSV and semicolon files), a
  /// carriage return or a byte beyond ASCII (a line has no line break). Returns the number of
  /// fields and whether the record may hold a space (or a tab between fields of CSV), or nil for
  /// such a record or one of more than `capacity` fields.
  static func splitPlain(_ line: UnsafeBufferPointer<UInt8>, format: HistoryFormat, into fields: UnsafeMutablePointer<Range<Int>>,
                         capacity: Int) -> (fields: Int, spaced: Bool)? {
    guard let base = line.baseAddress, !line.isEmpty else { return nil }
    let separator: UInt8 = format == .tsv ? 9 : format.separator
    // TSV has no quoting: its quote test looks for a carriage return again.
    let quote: UInt8 = format == .tsv ? 13 : 34
    #if arch(x86_64)
    if line.count >= 16 {
      return splitPlainBy16(base, count: line.count, separator: separator, quote: quote, into: fields, capacity: capacity)
    }
    #endif
    return splitPlainBy8(base, count: line.count, separator: separator, quote: quote, into: fields, capacity: capacity)
      .map { ($0, true) }
  }

  #if arch(x86_64)
  /// `splitPlain` of a line of at least 16 bytes, sixteen at a time with SSE2 (which every
  /// x86-64 processor has): three comparisons and two masks a block, where eight bytes at a
  /// time took about 30 instructions a word. The last block ends at the line's end, overlapping
  /// the one before; the bytes both hold are looked at once.
  static func splitPlainBy16(_ base: UnsafePointer<UInt8>, count n: Int, separator: UInt8, quote: UInt8,
                             into fields: UnsafeMutablePointer<Range<Int>>, capacity: Int) -> (fields: Int, spaced: Bool)? {
    let separators = _mm_set1_epi8(CChar(bitPattern: separator))
    let quotes = _mm_set1_epi8(CChar(bitPattern: quote))
    let returns = _mm_set1_epi8(13)
    let spaces = _mm_set1_epi8(32)
    // Tabs, where they do not separate fields.
    let tabs = _mm_set1_epi8(separator == 9 ? 32 : 9)
    var spaced = _mm_setzero_si128()
    var count = 0
    var start = 0
    var i = 0
    while i < n {
      let at = min(i, n &- 16)
      let block = _mm_loadu_si128(UnsafeRawPointer(base + at).assumingMemoryBound(to: __m128i.self))
      // A quote or carriage return, or a byte with its high bit set (beyond ASCII).
      let ruledOut = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, quotes), _mm_cmpeq_epi8(block, returns)), block)
      if _mm_movemask_epi8(ruledOut) != 0 { return nil }
      spaced = _mm_or_si128(spaced, _mm_or_si128(_mm_cmpeq_epi8(block, spaces), _mm_cmpeq_epi8(block, tabs)))
      var found = UInt32(bitPattern: _mm_movemask_epi8(_mm_cmpeq_epi8(block, separators))) &>> UInt32(i &- at)
      while found != 0 {
        // Counted field by field: a population count is a loop of shifts without SSE4.2.
        guard count &+ 1 < capacity else { return nil }
        let end = i &+ found.trailingZeroBitCount
        fields[count] = start..<end
        count &+= 1
        start = end &+ 1
        found &= found &- 1
      }
      i = at &+ 16
    }
    guard count < capacity else { return nil }
    fields[count] = start..<n
    return (count &+ 1, _mm_movemask_epi8(spaced) != 0)
  }
  #endif

  /// `splitPlain` eight bytes at a time, with the separators of a word found together with the
  /// bytes that rule the record out.
  static func splitPlainBy8(_ base: UnsafePointer<UInt8>, count n: Int, separator: UInt8, quote: UInt8,
                            into fields: UnsafeMutablePointer<Range<Int>>, capacity: Int) -> Int? {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    let separators = UInt64(separator) &* ones
    let quotes = UInt64(quote) &* ones
    let returns: UInt64 = 13 &* ones
    // 0x80 in each byte of `y` that is zero and nowhere else (no borrow crosses bytes).
    @inline(__always) func zeroBytes(_ y: UInt64) -> UInt64 { ~(((y & lows) &+ lows) | y | lows) }
    var count = 0
    var start = 0
    var i = 0
    while i + 8 <= n {
      // Byte k at bits 8k, as the separators' positions are read.
      let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
      if (word & ~lows) | zeroBytes(word ^ quotes) | zeroBytes(word ^ returns) != 0 { return nil }
      var found = zeroBytes(word ^ separators)
      while found != 0 {
        guard count < capacity else { return nil }
        let end = i + found.trailingZeroBitCount >> 3
        fields[count] = start..<end
        count += 1
        start = end + 1
        found &= found &- 1
      }
      i += 8
    }
    while i < n {
      let byte = base[i]
      if byte >= 0x80 || byte == quote || byte == 13 { return nil }
      if byte == separator {
        guard count < capacity else { return nil }
        fields[count] = start..<i
        count += 1
        start = i + 1
      }
      i += 1
    }
    guard count < capacity else { return nil }
    fields[count] = start..<n
    return count + 1
  }
}

/// Reads plain purchases and returns (`HistoryReader.readParsed`'s fast path): everything a
/// row needs, copied from the reader and the header once, so that a row touches no reference
/// (reading them from the reader retained and released its options and currency at each row).
struct PlainRowReader {
  let customer, txn, time, sku, category, qty, unitPrice, amount, store, channel, type, originalTxn: Int
  let timeFormat: TimeFormat
  let zone: ProgramTimeZone
  let currency: Currency
  let mark: DecimalMark
  /// The fast path's own memory of local times (the general path keeps another: they give the
  /// same answers). Held here so that a row is parsed in place: reading the reader out of an
  /// optional for a call that changes a clock beside it copied all of it, a row at a time.
  var clock = WallClock()

  /// The header's columns as field indexes, -1 where absent.
  init(layout: HistoryReader.Layout, options: HistoryReadOptions, currency: Currency, zone: ProgramTimeZone) {
    typealias Layout = HistoryReader.Layout
    func index(_ slot: Int) -> Int { layout[slot: slot] ?? -1 }
    customer = index(Layout.customer)
    txn = index(Layout.txn)
    time = index(Layout.time)
    sku = index(Layout.sku)
    category = index(Layout.category)
    qty = index(Layout.qty)
    unitPrice = index(Layout.unitPrice)
    amount = index(Layout.amount)
    store = index(Layout.store)
    channel = index(Layout.channel)
    type = index(Layout.type)
    originalTxn = index(Layout.origTxn)
    timeFormat = options.timeFormat
    mark = options.decimalMark
    self.currency = currency
    self.zone = zone
  }

  /// Reads a purchase or return from a record whose fields are all in place and plain ASCII
  /// into `row` (an empty `ParsedRow()`), exactly as `HistoryReader.parseFields` would; false
  /// for any other row and for any row `parseFields` would refuse, which the caller then reads
  /// that way.
  mutating func parse(_ record: RecordReader.Record, into row: inout ParsedRow) -> Bool {
    let fields = record.fields
    guard let base = record.raw.baseAddress else { return false }
    let spaced = record.spaced
    // A field's bytes without the spaces and tabs around them (`FieldValue(plain:)`).
    @inline(__always) func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
      guard index >= 0 else { return UnsafeBufferPointer(start: nil, count: 0) }
      let range = fields[index]
      var start = range.lowerBound
      var end = range.upperBound
      guard spaced else { return UnsafeBufferPointer(start: base + start, count: end &- start) }
      while start < end, base[start] == 32 || base[start] == 9 { start += 1 }
      while end > start, base[end - 1] == 32 || base[end - 1] == 9 { end -= 1 }
      return UnsafeBufferPointer(start: base + start, count: end - start)
    }
    let customerText = field(customer)
    let timeText = field(time)
    guard !customerText.isEmpty, !timeText.isEmpty else { return false }
    let typeText = field(type)
    var kind = RowKind.purchase
    if !typeText.isEmpty, !PlainRowReader.isPurchase(typeText) {
      guard let named = FieldValue(plain: typeText).kind, named == .purchase || named == .return else { return false }
      kind = named
    }
    guard case .success(let instant) = timeFormat.read(timeText, zone: zone, clock: &clock) else { return false }
    var quantity: Int64 = 1
    let qtyText = field(qty)
    if !qtyText.isEmpty {
      guard let q = ByteNumbers.integer(qtyText), q != 0 else { return false }
      quantity = q
    }
    if quantity < 0 {
      // `parseFields` makes a purchase with a negative quantity a return.
      kind = .return
      quantity = -quantity
    }
    let unitText = field(unitPrice)
    var unitMinor: Int64?
    let totalMinor: Int64
    if !unitText.isEmpty {
      guard let unit = amount(unitText) else { return false }
      let magnitude = unit < 0 && kind == .return ? -unit : unit
      guard magnitude >= 0 else { return false }
      let (total, overflow) = magnitude.multipliedReportingOverflow(by: quantity)
      guard !overflow else { return false }
      unitMinor = magnitude
      totalMinor = total
    } else {
      let amountText = field(amount)
      guard !amountText.isEmpty, let minor = amount(amountText) else { return false }
      let magnitude = minor < 0 && kind == .return ? -minor : minor
      guard magnitude >= 0 else { return false }
      totalMinor = magnitude
    }
    let originalTxnText = field(originalTxn)
    guard kind != .return || !originalTxnText.isEmpty else { return false }
    // Field by field into the caller's empty row: a whole new row was built and copied in.
    row.customer = RowText(customerText)
    row.txn = RowText(field(txn))
    row.time = instant
    row.seq = record.line
    row.kind = kind
    row.store = RowText(field(store))
    row.channel = RowText(field(channel))
    row.originalTxn = RowText(originalTxnText)
    row.quantity = quantity
    row.unitMinor = unitMinor
    row.totalMinor = totalMinor
    row.sku = RowText(field(sku))
    row.category = RowText(field(category))
    return true
  }

  /// An amount in minor units, as `MoneyText.parse` reads it, or nil where it refuses it.
  /// The shape nearly every file writes — up to 15 digits, then the decimal mark and exactly the
  /// currency's decimals, or none (`11.99`, `12`) — is read here in one pass (a call into the
  /// runtime's reading cost more than the digits); any other goes to `MoneyText.parse`.
  @inline(__always)
  func amount(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
    let n = text.count
    let decimals = currency.minorDigits
    var value: Int64 = 0
    var i = 0
    while i < n, text[i] &- 48 < 10 {
      value = value &* 10 &+ Int64(text[i] &- 48)
      i &+= 1
    }
    if i > 0, i <= 15, decimals <= 3 {
      if i == n {
        for _ in 0..<decimals { value &*= 10 }
        return value
      }
      if i &+ 1 &+ decimals == n, decimals > 0, text[i] == (mark == .point ? 46 : 44) {
        var k = i &+ 1
        while k < n, text[k] &- 48 < 10 {
          value = value &* 10 &+ Int64(text[k] &- 48)
          k &+= 1
        }
        if k == n { return value }
      }
    }
    guard case .success(let minor) = MoneyText.parse(text, currency: currency, mark: mark) else { return nil }
    return minor
  }

  /// Whether a type field is `purchase` as most files write it, compared as one word.
  @inline(__always)
  static func isPurchase(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    guard text.count == 8, let base = text.baseAddress else { return false }
    // "purchase", its first byte lowest.
    return UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)) == 0x6573_6168_6372_7570
  }
}
