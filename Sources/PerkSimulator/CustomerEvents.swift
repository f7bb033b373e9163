import PerkRuntime

/// One customer's baskets found in a partition's encoded rows, in event order, without their
/// lines: each keeps where its texts and rows are, and its event (with its line items) is made
/// from the rows when asked (``event(_:bytes:rows:strings:)``).
///
/// A customer with ten years of purchases had every event and line item made at once, for the
/// whole of their run: the largest part of the heap after the partition, and growing with rows
/// per customer. The descriptors are a few words a basket and one a row.
struct EncodedBaskets {
  /// A basket: its first row's time, sequence number, kind and keying texts, and its rows (by
  /// their index in the customer's rows: `firstRow`, then `nextRow` from each to the next).
  struct Basket {
    var time: Int64
    var seq: Int64
    var txn: Range<Int>
    var originalTxn: Range<Int>
    var name: Range<Int>
    var kind: RowKind
    var firstRow: Int32
    var lastRow: Int32
  }

  /// The baskets, ordered by time (ties in file order) once `build` is done.
  private(set) var baskets: [Basket] = []
  /// By row: the next row of the same basket, or -1 (also for rows in no basket).
  private var nextRow: [Int32] = []
  /// The signup event's time when it is in the period: it comes first.
  private(set) var signup: Instant?

  /// The number of events: the signup (if any) and the baskets.
  var count: Int { baskets.count + (signup == nil ? 0 : 1) }

  /// Finds the baskets of one customer's encoded rows (`rows`: where each starts in `bytes`,
  /// in file order), as `EventBuilder.events(encoded:…)` groups them; what the baskets held
  /// before is replaced, their storage kept. Returns the number of rows outside the period, or
  /// nil (with no baskets) when a transaction, original transaction or name is not plain ASCII.
  mutating func build(bytes: EncodedBytes, rows: UnsafeBufferPointer<UInt32>, customer: Customer, program: Program,
                      start: Instant, end: Instant) -> Int64? {
    baskets.removeAll(keepingCapacity: true)
    nextRow.removeAll(keepingCapacity: true)
    signup = nil
    var keys = BasketIndex()
    var outside: Int64 = 0
    let (start, end) = EventBuilder.bounds(start: start, end: end, customer: customer, program: program)
    for index in rows.indices {
      nextRow.append(-1)
      var offset = Int(rows[index])
      guard let row = RowCodec.decodeInPlace(bytes.buffer, offset: &offset) else { continue }
      guard row.time >= start.secondsSince1970, row.time < end.secondsSince1970 else { outside += 1; continue }
      guard bytes.isASCII(row.txn), bytes.isASCII(row.originalTxn), bytes.isASCII(row.name) else {
        baskets.removeAll(keepingCapacity: true)
        return nil
      }
      let (found, hash) = keys.find(row, in: bytes, count: baskets.count) { k in
        BasketIndex.Key(kind: baskets[k].kind, txn: baskets[k].txn, originalTxn: baskets[k].originalTxn, name: baskets[k].name)
      }
      if let target = found {
        nextRow[Int(baskets[target].lastRow)] = Int32(index)
        baskets[target].lastRow = Int32(index)
        continue
      }
      baskets.append(Basket(time: row.time, seq: row.seq, txn: row.txn, originalTxn: row.originalTxn, name: row.name, kind: row.kind,
                            firstRow: Int32(index), lastRow: Int32(index)))
      keys.added(baskets.count - 1, hash: hash, hasKey: !row.txn.isEmpty)
    }
    if let day = customer.signupDate {
      let time = program.timeZone(for: customer).instant(of: day, secondOfDay: 0)
      if time >= start, time < end { signup = time }
    }
    baskets.sort { $0.time != $1.time ? $0.time < $1.time : $0.seq < $1.seq }
    return outside
  }

  /// Whether any basket is a return (with a trace, all purchases then keep their record).
  var hasReturn: Bool { baskets.contains { $0.kind == .return } }

