import PerkRuntime

/// Turns one customer's rows into events: rows of one transaction form one basket, a row
/// without a transaction id is its own basket; events are ordered by time, ties in file order.
enum EventBuilder {
  /// Calls its argument with each row of one customer, in file order.
  typealias Rows = ((HistoryRow) -> Void) -> Void

  static func events(rows: [HistoryRow], customer: Customer, program: Program, start: Instant, end: Instant)
    -> (events: [Event], outside: Int64) {
    events(rows: { each in rows.forEach(each) }, customer: customer, program: program, start: start, end: end)
  }

  /// The events of rows read one at a time (`CustomerGroups.forEachRow`): a customer with ten
  /// years of purchases never has all of their rows decoded at once.
  static func events(rows: Rows, customer: Customer, program: Program, start: Instant, end: Instant)
    -> (events: [Event], outside: Int64) {
    let built = ordered(rows: rows, customer: customer, program: program, start: start, end: end)
    return (built.events.map(\.event), built.outside)
  }

  /// The basket a row belongs to: its transaction (with kind, original and name), or the row
  /// alone (by its sequence number) when it has no transaction id.
  struct BasketKey: Hashable {
    var kind: RowKind
    var txn: String
    var original: String
    var name: String
    var seq: Int64

    init(_ row: HistoryRow) {
      kind = row.kind
      txn = row.txn
      original = row.originalTxn
      name = row.name
      seq = row.txn.isEmpty ? row.seq : 0
    }

    /// The key of a basket with a transaction id.
    init(kind: RowKind, txn: String, original: String, name: String) {
      self.kind = kind
      self.txn = txn
      self.original = original
      self.name = name
      seq = 0
    }
  }

  /// The period's bounds for one customer: `start` and `end` are the starts of the period's
  /// first day and of the day after its last in the program's zone; a customer whose calendar
  /// runs in their own zone (``Program/timeZone(for:)``) has the same local days in theirs.
  static func bounds(start: Instant, end: Instant, customer: Customer, program: Program) -> (start: Instant, end: Instant) {
    let zone = program.timeZone(for: customer)
    guard zone != program.timeZone else { return (start, end) }
    return (zone.instant(of: program.timeZone.localTime(of: start).date, secondOfDay: 0),
            zone.instant(of: program.timeZone.localTime(of: end).date, secondOfDay: 0))
  }

  /// The events with their place in the file (the first row's sequence number; -1 for signup),
  /// for ordering several customers' events together. `signup: false` leaves the signup out.
  static func ordered(rows: Rows, customer: Customer, program: Program, start: Instant, end: Instant, signup: Bool = true)
    -> (events: [(event: Event, seq: Int64)], outside: Int64) {
    // What a basket keeps of its first row: not the row itself (its SKU, category and amounts
    // are in the lines).
    struct Basket {
      var kind: RowKind
      var time: Instant
      var seq: Int64
      var lines: [LineItem]
      var txn: String
      var originalTxn: String
      var name: String
      var store: String
      var channel: String
    }
    var baskets: [Basket] = []
    // Only rows with a transaction id can join an earlier basket. A customer's first baskets
    // are found by a scan (most customers have a few: a dictionary per customer, and hashing
    // every row's ids, cost more than the scan); from `scanLimit` baskets on, by the index.
    var index: [BasketKey: Int] = [:]
    let scanLimit = 16
    // Field by field in place: a closure taking each basket by value copied its strings and lines.
    func basket(joinedBy row: HistoryRow) -> Int? {
      for k in baskets.indices where !baskets[k].txn.isEmpty && baskets[k].kind == row.kind && baskets[k].txn == row.txn
        && baskets[k].originalTxn == row.originalTxn && baskets[k].name == row.name {
        return k
      }
      return nil
    }
    var outside: Int64 = 0
    let (start, end) = bounds(start: start, end: end, customer: customer, program: program)
    rows { row in
      guard row.time >= start, row.time < end else { outside += 1; return }
      let lines = (row.kind == .purchase || row.kind == .return) ? row.lines(currency: program.currency) : []
      if !row.txn.isEmpty {
        if baskets.count < scanLimit {
          if let existing = basket(joinedBy: row) {
            baskets[existing].lines.append(contentsOf: lines)
            return
          }
        } else {
          if index.isEmpty {
            for (k, basket) in baskets.enumerated() where !basket.txn.isEmpty {
              index[BasketKey(kind: basket.kind, txn: basket.txn, original: basket.originalTxn, name: basket.name)] = k
            }
          }
          let key = BasketKey(row)
          if let existing = index[key] {
            baskets[existing].lines.append(contentsOf: lines)
            return
          }
          index[key] = baskets.count
        }
      }
      baskets.append(Basket(kind: row.kind, time: row.time, seq: row.seq, lines: lines, txn: row.txn, originalTxn: row.originalTxn,
                            name: row.name, store: row.store, channel: row.channel))
    }
    index = [:]
    var events: [(event: Event, seq: Int64)] = []
    events.reserveCapacity(baskets.count + 1)
    if signup, let day = customer.signupDate {
      let time = program.timeZone(for: customer).instant(of: day, secondOfDay: 0)
      if time >= start, time < end { events.append((Event(kind: .signup, id: "signup", time: time), -1)) }
    }
    baskets.sort { $0.time != $1.time ? $0.time < $1.time : $0.seq < $1.seq }
    for basket in baskets {
      let id = basket.txn.isEmpty ? "line-\(basket.seq)" : basket.txn
      let store: String? = basket.store.isEmpty ? nil : basket.store
      let channel: String? = basket.channel.isEmpty ? nil : basket.channel
      let kind: Event.Kind
      switch basket.kind {
      case .purchase: kind = .purchase
      case .return: kind = .return(original: basket.originalTxn)
      case .redeem: kind = .redemption(reward: basket.name)
      case .custom: kind = .custom(basket.name)
      case .signup: kind = .signup
      }
      // A return or redemption needs an id of its own: the purchase's id would be a duplicate.
      let eventID = basket.kind == .purchase || basket.txn.isEmpty ? id : "\(id)~\(basket.kind == .return ? "return" : basket.kind == .redeem ? "redeem" : "event")"
      events.append((Event(kind: kind, id: eventID, time: basket.time, lines: basket.lines, store: store, channel: channel), basket.seq))
    }
    return (events, outside)
  }

