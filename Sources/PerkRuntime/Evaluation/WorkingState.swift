/// The account state with names resolved to the program's indexes, for one evaluation.
struct WorkingState {
  var balances: [Int64]
  var stamps: [Int64]
  var keptUntil: [LocalDate?]
  /// Daily spend and visits, oldest first: a slice, so that the day leaving the window each
  /// day is dropped without moving the others.
  var ledger: ArraySlice<AccountState.LedgerDay> {
    // Any change but a purchase's own (which sets the sum again after it) may have
    // changed a day inside the window: returns, pruning, days out of order, a restored state.
    didSet { tierWindow = nil }
  }
  /// The running sum of the tier window over `ledger` that purchases keep, in the plan and in
  /// the general run (see ``TierWindowSum``); nil when it must be read from the ledger again.
  var tierWindow: TierWindowSum?
  /// What counts toward status when the tiers have a filter (see ``tierSum(_:today:)``).
  var tierLedger: ArraySlice<AccountState.LedgerDay> = []
  var purchaseCount: Int64
  var lastPurchase: LocalDate?
  var ruleAwards: [[LocalDate]]
  var tier: String?
  /// The most recent transaction ids, oldest first (chunked, for the same reasons as `records`).
  var recentTransactions: ChunkedQueue<String>
  var rebates: [RebateAccount]
  var lots: [PointsLot]
  /// Purchase records for returns, oldest first (see ``ChunkedQueue``: dropping the oldest
  /// moves none of the others, and a copy that adds one copies one chunk).
  var records: ChunkedQueue<TransactionRecord>
  /// False while the records are in day order (as events in time order leave them), so that
  /// dropping the old ones looks only at the head instead of every record on every purchase.
  var recordsOutOfOrder = false
  var processedThrough: LocalDate?
  var capUsage: [String: [AccountState.CapUsage]]
  var triggers: TriggerState

  /// No values at all: what an account holds while an evaluation has its values.
  static let empty = WorkingState(balances: [], stamps: [], keptUntil: [], ledger: [], purchaseCount: 0, lastPurchase: nil,
                                  ruleAwards: [], tier: nil, recentTransactions: ChunkedQueue(), rebates: [], lots: [], records: ChunkedQueue(),
                                  processedThrough: nil, capUsage: [:], triggers: TriggerState())

  private init(balances: [Int64], stamps: [Int64], keptUntil: [LocalDate?], ledger: ArraySlice<AccountState.LedgerDay>, purchaseCount: Int64,
               lastPurchase: LocalDate?, ruleAwards: [[LocalDate]], tier: String?, recentTransactions: ChunkedQueue<String>,
               rebates: [RebateAccount], lots: [PointsLot], records: ChunkedQueue<TransactionRecord>, processedThrough: LocalDate?,
               capUsage: [String: [AccountState.CapUsage]], triggers: TriggerState) {
    self.balances = balances
    self.stamps = stamps
    self.keptUntil = keptUntil
    self.ledger = ledger
    self.purchaseCount = purchaseCount
    self.lastPurchase = lastPurchase
    self.ruleAwards = ruleAwards
    self.tier = tier
    self.recentTransactions = recentTransactions
    self.rebates = rebates
    self.lots = lots
    self.records = records
    self.processedThrough = processedThrough
    self.capUsage = capUsage
    self.triggers = triggers
  }

  init(_ state: AccountState, program: Program) {
    balances = program.points.map { state.balances[$0.name] ?? 0 }
    stamps = program.cards.map { state.stamps[$0.name] ?? 0 }
    keptUntil = (program.tiers?.levels ?? []).map { state.tierKeptUntil[$0.name] }
    ledger = state.ledger[...]
    // Kept only while the tiers count some lines: under a program that counts every line it
    // would never be read again.
    tierLedger = program.tiers?.filter == nil ? [] : state.tierLedger[...]
    purchaseCount = state.purchaseCount
    lastPurchase = state.lastPurchase
    ruleAwards = program.rules.map { state.ruleAwards[$0.name] ?? [] }
    tier = state.tier
    recentTransactions = state.recentTransactionQueue
    rebates = program.rebates.map { state.rebates[$0.name] ?? RebateAccount() }
    lots = state.lots
    records = state.recordQueue
    recordsOutOfOrder = !WorkingState.inDayOrder(records)
    processedThrough = state.processedThrough
    capUsage = state.capUsage
    triggers = state.triggers
  }

