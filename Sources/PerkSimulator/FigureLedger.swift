import PerkRuntime

/// What the customers of one run (a chunk of them, or every customer of a run under budgets)
/// add up, filed under integer ids: the program's currency, tier, reward and rule indexes, a
/// cost kind's place in ``FigureLedger/costKinds``, an award source's number and the month's
/// and day's offsets. ``figures()`` turns it into the name-keyed ``Figures`` once, when the
/// run's figures are handed back: the filing per event and per month end hashes no string and
/// allocates no dictionary (a profile of a sparse history had a tenth of `perk sim` there).
///
/// Filed in any order, any ledger gives the figures the name-keyed filing gave: sums, and a key
/// listed when something was filed under it (even when its sum is zero), as before.
struct FigureLedger {
  /// The report's cost kinds by id: ``AwardCost/kindOrder``, then what messages cost.
  static let costKinds = AwardCost.kindOrder + ["messages"]
  static let messagesKind = costKinds.count - 1

  let program: Program
  /// Counts, and what is filed rarely or has no id (problems, budgets, rebates, messages): by
  /// name, as the result keeps it.
  var named = Figures()
  /// The program's names, read once on first use (an empty ledger, one a run only holds while
  /// another run has its figures, costs no allocation).
  private(set) var layout: Layout?

  /// The program's names in index order.
  struct Layout {
    var currencies: [String]
    /// Per currency: no `worth` is stated, so its points are counted, not costed.
    var unvalued: [Bool]
    var anyUnvalued: Bool
    /// The program's tiers, then `(none)`; empty when the program has no tiers.
    var tiers: [String]
    var rewards: [String]
    var rules: [String]
    var categories: FilterNames
    var skus: FilterNames
  }

  // Award sources (rules, cards, `tiers`, rebates…), numbered as first filed.
  /// Up to this many sources, a source is found by scanning `sources`, not by `sourceIDs`.
  static let sourcesScanned = 16
  private var sourceIDs: [String: Int] = [:]
  private var sources: [String] = []
  /// The source of each ``FiledAward/source`` number seen (-1: not yet).
  private var filedSources: [Int] = []
  private var awardsBySource: [Int64] = []
  private var costByRule: [Int64] = []
  private var costByRuleFiled: [Bool] = []
  /// Points of currencies without a worth, by `source × currencies + currency`.
  private var unvaluedPoints: [Int: Int64] = [:]

  private var costByKind: [Int64] = []
  private var costByKindFiled: [Bool] = []
  private var points: [PointsFlow] = []
  private var pointsFiled: [Bool] = []
  private var outstanding: [Int64] = []
  private var outstandingFiled: [Bool] = []
  private var rewardsRedeemed: [Int64] = []
  private var rewardsRedeemedWorth: [Int64] = []
  /// The rules' decisions, laid out as ``RuleTally/counts``.
  private var ruleTally: [Int64] = []

  /// Cost by local day, one slot per day filed (``RowNumbers``: a chunk's customers spread over
  /// thirty years file a few dozen days, not a slot for each of the 11,000 between).
  private var days = RowNumbers(firstSlots: 256)
  private var dailyCost: [Int64] = []

  /// One row per month filed (a month index, ``CustomerRun/monthIndex(_:)``), in the order
  /// first filed; the per-kind, per-currency and per-tier figures `width` values a row. Only the
  /// months filed have rows: a chunk's ledger had a row for every month from its customers'
  /// first to the period's end, and adding the chunks cost their span, not their customers.
  private var monthRows = RowNumbers()
  private var months: [MonthRow] = []
  private var monthCost: [Int64] = []
  private var monthCostFiled: [Bool] = []
  private var monthPoints: [PointsFlow] = []
  private var monthPointsFiled: [Bool] = []
  /// Month-end snapshots as changes at the first month of each run of months they cover and at
  /// the month after its last: a customer whose account nothing changes for ten years files two
  /// changes, not 120 snapshots. ``figures()`` adds them up month by month.
  private var closingChange: [Int64] = []
  /// Customers with a non-zero balance: a month lists a currency's closing balance when some
  /// customer holds one, even when the balances add up to zero.
  private var holdersChange: [Int64] = []
  private var tierChange: [Int64] = []
  /// Messages by month: rare, and counted by rule and channel names (``MessageCounts``).
  private var monthMessages: [Int: MessageCounts] = [:]

  struct MonthRow {
    var revenue: Int64 = 0
    var transactions: Int64 = 0
    var activeCustomers: Int64 = 0
    /// The change in customers known by the month's end (see `closingChange`).
    var knownChange: Int64 = 0
    /// True when something was filed in the month: it is listed even when every figure is zero.
    var filed = false
  }

