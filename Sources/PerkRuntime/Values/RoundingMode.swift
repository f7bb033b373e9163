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
