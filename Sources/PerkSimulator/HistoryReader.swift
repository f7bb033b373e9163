import PerkRuntime

/// How to read a history file.
package struct HistoryReadOptions: Sendable {
  /// The layout; nil detects it from the name and first line.
  package var format: HistoryFormat?
  package var columns: ColumnMap
  package var timeFormat: TimeFormat
  /// Stop at the first bad row instead of skipping it.
  package var strict: Bool
  /// How amounts write their decimals (`--decimal-comma`).
  package var decimalMark: DecimalMark

  package init(format: HistoryFormat? = nil, columns: ColumnMap = ColumnMap(), timeFormat: TimeFormat = .auto, strict: Bool = false,
               decimalMark: DecimalMark = .point) {
    self.format = format
    self.columns = columns
    self.timeFormat = timeFormat
    self.strict = strict
    self.decimalMark = decimalMark
  }
}

/// Counts of what a read saw.
package struct ReadCounts: Sendable, Equatable {
  /// Data rows (the header and blank lines are not rows).
  package var read: Int64 = 0
  package var rejected: Int64 = 0
  /// Whether the file had a header (CSV, TSV, whitespace), to tell a header-only file from an empty one.
  package var sawHeader = false
  package var used: Int64 { read - rejected }
}

/// What receives the valid rows of a read (`HistoryReader.readParsed(into:bad:)`).
protocol ParsedRowSink {
  /// One valid row, its texts valid only during the call.
  mutating func take(_ row: borrowing ParsedRow) throws
}

/// A closure as a `ParsedRowSink`.
struct ParsedRowClosure: ParsedRowSink {
  let body: (ParsedRow) throws -> Void

  func take(_ row: borrowing ParsedRow) throws { try body(copy row) }
}

