/// Which lines a discount changes.
package enum DiscountTargetSpec: Sendable, Hashable {
  /// Every line.
  case basket
  /// The lines matching a filter, taken together.
  case lines(filter: Int)
  /// Each unit of the lines matching a filter (every line for nil).
  case perItem(filter: Int?)
}

/// A rule effect that changes the price; promotions run before earning.
package enum PriceEffectSpec: Sendable, Hashable {
  /// `discount 15% on basket`: `fraction` is 0.15; each line's discount is rounded on its own
  /// (`round half up to whole units`: to a multiple of `rounding.unitMinor`).
  case percentOff(fraction: ExactDecimal, target: DiscountTargetSpec, rounding: MoneyRounding)
  /// `discount $5 on basket` (spread over the lines in proportion to their amounts) or
  /// `discount $1 per item …` (per unit); never more than a line's amount.
  case amountOff(minor: Int64, target: DiscountTargetSpec)
  /// `buy 3 … pay for 2`: units sorted dearest first, in groups of `buy`; in each full group the
  /// `buy - payFor` cheapest units are free. `acrossBasket` (`cheapest across the basket`): of the
  /// n eligible units, the ⌊n / buy⌋ × (buy - payFor) cheapest are free.
  case deal(buy: Int64, payFor: Int64, filter: Int?, acrossBasket: Bool = false)
  /// `cheapest item … is free` (or the most expensive): one unit per firing.
  case freeItem(cheapest: Bool, filter: Int?)
}

/// The period a cap counts in.
package enum CapPeriod: Sendable, Hashable {
  /// Each event on its own.
  case transaction
  /// The calendar day, ISO week, month or year in the program's time zone.
  case calendar(CalendarUnit)
}

/// The most a customer may earn of a currency in a period; the excess is lost.
package struct CapSpec: Sendable, Hashable {
  package var currency: Int
  package var amount: Int64
  package var period: CapPeriod
  package init(currency: Int, amount: Int64, period: CapPeriod) {
    self.currency = currency
    self.amount = amount
    self.period = period
  }
}

/// The most a rule (or the whole program) may give away, all customers together.
package struct BudgetSpec: Sendable, Hashable {
  /// Nil: ever; otherwise the calendar period in the program's time zone.
  package var period: CalendarUnit?
  package var amountMinor: Int64
  package init(amountMinor: Int64, period: CalendarUnit?) {
    self.amountMinor = amountMinor
    self.period = period
  }
}

/// How a rule combines with other rules and how much it may give.
package struct StackingSpec: Sendable, Hashable {
  /// Higher runs first and wins its exclusive group; ties go to the earlier rule in the file.
  package var priority: Int64 = 0
  /// The exclusive group the rule belongs to: at most one rule of a group fires.
  package var group: String?
  /// Whether the group picks the rule worth most to the customer (otherwise the highest priority).
  package var bestOf: Bool = false
  /// Caps on what this rule earns, per customer.
  package var caps: [CapSpec] = []
  /// The rule's budget, shared by all customers.
  package var budget: BudgetSpec?
  package init(priority: Int64 = 0, group: String? = nil, bestOf: Bool = false, caps: [CapSpec] = [], budget: BudgetSpec? = nil) {
    self.priority = priority
    self.group = group
    self.bestOf = bestOf
    self.caps = caps
    self.budget = budget
  }
}
