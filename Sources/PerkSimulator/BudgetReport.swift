import PerkRuntime

/// The program's budgets in the report, when the simulation applies them: each budget's limit,
/// how many rule firings it refused, and the first day it ran short in each of its periods.
enum BudgetPeriods {
  /// The first day of the budget period containing `date` (nil period: the whole run, keyed `ever`).
  static func start(of period: CalendarUnit?, containing date: LocalDate) -> LocalDate? {
    switch period {
    case nil: return nil
    case .day?: return date
    case .week?: return date.startOfWeek
    case .month?: return date.startOfMonth
    case .year?: return date.startOfYear
    }
  }

  static func key(budget: String, periodStart: LocalDate?) -> String { "\(budget)|\(periodStart?.description ?? "ever")" }

  /// `budget|period` keys split back.
  static func split(_ key: String) -> (budget: String, period: String) {
    guard let bar = key.lastIndex(of: "|") else { return (key, "") }
    return (String(key[..<bar]), String(key[key.index(after: bar)...]))
  }
}

/// A budget the simulation applied, as the report names it.
package struct AppliedBudget: Sendable, Equatable {
  package var name: String
  package var limitMinor: Int64
  /// `per month`, `in all`, …
  package var period: String
}

/// One budget's line of the report.
struct BudgetLine {
  var name: String
  var limitMinor: Int64
  var period: String
  var refused: Int64
  /// First day short in each period that ran short, in period order.
  var ranShort: [LocalDate]

  /// Every applied budget with what the run recorded.
  static func lines(_ budgets: [AppliedBudget], figures: Figures) -> [BudgetLine] {
    budgets.map { budget in
      var days: [(String, LocalDate)] = []
      for (key, day) in figures.budgetRanShort {
        let (name, period) = BudgetPeriods.split(key)
        if name == budget.name { days.append((period, LocalDate(dayNumber: day))) }
      }
      days.sort { $0.0 < $1.0 }
      return BudgetLine(name: budget.name, limitMinor: budget.limitMinor, period: budget.period,
                        refused: figures.budgetRefusals[budget.name] ?? 0, ranShort: days.map(\.1))
    }
  }
}

extension Program {
  /// The program's budgets: the program's own (`program`) first, then each rule's, in rule order.
  var budgets: [(name: String, spec: BudgetSpec)] {
    (budget.map { [("program", $0)] } ?? []) + rules.compactMap { rule in rule.stacking.budget.map { (rule.name, $0) } }
  }

  func budgetSpec(named name: String) -> BudgetSpec? { budgets.first { $0.name == name }?.spec }

  /// The budgets as the report names them.
  var appliedBudgets: [AppliedBudget] {
    budgets.map { AppliedBudget(name: $0.name, limitMinor: $0.spec.amountMinor, period: $0.spec.period.map { "per \($0.rawValue)" } ?? "in all") }
  }
}
