import PerkSource

/// An exact decimal number as written: `significand × 10^-scale` (`4.50` is 450, scale 2).
///
/// The syntax layer keeps literals exact without depending on the runtime;
/// Binary floating point never appears on this path.
public struct DecimalLiteral: Hashable, Sendable {
  /// The digits without the decimal point.
  public var significand: Int64
  /// The number of digits after the decimal point.
  public var scale: Int
  /// Creates a decimal literal.
  public init(significand: Int64, scale: Int) {
    self.significand = significand
    self.scale = scale
  }
}

/// A money literal: `$4.50`, `€10,000`, `12.50 USD`.
public struct MoneyLiteral: Hashable, Sendable {
  /// How the currency was written.
  public enum Currency: Hashable, Sendable {
    /// A symbol such as `$`, `€`, `£`; the checker decides which currency it means.
    case symbol(String)
    /// An ISO 4217 code such as `USD`.
    case code(String)
  }
  /// The amount as written.
  public var amount: DecimalLiteral
  /// The currency as written.
  public var currency: Currency
  /// Creates a money literal.
  public init(amount: DecimalLiteral, currency: Currency) {
    self.amount = amount
    self.currency = currency
  }
}

/// A calendar date as written: `2026-11-22`. The lexer has checked that it exists.
public struct DateLiteral: Hashable, Sendable, Comparable {
  /// The year.
  public var year: Int
  /// The month, 1...12.
  public var month: Int
  /// The day, 1...31.
  public var day: Int
  /// Creates a date literal.
  public init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }
  /// Orders dates chronologically.
  public static func < (a: DateLiteral, b: DateLiteral) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }
}

/// A time of day as written: `09:00`, `17:30`. The lexer has checked hours and minutes.
public struct TimeLiteral: Hashable, Sendable {
  /// The hour, 0...23.
  public var hour: Int
  /// The minute, 0...59.
  public var minute: Int
  /// Creates a time-of-day literal.
  public init(hour: Int, minute: Int) {
    self.hour = hour
    self.minute = minute
  }
}

/// The unit of a duration literal.
public enum DurationUnit: String, Hashable, Sendable, CaseIterable {
  /// Calendar days.
  case day
  /// Seven days.
  case week
  /// Calendar months.
  case month
  /// Calendar years.
  case year
}

/// A duration as written: `90 days`, `6 months`, `1 year`.
public struct DurationLiteral: Hashable, Sendable {
  /// How many units.
  public var count: Int64
  /// Which unit.
  public var unit: DurationUnit
  /// Creates a duration literal.
  public init(count: Int64, unit: DurationUnit) {
    self.count = count
    self.unit = unit
  }
}

/// A literal value in an expression.
public enum Literal: Hashable, Sendable {
  /// `$4.50`
  case money(MoneyLiteral)
  /// `3.5%`
  case percent(DecimalLiteral)
  /// `2`, `1.5`
  case number(DecimalLiteral)
  /// `2026-11-22`
  case date(DateLiteral)
  /// `09:00`
  case time(TimeLiteral)
  /// `90 days`
  case duration(DurationLiteral)
  /// `"Birthday drink"`
  case string(String)
  /// `Tuesday` as 1 (Monday) ... 7 (Sunday), ISO 8601 numbering.
  case weekday(Int)
  /// `March` as 1 ... 12.
  case month(Int)
  /// `true` or `false`
  case bool(Bool)
}
