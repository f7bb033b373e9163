import PerkSource

/// A calendar unit for periods and windows.
package enum CalendarUnit: String, Sendable, Hashable {
  case day, week, month, year
}

/// A window of history: the last N days or months up to today, or the current calendar period.
package enum WindowSpec: Sendable, Hashable {
  /// The last `n` local days, today included.
  case lastDays(Int64)
  /// From the same day `n` months ago (exclusive) to today (inclusive).
  case lastMonths(Int)
  /// The current calendar day, ISO week, month or year.
  case calendar(CalendarUnit)
  /// `last 12 calendar months`: the current calendar period and the `count − 1` before it, from
  /// local midnight on the first day of the earliest.
  case lastCalendar(CalendarPeriod, count: Int)

  /// The window as stored records name it (`last 30 days`, `last 12 months`, `calendar month`).
  package var key: String {
    switch self {
    case .lastDays(let n): "last \(n) days"
    case .lastMonths(let n): "last \(n) months"
    case .calendar(let unit): "calendar \(unit.rawValue)"
    case .lastCalendar(let period, let n): "last \(n) calendar \(period.rawValue)s"
    }
  }

  /// The period at whose start a tier measured over this window is reviewed (the window's
  /// figures change then without any event); nil for a rolling window.
  package var reviewPeriod: CalendarPeriod? {
    switch self {
    case .lastDays, .lastMonths: nil
    case .calendar(.day): .day
    case .calendar(.week): .week
    case .calendar(.month): .month
    case .calendar(.year): .year
    case .lastCalendar(let period, _): period
    }
  }
}

/// A calendar period a window is made of: ISO weeks (Monday first), months, quarters (from
/// January, April, July, October) and years, in the program's time zone.
package enum CalendarPeriod: String, Sendable, Hashable {
  case day, week, month, quarter, year

  /// The first day of the period containing `date`.
  package func start(of date: LocalDate) -> LocalDate {
    switch self {
    case .day: date
    case .week: date.startOfWeek
    case .month: date.startOfMonth
    case .quarter: date.startOfMonth.adding(months: -((date.components.month - 1) % 3))
    case .year: date.startOfYear
    }
  }

  /// The first day of the period `periods` after (or before) the one starting on `start`.
  package func start(_ start: LocalDate, adding periods: Int) -> LocalDate {
    switch self {
    case .day: start.adding(days: Int64(periods))
    case .week: start.adding(days: 7 * Int64(periods))
    case .month: start.adding(months: periods)
    case .quarter: start.adding(months: 3 * periods)
    case .year: start.adding(months: 12 * periods)
    }
  }

  /// The most days one period can have.
  var longestDays: Int64 {
    switch self {
    case .day: 1
    case .week: 7
    case .month: 31
    case .quarter: 92
    case .year: 366
    }
  }
}

/// Which lines a clause looks at: lines whose category (or SKU) is one of `values`.
package struct FilterSpec: Sendable, Hashable {
  package enum Field: Sendable, Hashable { case category, sku }
  package var field: Field
  package var values: [String]
  /// `not in category …`: matches the lines whose value is none of `values`.
  package var negated: Bool
  package init(field: Field, values: [String], negated: Bool = false) {
    self.field = field
    self.values = values
    self.negated = negated
  }
}

/// A points currency.
package struct PointsSpec: Sendable {
  package var name: String
  /// What one point costs when redeemed, in minor units of the program currency (may be fractional).
  /// Zero when the program states no `worth` (``worthStated`` is then false).
  package var worthMinor: ExactDecimal
  /// False when the program gives the currency no `worth`: its points' money value is unknown,
  /// and reports must say so rather than count them at zero.
  package var worthStated = true
  package var rounding: RoundingMode
  /// How points of this currency expire (see PointsLot.swift); nil for never.
  package var expiry: ExpirySpec?
  /// Which lots a redemption spends first.
  package var spendOrder: SpendOrder
  /// Days earned points are held before they become spendable (0 for none).
  package var holdDays: Int64
  /// Whether a return may take the balance below zero.
  package var allowNegative: Bool
  /// `cap at 300 per day`: per customer, over every rule earning this currency.
  package var caps: [CapSpec] = []
  package init(name: String, worthMinor: ExactDecimal, rounding: RoundingMode, expiry: ExpirySpec? = nil,
               spendOrder: SpendOrder = .oldestFirst, holdDays: Int64 = 0, allowNegative: Bool = false) {
    self.name = name
    self.worthMinor = worthMinor
    self.rounding = rounding
    self.expiry = expiry
    self.spendOrder = spendOrder
    self.holdDays = holdDays
    self.allowNegative = allowNegative
  }
}

