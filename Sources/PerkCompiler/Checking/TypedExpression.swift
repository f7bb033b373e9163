import PerkSource
import PerkSyntax

/// A quantity with its names resolved to ids.
package enum CheckedQuantity: Hashable, Sendable {
  case basketTotal(CheckedFilter?)
  case basketItems(CheckedFilter?)
  case weekday, date, timeOfDay, month, dayOfMonth, tier, birthdayMonth, signupDate
  case segment, store, channel
  case daysSinceLastPurchase, daysSinceSignup, purchasesSoFar
  case balance(Int)
  case stamps(Int)
  case spend(WindowSyntax)
  case visits(WindowSyntax)
  /// Retention triggers (TriggerQuantities.swift): windows in local days, booleans, streak in weeks.
  case birthdayWithin(days: Int64)
  case anniversaryWithin(days: Int64)
  case firstPurchase, referred, visitStreak
  /// The money collected on a card that collects spend (remainder towards the next threshold).
  case cardSpend(Int)
  /// The quantity once the event's own contribution is counted (for `reaches`).
  indirect case afterEvent(CheckedQuantity)

  /// Quantities that can never be negative, for the never-fires analysis.
  var isNonNegative: Bool {
    switch self {
    case .basketTotal, .basketItems, .daysSinceLastPurchase, .daysSinceSignup, .purchasesSoFar,
      .balance, .stamps, .spend, .visits, .dayOfMonth:
      return true
    default: return false
    }
  }
}

/// A constant value after checking. Money is in major units of the program currency;
/// a percentage is stored as its fraction (`3.5%` is 0.035).
package enum Constant: Hashable, Sendable {
  case bool(Bool)
  case decimal(Exact)
  case date(DateLiteral)
  case time(TimeLiteral)
  case duration(DurationLiteral)
  case weekday(Int)
  case month(Int)
  case tier(Int)
  case string(String)

  /// A key that orders constants of one unit; nil for unordered values.
  var orderKey: Int128? {
    switch self {
    case .decimal(let d): return d.scaledKey
    case .date(let d): return Int128(d.year * 10000 + d.month * 100 + d.day)
    case .time(let t): return Int128(t.hour * 60 + t.minute)
    case .weekday(let w): return Int128(w)
    case .month(let m): return Int128(m)
    case .duration(let d) where d.unit == .day: return Int128(d.count)
    case .duration(let d) where d.unit == .week: return Int128(d.count) * 7
    default: return nil
    }
  }
}

extension DecimalLiteral {
  /// The value × 10^18 as an integer, so decimals of any scale compare exactly.
  var scaledKey: Int128? {
    guard scale >= 0, scale <= 18 else { return nil }
    var factor: Int128 = 1
    for _ in 0..<(18 - scale) { factor *= 10 }
    return Int128(significand) * factor
  }
  var isZero: Bool { significand == 0 }
  var isNegative: Bool { significand < 0 }
  /// The value as a whole number, if it is one.
  var wholeValue: Int64? {
    var s = significand
    for _ in 0..<max(0, scale) {
      guard s % 10 == 0 else { return nil }
      s /= 10
    }
    return s
  }
}

/// A checked expression: its structure, its unit and its source range.
package struct TypedExpression: Hashable, Sendable {
  package indirect enum Kind: Hashable, Sendable {
    case constant(Constant)
    case quantity(CheckedQuantity)
    case not(TypedExpression)
    case negate(TypedExpression)
    case and(TypedExpression, TypedExpression)
    case or(TypedExpression, TypedExpression)
    case compare(BinaryOperator, TypedExpression, TypedExpression)
    case arithmetic(BinaryOperator, TypedExpression, TypedExpression)
    case between(TypedExpression, low: TypedExpression, high: TypedExpression, negated: Bool)
    case member(TypedExpression, of: [TypedExpression], negated: Bool)
  }
  package var kind: Kind
  package var unit: Unit
  package var range: SourceRange

  package init(_ kind: Kind, unit: Unit, range: SourceRange) {
    self.kind = kind
    self.unit = unit
    self.range = range
  }

  var constant: Constant? {
    if case .constant(let c) = kind { return c }
    return nil
  }
}
