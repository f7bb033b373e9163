/// Ratios of exact integers, formatted by hand: binary floating point never touches money.
package enum Percent {
  /// `part / whole` as a percentage with two decimals, rounded half up: `2.70%`; `—` when `whole` is 0.
  package static func of(_ part: Int64, _ whole: Int64, digits: Int = 2) -> String {
    guard whole != 0 else { return "—" }
    return decimal(Int64(clamping: Int128(part) * 100), whole, digits: digits) + "%"
  }

  /// `numerator / denominator` in decimal with `digits` decimals, rounded half away from zero.
  package static func decimal(_ numerator: Int64, _ denominator: Int64, digits: Int, trim: Bool = false) -> String {
    guard denominator != 0 else { return "—" }
    var scale: Int128 = 1
    for _ in 0..<digits { scale *= 10 }
    let negative = (numerator < 0) != (denominator < 0) && numerator != 0
    let n = Int128(numerator).magnitude
    let d = Int128(denominator).magnitude
    let scaled = (n * UInt128(scale) * 2 + d) / (d * 2)
    let whole = scaled / UInt128(scale)
    // No digits, no fraction: `15%`, not `15.0%`.
    var fraction = digits == 0 ? "" : String(scaled % UInt128(scale))
    fraction = String(repeating: "0", count: max(0, digits - fraction.count)) + fraction
    if trim { while fraction.hasSuffix("0") { fraction.removeLast() } }
    let body = fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    return (negative && scaled != 0 ? "-" : "") + body
  }

  /// Groups thousands: `1,234,567`.
  package static func grouped(_ value: Int64) -> String {
    var digits = String(value.magnitude)
    var out = ""
    while digits.count > 3 {
      out = "," + digits.suffix(3) + out
      digits.removeLast(3)
    }
    return (value < 0 ? "-" : "") + digits + out
  }
}