/// Reads a history row by row, streaming: memory does not grow with the file.
///
/// Valid rows go to `row`, bad ones (with file, line and reason) to `bad`; with `strict`
/// the first bad row ends the read with an error.
///
/// A class: the read's closures use it once per row, and copying a struct of this size there
/// (its dictionary, arrays and strings retained one by one) cost 7% of reading a history.
package final class HistoryReader {
  let source: InputSource
  let options: HistoryReadOptions
  let currency: Currency
  let zone: ProgramTimeZone
  /// Whether plain purchases and returns are read by `PlainRowReader` (the general path reads
  /// the same rows; tests turn this off to compare the two).
  let readsPlainRecords: Bool

  package init(source: InputSource, options: HistoryReadOptions, currency: Currency, zone: ProgramTimeZone, readsPlainRecords: Bool = true) {
    self.readsPlainRecords = readsPlainRecords
    self.source = source
    self.options = options
    self.currency = currency
    self.zone = zone
  }

  /// Column indexes of the canonical fields in a header (nil when absent).
  ///
  /// An array by position in `ColumnMap.historyColumns` rather than a dictionary by name: it is
  /// read a dozen times per row.
  struct Layout {
    private var columns = [Int?](repeating: nil, count: ColumnMap.historyColumns.count)

    // Positions in `ColumnMap.historyColumns` (a test checks them) written as literals: computed
    // from the names, each read of one went through a lazy global's once-check, a dozen per row.
    static let customer = 0, txn = 1, time = 2, sku = 3, category = 4, qty = 5, unitPrice = 6, amount = 7
    static let store = 8, channel = 9, type = 10, origTxn = 11, reward = 12

    static func slot(_ name: String) -> Int { ColumnMap.historyColumns.firstIndex(of: name)! }

    subscript(slot slot: Int) -> Int? {
      get { columns[slot] }
      set { columns[slot] = newValue }
    }

    /// By canonical name (reading a header).
    subscript(name name: String) -> Int? {
      get { columns[Layout.slot(name)] }
      set { columns[Layout.slot(name)] = newValue }
    }
  }

  package func read(row: (HistoryRow) throws -> Void, bad: (BadRow) throws -> Void) throws -> ReadCounts {
    try readParsed(row: { try row(HistoryRow($0)) }, bad: bad)
  }

  /// Like `read`, but hands over each valid row as parsed: its texts are still the file's
  /// bytes, valid only during the call (pass one encodes them without making strings).
  func readParsed(row: (ParsedRow) throws -> Void, bad: (BadRow) throws -> Void) throws -> ReadCounts {
    try withoutActuallyEscaping(row) { row in
      var sink = ParsedRowClosure(body: row)
      return try readParsed(into: &sink, bad: bad)
    }
  }

  /// `readParsed(row:bad:)` into a value that keeps its state (pass one's partitions and
  /// figures): generic rather than a closure, the row is lent to it in place, where a closure
  /// was called with a copy of the row and its captured variables were boxed.
  func readParsed<Sink: ParsedRowSink>(into sink: inout Sink, bad: (BadRow) throws -> Void) throws -> ReadCounts {
    try withoutActuallyEscaping(bad) { bad in
      var rows = RowItems(reader: self, sink: sink, bad: bad)
      try RecordReader(source: source, format: options.format).forEachItem(into: &rows)
      sink = rows.sink
      if let stopError = rows.stopError { throw stopError }
      return rows.counts
    }
  }

  /// `readParsed`'s state from record to record, and what it does with each: a value the
  /// record reader holds, rather than variables a closure captures (a closure's captures were
  /// retained and released at every record).
  ///
  /// Each row is parsed in place into a local and lent to the sink: a row returned in a `Result`
  /// was copied and destroyed field by field (about 700 instructions a row).
  struct RowItems<Sink: ParsedRowSink>: ItemHandler {
    let reader: HistoryReader
    var sink: Sink
    let bad: (BadRow) throws -> Void
    /// Rejected rows kept in file order instead of handed to `bad` (a byte range read on another
    /// thread, whose rejected rows follow those of the ranges before it); nil: handed over.
    var heldRejects: [BadRow]?
    /// Set when more rejected rows came than are held (`RangedRead.heldRejectsLimit`): the
    /// read stopped, and the read of the range before carries on over this one.
    var gaveUp = false
    var counts = ReadCounts()
    var layout: Layout?
    /// The fast path for plain purchases and returns, once the header is read.
    var plain: PlainRowReader?
    var stopError: Error?
    var clock = WallClock()
    let texts = TextArena()

    init(reader: HistoryReader, sink: Sink, bad: @escaping (BadRow) throws -> Void) {
      self.reader = reader
      self.sink = sink
      self.bad = bad
    }

    /// The handler of another byte range of the same file, read after this one's header: the
    /// same layout, its own sink, counts, clocks and texts, its rejected rows held.
    func forAnotherRange(sink: Sink) -> RowItems {
      var other = RowItems(reader: reader, sink: sink, bad: bad)
      other.layout = layout
      if let layout, reader.readsPlainRecords {
        other.plain = PlainRowReader(layout: layout, options: reader.options, currency: reader.currency, zone: reader.zone)
      }
      other.heldRejects = []
      return other
    }

    mutating func reject(_ failure: BadRow) throws -> Bool {
      if heldRejects != nil, heldRejects!.count >= RangedRead.heldRejectsLimit {
        gaveUp = true
        return false
      }
      counts.read += 1
      counts.rejected += 1
      if reader.options.strict { stopError = failure; return false }
      if heldRejects != nil {
        heldRejects!.append(failure)
        return true
      }
      try bad(failure)
      return true
    }

    mutating func handle(_ item: RecordReader.Item) throws -> Bool {
      switch item {
      case .record(let record):
        var parsed = ParsedRow()
        // Unwrapped in place: `plain?.parse` copied the reader out of its optional at every row.
        if record.allInPlace, plain != nil, plain!.parse(record, into: &parsed) {
          counts.read += 1
          try sink.take(parsed)
          return true
        }
        guard let layout else { return false }
        texts.reset()
        if var failure = reader.parseFields(layout: layout, count: record.count, line: record.line, clock: &clock, texts: texts,
                                            into: &parsed, field: record.field) {
          failure.raw = Array(record.raw)
          return try reject(failure)
        }
        counts.read += 1
        try sink.take(parsed)
        return true
      case .json(let line, let number):
        var parsed = ParsedRow()
        texts.reset()
        if let failure = reader.parseJSONLine(line, line: number, clock: &clock, texts: texts, into: &parsed) { return try reject(failure) }
        counts.read += 1
        try sink.take(parsed)
        return true
      case .badHeader(let failure):
        stopError = SimulationInputError("\(failure.path):\(failure.line): header: \(failure.reason)")
        return false
      case .header(let names, let number):
        counts.sawHeader = true
        do {
          let made = try reader.makeLayout(names, line: number)
          layout = made
          if reader.readsPlainRecords {
            plain = PlainRowReader(layout: made, options: reader.options, currency: reader.currency, zone: reader.zone)
          }
        } catch {
          stopError = error
          return false
        }
        return true
      case .bad(let failure):
        return try reject(failure)
      }
    }
  }

  func makeLayout(_ header: [String], line: Int64) throws -> Layout {
    var layout = Layout()
    let lowered = header.map { $0.lowercased() }
    for canonical in ColumnMap.historyColumns {
      let wanted = options.columns.fileName(for: canonical).lowercased()
      if let index = lowered.firstIndex(of: wanted) { layout[name: canonical] = index }
      else if options.columns.renames[canonical] != nil {
        throw SimulationInputError("\(source.name):\(line): `--map \(canonical)=\(options.columns.fileName(for: canonical))`: "
          + "the header has no column `\(options.columns.fileName(for: canonical))` (it has "
          + header.map { "`\($0.escapingControls)`" }.joined(separator: ", ") + ")")
      }
    }
    for required in ["customer", "time"] where layout[name: required] == nil {
      throw SimulationInputError("\(source.name):\(line): the header has no `\(required)` column (it has "
        + header.map { "`\($0.escapingControls)`" }.joined(separator: ", ") + "); name it with `--map \(required)=COLUMN`")
    }
    if layout[slot: Layout.unitPrice] == nil, layout[slot: Layout.amount] == nil, layout[slot: Layout.type] == nil {
      throw SimulationInputError("\(source.name):\(line): the header has neither `unit_price` nor `amount` (it has "
        + header.map { "`\($0.escapingControls)`" }.joined(separator: ", ") + "); name one with `--map amount=COLUMN`")
    }
    return layout
  }

  /// Parses a JSON Lines line into `row`; the reason it cannot be used otherwise.
  func parseJSONLine(_ line: UnsafeBufferPointer<UInt8>, line number: Int64, clock: inout WallClock, texts: TextArena,
                     into row: inout ParsedRow) -> BadRow? {
    let node: JSONNode
    do {
      node = try JSONNode.parse(Array(line), path: source.name)
    } catch {
      return BadRow(path: source.name, line: number, reason: "not JSON: \(error.message)", raw: Array(line))
    }
    guard case .object(let members) = node.value else {
      return BadRow(path: source.name, line: number, reason: "expected a JSON object", raw: Array(line))
    }
    // A misspelt key would otherwise leave its column empty and the row read without it.
    if let problem = JSONRowKeys.problem(members, known: ColumnMap.historyColumns.map(options.columns.fileName(for:)),
                                         renames: options.columns.renames, what: "a history row") {
      return BadRow(path: source.name, line: number, reason: problem, raw: Array(line))
    }
    var values: [String] = []
    var numbers: Set<Int> = []
    var layout = Layout()
    var byName: [String: Int] = [:]
    for member in members {
      let text: String
      switch member.value.value {
      case .string(let s): text = s
      case .number(let s): text = s; numbers.insert(values.count)
      case .bool(let b): text = b ? "true" : "false"
      case .null: text = ""
      case .array, .object:
        return BadRow(path: source.name, line: number,
                      reason: "`\(member.key.escapingControls)` must be a string or a number, not an array or object", raw: Array(line))
      }
      byName[member.key.lowercased()] = values.count
      values.append(text)
    }
    for canonical in ColumnMap.historyColumns {
      if let index = byName[options.columns.fileName(for: canonical).lowercased()] { layout[name: canonical] = index }
    }
    let result = parseFields(layout: layout, count: values.count, line: number, isJSONNumber: { numbers.contains($0) }, clock: &clock,
                             texts: texts, into: &row) {
      FieldValue(text: values[$0])
    }
    if var failure = result {
      failure.raw = Array(line)
      return failure
    }
    return nil
  }

  /// Turns a row's fields into a canonical row in `row`, or says why they cannot be used (`row`
  /// is then left half written).
  /// `isJSONNumber` (JSON Lines) tells a JSON number (whose point is a decimal point whatever
  /// `--decimal-comma` says) from a string.
  ///
  /// Fields are read as bytes where they are plain ASCII (`FieldValue`): times, quantities and
  /// amounts are parsed from them in place, and only the fields a row keeps become strings.
  /// `clock` is the read's memory of its last local time (`WallClock`); `texts` keeps the row's
  /// copies of the texts made for it.
  func parseFields(layout: Layout, count: Int, line: Int64, isJSONNumber: ((Int) -> Bool)? = nil, clock: inout WallClock,
                   texts: TextArena, into row: inout ParsedRow, field value: (Int) -> FieldValue) -> BadRow? {
    func fail(_ reason: String) -> BadRow { BadRow(path: source.name, line: line, reason: reason) }
    func field(_ slot: Int) -> FieldValue {
      guard let index = layout[slot: slot], index < count else { return FieldValue() }
      return value(index)
    }
    let customerField = field(Layout.customer)
    guard !customerField.isEmpty else { return fail("missing `customer`") }
    let timeField = field(Layout.time)
    guard !timeField.isEmpty else { return fail("missing `time`") }
    let time: Instant
    switch timeField.withBytes({ options.timeFormat.read($0, zone: zone, clock: &clock) }) {
    case .success(let instant): time = instant
    case .failure(.mismatch): return fail("time `\(timeField.text)` does not match " + TimeFormat.describe(options.timeFormat))
    case .failure(.yearOutOfRange): return fail("time `\(timeField.text)` \(LocalDate.outsideReadableYears)")
    }
    let typeField = field(Layout.type)
    var kind = typeField.kind ?? .custom
    row = ParsedRow(customer: texts.keep(customerField), txn: texts.keep(field(Layout.txn)), time: time, seq: line, kind: kind,
                    store: texts.keep(field(Layout.store)), channel: texts.keep(field(Layout.channel)),
                    originalTxn: texts.keep(field(Layout.origTxn)))
    switch kind {
    case .redeem:
      row.name = texts.keep(field(Layout.reward))
      guard !row.name.isEmpty else { return fail("a `redeem` row needs a `reward`") }
      // One row, one reward: a quantity is refused rather than read as one redemption.
      let qtyField = field(Layout.qty)
      guard qtyField.isEmpty || qtyField.isOne else {
        return fail("a `redeem` row redeems one `\(row.name.text)`, but its qty is `\(qtyField.text)`: write one row per reward")
      }
      return nil
    case .custom:
      row.name = texts.keep(typeField)
      return nil
    case .signup:
      return nil
    case .purchase, .return:
      break
    }
    let qtyField = field(Layout.qty)
    var quantity: Int64 = 1
    if !qtyField.isEmpty {
      guard let q = qtyField.withBytes({ ByteNumbers.integer($0) }) else {
        return fail("quantity `\(qtyField.text)` is not a whole number")
      }
      quantity = q
    }
    guard quantity != 0 else { return fail("quantity is 0") }
    if quantity < 0 {
      if kind == .return || typeField.isEmpty || kind == .purchase { kind = .return }
      quantity = -quantity
    }
    row.kind = kind
    func money(_ field: FieldValue, _ what: String, slot: Int) -> Result<Int64, BadRow> {
      let number = isJSONNumber.map { layout[slot: slot].map($0) ?? false } ?? false
      return amount(field, what, jsonNumber: number, line: line)
    }
    let unitField = field(Layout.unitPrice)
    let amountField = field(Layout.amount)
    if !unitField.isEmpty {
      let unit: Int64
      switch money(unitField, "unit price", slot: Layout.unitPrice) {
      case .success(let minor): unit = minor
      case .failure(let failure): return failure
      }
      let magnitude = unit < 0 && kind == .return ? -unit : unit
      guard magnitude >= 0 else { return fail("unit price `\(unitField.text)` is negative; a refund is a row with a negative `qty`") }
      let (total, overflow) = magnitude.multipliedReportingOverflow(by: quantity)
      guard !overflow else { return fail("\(quantity) × \(unitField.text) is too large") }
      row.unitMinor = magnitude
      row.totalMinor = total
    } else if !amountField.isEmpty {
      let amount: Int64
      switch money(amountField, "amount", slot: Layout.amount) {
      case .success(let minor): amount = minor
      case .failure(let failure): return failure
      }
      let magnitude = amount < 0 && kind == .return ? -amount : amount
      guard magnitude >= 0 else { return fail("amount `\(amountField.text)` is negative; a refund is a row with a negative `qty`") }
      row.totalMinor = magnitude
    } else {
      return fail("missing `unit_price` and `amount`")
    }
    row.quantity = quantity
    row.sku = texts.keep(field(Layout.sku))
    row.category = texts.keep(field(Layout.category))
    if kind == .return, row.originalTxn.isEmpty {
      return fail("a return needs `orig_txn` (the purchase it reverses)")
    }
    return nil
  }
}

