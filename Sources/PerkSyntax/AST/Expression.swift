import PerkSource

/// An expression: a condition after `when`, or an amount in a clause.
public struct Expression: Hashable, Sendable {
  /// What kind of expression this is.
  public indirect enum Kind: Hashable, Sendable {
    /// A literal value.
    case literal(Literal)
    /// A bare name (`gold`, `student`), resolved by the checker from context.
    case name(Name)
    /// A built-in quantity such as `basket total` or `stars balance`.
    case quantity(Quantity)
    /// `not x`, `-x`.
    case unary(UnaryOperator, Expression)
    /// `a + b`, `a and b`, `a >= b`, `tier is gold`.
    case binary(BinaryOperator, Expression, Expression)
    /// `x in low to high` (both ends included); `negated` for `not in`.
    case between(Expression, low: Expression, high: Expression, negated: Bool)
    /// `x in a, b, c`; `negated` for `not in`.
    case member(Expression, of: [Expression], negated: Bool)
    /// A parenthesised expression, kept for exact ranges.
    case parenthesized(Expression)
    /// `visits this month reaches 5`: the quantity is below the target before the event
    /// and at or above it once the event's own contribution is counted.
    case reaches(Expression, target: Expression)
    /// A broken expression; the parser has reported it, later stages stay quiet.
    case invalid
  }

  /// What kind of expression this is.
  public var kind: Kind
  /// The source text this expression covers.
  public var range: SourceRange

  /// Creates an expression.
  public init(_ kind: Kind, range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}

/// A prefix operator.
public enum UnaryOperator: String, Hashable, Sendable {
  /// Logical negation, `not`.
  case not
  /// Arithmetic negation, `-`.
  case negate = "-"
}

/// An infix operator, from weakest to strongest binding.
public enum BinaryOperator: String, Hashable, Sendable, CaseIterable {
  /// `or`
  case or
  /// `and`
  case and
  /// `=` or `is`
  case equal = "="
  /// `!=` or `is not`
  case notEqual = "!="
  /// `<` or `is below`
  case less = "<"
  /// `<=` or `is at most`
  case lessEqual = "<="
  /// `>` or `is above`
  case greater = ">"
  /// `>=` or `is at least`
  case greaterEqual = ">="
  /// `+`
  case add = "+"
  /// `-`
  case subtract = "-"
  /// `*` or `×`
  case multiply = "*"
  /// `/`
  case divide = "/"

  /// How tightly the operator binds; higher binds tighter.
  public var precedence: Int {
    switch self {
    case .or: return 1
    case .and: return 2
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return 4
    case .add, .subtract: return 5
    case .multiply, .divide: return 6
    }
  }
}

/// Which items of a basket a clause looks at: `in category coffee, tea`, `on sku latte`.
public struct ItemFilter: Hashable, Sendable {
  /// What the filter matches on.
  public enum Field: String, Hashable, Sendable {
    /// The line's category.
    case category
    /// The line's SKU.
    case sku
  }
  /// What the filter matches on.
  public var field: Field
  /// The accepted values (any of them).
  public var values: [Name]
  /// `not in category giftcard`: the filter matches the lines whose value is none of `values`.
  public var negated: Bool
  /// Where the filter is written.
  public var range: SourceRange
  /// Creates an item filter.
  public init(field: Field, values: [Name], negated: Bool = false, range: SourceRange) {
    self.field = field
    self.values = values
    self.negated = negated
    self.range = range
  }
}

/// A window of time over which history is summed.
public enum WindowSyntax: Hashable, Sendable {
  /// `over last 12 months`, `in last 30 days`: a rolling window ending now.
  case last(DurationLiteral)
  /// `this month`, `this year`, `in calendar year`: the current calendar period.
  case calendar(DurationUnit)
  /// `over last 12 calendar months`: the current calendar period and the `count − 1` before it.
  case lastCalendar(count: Int64, unit: CalendarPeriodSyntax)
}

/// The period of a window of whole calendar periods (`12 calendar months`); `days` is refused
/// by the checker (a day is already a calendar period: `last 7 days`).
public enum CalendarPeriodSyntax: String, Hashable, Sendable {
  case day, week, month, quarter, year
}

/// A built-in quantity a condition or amount can read.
public enum Quantity: Hashable, Sendable {
  /// `basket total [on category …]`: money after price effects.
  case basketTotal(ItemFilter?)
  /// `basket items [in category …]`: the number of items.
  case basketItems(ItemFilter?)
  /// `weekday`
  case weekday
  /// `date`
  case date
  /// `time`
  case timeOfDay
  /// `month`
  case month
  /// `day of month`
  case dayOfMonth
  /// `tier`
  case tier
  /// `birthday month`
  case birthdayMonth
  /// `signup date`
  case signupDate
  /// `segment`
  case segment
  /// `store`
  case store
  /// `channel`
  case channel
  /// `days since last purchase`
  case daysSinceLastPurchase
  /// `days since signup`
  case daysSinceSignup
  /// `purchases so far`: purchases before this one.
  case purchasesSoFar
  /// `stars balance`
  case balance(Name)
  /// `coffee card stamps`
  case stamps(Name)
  /// `spend over last 12 months`, `spend this year`
  case spend(WindowSyntax)
  /// `visits over last 30 days`, `visits this month`
  case visits(WindowSyntax)
  /// `birthday within 7 days`: the event's local day is at most that far from the customer's
  /// birthday (February 29 is celebrated on February 28 in other years).
  case birthdayWithin(DurationLiteral)
  /// `signup anniversary within 30 days`: likewise around the anniversary of the signup date.
  case anniversaryWithin(DurationLiteral)
  /// `first purchase`: the event is a purchase and the customer has made none before.
  case firstPurchase
  /// `referred`: the customer profile names a referrer.
  case referred
  /// `visit streak`: consecutive ISO weeks with a visit, ending with the event's week.
  case visitStreak
}