  /// ``EvaluationOptions/purchasesKeepingRecords(in:)`` of the events, from the baskets: no
  /// event is made, only the originals the returns name.
  func purchasesKeepingRecords(bytes: EncodedBytes) -> Set<String>? {
    var purchases = 0
    var returned: Set<String> = []
    for basket in baskets {
      switch basket.kind {
      case .purchase: purchases += 1
      case .return: returned.insert(bytes.string(basket.originalTxn))
      default: break
      }
    }
    return EvaluationOptions.purchasesKeepingRecords(purchases: purchases, returned: returned)
  }

  /// The `index`th event (the signup first, then the baskets in order), with its line items
  /// made from its rows, as `EventBuilder.events(rows:…)` makes it; `bytes` and `rows` are
  /// those `build` was given, `currency` the program's.
  func event(_ index: Int, bytes: EncodedBytes, rows: UnsafeBufferPointer<UInt32>, currency: Currency, strings: inout StringTable)
    -> Event {
    var k = index
    if let signup {
      if k == 0 { return Event(kind: .signup, id: "signup", time: signup) }
      k -= 1
    }
    let basket = baskets[k]
    let hasLines = basket.kind == .purchase || basket.kind == .return
    var lines: [LineItem] = []
    var store: String?
    var channel: String?
    var first = true
    var r = Int(basket.firstRow)
    while r >= 0 {
      var offset = Int(rows[r])
      r = Int(nextRow[r])
      guard let row = RowCodec.decodeInPlace(bytes.buffer, offset: &offset) else { continue }
      if first {
        // The basket's first row: its store and channel are the event's.
        first = false
        store = row.store.isEmpty ? nil : strings.string(row.store, in: bytes)
        channel = row.channel.isEmpty ? nil : strings.string(row.channel, in: bytes)
        if !hasLines { break }
      }
      guard hasLines, row.quantity > 0 else { continue }
      EventBuilder.appendLines(of: row, sku: strings.string(row.sku, in: bytes), category: strings.string(row.category, in: bytes),
                               currency: currency, to: &lines)
    }
    let (kind, eventID) = EventBuilder.kindAndID(of: basket.kind, seq: basket.seq, txn: basket.txn, originalTxn: basket.originalTxn,
                                                 name: basket.name, bytes: bytes, strings: &strings)
    return Event(kind: kind, id: eventID, time: Instant(secondsSince1970: basket.time), lines: lines, store: store, channel: channel)
  }
}

/// The events of a partition's customers, one customer at a time, each made only as the run
/// reaches it (``CustomerRun/run(_:credits:)`` given these) and made again for a replay: the
/// run holds one event and its line items at a time, not a long customer's every one.
///
/// A chunk of customers uses one of these (its arrays and string table keep their storage
/// from customer to customer), moved into each customer's run and back out.
struct CustomerEvents {
  let groups: CustomerGroups
  /// The program's currency (of the line items' prices).
  let currency: Currency
  /// The customer (by index in `groups.ids`) whose baskets `baskets` holds.
  private(set) var customer = 0
  private(set) var baskets = EncodedBaskets()
  /// One string per repeated text of the partition (``StringTable``).
  var strings = StringTable()

  init(groups: CustomerGroups, currency: Currency) {
    self.groups = groups
    self.currency = currency
  }

  /// The number of events of the customer.
  var count: Int { baskets.count }

  /// Finds the baskets of the customer at `customer` in `groups.ids`; returns the rows outside
  /// the period, or nil when their texts must be matched as strings (`EventBuilder.events(rows:…)`).
  mutating func build(customer: Int, profile: Customer, program: Program, start: Instant, end: Instant) -> Int64? {
    self.customer = customer
    return groups.withEncodedRows(of: customer) { bytes, rows in
      baskets.build(bytes: bytes, rows: rows, customer: profile, program: program, start: start, end: end)
    }
  }

  /// ``EncodedBaskets/purchasesKeepingRecords(bytes:)`` of the customer's baskets.
  func purchasesKeepingRecords() -> Set<String>? {
    groups.withEncodedRows(of: customer) { bytes, _ in baskets.purchasesKeepingRecords(bytes: bytes) }
  }

  /// The customer's `index`th event, made from their rows.
  mutating func event(_ index: Int) -> Event {
    groups.withEncodedRows(of: customer) { bytes, rows in baskets.event(index, bytes: bytes, rows: rows, currency: currency, strings: &strings) }
  }
}