  /// A new customer's values: `init(AccountState(), program:)` without the look-ups by name.
  init(newIn program: Program) {
    self.init(balances: Array(repeating: 0, count: program.points.count), stamps: Array(repeating: 0, count: program.cards.count),
              keptUntil: Array(repeating: nil, count: program.tiers?.levels.count ?? 0), ledger: [], purchaseCount: 0,
              lastPurchase: nil, ruleAwards: Array(repeating: [], count: program.rules.count), tier: nil,
              recentTransactions: ChunkedQueue(), rebates: Array(repeating: RebateAccount(), count: program.rebates.count), lots: [],
              records: ChunkedQueue(), processedThrough: nil, capUsage: [:], triggers: TriggerState())
  }


  /// Writes the working values back under their names into the state the account was made
  /// from, keeping entries the program does not know.
  func accountState(base: AccountBase, program: Program) -> AccountState {
    var state = base.state
    write(into: &state, program: program, written: base.written)
    return state
  }

  /// Writes the working values into `state` under their names, keeping entries the program does
  /// not know. `written`: the values `state` already holds under the program's names (see
  /// ``NamedWorkingValues``); without them each name is looked up.
  func write(into state: inout AccountState, program: Program, written: NamedWorkingValues? = nil) {
    // Only what changed is written: `state`'s dictionaries are usually shared with the stored
    // state the evaluation began from, and the first write to one copies it whole. Specs are
    // read in place by index: a copied spec retains each of its fields.
    for index in program.points.indices
    where written.map({ $0.balances[index] != balances[index] }) ?? (state.balances[program.points[index].name] != balances[index]) {
      state.balances[program.points[index].name] = balances[index]
    }
    for index in program.cards.indices
    where written.map({ $0.stamps[index] != stamps[index] }) ?? (state.stamps[program.cards[index].name] != stamps[index]) {
      state.stamps[program.cards[index].name] = stamps[index]
    }
    if let levels = program.tiers?.levels {
      for index in levels.indices
      where written.map({ $0.keptUntil[index] != keptUntil[index] }) ?? (state.tierKeptUntil[levels[index].name] != keptUntil[index]) {
        state.tierKeptUntil[levels[index].name] = keptUntil[index]
      }
    }
    state.ledger = Array(ledger)
    state.tierLedger = Array(tierLedger)
    state.purchaseCount = purchaseCount
    state.lastPurchase = lastPurchase
    for index in program.rules.indices where !program.rules[index].limits.isEmpty {
      if let written, written.ruleAwards[index] == ruleAwards[index] { continue }
      let awards = ruleAwards[index].isEmpty ? nil : ruleAwards[index]
      if state.ruleAwards[program.rules[index].name] != awards { state.ruleAwards[program.rules[index].name] = awards }
    }
    state.tier = tier
    state.recentTransactionQueue = recentTransactions
    for index in program.rebates.indices {
      if let written, written.rebates[index] == rebates[index] { continue }
      let account = rebates[index] == RebateAccount() ? nil : rebates[index]
      if state.rebates[program.rebates[index].name] != account { state.rebates[program.rebates[index].name] = account }
    }
    state.lots = lots
    state.recordQueue = records
    state.processedThrough = processedThrough
    state.capUsage = capUsage
    state.triggers = triggers
  }

  /// Whether records are in day order.
  static func inDayOrder(_ records: ChunkedQueue<TransactionRecord>) -> Bool {
    records.isSorted { $0.day }
  }