  /// The events of one customer's encoded rows, read in place (`CustomerGroups.events(of:…)`):
  /// the same events as `events(rows:…)` of the decoded rows, with the strings of repeated texts
  /// taken from `strings` and baskets matched by their bytes. Nil when a transaction, original
  /// transaction or name is not plain ASCII: such texts may be equal as strings with different
  /// bytes, so the caller decodes the rows and matches them as strings.
  ///
  /// The events replace what `events` held (its storage is kept: a chunk builds the events of
  /// every customer with few rows in one array); the result is the number of rows outside the
  /// period, and on nil `events` is left empty. A customer with many rows has each event made
  /// only as the run reaches it instead (``CustomerEvents``, which finds the same baskets): that
  /// decodes each row twice, which for a customer of a few rows cost more than holding them.
  static func events(encoded bytes: EncodedBytes, rows starts: UnsafeBufferPointer<UInt32>, customer: Customer, program: Program,
                     start: Instant, end: Instant, strings: inout StringTable, into events: inout [Event]) -> Int64? {
    events.removeAll(keepingCapacity: true)
    // What a basket keeps of its first row, its texts where they are in `bytes`.
    struct Basket {
      var kind: RowKind
      var time: Int64
      var seq: Int64
      var lines: [LineItem]
      var txn: Range<Int>
      var originalTxn: Range<Int>
      var name: Range<Int>
      var store: Range<Int>
      var channel: Range<Int>
    }
    // At most one basket a row: one allocation rather than the array's growth.
    var baskets: [Basket] = []
    baskets.reserveCapacity(starts.count)
    var keys = BasketIndex()
    var outside: Int64 = 0
    let (start, end) = bounds(start: start, end: end, customer: customer, program: program)
    let currency = program.currency
    for rowStart in starts {
      var offset = Int(rowStart)
      guard let row = RowCodec.decodeInPlace(bytes.buffer, offset: &offset) else { continue }
      guard row.time >= start.secondsSince1970, row.time < end.secondsSince1970 else { outside += 1; continue }
      guard bytes.isASCII(row.txn), bytes.isASCII(row.originalTxn), bytes.isASCII(row.name) else { return nil }
      let key = BasketIndex.Key(kind: row.kind, txn: row.txn, originalTxn: row.originalTxn, name: row.name)
      let (found, hash) = keys.find(key, in: bytes, count: baskets.count) { k in
        BasketIndex.Key(kind: baskets[k].kind, txn: baskets[k].txn, originalTxn: baskets[k].originalTxn, name: baskets[k].name)
      }
      var target = found ?? -1
      if target < 0 {
        target = baskets.count
        baskets.append(Basket(kind: row.kind, time: row.time, seq: row.seq, lines: [], txn: row.txn,
                              originalTxn: row.originalTxn, name: row.name, store: row.store, channel: row.channel))
        keys.added(target, hash: hash, hasKey: !row.txn.isEmpty)
      }
      guard (row.kind == .purchase || row.kind == .return), row.quantity > 0 else { continue }
      // The lines of `HistoryRow.lines(currency:)`, appended in place.
      let sku = strings.string(row.sku, in: bytes)
      let category = strings.string(row.category, in: bytes)
      EventBuilder.appendLines(of: row, sku: sku, category: category, currency: currency, to: &baskets[target].lines)
    }
    events.reserveCapacity(baskets.count + 1)
    if let day = customer.signupDate {
      let time = program.timeZone(for: customer).instant(of: day, secondOfDay: 0)
      if time >= start, time < end { events.append(Event(kind: .signup, id: "signup", time: time)) }
    }
    baskets.sort { $0.time != $1.time ? $0.time < $1.time : $0.seq < $1.seq }
    for k in baskets.indices {
      let basket = baskets[k]
      let (kind, eventID) = EventBuilder.kindAndID(of: basket.kind, seq: basket.seq, txn: basket.txn, originalTxn: basket.originalTxn,
                                                   name: basket.name, bytes: bytes, strings: &strings)
      let store: String? = basket.store.isEmpty ? nil : strings.string(basket.store, in: bytes)
      let channel: String? = basket.channel.isEmpty ? nil : strings.string(basket.channel, in: bytes)
      events.append(Event(kind: kind, id: eventID, time: Instant(secondsSince1970: basket.time), lines: basket.lines, store: store,
                          channel: channel))
      baskets[k].lines = []
    }
    return outside
  }
}

