/// An exact amount of money: a whole number of minor units (cents) of one currency.
///
/// Binary floating point never touches money. Arithmetic that could overflow reports it
/// (``adding(_:)`` returns nil) instead of trapping.
public struct Money: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The amount in minor units: 450 for $4.50.
  public var minorUnits: Int64
  /// The currency.
  public var currency: Currency

  /// Creates an amount from minor units.
  public init(minorUnits: Int64, currency: Currency) {
    self.minorUnits = minorUnits
    self.currency = currency
  }

  /// Zero in a currency.
  public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

  /// Parses an exact amount such as `4.50`, `-3`, `$1,234.50` (or `4,50`, `1.234,50 €` with
  /// `mark: .comma`); nil if it is not one, including when it is ambiguous (`1,234`, `4.500`):
  /// the rules are ``DecimalMark``'s and `MoneyText`'s.
  public init?(parsing text: String, currency: Currency, mark: DecimalMark = .point) {
    guard case .success(let minor) = MoneyText.parse(text, currency: currency, mark: mark) else { return nil }
    self.init(minorUnits: minor, currency: currency)
  }

  /// The sum, or nil on overflow.
  public func adding(_ other: Money) -> Money? {
    let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
    return overflow ? nil : Money(minorUnits: sum, currency: currency)
  }

  /// The amount times an exact rate, rounded once; nil on overflow.
  public func multiplied(by rate: ExactDecimal, rounding: RoundingMode) -> Money? {
    rounding.divide(Int128(minorUnits) * Int128(rate.significand), by: rate.denominator)
      .map { Money(minorUnits: $0, currency: currency) }
  }

  /// The amount as a plain decimal without symbol: `4.50`, `-1.25`, `10000.00`.
  public var decimalString: String { text(symbol: "", grouped: false) }

  /// The amount for people: `$4.50`, `€10,000.00`, `-$1.25`.
  public var description: String { text(symbol: currency.symbol, grouped: true) }

  /// Orders amounts of the same currency.
  public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minorUnits < rhs.minorUnits }
}