  init(program: Program) {
    self.program = program
  }

  var currencyCount: Int { layout?.currencies.count ?? 0 }

  /// Reads the program's names, once.
  mutating func prepare() {
    guard layout == nil else { return }
    let currencies = program.points.map(\.name)
    let unvalued = program.points.map { !$0.worthStated }
    let tierNames = program.tierNames
    layout = Layout(currencies: currencies, unvalued: unvalued, anyUnvalued: unvalued.contains(true),
                    tiers: tierNames.isEmpty ? [] : tierNames + ["(none)"], rewards: program.rewards.map(\.name),
                    rules: program.rules.map(\.name), categories: FilterNames(program.filteredCategories),
                    skus: FilterNames(program.filteredSkus))
    costByKind = Array(repeating: 0, count: Self.costKinds.count)
    costByKindFiled = Array(repeating: false, count: Self.costKinds.count)
    points = Array(repeating: PointsFlow(), count: currencies.count)
    pointsFiled = Array(repeating: false, count: currencies.count)
    outstanding = Array(repeating: 0, count: currencies.count)
    outstandingFiled = Array(repeating: false, count: currencies.count)
    rewardsRedeemed = Array(repeating: 0, count: program.rewards.count)
    rewardsRedeemedWorth = Array(repeating: 0, count: program.rewards.count)
  }

  // MARK: - Ids

  /// The number of an award source (or of the rule a message names): one look-up.
  mutating func source(_ name: String) -> Int {
    // A program has a handful of sources: comparing names (most are small strings, compared
    // as two words) is cheaper than hashing one.
    if sources.count <= Self.sourcesScanned {
      for id in sources.indices where sources[id] == name { return id }
    } else if let id = sourceIDs[name] {
      return id
    }
    sources.append(name)
    sourceIDs[name] = sources.count - 1
    awardsBySource.append(0)
    costByRule.append(0)
    costByRuleFiled.append(false)
    return sources.count - 1
  }

  /// The number of the source of an award by number (``FiledAward/source``): the source its
  /// name has, looked up once per ledger.
  mutating func source(filed number: Int32) -> Int {
    let slot = Int(number)
    if slot < filedSources.count, filedSources[slot] >= 0 { return filedSources[slot] }
    if slot >= filedSources.count { filedSources.append(contentsOf: repeatElement(-1, count: slot + 1 - filedSources.count)) }
    let id = source(program.awardSourceName(number))
    filedSources[slot] = id
    return id
  }

  /// The index of a currency named by an award; nil for one the program does not have.
  func currency(_ name: String) -> Int? {
    layout!.currencies.firstIndex(of: name)
  }

  /// The index of the tier held (nil: none yet) in the snapshots' tiers; nil without tiers.
  func tier(_ name: String?) -> Int? {
    let tiers = layout!.tiers
    guard !tiers.isEmpty else { return nil }
    // A tier the program does not name (none expected) is filed as `(none)` would be: never
    // silently dropped from the customer count.
    return tiers.firstIndex(of: name ?? "(none)") ?? tiers.count - 1
  }

  var hasTiers: Bool { !(layout?.tiers.isEmpty ?? true) }

  // MARK: - Filing

  /// Counts an award of an event (not of a return or period end) under its source.
  mutating func countAward(source: Int) {
    awardsBySource[source] &+= 1
  }

  /// Files a cost of `minor` of the kind at `kind` that the source at `source` gave, in `month`.
  mutating func fileCost(_ minor: Int64, kind: Int, source: Int, monthRow row: Int) {
    costByKind[kind] &+= minor
    costByKindFiled[kind] = true
    costByRule[source] &+= minor
    costByRuleFiled[source] = true
    let slot = row * Self.costKinds.count + kind
    monthCost[slot] &+= minor
    monthCostFiled[slot] = true
  }

  /// Files points of a currency without a worth that a source gave.
  mutating func fileUnvalued(_ amount: Int64, source: Int, currency: Int) {
    unvaluedPoints[source * currencyCount + currency, default: 0] &+= amount
  }

  /// Files one currency's movements of an outcome in a month (only non-empty ones).
  mutating func fileFlow(_ flow: PointsFlow, currency: Int, monthRow row: Int) {
    points[currency].add(flow)
    pointsFiled[currency] = true
    let slot = row * currencyCount + currency
    monthPoints[slot].add(flow)
    monthPointsFiled[slot] = true
  }

