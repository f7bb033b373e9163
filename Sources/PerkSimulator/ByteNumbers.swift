/// Whole numbers read straight from bytes: no `String` per field, no floating point (amounts
/// are `MoneyText`'s).
enum ByteNumbers {
  /// A whole number such as `3` or `-2`; nil if it is anything else or does not fit.
  // Inlined: every quantity of a history.
  @inline(__always)
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
}
