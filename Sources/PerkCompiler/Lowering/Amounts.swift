import PerkSyntax

/// Exact conversions from checked decimals to the integers the runtime stores.
enum Amounts {
  /// Major units (`4.50`) to minor units (450) of a currency with `digits` minor digits;
  /// nil when the amount has more decimals than the currency or does not fit.
  static func minorUnits(_ major: Exact, digits: Int) -> Int64? {
    var value = major.significand
    var scale = major.scale
    while scale > digits {
      guard value % 10 == 0 else { return nil }
      value /= 10
      scale -= 1
    }
    while scale < digits {
      let (m, o) = value.multipliedReportingOverflow(by: 10)
      if o { return nil }
      value = m
      scale += 1
    }
    return value
  }
}