  /// Files an outcome's messages (sent and suppressed) in a month.
  mutating func fileMessages(of outcome: Outcome, month: Int) {
    named.messages.count(outcome, costs: program.contactPolicy.costs)
    monthMessages[month, default: MessageCounts()].count(outcome, costs: program.contactPolicy.costs)
  }

  /// Files a cost of `minor` on a local day (a day number).
  mutating func fileDayCost(_ minor: Int64, day: Int64) {
    let (slot, added) = days.row(Int(day))
    if added { dailyCost.append(0) }
    dailyCost[slot] &+= minor
  }

  /// Files a customer's balance outstanding at the end.
  mutating func fileOutstanding(_ balance: Int64, currency: Int) {
    outstanding[currency] &+= balance
    outstandingFiled[currency] = true
  }

  /// Counts one redemption of the reward at `reward` and its stated worth.
  mutating func fileRedeemed(reward: Int, worth: Int64) {
    rewardsRedeemed[reward] &+= 1
    rewardsRedeemedWorth[reward] &+= worth
  }

  /// The index of a reward named by a redemption; nil for one the program does not have.
  func reward(_ name: String) -> Int? {
    layout!.rewards.firstIndex(of: name)
  }

  /// Adds an account's rule counters (``RuleTally/counts``).
  mutating func fileRuleTally(_ counts: [Int64]) {
    if ruleTally.count < counts.count { ruleTally.append(contentsOf: repeatElement(0, count: counts.count - ruleTally.count)) }
    for slot in counts.indices where counts[slot] != 0 { ruleTally[slot] &+= counts[slot] }
  }

  /// Notes the categories and SKUs a purchased line has that the program's filters name.
  mutating func see(category: String, sku: String) {
    layout!.categories.see(category)
    layout!.skus.see(sku)
  }

  /// Whether every name the filters use was seen (or there are none): lines need no look.
  var sawEveryFilterName: Bool { layout!.categories.unseen == 0 && layout!.skus.unseen == 0 }

  // MARK: - Months

  /// The row of a month, adding one when the month has none. A row keeps its number.
  mutating func monthRow(_ month: Int) -> Int {
    let (row, added) = monthRows.row(month)
    guard added else { return row }
    months.append(MonthRow())
    let kinds = Self.costKinds.count
    monthCost.append(contentsOf: repeatElement(0, count: kinds))
    monthCostFiled.append(contentsOf: repeatElement(false, count: kinds))
    let currencies = currencyCount
    monthPoints.append(contentsOf: repeatElement(PointsFlow(), count: currencies))
    monthPointsFiled.append(contentsOf: repeatElement(false, count: currencies))
    closingChange.append(contentsOf: repeatElement(0, count: currencies))
    holdersChange.append(contentsOf: repeatElement(0, count: currencies))
    tierChange.append(contentsOf: repeatElement(0, count: layout!.tiers.count))
    return row
  }

  /// Lists a month (something was filed in it) and returns its row.
  mutating func fileMonth(_ month: Int) -> Int {
    let row = monthRow(month)
    months[row].filed = true
    return row
  }

  /// Files an accepted event's revenue and whether it is a transaction of the history.
  mutating func fileEvent(month: Int, revenue: Int64, transaction: Bool) {
    let row = fileMonth(month)
    months[row].revenue &+= revenue
    if transaction { months[row].transactions &+= 1 }
  }

  /// Counts a customer active (a purchase) in a month.
  mutating func fileActive(month: Int) {
    let row = fileMonth(month)
    months[row].activeCustomers &+= 1
  }

  /// Files one customer's month-end snapshot for each of the months `first...last`: known, the
  /// non-zero balances (by currency index) and the tier held (``tier(_:)``; nil without tiers).
  /// O(currencies), however many months.
  mutating func carry(balances: [Int64], tier: Int?, from first: Int, through last: Int) {
    let start = monthRow(first)
    let end = monthRow(last + 1)
    months[start].knownChange &+= 1
    months[end].knownChange &-= 1
    let currencies = currencyCount
    for currency in 0..<currencies where balances[currency] != 0 {
      closingChange[start * currencies + currency] &+= balances[currency]
      closingChange[end * currencies + currency] &-= balances[currency]
      holdersChange[start * currencies + currency] &+= 1
      holdersChange[end * currencies + currency] &-= 1
    }
    if let tier {
      let tiers = layout!.tiers.count
      tierChange[start * tiers + tier] &+= 1
      tierChange[end * tiers + tier] &-= 1
    }
  }

  // MARK: - Adding ledgers

