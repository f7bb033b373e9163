import PerkSource

/// Which lines a price effect changes.
public enum DiscountTargetSyntax: Hashable, Sendable {
  /// `on basket`: every line.
  case basket
  /// `on category snacks`: the matching lines, taken together.
  case lines(ItemFilter)
  /// `per item [in category snacks]`: each matching unit.
  case perItem(ItemFilter?)
}

/// A rule effect that changes the price, applied before earning.
public enum PriceEffectSyntax: Hashable, Sendable {
  /// `discount 15% on basket [round half even [to whole units]]`, `discount $5 on category bread`,
  /// `discount $0.50 per item in category snacks`.
  case discount(amount: Expression, target: DiscountTargetSyntax, rounding: AmountRoundingSyntax?, range: SourceRange)
  /// `buy 3 in category snacks pay for 2 [in groups dearest first]`: in each group of 3 units the
  /// cheapest are free; `… pay for 2 cheapest across the basket` (`acrossBasket`): of the basket's
  /// n eligible units, the ⌊n / 3⌋ × (3 − 2) cheapest are free.
  case deal(buy: Expression, filter: ItemFilter?, payFor: Expression, acrossBasket: Bool = false, range: SourceRange)
  /// `cheapest item in category snacks is free` (or `most expensive`): one unit per firing.
  case freeItem(cheapest: Bool, filter: ItemFilter?, range: SourceRange)

  /// The whole effect.
  public var range: SourceRange {
    switch self {
    case .discount(_, _, _, let range), .deal(_, _, _, _, let range), .freeItem(_, _, let range): return range
    }
  }
}

/// The period a cap or budget counts in.
public enum CapPeriodSyntax: Hashable, Sendable {
  /// `per transaction`: each event on its own.
  case transaction
  /// `per day|week|month|year`: the calendar period in the program's time zone.
  case calendar(DurationUnit)
  /// No period: ever (budgets only).
  case ever
}

/// `cap stars at 300 per day` (in a rule) or `cap at 300 per day` (in a points declaration).
public struct CapSyntax: Hashable, Sendable {
  /// The capped currency; nil in a points declaration, where it is the declared one.
  public var currency: Name?
  /// The most that may be earned in the period.
  public var amount: Expression
  /// The period.
  public var period: Located<CapPeriodSyntax>
  /// The whole clause.
  public var range: SourceRange
  /// Creates a cap.
  public init(currency: Name?, amount: Expression, period: Located<CapPeriodSyntax>, range: SourceRange) {
    self.currency = currency
    self.amount = amount
    self.period = period
    self.range = range
  }
}

/// A rule clause about how a rule combines with others and how much it may give.
public enum StackingClauseSyntax: Hashable, Sendable {
  /// `priority 10`: higher first; ties by file order.
  case priority(Expression, range: SourceRange)
  /// `group weekday deals`: at most one rule of the group fires, the highest priority.
  case group(Name, range: SourceRange)
  /// `best of weekday deals`: at most one rule of the group fires, the one worth most to the customer.
  case bestOf(Name, range: SourceRange)
  /// `cap stars at 300 per day`: the most this rule earns of a currency per customer and period.
  case cap(CapSyntax)
  /// `budget $10,000 per month`: the most this rule gives away, all customers together.
  case budget(amount: Expression, period: Located<CapPeriodSyntax>, range: SourceRange)

  /// The whole clause.
  public var range: SourceRange {
    switch self {
    case .priority(_, let range), .group(_, let range), .bestOf(_, let range), .budget(_, _, let range): return range
    case .cap(let cap): return cap.range
    }
  }
}
