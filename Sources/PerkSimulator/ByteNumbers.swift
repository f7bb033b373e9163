/// Numbers read straight from bytes: no `String` per field, no floating point.
enum ByteNumbers {
  /// A whole number such as `3` or `-2`; nil if it is anything else or does not fit.
  static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
    var i = 0
    var negative = false
    if i < bytes.count, bytes[i] == 45 || bytes[i] == 43 { negative = bytes[i] == 45; i += 1 }
    guard i < bytes.count else { return nil }
    var value: Int64 = 0
    while i < bytes.count {
      let byte = bytes[i]
      guard byte >= 48, byte <= 57 else { return nil }
      let (times, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times.addingReportingOverflow(Int64(byte - 48))
      guard !o1, !o2 else { return nil }
      value = sum
      i += 1
    }
    return negative ? -value : value
  }

  /// An exact amount in minor units: `4.50`, `-3`, `$1,500.25`, `€7`; trailing zeros beyond the
  /// currency's digits are fine (`4.500`), other extra digits are not (they would need rounding).
  static func money(_ bytes: UnsafeBufferPointer<UInt8>, minorDigits: Int) -> Int64? {
    var i = 0
    let n = bytes.count
    var negative = false
    if i < n, bytes[i] == 45 { negative = true; i += 1 }
    // A currency symbol before the digits (`$`, `€`, `USD `) is skipped.
    while i < n, !(bytes[i] >= 48 && bytes[i] <= 57), bytes[i] != 46, bytes[i] != 45 { i += 1 }
    if !negative, i < n, bytes[i] == 45 { negative = true; i += 1 }
    var value: Int64 = 0
    var sawDigit = false
    var fractionDigits = -1
    var extraNonZero = false
    while i < n {
      let byte = bytes[i]
      if byte == 44, fractionDigits < 0 { i += 1; continue }
      if byte == 46 {
        guard fractionDigits < 0 else { return nil }
        fractionDigits = 0
        i += 1
        continue
      }
      guard byte >= 48, byte <= 57 else { return nil }
      sawDigit = true
      if fractionDigits >= 0 {
        if fractionDigits >= minorDigits {
          if byte != 48 { extraNonZero = true }
          i += 1
          continue
        }
        fractionDigits += 1
      }
      let (times, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times.addingReportingOverflow(Int64(byte - 48))
      guard !o1, !o2 else { return nil }
      value = sum
      i += 1
    }
    guard sawDigit, !extraNonZero else { return nil }
    var scaleUp = minorDigits - max(0, fractionDigits)
    while scaleUp > 0 {
      let (times, overflow) = value.multipliedReportingOverflow(by: 10)
      guard !overflow else { return nil }
      value = times
      scaleUp -= 1
    }
    return negative ? -value : value
  }
}