  /// Adds the figures of another ledger of the same program: sums by id (sources matched by
  /// name, months and days by their number), so that a run turns its chunks' figures into the
  /// name-keyed ones once.
  mutating func add(_ other: FigureLedger) {
    named.add(other.named)
    guard let otherLayout = other.layout else { return }
    prepare()
    for (id, name) in other.sources.enumerated() {
      let mine = source(name)
      awardsBySource[mine] &+= other.awardsBySource[id]
      if other.costByRuleFiled[id] {
        costByRule[mine] &+= other.costByRule[id]
        costByRuleFiled[mine] = true
      }
    }
    let currencies = currencyCount
    for (slot, amount) in other.unvaluedPoints {
      let (source, currency) = slot.quotientAndRemainder(dividingBy: currencies)
      unvaluedPoints[self.source(other.sources[source]) * currencies + currency, default: 0] &+= amount
    }
    for kind in costByKind.indices where other.costByKindFiled[kind] {
      costByKind[kind] &+= other.costByKind[kind]
      costByKindFiled[kind] = true
    }
    for currency in 0..<currencies {
      if other.pointsFiled[currency] {
        points[currency].add(other.points[currency])
        pointsFiled[currency] = true
      }
      if other.outstandingFiled[currency] {
        outstanding[currency] &+= other.outstanding[currency]
        outstandingFiled[currency] = true
      }
    }
    for reward in rewardsRedeemed.indices {
      rewardsRedeemed[reward] &+= other.rewardsRedeemed[reward]
      rewardsRedeemedWorth[reward] &+= other.rewardsRedeemedWorth[reward]
    }
    if ruleTally.count < other.ruleTally.count {
      ruleTally.append(contentsOf: repeatElement(0, count: other.ruleTally.count - ruleTally.count))
    }
    for slot in other.ruleTally.indices { ruleTally[slot] &+= other.ruleTally[slot] }
    layout!.categories.add(otherLayout.categories)
    layout!.skus.add(otherLayout.skus)
    for (slot, day) in other.days.keys.enumerated() {
      fileDayCost(other.dailyCost[slot], day: Int64(day))
    }
    let kinds = Self.costKinds.count
    let tiers = layout!.tiers.count
    for (otherRow, filed) in other.months.enumerated() {
      let row = monthRow(other.monthRows.keys[otherRow])
      months[row].revenue &+= filed.revenue
      months[row].transactions &+= filed.transactions
      months[row].activeCustomers &+= filed.activeCustomers
      months[row].knownChange &+= filed.knownChange
      if filed.filed { months[row].filed = true }
      for kind in 0..<kinds where other.monthCostFiled[otherRow * kinds + kind] {
        monthCost[row * kinds + kind] &+= other.monthCost[otherRow * kinds + kind]
        monthCostFiled[row * kinds + kind] = true
      }
      for currency in 0..<currencies {
        if other.monthPointsFiled[otherRow * currencies + currency] {
          monthPoints[row * currencies + currency].add(other.monthPoints[otherRow * currencies + currency])
          monthPointsFiled[row * currencies + currency] = true
        }
        closingChange[row * currencies + currency] &+= other.closingChange[otherRow * currencies + currency]
        holdersChange[row * currencies + currency] &+= other.holdersChange[otherRow * currencies + currency]
      }
      for tier in 0..<tiers { tierChange[row * tiers + tier] &+= other.tierChange[otherRow * tiers + tier] }
    }
    for (month, messages) in other.monthMessages { monthMessages[month, default: MessageCounts()].add(messages) }
  }

  // MARK: - Figures

  /// The figures filed, keyed by name as the result keeps them.
  func figures() -> Figures {
    var figures = named
    guard let layout else { return figures }
    for (id, name) in sources.enumerated() {
      if awardsBySource[id] != 0 { figures.awardsBySource[name, default: 0] &+= awardsBySource[id] }
      if costByRuleFiled[id] { figures.costByRule[name, default: 0] &+= costByRule[id] }
    }
    for (slot, amount) in unvaluedPoints {
      let (source, currency) = slot.quotientAndRemainder(dividingBy: currencyCount)
      figures.unvaluedPointsByRule[sources[source], default: [:]][layout.currencies[currency], default: 0] &+= amount
    }
    for kind in Self.costKinds.indices where costByKindFiled[kind] {
      figures.costByKind[Self.costKinds[kind], default: 0] &+= costByKind[kind]
    }
    for (currency, name) in layout.currencies.enumerated() {
      if pointsFiled[currency] { figures.points[name, default: PointsFlow()].add(points[currency]) }
      if outstandingFiled[currency] { figures.outstanding[name, default: 0] &+= outstanding[currency] }
    }
    for (reward, name) in layout.rewards.enumerated() where rewardsRedeemed[reward] != 0 {
      figures.rewardsRedeemed[name, default: 0] &+= rewardsRedeemed[reward]
      figures.rewardsRedeemedWorth[name, default: 0] &+= rewardsRedeemedWorth[reward]
    }
    let outcomes = RuleTally.Outcome.allCases
    for slot in ruleTally.indices where ruleTally[slot] != 0 {
      let (rule, outcome) = slot.quotientAndRemainder(dividingBy: outcomes.count)
      figures.ruleTallies[layout.rules[rule], default: [:]][NeverFiredReason.key(outcomes[outcome]), default: 0] &+= ruleTally[slot]
    }
    figures.categoriesSeen.formUnion(layout.categories.seenNames)
    figures.skusSeen.formUnion(layout.skus.seenNames)
    for (slot, day) in days.keys.enumerated() {
      figures.dailyCost[Int64(day), default: 0] &+= dailyCost[slot]
    }
    addMonths(to: &figures, layout: layout)
    return figures
  }

