extension Money {
  /// The amount's text written byte by byte into a string of its exact length: the sign,
  /// `symbol`, the whole part (with a `,` between groups of three when `grouped`), and the
  /// currency's decimals after a point.
  ///
  /// Why bytes: explanations and till facts format an amount on nearly every event, and building
  /// it from `String(Int)`, `split` and concatenation cost about 6,000 instructions a call. Most
  /// results fit a small string (15 bytes), which allocates nothing.
  func text(symbol: String, grouped: Bool) -> String {
    let decimals = currency.minorDigits
    // The domain `minorScale` works in: more than 18 decimals overflows Int64.
    precondition((0...18).contains(decimals), "\(currency.code) has \(decimals) minor digits; at most 18 are supported")
    let negative = minorUnits < 0
    var magnitude = minorUnits.magnitude
    var digitCount = 1
    var rest = magnitude / 10
    while rest > 0 {
      digitCount += 1
      rest /= 10
    }
    // At least one digit before the point: 5 cents is `0.05`.
    let wholeDigits = max(1, digitCount - decimals)
    let separators = grouped ? (wholeDigits - 1) / 3 : 0
    let symbolBytes = symbol.utf8.count
    let length = (negative ? 1 : 0) + symbolBytes + wholeDigits + separators + (decimals > 0 ? decimals + 1 : 0)
    return String(unsafeUninitializedCapacity: length) { buffer in
      var position = length
      func put(_ byte: UInt8) {
        position -= 1
        buffer[position] = byte
      }
      for _ in 0..<decimals {
        put(48 + UInt8(magnitude % 10))
        magnitude /= 10
      }
      if decimals > 0 { put(46) }
      for written in 0..<wholeDigits {
        if grouped, written > 0, written % 3 == 0 { put(44) }
        put(48 + UInt8(magnitude % 10))
        magnitude /= 10
      }
      var start = negative ? 1 : 0
      if negative { buffer[0] = 45 }
      for byte in symbol.utf8 {
        buffer[start] = byte
        start += 1
      }
      return length
    }
  }
}
