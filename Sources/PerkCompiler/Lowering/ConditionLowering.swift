import PerkSource
import PerkSyntax

/// Turns a checked condition into a closure composed once at compile time.
///
/// Ordered values travel as `Int128?`: money, points, counts, numbers and percentages scaled
/// by 10^9 (money in major units), dates as day numbers, durations as days, times as minutes.
/// With one fixed scale, `*` is always `a × b / 10^9` and `/` is `a × 10^9 / b`.
/// Constant subexpressions are folded first; no AST or name lookup survives into evaluation.
package struct ConditionLowering<C: ConditionInputs>: Sendable {
  package typealias Predicate = @Sendable (C) -> Bool
  typealias Numeric = @Sendable (C) -> Int128?
  typealias Textual = @Sendable (C) -> String?

  enum Lowered {
    case predicate(Predicate)
    case numeric(Numeric)
    case text(Textual)
  }

  static var scale: Int128 { 1_000_000_000 }
  var minorDigits: Int
  package var tables: LoweringTables

  package init(minorDigits: Int, tables: LoweringTables = LoweringTables()) {
    self.minorDigits = minorDigits
    self.tables = tables
  }

  /// The predicate for a rule's condition; `nil` (no `when`) is always true.
  package mutating func predicate(_ e: TypedExpression?) -> Predicate {
    guard let e else { return { _ in true } }
    if case .predicate(let p) = lower(e) { return p }
    return { _ in false }
  }

  static func weeksToDays(_ weeks: Int64) -> Int64? {
    let (days, overflow) = weeks.multipliedReportingOverflow(by: 7)
    return overflow ? nil : days
  }

  static func fixed(_ d: Exact) -> Int128? {
    guard d.scale >= 0, d.scale <= 9 else { return nil }
    var f: Int128 = 1
    for _ in 0..<(9 - d.scale) { f *= 10 }
    return Int128(d.significand) * f
  }

  func constant(_ c: Constant) -> Lowered {
    switch c {
    case .bool(let b): return .predicate { _ in b }
    case .decimal(let d):
      let v = Self.fixed(d)
      return .numeric { _ in v }
    case .date(let d):
      let v = Int128(civilDayNumber(year: d.year, month: d.month, day: d.day))
      return .numeric { _ in v }
    case .time(let t):
      let v = Int128(t.hour * 60 + t.minute)
      return .numeric { _ in v }
    case .duration(let d):
      let days: Int64? = d.unit == .day ? d.count : (d.unit == .week ? Self.weeksToDays(d.count) : nil)
      let v = days.map { Int128($0) }
      return .numeric { _ in v }
    case .weekday(let w): let v = Int128(w); return .numeric { _ in v }
    case .month(let m): let v = Int128(m); return .numeric { _ in v }
    case .tier(let t): let v = Int128(t); return .numeric { _ in v }
    case .string(let s): return .text { _ in s }
    }
  }

  mutating func lower(_ e: TypedExpression) -> Lowered {
    if let c = Folding.evaluate(e) { return constant(c) }
    switch e.kind {
    case .constant(let c): return constant(c)
    case .quantity(let q): return quantity(q)
    case .not(let x):
      let p = predicate(of: x)
      return .predicate { !p($0) }
    case .negate(let x):
      let n = numeric(of: x)
      return .numeric { n($0).map { -$0 } }
    case .and(let l, let r):
      if Folding.evaluate(l) == .bool(true) { return lower(r) }
      if Folding.evaluate(r) == .bool(true) { return lower(l) }
      let (a, b) = (predicate(of: l), predicate(of: r))
      return .predicate { a($0) && b($0) }
    case .or(let l, let r):
      if Folding.evaluate(l) == .bool(false) { return lower(r) }
      if Folding.evaluate(r) == .bool(false) { return lower(l) }
      let (a, b) = (predicate(of: l), predicate(of: r))
      return .predicate { a($0) || b($0) }
    case .compare(let op, let l, let r):
      return .predicate(compare(op, lower(l), lower(r)))
    case .arithmetic(let op, let l, let r):
      let (a, b) = (numeric(of: l), numeric(of: r))
      let s = Self.scale
      switch op {
      case .add: return .numeric { c in a(c).flatMap { x in b(c).map { x + $0 } } }
      case .subtract: return .numeric { c in a(c).flatMap { x in b(c).map { x - $0 } } }
      case .multiply:
        return .numeric { c in
          guard let x = a(c), let y = b(c) else { return nil }
          let (p, o) = x.multipliedReportingOverflow(by: y)
          return o ? nil : p / s
        }
      default:
        return .numeric { c in
          guard let x = a(c), let y = b(c), y != 0 else { return nil }
          let (p, o) = x.multipliedReportingOverflow(by: s)
          return o ? nil : p / y
        }
      }
    case .between(let x, let low, let high, let negated):
      let (v, lo, hi) = (numeric(of: x), numeric(of: low), numeric(of: high))
      return .predicate { c in
        guard let value = v(c), let l = lo(c), let h = hi(c) else { return false }
        return (l <= value && value <= h) != negated
      }
    case .member(let x, let list, let negated):
      let tests = list.map { compare(.equal, lower(x), lower($0)) }
      return .predicate { c in
        // A missing value is neither in nor out of the list.
        guard tests.contains(where: { $0(c) }) else {
          return negated && !tests.isEmpty && Self.present(c, x: x) ? true : false
        }
        return !negated
      }
    }
  }

  /// Whether a quantity has a value at all (for `not in` with a missing value).
  private static func present(_ c: C, x: TypedExpression) -> Bool {
    guard case .quantity(let q) = x.kind else { return true }
    switch q {
    case .tier: return c.tierIndex != nil
    case .birthdayMonth: return c.birthdayMonth != nil
    case .signupDate: return c.signupDayNumber != nil
    case .segment: return c.segment != nil
    case .store: return c.store != nil
    case .channel: return c.channel != nil
    case .daysSinceLastPurchase: return c.daysSinceLastPurchase != nil
    case .daysSinceSignup: return c.daysSinceSignup != nil
    default: return true
    }
  }

  private mutating func predicate(of e: TypedExpression) -> Predicate {
    if case .predicate(let p) = lower(e) { return p }
    return { _ in false }
  }

  private mutating func numeric(of e: TypedExpression) -> Numeric {
    if case .numeric(let n) = lower(e) { return n }
    return { _ in nil }
  }

  private func compare(_ op: BinaryOperator, _ l: Lowered, _ r: Lowered) -> Predicate {
    switch (l, r) {
    case (.numeric(let a), .numeric(let b)):
      switch op {
      case .equal: return { c in guard let x = a(c), let y = b(c) else { return false }; return x == y }
      case .notEqual: return { c in guard let x = a(c), let y = b(c) else { return false }; return x != y }
      case .less: return { c in guard let x = a(c), let y = b(c) else { return false }; return x < y }
      case .lessEqual: return { c in guard let x = a(c), let y = b(c) else { return false }; return x <= y }
      case .greater: return { c in guard let x = a(c), let y = b(c) else { return false }; return x > y }
      default: return { c in guard let x = a(c), let y = b(c) else { return false }; return x >= y }
      }
    case (.text(let a), .text(let b)):
      if op == .notEqual { return { c in guard let x = a(c), let y = b(c) else { return false }; return x != y } }
      return { c in guard let x = a(c), let y = b(c) else { return false }; return x == y }
    case (.predicate(let a), .predicate(let b)):
      if op == .notEqual { return { a($0) != b($0) } }
      return { a($0) == b($0) }
    default:
      return { _ in false }
    }
  }

  private mutating func quantity(_ q: CheckedQuantity) -> Lowered {
    let s = Self.scale
    var minor: Int128 = 1
    for _ in 0..<max(0, 9 - minorDigits) { minor *= 10 }
    let moneyScale = minor
    switch q {
    case .basketTotal(let f):
      let id = tables.filter(f)
      return .numeric { Int128($0.basketTotal(filter: id)) * moneyScale }
    case .basketItems(let f):
      let id = tables.filter(f)
      return .numeric { Int128($0.basketItems(filter: id)) * s }
    case .weekday: return .numeric { Int128($0.weekday) }
    case .date: return .numeric { Int128($0.dayNumber) }
    case .timeOfDay: return .numeric { Int128($0.minuteOfDay) }
    case .month: return .numeric { Int128($0.month) }
    case .dayOfMonth: return .numeric { Int128($0.dayOfMonth) * s }
    case .tier: return .numeric { $0.tierIndex.map { Int128($0) } }
    case .birthdayMonth: return .numeric { $0.birthdayMonth.map { Int128($0) } }
    case .signupDate: return .numeric { $0.signupDayNumber.map { Int128($0) } }
    case .segment: return .text { $0.segment }
    case .store: return .text { $0.store }
    case .channel: return .text { $0.channel }
    case .daysSinceLastPurchase: return .numeric { $0.daysSinceLastPurchase.map { Int128($0) * s } }
    case .daysSinceSignup: return .numeric { $0.daysSinceSignup.map { Int128($0) * s } }
    case .purchasesSoFar: return .numeric { Int128($0.purchasesSoFar) * s }
    case .balance(let id): return .numeric { Int128($0.balance(currency: id)) * s }
    case .stamps(let id): return .numeric { Int128($0.stamps(card: id)) * s }
    case .spend(let w):
      let id = tables.window(w)
      return .numeric { Int128($0.spend(window: id)) * moneyScale }
    case .visits(let w):
      let id = tables.window(w)
      return .numeric { Int128($0.visits(window: id)) * s }
    case .birthdayWithin(let days): return .predicate { $0.birthdayWithin(days: days) }
    case .anniversaryWithin(let days): return .predicate { $0.anniversaryWithin(days: days) }
    case .firstPurchase: return .predicate { $0.isFirstPurchase }
    case .referred: return .predicate { $0.isReferred }
    // Durations travel as days; a streak counts whole weeks.
    case .visitStreak: return .numeric { Int128($0.visitStreakWeeks) * 7 }
    case .cardSpend(let id): return .numeric { Int128($0.stamps(card: id)) * moneyScale }
    case .afterEvent(.visits(let w)):
      let id = tables.window(w)
      return .numeric { Int128($0.visitsAfterEvent(window: id)) * s }
    case .afterEvent(.spend(let w)):
      let id = tables.window(w)
      return .numeric { Int128($0.spendAfterEvent(window: id)) * moneyScale }
    case .afterEvent(.purchasesSoFar): return .numeric { Int128($0.purchasesSoFarAfterEvent) * s }
    case .afterEvent(let other): return quantity(other)
    }
  }
}