/// When points expire.
package enum ExpirySpec: Sendable, Hashable {
  /// `expire 30 days after earning`: gone on the earning day + n days.
  case afterDays(Int64)
  /// `expire 12 months after earning`: gone on the earning day + n months (clamped to the month's end).
  case afterMonths(Int)
  /// `expire at end of month 12 months after earning`: usable through the last day of the n-th month
  /// after the earning month, gone on the 1st of the month after that.
  case endOfMonthAfter(Int)
  /// `expire after 18 months without activity`: every lot is gone n months after the later of the
  /// last purchase and the lot's earning day.
  case inactivityMonths(Int)
  /// `expire after 90 days without activity`.
  case inactivityDays(Int64)
}

/// Which lots a redemption spends first.
package enum SpendOrder: Sendable, Hashable {
  /// `spend oldest first` (the default): earliest earning day first.
  case oldestFirst
  /// `spend closest to expiry first`: earliest expiry first; lots that never expire last.
  case closestToExpiryFirst
}

/// Tiers: how customers qualify and how long a reached tier is kept.
package struct TierSpec: Sendable {
  package enum Measure: Sendable { case spend, visits, spendOrVisits }
  package enum Keep: Sendable, Hashable {
    case qualifiedOnly
    case forDays(Int64)
    case forMonths(Int)
    case untilEndOfNext(CalendarUnit)
    case untilNextAnniversary
  }
  /// A scheduled tier review: when it happens and how far it may lower the tier.
  package struct Review: Sendable, Hashable {
    package enum Schedule: Sendable, Hashable { case signupAnniversary, month, quarter, year }
    package var schedule: Schedule
    /// `down at most one level`; otherwise `down to the qualified level`.
    package var atMostOneLevel: Bool
    package init(schedule: Schedule, atMostOneLevel: Bool) {
      self.schedule = schedule
      self.atMostOneLevel = atMostOneLevel
    }
  }
  package struct Level: Sendable {
    package var name: String
    package var spendMinor: Int64?
    package var visits: Int64?
    package var multiplier: ExactDecimal
    package init(name: String, spendMinor: Int64?, visits: Int64?, multiplier: ExactDecimal) {
      self.name = name
      self.spendMinor = spendMinor
      self.visits = visits
      self.multiplier = multiplier
    }
  }
  package var measure: Measure
  package var window: Int
  /// `tiers by spend not in category giftcard …`: only matching lines count toward status
  /// (their spend, and a visit only with one of them); kept in the account's tier ledger.
  package var filter: Int?
  package var levels: [Level]
  package var keep: Keep
  /// Whether qualifying again while a level is kept extends it (the default); `false` for
  /// `keep for … from reaching`, where only qualifying after it lapsed reaches it again.
  package var extendsWhileKept = true
  /// `review …`: the tier falls only at these scheduled reviews (it still rises at once).
  package var review: Review?
  package var location: SourceLocation?
  package init(measure: Measure, window: Int, levels: [Level], keep: Keep, location: SourceLocation?) {
    self.measure = measure
    self.window = window
    self.levels = levels
    self.keep = keep
    self.location = location
  }
}

/// A stamp card.
package struct CardSpec: Sendable {
  package enum Collect: Sendable {
    case perItem(count: Int64, filter: Int?)
    case perVisit(count: Int64)
    /// Fills with the net spend of the matching lines (minor units); `every` is then minor units.
    case spend(filter: Int?)
  }
  package enum Reward: Sendable {
    case cheapestItemFree(filter: Int?)
    case mostExpensiveItemFree(filter: Int?)
    case reward(Int)
    case voucher(name: String, worthMinor: Int64, validDays: Int64?, validMonths: Int?)
  }
  package var name: String
  package var collect: Collect
  package var every: Int64
  package var reward: Reward
  package var location: SourceLocation?
  /// `on return keep stamps`: returns leave the card alone.
  package var keepsStampsOnReturn = false
  /// `on return restore free items`: a free item a return takes away fills the card again.
  package var restoresFreeItemsOnReturn = false
  package init(name: String, collect: Collect, every: Int64, reward: Reward, location: SourceLocation?,
               keepsStampsOnReturn: Bool = false, restoresFreeItemsOnReturn: Bool = false) {
    self.keepsStampsOnReturn = keepsStampsOnReturn
    self.restoresFreeItemsOnReturn = restoresFreeItemsOnReturn
    self.name = name
    self.collect = collect
    self.every = every
    self.reward = reward
    self.location = location
  }
}