extension HistoryReader {
  /// An amount field in minor units, or why its row is rejected.
  func amount(_ field: FieldValue, _ what: String, jsonNumber: Bool, line: Int64) -> Result<Int64, BadRow> {
    let result = jsonNumber ? MoneyText.parseJSONNumber(field.text, currency: currency)
      : field.withBytes { MoneyText.parse($0, currency: currency, mark: options.decimalMark) }
    switch result {
    case .success(let minor): return .success(minor)
    case .failure(let problem):
      let text = field.text
      return .failure(BadRow(path: source.name, line: line, reason: "\(what) `\(text)` is not an amount in \(currency.code): "
        + problem.explanation(text, currency: currency, mark: options.decimalMark)))
    }
  }
}

extension TimeFormat {
  static func describe(_ format: TimeFormat) -> String {
    switch format {
    case .auto: return "ISO 8601 (`2026-11-24`, `2026-11-24T08:30:00`, `2026-11-24T08:30:00-05:00`); use `--time-format` for other forms"
    case .unix: return "`unix` (seconds since 1970)"
    case .pattern(let tokens):
      var text = ""
      for token in tokens {
        switch token {
        case .year: text += "yyyy"
        case .month: text += "MM"
        case .day: text += "dd"
        case .hour: text += "HH"
        case .minute: text += "mm"
        case .second: text += "ss"
        case .literal(let byte): text += String(UnicodeScalar(byte))
        }
      }
      return "`--time-format \(text)`"
    }
  }
}
