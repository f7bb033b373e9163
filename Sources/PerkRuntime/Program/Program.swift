import PerkSource

/// A compiled reward program: immutable, `Sendable`, ready to evaluate events.
///
/// Build one with `compile(_:)` from the `Perk` module. Names were resolved and
/// conditions composed into closures when it was compiled, so evaluating an event
/// walks no syntax tree and compares no rule names.
public final class Program: Sendable {
  /// The program's display name.
  public let name: String
  /// The currency of all money in the program.
  public let currency: Currency
  /// The time zone of all calendar logic; with ``calendarInCustomerZones``, of customers
  /// without a zone of their own.
  public let timeZone: ProgramTimeZone
  /// `calendar in customer time zones`: each customer's calendar questions are answered in
  /// their own ``Customer/timeZone`` (see ``timeZone(for:)``).
  public let calendarInCustomerZones: Bool

  package let points: [PointsSpec]
  package let tiers: TierSpec?
  package let cards: [CardSpec]
  package let rules: [RuleSpec]
  package let rewards: [RewardSpec]
  package let filters: [FilterSpec]
  package let windows: [WindowSpec]
  /// Volume rebates, in declaration order.
  package let rebates: [RebateSpec]
  /// `budget …` on the program: what all rules together may give away, all customers together.
  package let budget: BudgetSpec?
  /// What basket amounts mean, as the program states them (`thresholds …`, `amounts …`).
  package let amountBasis: AmountBasis
  /// For each category and SKU, the bit set of filters it matches (bit `f` of word `f / 64`).
  let categoryMatches: FilterMatches
  let skuMatches: FilterMatches
  /// The categories the program's filters name, sorted (`perk sim` reports those no basket line had).
  package var filteredCategories: [String] { categoryMatches.sortedNames }
  /// The SKUs the program's filters name, sorted.
  package var filteredSkus: [String] { skuMatches.sortedNames }
  /// Whether a filter of the program names this category.
  package func filters(category: String) -> Bool { categoryMatches[category] != nil }
  /// Whether a filter of the program names this SKU.
  package func filters(sku: String) -> Bool { skuMatches[sku] != nil }
  /// The bits of negated filters: a line's positive matches are flipped by this mask.
  let negatedFilters: [UInt64]
  /// How many days of ledger history the windows and tiers can read.
  let horizonDays: Int64
  /// For each currency, whether its points are kept in lots: only points that expire or are
  /// held need to be told apart by when they were earned. For any other currency the balance
  /// is the whole story (which points a redemption or a return takes cannot matter), and
  /// keeping a lot per purchase was an eighth of evaluation.
  let keepsLots: [Bool]
  /// The names of the currencies without lots (a stored state's lots of these are dropped).
  let lotlessCurrencies: [String]
  /// Whether any budget applies (the program's or a rule's): settled once, read on every event.
  let hasBudgets: Bool
  /// Whether any rule changes prices (promotions).
  let hasPriceRules: Bool
  /// Whether rules differ in priority: if not, stacking order is file order and nothing is sorted.
  let hasPriorities: Bool
  /// The exclusive groups, in the order each first appears in the file.
  let stackingGroups: [String]
  /// Each tier's multiplier as the earning phase applies it, by tier index (empty at ×1).
  let tierMultipliers: [[Multiplier]]
  /// The windows `when` conditions read (a purchase's record keeps their figures for returns).
  let conditionWindows: [Int]
  /// Each window as a purchase record names it.
  let windowKeys: [String]
  /// The names of the rules a purchase triggers, in file order (shared by the records of the
  /// purchases where all of them could fire).
  let purchaseRuleNames: [String]
  /// The rules a purchase triggers that have limits (their room is recorded with each purchase).
  let limitedPurchaseRules: [Int]
  /// The caps counted over a calendar period, by the key their usage is kept under.
  let calendarCaps: [(key: String, period: CapPeriod)]
  /// Caps, quiet hours and consent for messages (ContactPolicy.swift).
  package let contactPolicy: ContactPolicy
  /// Purchases compiled for bulk callers; nil when the program uses something the plan does not cover.
  let purchasePlan: PurchasePlan?
  /// The `on N days after purchase FILTER` rules, whose day a purchase may move (Messages.swift).
  let filteredAfterPurchaseRules: [Int]
  /// Whether any rule fires `after purchase`, `without purchase` or `before … expire`.
  let hasTimedContactRules: Bool
  /// This program among the programs of the process (see ``ProgramSerial``).
  let serial = ProgramSerial.next()