/// The event a rule reacts to.
package enum TriggerSpec: Sendable, Hashable {
  case purchase, signup
  case custom(String)
  /// Period ends at the start of the signup anniversary and of the birthday (Triggers.swift).
  case signupAnniversary, birthday
  /// Period ends for contact (Messages.swift): `days` local days after the last purchase (with a
  /// line matching `filter`, when there is one).
  case afterPurchase(days: Int64, filter: Int?)
  /// `days` local days before lots of the currency (by index) expire.
  case beforeExpiry(days: Int64, currency: Int)
  /// When the tier held rises to the level (by index) or above from below it (Messages.swift).
  case tierReached(level: Int)
  /// When the tier held falls below the level from it or above.
  case tierLost(level: Int)

  /// Whether the rule runs at a period end rather than on an event.
  var isPeriodEnd: Bool {
    switch self {
    case .purchase, .signup, .custom, .tierReached, .tierLost: false
    case .signupAnniversary, .birthday, .afterPurchase, .beforeExpiry: true
    }
  }
}

/// What `earn` counts.
package enum EarnBasisSpec: Sendable {
  case flat
  /// `beforeDiscounts`: on the lines' recorded prices, not on what is paid after promotions.
  case perSpend(perMinor: Int64, whole: Bool, filter: Int?, beforeDiscounts: Bool = false)
  /// `beforeDiscounts`: every unit counts, free ones too.
  case perItem(filter: Int?, beforeDiscounts: Bool = false)

  /// Whether the rule earns on the recorded prices (`before discounts`).
  var beforeDiscounts: Bool {
    switch self {
    case .flat: false
    case .perSpend(_, _, _, let before), .perItem(_, let before): before
    }
  }
}

/// What a rule does when it fires.
package enum EffectSpec: Sendable {
  /// `rate` points per basis unit.
  case earn(rate: ExactDecimal, currency: Int, basis: EarnBasisSpec)
  /// Multiplies the earning of this event in one currency.
  case multiply(currency: Int, factor: ExactDecimal)
  /// A voucher; `validDays`/`validMonths` set its expiry.
  case voucher(name: String, worthMinor: Int64, validDays: Int64?, validMonths: Int?)
  /// A catalog reward given free.
  case reward(Int)
  /// A promotion that changes the price before earning.
  case price(PriceEffectSpec)
  /// Flat points for the customer's referrer, held `holdDays` local days after the purchase day.
  case earnForReferrer(amount: Int64, currency: Int, holdDays: Int64)
  /// `send message "…" via sms`: a message made due (Messages.swift).
  case message(MessageSpec)
}

/// `at most N times [per period]`.
package struct LimitSpec: Sendable {
  package enum Period: Sendable, Hashable {
    case ever
    case calendar(CalendarUnit)
    case rollingDays(Int64)
    case rollingMonths(Int)
    /// Keyed by the customer's birthday occurrence nearest to the award's day.
    case birthday
    /// Keyed by the signup anniversary nearest to the award's day.
    case anniversary
  }
  package var count: Int64
  package var period: Period
  package init(count: Int64, period: Period) {
    self.count = count
    self.period = period
  }
}

/// A compiled condition: a closure over the evaluation context, built once at compile time.
package typealias Condition = @Sendable (EvaluationContext) -> Bool

/// A rule.
package struct RuleSpec: Sendable {
  package var name: String
  package var location: SourceLocation?
  package var trigger: TriggerSpec
  package var condition: Condition?
  package var effects: [EffectSpec]
  package var limits: [LimitSpec]
  package var replaces: Int?
  /// Days the points this rule earns are held before they can be spent (0 for none).
  package var holdDays: Int64
  /// Priority, exclusive group, caps and budget.
  package var stacking = StackingSpec()
  /// What a return does to this rule's awards: the rule's own `on return` clause, else the program's.
  package var returnPolicy = ReturnPolicy.recompute
  /// `on return reopen limits and caps`: a reversal gives back the room the award used.
  package var reopensLimitsOnReturn = false
  /// `round half up` on the rule: how its earned points round (overriding the currency's), or on a
  /// `multiply` rule how the awards it multiplies round; nil: not stated.
  package var pointsRounding: RoundingMode? = nil
  package init(name: String, location: SourceLocation?, trigger: TriggerSpec, condition: Condition?,
               effects: [EffectSpec], limits: [LimitSpec], replaces: Int?, holdDays: Int64 = 0) {
    self.holdDays = holdDays
    self.name = name
    self.location = location
    self.trigger = trigger
    self.condition = condition
    self.effects = effects
    self.limits = limits
    self.replaces = replaces
  }
}

/// A catalog reward.
package struct RewardSpec: Sendable {
  package var name: String
  package var cost: Int64
  package var currency: Int
  package var worthMinor: Int64
  package init(name: String, cost: Int64, currency: Int, worthMinor: Int64) {
    self.name = name
    self.cost = cost
    self.currency = currency
    self.worthMinor = worthMinor
  }
}
