import PerkRuntime
import PerkSyntax

/// Lowers price effects, caps, budgets and stacking clauses into the runtime's specs.
enum PromotionLowering {
  static func priceEffect(_ effect: CheckedPriceEffect, digits: Int, tables: inout LoweringTables) -> PriceEffectSpec? {
    func target(_ t: CheckedDiscountTarget) -> DiscountTargetSpec {
      switch t {
      case .basket: return .basket
      case .lines(let f): return tables.filter(f).map { .lines(filter: $0) } ?? .basket
      case .perItem(let f): return .perItem(filter: tables.filter(f))
      }
    }
    switch effect {
    case .percentOff(let fraction, let t, let r):
      return .percentOff(fraction: ExactDecimal(significand: fraction.significand, scale: fraction.scale), target: target(t),
                         rounding: r.lowered(digits: digits))
    case .amountOff(let amount, let t):
      guard let minor = Amounts.minorUnits(amount, digits: digits) else { return nil }
      return .amountOff(minor: minor, target: target(t))
    case .deal(let buy, let payFor, let f, let acrossBasket):
      return .deal(buy: buy, payFor: payFor, filter: tables.filter(f), acrossBasket: acrossBasket)
    case .freeItem(let cheapest, let f):
      return .freeItem(cheapest: cheapest, filter: tables.filter(f))
    }
  }

  static func cap(_ cap: CheckedCap) -> CapSpec? {
    switch cap.period {
    case .transaction: return CapSpec(currency: cap.currency, amount: cap.amount, period: .transaction)
    case .calendar(let unit): return CapSpec(currency: cap.currency, amount: cap.amount, period: .calendar(calendar(unit)))
    case .ever: return nil
    }
  }

  static func budget(_ budget: CheckedBudget?, digits: Int) -> BudgetSpec?? {
    guard let budget else { return .some(nil) }
    guard let minor = Amounts.minorUnits(budget.amount, digits: digits) else { return nil }
    switch budget.period {
    case .calendar(let unit): return BudgetSpec(amountMinor: minor, period: calendar(unit))
    case .ever, .transaction: return BudgetSpec(amountMinor: minor, period: nil)
    }
  }

  /// The runtime form of a rule's stacking clauses; nil when an amount cannot be represented.
  static func stacking(_ s: CheckedStacking, digits: Int) -> StackingSpec? {
    guard let budget = budget(s.budget, digits: digits) else { return nil }
    return StackingSpec(priority: s.priority, group: s.group?.value, bestOf: s.bestOf,
                        caps: s.caps.compactMap(cap), budget: budget)
  }

  static func calendar(_ u: DurationUnit) -> CalendarUnit {
    switch u {
    case .day: return .day
    case .week: return .week
    case .month: return .month
    case .year: return .year
    }
  }

  static func roundingMode(_ r: RoundingSyntax) -> RoundingMode {
    switch r {
    case .down: return .down
    case .up: return .up
    case .halfUp: return .halfUp
    case .halfEven: return .halfEven
    }
  }
}