  package init(name: String, currency: Currency, timeZone: ProgramTimeZone, points: [PointsSpec], tiers: TierSpec?,
               cards: [CardSpec], rules: [RuleSpec], rewards: [RewardSpec], filters: [FilterSpec], windows: [WindowSpec],
               budget: BudgetSpec? = nil, rebates: [RebateSpec] = [], amountBasis: AmountBasis = AmountBasis(),
               conditionWindows: [Int]? = nil, calendarInCustomerZones: Bool = false,
               contactPolicy: ContactPolicy = ContactPolicy()) {
    self.calendarInCustomerZones = calendarInCustomerZones
    self.contactPolicy = contactPolicy
    self.budget = budget
    self.amountBasis = amountBasis
    self.name = name
    self.currency = currency
    self.timeZone = timeZone
    self.points = points
    self.tiers = tiers
    self.cards = cards
    self.rules = rules
    self.rewards = rewards
    self.filters = filters
    self.windows = windows
    self.rebates = rebates
    let words = max(1, (filters.count + 63) / 64)
    var categories: [String: [UInt64]] = [:]
    var skus: [String: [UInt64]] = [:]
    for (index, filter) in filters.enumerated() {
      for value in filter.values {
        if filter.field == .category {
          categories[value, default: Array(repeating: 0, count: words)][index / 64] |= 1 << UInt64(index % 64)
        } else {
          skus[value, default: Array(repeating: 0, count: words)][index / 64] |= 1 << UInt64(index % 64)
        }
      }
    }
    categoryMatches = FilterMatches(categories)
    skuMatches = FilterMatches(skus)
    var negated = Array(repeating: UInt64(0), count: words)
    for (index, filter) in filters.enumerated() where filter.negated { negated[index / 64] |= 1 << UInt64(index % 64) }
    negatedFilters = negated
    var horizon: Int64 = 1
    for window in windows {
      switch window {
      case .lastDays(let n): horizon = max(horizon, n)
      case .lastMonths(let n): horizon = max(horizon, Int64(n) * 31 + 1)
      case .calendar(let unit):
        switch unit {
        case .day: horizon = max(horizon, 1)
        case .week: horizon = max(horizon, 7)
        case .month: horizon = max(horizon, 31)
        case .year: horizon = max(horizon, 366)
        }
      // The review at a period's start reads the window that ended the day before: n whole
      // periods back from today.
      case .lastCalendar(let period, let n): horizon = max(horizon, Int64(n) * period.longestDays + 1)
      }
    }
    horizonDays = horizon
    hasBudgets = budget != nil || rules.contains { $0.stacking.budget != nil }
    hasPriceRules = rules.contains { $0.effects.contains { if case .price = $0 { true } else { false } } }
    hasPriorities = Set(rules.map(\.stacking.priority)).count > 1
    filteredAfterPurchaseRules = rules.indices.filter { if case .afterPurchase(_, _?) = rules[$0].trigger { true } else { false } }
    hasTimedContactRules = rules.contains { rule in
      switch rule.trigger {
      case .afterPurchase, .beforeExpiry: true
      default: false
      }
    }
    var groups: [String] = []
    for rule in rules {
      if let group = rule.stacking.group, !groups.contains(group) { groups.append(group) }
    }
    stackingGroups = groups
    tierMultipliers = (tiers?.levels ?? []).map { level in
      level.multiplier == .one ? [] : [Multiplier(factor: level.multiplier, source: "tier \(level.name)")]
    }
    let keepsLots = points.indices.map { currency in
      points[currency].expiry != nil || points[currency].holdDays > 0 || rules.contains { rule in
        rule.holdDays > 0 && rule.effects.contains { if case .earn(_, currency, _) = $0 { true } else { false } }
      }
    }
    self.keepsLots = keepsLots
    lotlessCurrencies = points.indices.filter { !keepsLots[$0] }.map { points[$0].name }
    self.conditionWindows = conditionWindows ?? Array(windows.indices)
    windowKeys = windows.map(\.key)
    purchaseRuleNames = rules.filter { if case .purchase = $0.trigger { true } else { false } }.map(\.name)
    limitedPurchaseRules = rules.indices.filter { index in
      guard case .purchase = rules[index].trigger else { return false }
      return !rules[index].limits.isEmpty
    }
    var caps: [(key: String, period: CapPeriod)] = []
    for spec in points {
      for cap in spec.caps where cap.period != .transaction { caps.append(("points \(spec.name)", cap.period)) }
    }
    for rule in rules {
      for cap in rule.stacking.caps where cap.period != .transaction {
        caps.append(("rule \(rule.name)/\(points[cap.currency].name)", cap.period))
      }
    }
    calendarCaps = caps
    purchasePlan = PurchasePlan(points: points, tiers: tiers, cards: cards, rules: rules, windows: windows, rebates: rebates,
                                budget: budget)
  }

  /// The names of the points currencies, in declaration order.
  public var pointsCurrencyNames: [String] { points.map(\.name) }

  /// Points currencies the program gives no `worth`: their money value is unknown.
  public var unvaluedCurrencies: Set<String> { Set(points.filter { !$0.worthStated }.map(\.name)) }
  /// The names of the tiers, lowest first.
  public var tierNames: [String] { tiers?.levels.map(\.name) ?? [] }
  /// The names of the rules, in declaration order.
  public var ruleNames: [String] { rules.map(\.name) }
}
