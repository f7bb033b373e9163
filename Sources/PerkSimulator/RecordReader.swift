/// A history or customers file read record by record, streaming.
///
/// A record is one line, except in CSV (and semicolon-separated files), where a quoted field
/// may hold line breaks (RFC 4180) and the record then spans several lines. A record is named
/// by the physical line it starts on. The first record of CSV, TSV and whitespace files is the header; every later record
/// must have as many fields as the header (an unquoted `4,50` would otherwise shift every
/// column after it). JSON Lines records are single lines, handed over unparsed.
struct RecordReader {
  let source: InputSource
  /// The layout; nil detects it from the name and the first non-blank line.
  let format: HistoryFormat?

  /// How far a quoted field may run on: beyond this, or at the end of the file, its opening
  /// line is rejected and the lines after it are read again on their own, so one stray quote
  /// costs one row, and memory stays bounded.
  static let maxRecordLines = 1_000
  static let maxRecordBytes = 1 << 20

  /// One record's fields, valid only during the call that receives it.
  ///
  /// Its fields are the reader's arrays lent in place: held as arrays, a record was retained
  /// and released at each of its copies, a dozen times a row.
  struct Record {
    /// The physical line the record starts on (1-based).
    var line: Int64
    /// The record's bytes as in the file; the lines of a multi-line record joined by `\n`.
    var raw: UnsafeBufferPointer<UInt8>
    var fields: UnsafeBufferPointer<Range<Int>>
    var unquoted: UnsafeBufferPointer<[UInt8]>
    /// Whether the whole record is plain ASCII (`FieldValue.isPlain`): then so is every field in
    /// place, and one look at the record stands for one per field.
    var plain: Bool

    init(line: Int64, raw: UnsafeBufferPointer<UInt8>, fields: UnsafeBufferPointer<Range<Int>>, unquoted: UnsafeBufferPointer<[UInt8]>) {
      self.init(line: line, raw: raw, fields: fields, unquoted: unquoted, plain: FieldValue.isPlain(raw))
    }

    /// Whether the record may have a space or tab (around a field, to be trimmed): false only
    /// when `HistoryFormat.splitPlain` saw none.
    var spaced = true

    init(line: Int64, raw: UnsafeBufferPointer<UInt8>, fields: UnsafeBufferPointer<Range<Int>>, unquoted: UnsafeBufferPointer<[UInt8]>,
         plain: Bool, spaced: Bool = true) {
      self.line = line
      self.raw = raw
      self.fields = fields
      self.unquoted = unquoted
      self.plain = plain
      self.spaced = spaced
    }

    /// Whether every field is plain ASCII bytes where they lie (none was quoted): what
    /// `PlainRowReader` reads.
    var allInPlace: Bool { plain && unquoted.isEmpty }

    var count: Int { fields.count }

    /// Field `k` for parsing: its bytes in place when they are plain ASCII, else its `text`.
    // Inlined: a dozen calls a row.
    @inline(__always)
    func field(_ k: Int) -> FieldValue {
      let r = fields[k]
      if r.lowerBound >= 0 {
        let bytes = UnsafeBufferPointer(rebasing: raw[r])
        if plain { return FieldValue(plain: bytes) }
        if let value = FieldValue(raw: bytes) { return value }
      }
      return FieldValue(text: text(k))
    }

    /// Field `k`, unquoted, without surrounding spaces.
    func text(_ k: Int) -> String {
      let r = fields[k]
      if r.lowerBound < 0 { return String(decoding: unquoted[-r.lowerBound - 1], as: UTF8.self).trimmingSpaces }
      return String(decoding: UnsafeBufferPointer(rebasing: raw[r]), as: UTF8.self).trimmingSpaces
    }
  }

  enum Item {
    /// The header's field names (CSV, TSV, whitespace).
    case header([String], line: Int64)
    /// A data record with as many fields as the header.
    case record(Record)
    /// A JSON Lines line (not blank), unparsed.
    case json(UnsafeBufferPointer<UInt8>, line: Int64)
    /// A data record that cannot be used as it is split (with its raw bytes).
    case bad(BadRow)
    /// A header that cannot be split: the file cannot be read.
    case badHeader(BadRow)
  }

  /// Calls `body` with each item in file order; `body` returns false to stop.
  func forEachItem(_ body: (Item) throws -> Bool) throws {
    try withoutActuallyEscaping(body) { body in
      var handler = ItemClosure(body: body)
      try forEachItem(into: &handler)
    }
  }

