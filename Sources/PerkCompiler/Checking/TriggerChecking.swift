import PerkSource
import PerkSyntax

/// Checks for the retention-trigger quantities: date windows, `first purchase`, `referred`,
/// `visit streak` and `reaches`.
extension ExpressionChecker {
  /// A trigger duration in local days; nil for months and years, whose length in days varies.
  static func triggerDays(_ d: DurationLiteral) -> Int64? {
    switch d.unit {
    case .day: return d.count
    case .week:
      let (days, overflow) = d.count.multipliedReportingOverflow(by: 7)
      return overflow ? nil : days
    case .month, .year: return nil
    }
  }

  /// `1 month`, `2 months`.
  static func durationText(_ d: DurationLiteral) -> String { "\(d.count) \(d.unit.rawValue)\(d.count == 1 ? "" : "s")" }

  /// E0521 for `within 2 months`: windows around a date are counted in days.
  func triggerDays(_ d: DurationLiteral, clause: String, range: SourceRange, diagnostics: inout Diagnostics) -> Int64? {
    guard let days = Self.triggerDays(d), days >= 0, days <= 366 * 1_000 else {
      diagnostics.append(Diagnostic(
        .triggerDurationUnit, "`\(clause)` needs days or weeks, found `\(Self.durationText(d))`", at: range,
        label: "not a whole number of days", help: "write the window in days, such as `7 days`"))
      return nil
    }
    return days
  }

  func checkTriggerQuantity(_ q: Quantity, range: SourceRange, diagnostics: inout Diagnostics) -> (CheckedQuantity, Unit)? {
    switch q {
    case .birthdayWithin(let d):
      guard let days = triggerDays(d, clause: "birthday within", range: range, diagnostics: &diagnostics) else { return nil }
      return (.birthdayWithin(days: days), .bool)
    case .anniversaryWithin(let d):
      guard let days = triggerDays(d, clause: "signup anniversary within", range: range, diagnostics: &diagnostics) else { return nil }
      return (.anniversaryWithin(days: days), .bool)
    case .firstPurchase: return (.firstPurchase, .bool)
    case .referred: return (.referred, .bool)
    case .visitStreak: return (.visitStreak, .duration)
    default: return nil
    }
  }

  /// `X reaches T` = `X < T and X-after-this-event >= T`, for quantities an event adds to.
  func checkReaches(_ x: Expression, _ target: Expression, range: SourceRange, diagnostics: inout Diagnostics) -> TypedExpression? {
    guard let tx = check(x, diagnostics: &diagnostics) else {
      _ = check(target, diagnostics: &diagnostics)
      return nil
    }
    guard case .quantity(let q) = tx.kind, Self.accumulates(q) else {
      diagnostics.append(Diagnostic(
        .invalidReaches, "`reaches` needs a quantity the event adds to", at: tx.range,
        label: "this does not grow with the event",
        help: "use `visits …`, `spend …` or `purchases so far`, such as `visits this month reaches 5`"))
      return nil
    }
    guard let tt = check(target, hint: tx.unit, diagnostics: &diagnostics) else { return nil }
    guard comparable(tx.unit, tt.unit, ordered: true) else {
      reportComparison(tx, tt, diagnostics: &diagnostics)
      return nil
    }
    let after = TypedExpression(.quantity(.afterEvent(q)), unit: tx.unit, range: tx.range)
    let before = TypedExpression(.compare(.less, tx, tt), unit: .bool, range: range)
    let reached = TypedExpression(.compare(.greaterEqual, after, tt), unit: .bool, range: range)
    return TypedExpression(.and(before, reached), unit: .bool, range: range)
  }

  /// Quantities whose value after the event is the value before plus the event's own part.
  static func accumulates(_ q: CheckedQuantity) -> Bool {
    switch q {
    case .visits, .spend, .purchasesSoFar: return true
    default: return false
    }
  }

  /// E0521 for `visit streak >= 2 months`: a streak counts weeks, so compare it with days or weeks.
  func checkStreakComparison(_ e: TypedExpression, diagnostics: inout Diagnostics) -> Bool {
    guard case .compare(_, let l, let r) = e.kind else { return true }
    for (side, other) in [(l, r), (r, l)] {
      guard case .quantity(.visitStreak) = side.kind, case .duration(let d)? = Folding.evaluate(other) else { continue }
      if Self.triggerDays(d) == nil {
        diagnostics.append(Diagnostic(
          .triggerDurationUnit, "`visit streak` needs days or weeks, found `\(Self.durationText(d))`", at: other.range,
          label: "months and years differ in length", help: "write the streak in weeks, such as `4 weeks`"))
        return false
      }
    }
    return true
  }
}
