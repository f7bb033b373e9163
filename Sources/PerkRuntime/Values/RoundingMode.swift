/// How an exact amount becomes a whole number of points or minor units.
public enum RoundingMode: String, Hashable, Sendable, Codable {
  /// Towards zero (the default for points: nobody earns a point they did not fully earn).
  case down
  /// Away from zero.
  case up
  /// To the nearest; halves away from zero.
  case halfUp = "half up"
  /// To the nearest; halves to the even neighbour (banker's rounding).
  case halfEven = "half even"

  /// Divides exactly and rounds once. Returns nil when the result does not fit in `Int64`.
  package func divide(_ numerator: Int128, by denominator: Int128) -> Int64? {
    guard denominator != 0 else { return nil }
    var n = numerator
    var d = denominator
    if d < 0 { n = -n; d = -d }
    let quotient = n / d
    let remainder = n % d
    var result = quotient
    if remainder != 0 {
      let negative = n < 0
      let twice = (remainder < 0 ? -remainder : remainder) * 2
      switch self {
      case .down: break
      case .up: result += negative ? -1 : 1
      case .halfUp: if twice >= d { result += negative ? -1 : 1 }
      case .halfEven:
        if twice > d || (twice == d && quotient % 2 != 0) { result += negative ? -1 : 1 }
      }
    }
    guard result >= Int128(Int64.min), result <= Int128(Int64.max) else { return nil }
    return Int64(result)
  }
}

/// How an exact money amount becomes a whole number of rounding units: `round half up to whole
/// units` is `.halfUp` with `unitMinor` 100 in a currency with cents.
public struct MoneyRounding: Hashable, Sendable, Codable {
  /// The direction.
  public var mode: RoundingMode
  /// The unit rounded to, in minor units: 1 for the minor unit (the cent), 10^digits for whole units.
  public var unitMinor: Int64

  /// Creates a money rounding; `unitMinor` below 1 is taken as 1.
  public init(mode: RoundingMode, unitMinor: Int64 = 1) {
    self.mode = mode
    self.unitMinor = max(1, unitMinor)
  }

  /// Divides exactly and rounds once to a multiple of `unitMinor`; the result is in minor units.
  /// Returns nil when the result does not fit in `Int64`.
  package func divide(_ numerator: Int128, by denominator: Int128) -> Int64? {
    guard unitMinor > 1 else { return mode.divide(numerator, by: denominator) }
    let (wide, overflow) = denominator.multipliedReportingOverflow(by: Int128(unitMinor))
    guard !overflow, let units = mode.divide(numerator, by: wide) else { return nil }
    let (minor, o2) = units.multipliedReportingOverflow(by: unitMinor)
    return o2 ? nil : minor
  }

}

/// An exact decimal `significand × 10^-scale`, for rates and multipliers (`1.5`, `3.5%` as 0.035).
public struct ExactDecimal: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The digits without the decimal point.
  public var significand: Int64
  /// The number of digits after the decimal point.
  public var scale: Int

  /// Creates an exact decimal.
  public init(significand: Int64, scale: Int) {
    self.significand = significand
    self.scale = scale
  }

  /// One.
  public static let one = ExactDecimal(significand: 1, scale: 0)

  /// 10^scale as a wide integer.
  package var denominator: Int128 {
    var d: Int128 = 1
    for _ in 0..<scale { d *= 10 }
    return d
  }

  /// The decimal as written, without trailing zeros after the point: `1.5`, `2`.
  public var description: String {
    // Written as numbers (whole part, then the fraction without its trailing zeros): the string
    // edits below cost about 1,200 instructions for `1.5`, and a till event writes a rate and a
    // multiplier into each earning explanation. The same text as the edits, which remain for
    // what the numbers cannot hold (ExactDecimalTextTests compares the two).
    if scale >= 0, scale <= 18, significand != .min {
      var unit: Int64 = 1
      for _ in 0..<scale { unit *= 10 }
      let magnitude = significand.magnitude
      let whole = Int64(magnitude / UInt64(unit))
      var fraction = Int64(magnitude % UInt64(unit))
      var places = scale
      while fraction != 0, fraction % 10 == 0 {
        fraction /= 10
        places -= 1
      }
      return TextWriter.assemble { text in
        if significand < 0 { text.write("-") }
        text.write(whole)
        guard fraction != 0 else { return }
        text.write(".")
        // Leading zeros of the fraction (`0.035`): its digits fill `places`.
        var digits = 1
        var rest = fraction / 10
        while rest > 0 {
          digits += 1
          rest /= 10
        }
        for _ in digits..<places { text.write("0") }
        text.write(fraction)
      }
    }
    return editedDescription
  }

  /// ``description`` by string edits: the reference for the fast path, and what a scale the
  /// numbers cannot hold gets.
  var editedDescription: String {
    var digits = String(significand.magnitude)
    if scale > 0 {
      while digits.count <= scale { digits = "0" + digits }
      digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
      while digits.hasSuffix("0") { digits.removeLast() }
      if digits.hasSuffix(".") { digits.removeLast() }
    }
    return (significand < 0 ? "-" : "") + digits
  }
}