  /// The first day of a window that ends today.
  static func start(of window: WindowSpec, today: LocalDate) -> LocalDate {
    switch window {
    case .lastDays(let n): return today.adding(days: -(n - 1))
    case .lastMonths(let n): return today.adding(months: -n).adding(days: 1)
    case .calendar(.day): return today
    case .calendar(.week): return today.startOfWeek
    case .calendar(.month): return today.startOfMonth
    case .calendar(.year): return today.startOfYear
    case .lastCalendar(let period, let n): return period.start(period.start(of: today), adding: -(n - 1))
    }
  }

  /// The tier measure's spend and visits in the tier window ending today: the tier ledger's
  /// when the tiers count only some lines, else the whole ledger's.
  func tierSum(_ program: Program, today: LocalDate) -> (spend: Int64, visits: Int64) {
    guard let spec = program.tiers, program.windows.indices.contains(spec.window) else { return (0, 0) }
    return WorkingState.sum(spec.filter == nil ? ledger : tierLedger, program.windows[spec.window], today: today)
  }

  /// Adds a purchase's spend to a ledger's day (in day order), and drops the days older than `oldest`.
  /// - Throws: ``EvaluationError`` when the day's spend would overflow (the ledger is unchanged).
  static func record(_ spend: Int64, purchases: Int64, on today: LocalDate, oldest: LocalDate,
                     in ledger: inout ArraySlice<AccountState.LedgerDay>) throws(EvaluationError) {
    if let last = ledger.last, last.date == today {
      let (total, overflow) = last.spend.addingReportingOverflow(spend)
      guard !overflow else { throw EvaluationError("the spend of \(today) overflows: \(last.spend) + \(spend) minor units") }
      ledger[ledger.endIndex - 1].spend = total
      ledger[ledger.endIndex - 1].purchases += purchases
    } else {
      let inOrder = ledger.last.map { $0.date < today } ?? true
      ledger.append(AccountState.LedgerDay(date: today, spend: spend, purchases: purchases))
      if !inOrder { ledger.sort { $0.date < $1.date } }
    }
    // Runs on every purchase: the ledger is in day order, so only its head can be too old.
    while let first = ledger.first, first.date < oldest { ledger.removeFirst() }
  }

  /// Takes a return's refund off a ledger's day (never below zero).
  static func takeBack(_ refund: Int64, on day: LocalDate, from ledger: inout ArraySlice<AccountState.LedgerDay>) {
    guard refund > 0, let d = ledger.firstIndex(where: { $0.date == day }) else { return }
    ledger[d].spend -= min(refund, ledger[d].spend)
  }

  /// `a + b`, held at the largest (or smallest) amount instead of wrapping: a window's spend is
  /// only compared with thresholds, and days of huge baskets must not read as a negative spend.
  static func saturatingSum(_ a: Int64, _ b: Int64) -> Int64 {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? (b > 0 ? .max : .min) : sum
  }

  /// Spend (minor units) and visits (days with a purchase) inside a window ending today.
  func sum(_ window: WindowSpec, today: LocalDate) -> (spend: Int64, visits: Int64) {
    WorkingState.sum(ledger, window, today: today)
  }

  /// The tier window's spend and visits on `today` for the purchase plan and the general run
  /// (`EvaluationRun.runningTierMeasure()`): from the running sum
  /// when it is still valid, moved forward by the days that left the window; else read from the
  /// ledger, and kept as the running sum when the ledger allows one.
  mutating func plannedTierSum(_ window: WindowSpec, today: LocalDate) -> (spend: Int64, visits: Int64) {
    if var running = tierWindow, running.window == window, running.today <= today,
       running.advance(to: today, start: WorkingState.start(of: window, today: today), in: ledger) {
      tierWindow = running
      return running.measure
    }
    tierWindow = TierWindowSum(ledger, window, today: today)
    return tierWindow?.measure ?? WorkingState.sum(ledger, window, today: today)
  }

