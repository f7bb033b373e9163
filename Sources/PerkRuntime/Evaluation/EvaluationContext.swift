/// What a compiled condition can read while one event is evaluated.
///
/// Basket quantities describe the event (amounts after free items); history
/// quantities describe the account before the event. `nil` means a value is missing
/// (no previous purchase, no birthday): every comparison with it is false.
///
/// A class: compiled conditions take it as an argument, and a struct of this many references
/// was copied (each field retained and released) on every condition called.
package final class EvaluationContext {
  let program: Program
  let lines: [BasketLine]
  let today: LocalDate
  let date: (year: Int, month: Int, day: Int)
  package let minuteOfDay: Int
  package let weekday: Int
  package let customer: Customer
  package let store: String?
  package let channel: String?
  package let tierIndex: Int?
  /// Whether the event is a purchase (it then adds a visit, spend and a purchase).
  package let isPurchase: Bool
  // What conditions read of the account (not the whole `WorkingState`: copying it into every
  // context retained a dozen arrays).
  let lastPurchase: LocalDate?
  let purchaseCount: Int64
  let balances: [Int64]
  let stamps: [Int64]
  let ledger: ArraySlice<AccountState.LedgerDay>
  let triggers: TriggerState
  /// The history as a purchase's record kept it, when a return evaluates that purchase again.
  let frozen: FrozenHistory?

  init(program: Program, lines: [BasketLine], today: LocalDate, date: (year: Int, month: Int, day: Int), minuteOfDay: Int,
       weekday: Int, customer: Customer, store: String?, channel: String?, working: borrowing WorkingState, tierIndex: Int?,
       isPurchase: Bool, frozen: FrozenHistory? = nil) {
    self.frozen = frozen
    self.program = program
    self.lines = lines
    self.today = today
    self.date = date
    self.minuteOfDay = minuteOfDay
    self.weekday = weekday
    self.customer = customer
    self.store = store
    self.channel = channel
    self.tierIndex = tierIndex
    self.isPurchase = isPurchase
    lastPurchase = working.lastPurchase
    purchaseCount = working.purchaseCount
    balances = working.balances
    stamps = working.stamps
    ledger = working.ledger
    triggers = working.triggers
  }

  package var dayNumber: Int64 { today.dayNumber }
  package var month: Int { date.month }
  package var dayOfMonth: Int { date.day }
  package var birthdayMonth: Int? { customer.birthday?.components.month }
  package var signupDayNumber: Int64? { customer.signupDate?.dayNumber }
  package var segment: String? { customer.segment }
  package var daysSinceLastPurchase: Int64? { lastPurchase.map { today.dayNumber - $0.dayNumber } }
  package var daysSinceSignup: Int64? { customer.signupDate.map { today.dayNumber - $0.dayNumber } }
  package var purchasesSoFar: Int64 { purchaseCount }

  /// Net amount paid for the lines matching a filter (all lines for nil), in minor units.
  package func basketTotal(filter: Int?) -> Int64 {
    var total: Int64 = 0
    for line in lines where line.matches(filter) { total &+= line.netMinor }
    return total
  }

  /// Units in the lines matching a filter.
  package func basketItems(filter: Int?) -> Int64 {
    var total: Int64 = 0
    for line in lines where line.matches(filter) { total &+= line.quantity }
    return total
  }

  package func balance(currency: Int) -> Int64 { balances[currency] }
  package func stamps(card: Int) -> Int64 { stamps[card] }
  package func spend(window: Int) -> Int64 {
    if let figures = frozen?.windows[window] { return figures.spend }
    return WorkingState.sum(ledger, program.windows[window], today: today).spend
  }
  package func visits(window: Int) -> Int64 {
    if let figures = frozen?.windows[window] { return figures.visits }
    return WorkingState.sum(ledger, program.windows[window], today: today).visits
  }
}

/// The history a purchase's conditions read, as its record kept it (``PurchaseContext``):
/// figures by window id (nil for a window the record did not keep, read from the ledger).
struct FrozenHistory {
  var windows: [(spend: Int64, visits: Int64)?]
  var visitedToday: Bool
}

/// One basket line during evaluation: its filter bits and the amounts after free items.
struct BasketLine {
  var sku: String
  var unitMinor: Int64
  var quantity: Int64
  var freeUnits: Int64 = 0
  var grossMinor: Int64
  var netMinor: Int64
  var filterBits: FilterBits

  func matches(_ filter: Int?) -> Bool {
    guard let filter else { return true }
    return filterBits.contains(filter)
  }
}

/// Which of the program's filters a basket line matches, one bit each. Programs rarely have more
/// than 64 filters, so the first 64 bits are kept inline and a line costs no allocation.
struct FilterBits {
  var low: UInt64 = 0
  /// Filters 64 and up, 64 per word (empty for most programs).
  var high: [UInt64] = []

  func contains(_ filter: Int) -> Bool {
    filter < 64 ? low & (1 << UInt64(filter)) != 0 : high[(filter >> 6) - 1] & (1 << UInt64(filter & 63)) != 0
  }
}

extension Program {
  /// The filters a line of this category and SKU matches (negated filters included).
  func filterBits(category: String, sku: String) -> FilterBits {
    // A filter reads either the category or the SKU, so the two match sets never share a bit.
    var bits = FilterBits(low: negatedFilters.first ?? 0)
    if negatedFilters.count > 1 { bits.high = Array(negatedFilters[1...]) }
    func add(_ match: [UInt64]?) {
      guard let match, !match.isEmpty else { return }
      bits.low ^= match[0]
      for i in match.indices.dropFirst() { bits.high[i - 1] ^= match[i] }
    }
    if !categoryMatches.isEmpty { add(categoryMatches[category]) }
    if !skuMatches.isEmpty { add(skuMatches[sku]) }
    return bits
  }
}
