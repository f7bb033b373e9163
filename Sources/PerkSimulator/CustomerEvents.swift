import PerkRuntime

/// One customer's baskets found in a partition's encoded rows, in event order, each row read
/// once: a basket keeps where its texts and rows are, each row what it adds to the lines
/// (``RowLine``), and its event (with its line items) is made from those when asked
/// (``event(_:bytes:currency:strings:)``) — or, for a purchase the plan takes, the plan's basket
/// (``fill(_:with:id:strings:filters:program:)``), with no event made.
///
/// A customer with ten years of purchases had every event and line item made at once, for the
/// whole of their run: the largest part of the heap after the partition, and growing with rows
/// per customer. The descriptors are a few words a basket and five a row.
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
    /// The first row's store and channel, as numbers of the table `build` was given (-1: none).
    var store: Int32
    var channel: Int32
  }

  /// What a purchase or return row adds to its basket's lines: its SKU and category as numbers
  /// of the table `build` was given, and its amount split into unit prices
  /// (``EventBuilder/LineSplit``). A row that adds no line has a quantity of zero.
  struct RowLine {
    var sku: Int32
    var category: Int32
    var split: EventBuilder.LineSplit
  }

  /// The baskets, ordered by time (ties in file order) once `build` is done.
  private(set) var baskets: [Basket] = []
  /// By row: the next row of the same basket, or -1 (also for rows in no basket).
  private var nextRow: [Int32] = []
  /// By row: the lines it adds to its basket, read once by `build` (the rows are not decoded
  /// again to make an event or a planned basket).
  private var rowLines: [RowLine] = []
  /// The signup event's time when it is in the period: it comes first.
  private(set) var signup: Instant?

  /// The number of events: the signup (if any) and the baskets.
  var count: Int { baskets.count + (signup == nil ? 0 : 1) }

  /// Finds the baskets of one customer's encoded rows (`rows`: where each starts in `bytes`,
  /// in file order), as `EventBuilder.events(encoded:…)` groups them; what the baskets held
  /// before is replaced, their storage kept. Repeated texts (SKUs, categories, stores,
  /// channels) are numbered in `strings`, which must be the table later calls are given.
  /// Returns the number of rows outside the period, or nil (with no baskets) when a
  /// transaction, original transaction or name is not plain ASCII.
  mutating func build(bytes: EncodedBytes, rows: UnsafeBufferPointer<UInt32>, customer: Customer, program: Program,
                      start: Instant, end: Instant, strings: inout StringTable) -> Int64? {
    baskets.removeAll(keepingCapacity: true)
    nextRow.removeAll(keepingCapacity: true)
    rowLines.removeAll(keepingCapacity: true)
    signup = nil
    var keys = BasketIndex()
    var outside: Int64 = 0
    let (start, end) = EventBuilder.bounds(start: start, end: end, customer: customer, program: program)
    let noLine = RowLine(sku: -1, category: -1, split: EventBuilder.LineSplit(quantity: 0, unitMinor: 0, extraUnits: 0))
    var row = EncodedRow.empty
    // The texts of the last line's SKU and category and their numbers (an empty text is -1).
    var lastSKU = (range: 0..<0, number: Int32(-1))
    var lastCategory = (range: 0..<0, number: Int32(-1))
    for index in rows.indices {
      nextRow.append(-1)
      rowLines.append(noLine)
      var offset = Int(rows[index])
      guard RowCodec.decodeInPlace(bytes.buffer, offset: &offset, into: &row) else { continue }
      guard row.time >= start.secondsSince1970, row.time < end.secondsSince1970 else { outside += 1; continue }
      guard bytes.isASCII(row.txn), bytes.isASCII(row.originalTxn), bytes.isASCII(row.name) else {
        baskets.removeAll(keepingCapacity: true)
        return nil
      }
      if row.kind == .purchase || row.kind == .return, row.quantity > 0 {
        // A customer's rows mostly repeat the previous row's category and often its SKU: the
        // bytes compared in place cost a fraction of the table's hash and probe.
        if !bytes.same(row.sku, lastSKU.range) { lastSKU = (row.sku, strings.number(row.sku, in: bytes)) }
        if !bytes.same(row.category, lastCategory.range) {
          lastCategory = (row.category, strings.number(row.category, in: bytes))
        }
        rowLines[index] = RowLine(sku: lastSKU.number, category: lastCategory.number, split: EventBuilder.LineSplit(row))
      }
      let key = BasketIndex.Key(kind: row.kind, txn: row.txn, originalTxn: row.originalTxn, name: row.name)
      let (found, hash) = keys.find(key, in: bytes, count: baskets.count) { k in
        BasketIndex.Key(kind: baskets[k].kind, txn: baskets[k].txn, originalTxn: baskets[k].originalTxn, name: baskets[k].name)
      }
      if let target = found {
        nextRow[Int(baskets[target].lastRow)] = Int32(index)
        baskets[target].lastRow = Int32(index)
        continue
      }
      baskets.append(Basket(time: row.time, seq: row.seq, txn: row.txn, originalTxn: row.originalTxn, name: row.name, kind: row.kind,
                            firstRow: Int32(index), lastRow: Int32(index), store: strings.number(row.store, in: bytes),
                            channel: strings.number(row.channel, in: bytes)))
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

  /// The basket of the `index`th event (the signup first, then the baskets in order); nil for
  /// the signup.
  func basket(ofEvent index: Int) -> Basket? {
    let k = signup == nil ? index : index - 1
    return k >= 0 ? baskets[k] : nil
  }

  /// The `index`th event (the signup first, then the baskets in order), with its line items
  /// made from its rows, as `EventBuilder.events(rows:…)` makes it; `bytes` are those `build`
  /// was given and `strings` the table, `currency` the program's.
  func event(_ index: Int, bytes: EncodedBytes, currency: Currency, strings: inout StringTable) -> Event {
    guard let basket = basket(ofEvent: index) else { return Event(kind: .signup, id: "signup", time: signup!) }
    var lines: [LineItem] = []
    if basket.kind == .purchase || basket.kind == .return {
      forEachLine(of: basket) { line in
        EventBuilder.appendLines(line.split, sku: strings.string(number: line.sku), category: strings.string(number: line.category),
                                 currency: currency, to: &lines)
      }
    }
    let (kind, eventID) = EventBuilder.kindAndID(of: basket.kind, seq: basket.seq, txn: basket.txn, originalTxn: basket.originalTxn,
                                                 name: basket.name, bytes: bytes, strings: &strings)
    return Event(kind: kind, id: eventID, time: Instant(secondsSince1970: basket.time), lines: lines,
                 store: basket.store < 0 ? nil : strings.string(number: basket.store),
                 channel: basket.channel < 0 ? nil : strings.string(number: basket.channel))
  }

  /// Fills `planned` with the purchase `basket` (its `id` made by the caller), the lines'
  /// filter bits from `filters`: no ``Event`` or line item is made.
  func fill(_ planned: inout PlannedBasket, with basket: Basket, id: String, strings: StringTable, filters: inout LineFilterCache,
            program: Program) {
    planned.start(id: id, time: Instant(secondsSince1970: basket.time),
                  store: basket.store < 0 ? nil : strings.string(number: basket.store),
                  channel: basket.channel < 0 ? nil : strings.string(number: basket.channel))
    forEachLine(of: basket) { line in
      let sku = strings.string(number: line.sku)
      let lineFilters = filters.filters(sku: line.sku, category: line.category, strings: strings, program: program)
      line.split.forEachLine { quantity, unitMinor in
        planned.appendLine(sku: sku, filters: lineFilters, unitMinor: unitMinor, quantity: quantity)
      }
    }
    planned.finishLines(currency: program.currency)
  }

  /// Calls `body` with the category and SKU of each of a basket's lines (a line split in two
  /// unit prices once per row), in the order its event's lines have.
  func forEachLineName(of basket: Basket, strings: StringTable, _ body: (_ category: String, _ sku: String) -> Void) {
    forEachLine(of: basket) { line in body(strings.string(number: line.category), strings.string(number: line.sku)) }
  }

  /// Calls `body` with each row of `basket` that adds lines, in file order.
  private func forEachLine(of basket: Basket, _ body: (RowLine) -> Void) {
    var r = Int(basket.firstRow)
    while r >= 0 {
      let line = rowLines[r]
      r = Int(nextRow[r])
      if line.split.quantity > 0 { body(line) }
    }
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
  /// The filter bits of each category and SKU of `strings` seen in a planned basket.
  private var filters = LineFilterCache()

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
      baskets.build(bytes: bytes, rows: rows, customer: profile, program: program, start: start, end: end, strings: &strings)
    }
  }

  /// ``EncodedBaskets/purchasesKeepingRecords(bytes:)`` of the customer's baskets.
  func purchasesKeepingRecords() -> Set<String>? {
    groups.withEncodedRows(of: customer) { bytes, _ in baskets.purchasesKeepingRecords(bytes: bytes) }
  }

  /// The customer's `index`th event, made from their rows.
  mutating func event(_ index: Int) -> Event {
    groups.withEncodedRows(of: customer) { bytes, _ in baskets.event(index, bytes: bytes, currency: currency, strings: &strings) }
  }

  /// The basket of the customer's `index`th event when that event is a purchase.
  func purchase(_ index: Int) -> EncodedBaskets.Basket? {
    guard let basket = baskets.basket(ofEvent: index), basket.kind == .purchase else { return nil }
    return basket
  }

  /// The id of the event of a purchase basket (what ``event(_:)`` gives it).
  func purchaseID(_ basket: EncodedBaskets.Basket) -> String {
    groups.withEncodedRows(of: customer) { bytes, _ in EventBuilder.purchaseID(seq: basket.seq, txn: basket.txn, bytes: bytes) }
  }

  /// Fills `planned` with a purchase basket of the customer, its id `id` (``purchaseID(_:)``).
  mutating func fill(_ planned: inout PlannedBasket, with basket: EncodedBaskets.Basket, id: String, program: Program) {
    baskets.fill(&planned, with: basket, id: id, strings: strings, filters: &filters, program: program)
  }

  /// Shows `ledger` the category and SKU of each line of a basket of the customer
  /// (``FigureLedger/see(category:sku:)``).
  func seeLineNames(of basket: EncodedBaskets.Basket, in ledger: inout FigureLedger) {
    baskets.forEachLineName(of: basket, strings: strings) { category, sku in ledger.see(category: category, sku: sku) }
  }
}
