import PerkRuntime

/// Turns one customer's rows into events: rows of one transaction form one basket, a row
/// without a transaction id is its own basket; events are ordered by time, ties in file order.
enum EventBuilder {
  static func events(rows: [HistoryRow], customer: Customer, program: Program, start: Instant, end: Instant)
    -> (events: [Event], outside: Int64) {
    let built = ordered(rows: rows, customer: customer, program: program, start: start, end: end)
    return (built.events.map(\.event), built.outside)
  }

  /// The key of the basket a row belongs to: its transaction (with kind, original and name), or the row alone.
  static func basketKey(_ row: HistoryRow) -> String {
    row.txn.isEmpty ? "#\(row.seq)" : "\(row.kind.rawValue)|\(row.txn)|\(row.originalTxn)|\(row.name)"
  }

  /// The events with their place in the file (the first row's sequence number; -1 for signup),
  /// for ordering several customers' events together. `signup: false` leaves the signup out.
  static func ordered(rows: [HistoryRow], customer: Customer, program: Program, start: Instant, end: Instant, signup: Bool = true)
    -> (events: [(event: Event, seq: Int64)], outside: Int64) {
    struct Basket {
      var kind: RowKind
      var key: String
      var time: Instant
      var seq: Int64
      var lines: [LineItem]
      var row: HistoryRow
    }
    var baskets: [Basket] = []
    var index: [String: Int] = [:]
    var outside: Int64 = 0
    for row in rows {
      guard row.time >= start, row.time < end else { outside += 1; continue }
      let key = basketKey(row)
      let lines = (row.kind == .purchase || row.kind == .return) ? row.lines(currency: program.currency) : []
      if let existing = index[key], !row.txn.isEmpty {
        baskets[existing].lines.append(contentsOf: lines)
      } else {
        index[key] = baskets.count
        baskets.append(Basket(kind: row.kind, key: key, time: row.time, seq: row.seq, lines: lines, row: row))
      }
    }
    var events: [(event: Event, seq: Int64)] = []
    events.reserveCapacity(baskets.count + 1)
    if signup, let day = customer.signupDate {
      let time = program.timeZone.instant(of: day, secondOfDay: 0)
      if time >= start, time < end { events.append((Event(kind: .signup, id: "signup", time: time), -1)) }
    }
    baskets.sort { $0.time != $1.time ? $0.time < $1.time : $0.seq < $1.seq }
    for basket in baskets {
      let row = basket.row
      let id = row.txn.isEmpty ? "line-\(row.seq)" : row.txn
      let store: String? = row.store.isEmpty ? nil : row.store
      let channel: String? = row.channel.isEmpty ? nil : row.channel
      let kind: Event.Kind
      switch basket.kind {
      case .purchase: kind = .purchase
      case .return: kind = .return(original: row.originalTxn)
      case .redeem: kind = .redemption(reward: row.name)
      case .custom: kind = .custom(row.name)
      case .signup: kind = .signup
      }
      // A return or redemption needs an id of its own: the purchase's id would be a duplicate.
      let eventID = basket.kind == .purchase || row.txn.isEmpty ? id : "\(id)~\(basket.kind == .return ? "return" : basket.kind == .redeem ? "redeem" : "event")"
      events.append((Event(kind: kind, id: eventID, time: basket.time, lines: basket.lines, store: store, channel: channel), basket.seq))
    }
    return (events, outside)
  }
}
