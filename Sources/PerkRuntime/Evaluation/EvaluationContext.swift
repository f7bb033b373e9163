/// What a compiled condition can read while one event is evaluated.
///
/// Basket quantities describe the event (amounts after free items); history
/// quantities describe the account before the event. `nil` means a value is missing
/// (no previous purchase, no birthday): every comparison with it is false.
///
/// A class: compiled conditions take it as an argument, and a struct of this many references
/// was copied (each field retained and released) on every condition called.
///
/// The plan keeps one per account and lends the account's values into it for each purchase
/// (``lend(lines:working:customer:store:channel:today:minuteOfDay:tierIndex:)``): a context made
/// for every purchase cost an allocation and two dozen retains and releases. Unchecked
/// `Sendable`: copies of an account share the reused one, but an account lends into it only
/// while it holds the only reference (``EvaluationBuffers/takeConditionContext(for:)``). Its
/// fields are `@exclusivity(unchecked)`: they change only in `lend` and `giveBack`, while no
/// condition reads them, and checked, every read of a condition and every swap paid a dynamic
/// access check (seven a purchase, 530 instructions).
package final class EvaluationContext: @unchecked Sendable {
  @exclusivity(unchecked) private(set) var program: Program
  @exclusivity(unchecked) private(set) var lines: [BasketLine]
  @exclusivity(unchecked) private(set) var today: LocalDate
  @exclusivity(unchecked) private(set) var date: (year: Int, month: Int, day: Int)
  @exclusivity(unchecked) package private(set) var minuteOfDay: Int
  @exclusivity(unchecked) package private(set) var weekday: Int
  // What conditions read of the customer (a whole `Customer` copied its id, attributes and
  // time zone into every purchase's context).
  @exclusivity(unchecked) package private(set) var birthday: LocalDate?
  @exclusivity(unchecked) package private(set) var signupDate: LocalDate?
  @exclusivity(unchecked) package private(set) var segment: String?
  @exclusivity(unchecked) package private(set) var isReferred = false
  @exclusivity(unchecked) package private(set) var store: String?
  @exclusivity(unchecked) package private(set) var channel: String?
  @exclusivity(unchecked) package private(set) var tierIndex: Int?
  /// Whether the event is a purchase (it then adds a visit, spend and a purchase).
  @exclusivity(unchecked) package private(set) var isPurchase: Bool
  // What conditions read of the account (not the whole `WorkingState`: copying it into every
  // context retained a dozen arrays).
  @exclusivity(unchecked) private(set) var lastPurchase: LocalDate?
  @exclusivity(unchecked) private(set) var purchaseCount: Int64
  @exclusivity(unchecked) private(set) var balances: [Int64]
  @exclusivity(unchecked) private(set) var stamps: [Int64]
  @exclusivity(unchecked) private(set) var ledger: ArraySlice<AccountState.LedgerDay>
  @exclusivity(unchecked) private(set) var triggers: TriggerState
  /// The history as a purchase's record kept it, when a return evaluates that purchase again.
  @exclusivity(unchecked) private(set) var frozen: FrozenHistory?

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
    read(customer)
  }

  /// A context to lend values into, describing nothing until then.
  init(reusableFor program: Program) {
    self.program = program
    lines = []
    today = LocalDate(dayNumber: 0)
    date = (0, 0, 0)
    minuteOfDay = 0
    weekday = 0
    isPurchase = true
    purchaseCount = 0
    balances = []
    stamps = []
    ledger = []
    triggers = TriggerState()
  }

  /// Makes this context describe a purchase of `working`'s account on `today`: the lines and
  /// the account's arrays are moved in (swapped, not copied or retained) until
  /// ``giveBack(lines:working:)``, which must follow before either is used again.
  func lend(lines: inout [BasketLine], working: inout WorkingState, customer: Customer, store: String?, channel: String?,
            today: LocalDate, minuteOfDay: Int, tierIndex: Int?) {
    exchange(lines: &lines, working: &working)
    lastPurchase = working.lastPurchase
    purchaseCount = working.purchaseCount
    read(customer)
    // Most purchases have neither: an optional string is assigned through its generic value
    // witness (90 instructions), so only when one is set.
    if store != nil || self.store != nil { self.store = store }
    if channel != nil || self.channel != nil { self.channel = channel }
    self.today = today
    date = today.components
    weekday = today.weekday
    self.minuteOfDay = minuteOfDay
    self.tierIndex = tierIndex
    isPurchase = true
    frozen = nil
  }

  private func read(_ customer: Customer) {
    birthday = customer.birthday
    signupDate = customer.signupDate
    segment = customer.segment
    isReferred = customer.referredBy.map { !$0.isEmpty } ?? false
  }

  /// Moves back what ``lend(lines:working:customer:store:channel:today:minuteOfDay:tierIndex:)`` lent.
  func giveBack(lines: inout [BasketLine], working: inout WorkingState) {
    exchange(lines: &lines, working: &working)
  }

  private func exchange(lines: inout [BasketLine], working: inout WorkingState) {
    swap(&self.lines, &lines)
    swap(&balances, &working.balances)
    swap(&stamps, &working.stamps)
    swap(&triggers, &working.triggers)
    // The ledger's `didSet` drops the tier window's running sum; lending changes no day in it.
    let running = working.tierWindow
    swap(&ledger, &working.ledger)
    working.tierWindow = running
  }

  package var dayNumber: Int64 { today.dayNumber }
  package var month: Int { date.month }
  package var dayOfMonth: Int { date.day }
  package var birthdayMonth: Int? { birthday?.components.month }
  package var signupDayNumber: Int64? { signupDate?.dayNumber }
  package var daysSinceLastPurchase: Int64? { lastPurchase.map { today.dayNumber - $0.dayNumber } }
  package var daysSinceSignup: Int64? { signupDate.map { today.dayNumber - $0.dayNumber } }
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