extension EventBuilder {
  /// How an encoded purchase or return row's amount becomes line items, as
  /// `HistoryRow.lines(currency:)` makes them: its unit price, or its amount split into whole
  /// minor units over the units (the remainder one more on as many units).
  struct LineSplit {
    /// The row's units (above zero).
    var quantity: Int64
    /// The price of a unit (of the units not among `extraUnits`).
    var unitMinor: Int64
    /// How many of the units cost one minor unit more (a second line); zero for none.
    var extraUnits: Int64

    init(quantity: Int64, unitMinor: Int64, extraUnits: Int64) {
      self.quantity = quantity
      self.unitMinor = unitMinor
      self.extraUnits = extraUnits
    }

    /// The split of a row with a quantity above zero.
    init(_ row: EncodedRow) {
      quantity = row.quantity
      if let unit = row.unitMinor {
        unitMinor = unit
        extraUnits = 0
      } else {
        unitMinor = row.totalMinor / row.quantity
        extraUnits = row.totalMinor % row.quantity
      }
    }

    /// Calls `body` with each line's units and unit price, in order.
    func forEachLine(_ body: (_ quantity: Int64, _ unitMinor: Int64) -> Void) {
      if extraUnits == 0 {
        body(quantity, unitMinor)
      } else {
        body(quantity - extraUnits, unitMinor)
        body(extraUnits, unitMinor + 1)
      }
    }
  }

  /// Appends the line items of an encoded purchase or return row (``LineSplit``).
  static func appendLines(of row: EncodedRow, sku: String, category: String, currency: Currency, to lines: inout [LineItem]) {
    appendLines(LineSplit(row), sku: sku, category: category, currency: currency, to: &lines)
  }

  /// Appends the line items of a row's split.
  static func appendLines(_ split: LineSplit, sku: String, category: String, currency: Currency, to lines: inout [LineItem]) {
    // Room for two lines at the first: many baskets have a second (a second row, an uneven
    // split), and growing from one line reallocated them.
    if lines.isEmpty { lines.reserveCapacity(2) }
    split.forEachLine { quantity, unitMinor in
      lines.append(LineItem(sku: sku, category: category, quantity: quantity, unitPrice: Money(minorUnits: unitMinor, currency: currency)))
    }
  }

  /// The id of an encoded purchase basket's event: its transaction id, or its first row's place
  /// in the file when it has none.
  static func purchaseID(seq: Int64, txn: Range<Int>, bytes: EncodedBytes) -> String {
    txn.isEmpty ? "line-\(seq)" : bytes.string(txn)
  }

  /// The kind and id of an encoded basket's event, from its first row's kind, order and texts.
  static func kindAndID(of kind: RowKind, seq: Int64, txn txnRange: Range<Int>, originalTxn: Range<Int>, name: Range<Int>,
                        bytes: EncodedBytes, strings: inout StringTable) -> (kind: Event.Kind, id: String) {
    let id = purchaseID(seq: seq, txn: txnRange, bytes: bytes)
    let eventKind: Event.Kind
    switch kind {
    case .purchase: eventKind = .purchase
    case .return: eventKind = .return(original: bytes.string(originalTxn))
    case .redeem: eventKind = .redemption(reward: strings.string(name, in: bytes))
    case .custom: eventKind = .custom(strings.string(name, in: bytes))
    case .signup: eventKind = .signup
    }
    // A return or redemption needs an id of its own: the purchase's id would be a duplicate.
    let eventID = kind == .purchase || txnRange.isEmpty ? id : "\(id)~\(kind == .return ? "return" : kind == .redeem ? "redeem" : "event")"
    return (eventKind, eventID)
  }
}