  /// Adds the months from the first filed to the last, each with the snapshots of the runs
  /// covering it: a month without a row of its own is listed when customers are known in it.
  private func addMonths(to figures: inout Figures, layout: Layout) {
    let keys = monthRows.keys
    let rows = keys.indices.sorted { keys[$0] < keys[$1] }
    guard let firstRow = rows.first, let lastRow = rows.last else { return }
    let currencies = currencyCount
    let tiers = layout.tiers.count
    var known: Int64 = 0
    var closing = Array(repeating: Int64(0), count: currencies)
    var holders = Array(repeating: Int64(0), count: currencies)
    var tierCounts = Array(repeating: Int64(0), count: tiers)
    var next = 0
    for monthIndex in keys[firstRow]...keys[lastRow] {
      var month = MonthFigures()
      var filed = false
      if keys[rows[next]] == monthIndex {
        let row = rows[next]
        next += 1
        let changes = months[row]
        known &+= changes.knownChange
        for currency in 0..<currencies {
          closing[currency] &+= closingChange[row * currencies + currency]
          holders[currency] &+= holdersChange[row * currencies + currency]
        }
        for tier in 0..<tiers { tierCounts[tier] &+= tierChange[row * tiers + tier] }
        filed = changes.filed
        month.revenue = changes.revenue
        month.transactions = changes.transactions
        month.activeCustomers = changes.activeCustomers
        for kind in Self.costKinds.indices where monthCostFiled[row * Self.costKinds.count + kind] {
          month.costByKind[Self.costKinds[kind]] = monthCost[row * Self.costKinds.count + kind]
        }
        for currency in 0..<currencies where monthPointsFiled[row * currencies + currency] {
          month.points[layout.currencies[currency]] = monthPoints[row * currencies + currency]
        }
      }
      guard filed || known != 0 else { continue }
      month.knownCustomers = known
      for (currency, name) in layout.currencies.enumerated() where holders[currency] != 0 {
        month.closing[name] = closing[currency]
      }
      for (tier, name) in layout.tiers.enumerated() where tierCounts[tier] != 0 {
        month.tiers[name, default: 0] &+= tierCounts[tier]
      }
      if let messages = monthMessages[monthIndex] { month.messages = messages }
      // Set rather than added to an empty one (which built each dictionary again) unless the
      // named figures have the month.
      if figures.months[monthIndex] == nil {
        figures.months[monthIndex] = month
      } else {
        figures.months[monthIndex]!.add(month)
      }
    }
  }
}

/// The names a program's filters use (categories or SKUs), and which of them purchased lines had.
struct FilterNames {
  let names: [String]
  private(set) var seen: [Bool]
  private(set) var unseen: Int
  /// For long lists: a look-up instead of comparing with each name.
  private let indexes: [String: Int]?

  init(_ names: [String]) {
    self.names = names
    seen = Array(repeating: false, count: names.count)
    unseen = names.count
    indexes = names.count > 8 ? Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first }) : nil
  }

  mutating func see(_ name: String) {
    guard unseen > 0 else { return }
    let index = indexes.map { $0[name] } ?? names.firstIndex(of: name)
    guard let index, !seen[index] else { return }
    seen[index] = true
    unseen -= 1
  }

  var seenNames: [String] { names.indices.filter { seen[$0] }.map { names[$0] } }

  /// Adds what another list of the same names saw.
  mutating func add(_ other: FilterNames) {
    for index in names.indices where other.seen[index] && !seen[index] {
      seen[index] = true
      unseen -= 1
    }
  }
}