  /// Spend and visits of a ledger inside a window ending today.
  static func sum(_ ledger: ArraySlice<AccountState.LedgerDay>, _ window: WindowSpec, today: LocalDate) -> (spend: Int64, visits: Int64) {
    let start = WorkingState.start(of: window, today: today)
    // Runs on every purchase over up to a year of days: read in place, newest first.
    return ledger.withUnsafeBufferPointer { days in
      var spend: Int64 = 0
      var visits: Int64 = 0
      var index = days.count
      while index > 0 {
        index -= 1
        let date = days[index].date
        if date < start { break }
        if date > today { continue }
        spend = saturatingSum(spend, days[index].spend)
        if days[index].purchases > 0 { visits += 1 }
      }
      return (spend, visits)
    }
  }
}

/// The tier window's spend and visits kept from one purchase to the next (issue 17): summing up
/// to a year of ledger days on every purchase cost more than the rest of the tier review, where
/// a running sum only takes off the days that left the window and adds the purchase.
///
/// Exact by construction: it is made only over a ledger whose days are all on or before `today`
/// and spend nothing negative, so the sum held wider than `Int64` and clamped gives what
/// ``WorkingState/sum(_:_:today:)`` gives (its saturating sum of amounts that are never negative
/// is the true sum, held at `Int64.max`). Any change to the ledger other than the plan's own
/// append drops it (`WorkingState.ledger`'s `didSet`).
struct TierWindowSum: Equatable {
  let window: WindowSpec
  /// The day the sum is for: every day of the ledger is on or before it.
  private(set) var today: LocalDate
  /// The first day of the window ending `today`.
  private var start: LocalDate
  /// The ledger index of the first day inside the window (the ledger's end when none is).
  private var first: Int
  private var spend: Int128
  private var visits: Int64

  /// The sum read from the ledger, or nil when the ledger has a day after today or a negative spend.
  init?(_ ledger: ArraySlice<AccountState.LedgerDay>, _ window: WindowSpec, today: LocalDate) {
    guard ledger.last.map({ $0.date <= today }) ?? true else { return nil }
    self.window = window
    self.today = today
    start = WorkingState.start(of: window, today: today)
    first = ledger.endIndex
    spend = 0
    visits = 0
    while first > ledger.startIndex, ledger[first - 1].date >= start {
      first -= 1
      guard ledger[first].spend >= 0 else { return nil }
      spend += Int128(ledger[first].spend)
      if ledger[first].purchases > 0 { visits += 1 }
    }
  }

  /// What ``WorkingState/sum(_:_:today:)`` reads for this window.
  var measure: (spend: Int64, visits: Int64) {
    (spend > Int128(Int64.max) ? .max : Int64(spend), visits)
  }

  /// Moves the window to end on `today` (not before the sum's day) on the unchanged ledger: the
  /// days before the new start leave it. False when the start would move back (it never does
  /// for the windows there are, but then the sum is read again).
  mutating func advance(to today: LocalDate, start newStart: LocalDate, in ledger: ArraySlice<AccountState.LedgerDay>) -> Bool {
    guard newStart >= start, first >= ledger.startIndex, first <= ledger.endIndex else { return false }
    while first < ledger.endIndex, ledger[first].date < newStart {
      spend -= Int128(ledger[first].spend)
      if ledger[first].purchases > 0 { visits -= 1 }
      first += 1
    }
    self.today = today
    start = newStart
    return true
  }

  /// The sum after a purchase of `paid` on its `today` was recorded in `ledger` (as the last
  /// day), which may have dropped days older than the ledger's horizon; nil when it must be
  /// read again (a day inside the window was dropped, or the spend was negative).
  func recording(_ paid: Int64, visitedBefore: Bool, in ledger: ArraySlice<AccountState.LedgerDay>) -> TierWindowSum? {
    guard paid >= 0, first >= ledger.startIndex, ledger.last?.date == today else { return nil }
    var next = self
    next.spend += Int128(paid)
    if !visitedBefore { next.visits += 1 }
    return next
  }
}
