import PerkRuntime

/// One customer of a session: the profile the program reads and the account it keeps.
struct CustomerAccount: Equatable {
  var customer: Customer
  var state: AccountState
  /// The tier given with `:customer NAME tier gold`, for `:save` (the state already holds it).
  var startingTier: String?
}

/// A purchase the session remembers so `return T3 latte` can find what was bought and paid.
struct RecordedPurchase: Equatable {
  var customer: String
  var lines: [LineItem]
  /// Units already returned (by accepted returns), by SKU.
  var returned: [String: Int64] = [:]

  /// What is left to return: the lines minus units already returned.
  var remaining: [LineItem] {
    var left = returned
    return lines.compactMap { line in
      var item = line
      let back = min(item.quantity, left[line.sku] ?? 0)
      left[line.sku, default: 0] -= back
      item.quantity -= back
      return item.quantity > 0 ? item : nil
    }
  }
}

/// The last event's outcome, for `:explain`.
struct LastOutcome: Equatable {
  var customer: String
  var input: String
  var event: Event?
  var outcome: Outcome
}

/// Everything a session changes as events happen: what `:undo` restores and `:reset` clears.
///
/// A value: each history entry keeps the world as it was before it, so undo is exact.
struct World: Equatable {
  /// Customers by name, and the order they were introduced in.
  var accounts: [String: CustomerAccount] = [:]
  var order: [String] = []
  /// The customer events apply to.
  var current: String?
  /// The session's clock: the instant of the next event.
  var clock: Instant
  /// The number of the next transaction id (`T1`, `T2`, …).
  var nextTransaction = 1
  var purchases: [String: RecordedPurchase] = [:]
  /// Each SKU bought so far with its latest category and price, so `buy latte` can omit them.
  var skus: [String: (category: String, price: Money)] = [:]
  var last: LastOutcome?

  init(clock: Instant) { self.clock = clock }

  static func == (a: World, b: World) -> Bool {
    a.accounts == b.accounts && a.order == b.order && a.current == b.current && a.clock == b.clock
      && a.nextTransaction == b.nextTransaction && a.purchases == b.purchases && a.last == b.last
      && a.skus.keys.sorted() == b.skus.keys.sorted()
      && a.skus.allSatisfy { key, value in b.skus[key].map { $0.category == value.category && $0.price == value.price } ?? false }
  }
}

/// One step of the session's history: an event or a move of the clock.
struct HistoryEntry: Equatable {
  enum Kind: Equatable {
    /// An event; `id` is its transaction id.
    case event(id: String, event: Event)
    /// The clock moved to `to`; period ends ran for every customer.
    case clock(to: Instant)
  }
  var kind: Kind
  /// The customer the event was for (nil for clock moves).
  var customer: String?
  /// The input as the session understood it (`buy 2 latte @ $4.50 coffee`).
  var text: String
  /// The one-line result (`+9 stars, +2 stamps`).
  var summary: String
  /// The outcome, for `:save` expectations.
  var outcome: Outcome?
  /// The world before this step: what `:undo` restores.
  var before: World
}