  /// Hands each item in file order to `handler`, which returns false to stop; `forEachItem(_:)`
  /// for a reader that keeps its state in a value (a closure capturing it had its captures
  /// retained and released at every record).
  func forEachItem<Handler: ItemHandler>(into handler: inout Handler) throws {
    var reading = Reading(source: source, format: format, handler: handler)
    defer { reading.deallocate() }
    try source.forEachLine(into: &reading)
    try reading.finishInput()
    handler = reading.handler
  }

  /// A closure as an `ItemHandler`.
  private struct ItemClosure: ItemHandler {
    let body: (Item) throws -> Bool

    func handle(_ item: Item) throws -> Bool { try body(item) }
  }

  /// A read in progress: the lines given so far split into items for the handler, and what
  /// the split remembers between lines. Lines may come from anywhere in the file, in order:
  /// a read of the whole file (`forEachItem(into:)`), or of one byte range of it
  /// (`HistoryReader`'s read on several threads, which starts each range with a `Reading`
  /// made by `startingAnotherRange(handler:)` and carries a range's read on into the next).
  struct Reading<Handler: ItemHandler>: LineSink {
    fileprivate var splitter: Splitter
    var handler: Handler

    init(source: InputSource, format: HistoryFormat?, handler: Handler) {
      splitter = Splitter(source: source, format: format)
      self.handler = handler
    }

    mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, number: Int64) throws -> Bool {
      var line = bytes
      if number == 1, line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
        line = UnsafeBufferPointer(rebasing: line[3...])
      }
      try splitter.take(line, line: number, alone: false, &handler)
      return !splitter.stopped
    }

    /// At the end of the file: a quoted field still open rejects the line that opened it, and
    /// the lines after it are read on their own.
    mutating func finishInput() throws {
      if !splitter.pending.isEmpty, !splitter.stopped {
        try splitter.abandonPending("no closing quote before the end of the file", &handler)
      }
    }

    /// Whether the handler stopped the read (or the header could not be split).
    var stopped: Bool { splitter.stopped }

    /// Whether the lines so far end a record: no quoted field is open, so the next line starts
    /// a record whatever came before (a read of the lines after it alone reads the same).
    var endsBetweenRecords: Bool { splitter.pending.isEmpty }

    /// Whether the format is known and the first record — the header, or a JSON Lines file's
    /// first line — has been handed over whole: after it, the lines of any range that starts
    /// between records can be read by a `Reading` of their own (`startingAnotherRange`).
    var readFirstRecord: Bool {
      guard let format = splitter.format, splitter.pending.isEmpty else { return false }
      return format == .jsonl || splitter.headerCount != nil
    }

    /// A read of a range of the same file that starts between records after the first one:
    /// the format and the header's field count of this read, nothing else.
    func startingAnotherRange(handler: Handler) -> Reading {
      var other = Reading(source: splitter.source, format: splitter.format, handler: handler)
      other.splitter.headerCount = splitter.headerCount
      if let count = splitter.headerCount { other.splitter.plainFields = .allocate(capacity: count) }
      return other
    }

    /// Frees what the read allocated (once, when it is done).
    func deallocate() { splitter.plainFields?.deallocate() }
  }

  /// What a read remembers from line to line.
  ///
  /// A struct with mutating methods rather than local functions sharing variables: those
  /// functions call each other (an abandoned record's lines are read again), so the variables
  /// they shared were boxed and every access to one checked for exclusivity at run time, about
  /// eight checks (700 instructions) a row.
  fileprivate struct Splitter {
    let source: InputSource
    var format: HistoryFormat?
    var headerCount: Int?
    var fields: [Range<Int>] = []
    var unquoted: [[UInt8]] = []
    // An open multi-line record: its bytes so far, and where each of its lines starts in them.
    var pending: [UInt8] = []
    var pendingLines: [(start: Int, number: Int64)] = []
    var stopped = false
    /// Room for a plain record's fields (`HistoryFormat.splitPlain`), made when the header is
    /// read (as many as it has): lent to a record without an array's reference counting.
    var plainFields: UnsafeMutablePointer<Range<Int>>?

    init(source: InputSource, format: HistoryFormat?) {
      self.source = source
      self.format = format
    }

    mutating func emit(_ item: Item, _ handler: inout some ItemHandler) throws {
      if !stopped, try !handler.handle(item) { stopped = true }
    }

    mutating func bad(_ raw: UnsafeBufferPointer<UInt8>, line: Int64, _ reason: String, _ handler: inout some ItemHandler) throws {
      let row = BadRow(path: source.name, line: line, reason: reason, raw: Array(raw))
      try emit(headerCount == nil ? .badHeader(row) : .bad(row), &handler)
    }

    /// A complete record, already split into `fields` (or not, with `problem`): checked against
    /// the header and handed over.
    mutating func finish(_ raw: UnsafeBufferPointer<UInt8>, line: Int64, format: HistoryFormat, problem: HistoryFormat.SplitProblem?,
                         _ handler: inout some ItemHandler) throws {
      if let problem { return try bad(raw, line: line, problem.reason, &handler) }
      // The arrays are lent from copies (one retain each): lent from `self`, they could not be
      // while `emit` changes it.
      let fields = self.fields
      let unquoted = self.unquoted
      try fields.withUnsafeBufferPointer { fields in
        try unquoted.withUnsafeBufferPointer { unquoted in
          let record = Record(line: line, raw: raw, fields: fields, unquoted: unquoted)
          guard let expected = headerCount else {
            headerCount = fields.count
            plainFields = .allocate(capacity: fields.count)
            return try emit(.header((0..<fields.count).map(record.text), line: line), &handler)
          }
          guard fields.count == expected else {
            return try bad(raw, line: line, HistoryFormat.fieldCountReason(fields.count, header: expected, format: format), &handler)
          }
          try emit(.record(record), &handler)
        }
      }
    }

    /// One physical line; `alone` reads it as a whole record even if a quote stays open.
    mutating func take(_ bytes: UnsafeBufferPointer<UInt8>, line: Int64, alone: Bool, _ handler: inout some ItemHandler) throws {
      // A plain record of the header's length, not starting with a space or tab (nor blank):
      // split in one scan and handed over as it is; `split` and `finish` would find the same.
      if pending.isEmpty, let plainFields, let expected = headerCount, let current = format, current.splitsPlain,
         bytes.count > 0, bytes[0] != 32, bytes[0] != 9,
         let split = HistoryFormat.splitPlain(bytes, format: current, into: plainFields, capacity: expected), split.fields == expected {
        return try emit(.record(Record(line: line, raw: bytes, fields: UnsafeBufferPointer(start: plainFields, count: expected),
                                       unquoted: UnsafeBufferPointer(start: nil, count: 0), plain: true, spaced: split.spaced)), &handler)
      }
      if !pending.isEmpty {
        pendingLines.append((pending.count + 1, line))
        pending.append(10)
        pending.append(contentsOf: bytes)
        let current = format ?? .csv
        if !HistoryFormat.endsInsideQuotes(bytes, startingInside: true, separator: current.separator) {
          let first = pendingLines[0].number
          let record = pending
          pending.removeAll(keepingCapacity: true)
          pendingLines.removeAll(keepingCapacity: true)
          try record.withUnsafeBufferPointer { raw in
            let problem = HistoryFormat.split(raw, format: current, into: &fields, unquoted: &unquoted)
            try finish(raw, line: first, format: current, problem: problem, &handler)
          }
        } else if pendingLines.count >= RecordReader.maxRecordLines || pending.count >= RecordReader.maxRecordBytes {
          try abandonPending("no closing quote in the next \(pendingLines.count - 1) lines", &handler)
        }
        return
      }
      if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) { return }
      if format == nil { format = HistoryFormat.detect(path: source.name, firstLine: Array(bytes)) }
      let current = format ?? .csv
      if current == .jsonl { return try emit(.json(bytes, line: line), &handler) }
      let problem = HistoryFormat.split(bytes, format: current, into: &fields, unquoted: &unquoted)
      if problem == .unterminatedQuote, !alone {
        pending.append(contentsOf: bytes)
        pendingLines.append((0, line))
        return
      }
      try finish(bytes, line: line, format: current, problem: problem, &handler)
    }

    /// Rejects the line that opened a quoted field that does not close, and reads the lines
    /// after it again, each on its own.
    mutating func abandonPending(_ why: String, _ handler: inout some ItemHandler) throws {
      let bytes = pending
      let lines = pendingLines
      pending = []
      pendingLines = []
      try bytes.withUnsafeBufferPointer { buffer in
        let firstEnd = lines.count > 1 ? lines[1].start - 1 : buffer.count
        try bad(UnsafeBufferPointer(rebasing: buffer[0..<firstEnd]), line: lines[0].number,
                "a quoted field opens here and does not close (\(why)); a quote inside a value is written `\"\"`", &handler)
        for k in lines.indices.dropFirst() where !stopped {
          let end = k + 1 < lines.count ? lines[k + 1].start - 1 : buffer.count
          try take(UnsafeBufferPointer(rebasing: buffer[lines[k].start..<end]), line: lines[k].number, alone: true, &handler)
        }
      }
    }
  }
}

/// What receives the items of a `RecordReader` (`forEachItem(into:)`).
protocol ItemHandler {
  /// One item, valid only during the call; false stops the read.
  mutating func handle(_ item: RecordReader.Item) throws -> Bool
}
