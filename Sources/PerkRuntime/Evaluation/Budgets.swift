/// What rule and program budgets have spent, all customers together.
///
/// Budgets are shared across customers, so they cannot live in one customer's
/// ``AccountState``: the caller keeps one ledger per program and passes it to
/// ``Program/evaluate(_:customer:state:budgets:)`` for every event, in event order.
/// Spending is counted per budget and per period (keyed by the period's first local day).
public struct BudgetLedger: Hashable, Sendable, Codable {
  /// Minor units spent, by budget (`rule NAME` or `program`) and period (`2026-11-01`, or `ever`).
  public private(set) var spent: [String: [String: Int64]] = [:]

  /// An unspent ledger.
  public init() {}

  /// Minor units the rule's budget (nil: the program's) has spent in the period containing `date`.
  public func spent(rule: String?, on date: LocalDate, in program: Program) -> Int64 {
    let budget = rule.flatMap { name in program.rules.first { $0.name == name }?.stacking.budget } ?? program.budget
    return spent[BudgetLedger.key(rule)]?[BudgetLedger.period(budget?.period, date)] ?? 0
  }

  static func key(_ rule: String?) -> String { rule.map { "rule \($0)" } ?? "program" }

  static func period(_ unit: CalendarUnit?, _ date: LocalDate) -> String {
    guard let unit else { return "ever" }
    return WorkingState.start(of: .calendar(unit), today: date).description
  }

  func spent(_ key: String, _ period: String) -> Int64 { spent[key]?[period] ?? 0 }

  mutating func record(_ key: String, _ period: String, _ amount: Int64) {
    let (sum, overflow) = spent(key, period).addingReportingOverflow(amount)
    spent[key, default: [:]][period] = overflow ? Int64.max : sum
  }
}

/// A rule that would have fired but whose budget (or the program's) had too little left.
public struct BudgetShortfall: Hashable, Sendable {
  /// The rule that did not fire.
  public var rule: String
  /// Whose budget: the rule's own (`rule`) or the program's (`program`).
  public var budget: String
  /// What the firing would have cost.
  public var needed: Money
  /// What the budget had left in its period.
  public var remaining: Money

  /// Creates a shortfall.
  public init(rule: String, budget: String, needed: Money, remaining: Money) {
    self.rule = rule
    self.budget = budget
    self.needed = needed
    self.remaining = remaining
  }
}

extension EvaluationRun {
  /// The day whose budget periods an event charges: the program's own local day, since a
  /// budget is shared by every customer whatever zone their calendar runs in.
  var budgetDay: LocalDate {
    program.calendarInCustomerZones ? program.timeZone.localTime(of: event.time).date : today
  }

  /// Applies the firing rules, dropping those their budgets cannot pay for, then charges the budgets.
  mutating func applyWithinBudgets(_ ordered: [Int]) throws(EvaluationError) {
    guard program.hasBudgets else {
      try applyFiring(ordered)
      return
    }
    var firing = ordered
    let start = awards.count
    while true {
      var run = self
      try run.applyFiring(firing)
      // Each rule's own budget, in stacking order.
      var refused: Int?
      var costs: [Int: Int64] = [:]
      for index in firing {
        let rule = program.rules[index]
        let cost = run.customerValue(from: start, rule: rule)
        costs[index] = cost
        guard let budget = rule.stacking.budget, cost > 0 else { continue }
        let left = budget.amountMinor - promotions.budgets.spent(BudgetLedger.key(rule.name), BudgetLedger.period(budget.period, budgetDay))
        if cost > left {
          refused = index
          promotions.shortfalls.append(BudgetShortfall(rule: rule.name, budget: "rule", needed: money(cost), remaining: money(max(left, 0))))
          break
        }
      }
      // The program's budget: the rules last in stacking order give way first.
      if refused == nil, let budget = program.budget {
        var left = budget.amountMinor - promotions.budgets.spent(BudgetLedger.key(nil), BudgetLedger.period(budget.period, budgetDay))
        for index in firing {
          let cost = costs[index] ?? 0
          if cost > left {
            refused = index
            promotions.shortfalls.append(BudgetShortfall(rule: program.rules[index].name, budget: "program",
                                                         needed: money(cost), remaining: money(max(left, 0))))
            break
          }
          left -= cost
        }
      }
      if let refused {
        firing.removeAll { $0 == refused }
        continue
      }
      // Everything fits: keep this run and charge the budgets.
      let shortfalls = promotions.shortfalls
      self = run
      promotions.shortfalls = shortfalls
      for index in firing {
        let cost = costs[index] ?? 0
        guard cost > 0 else { continue }
        if let budget = program.rules[index].stacking.budget {
          promotions.budgets.record(BudgetLedger.key(program.rules[index].name), BudgetLedger.period(budget.period, budgetDay), cost)
        }
        if let budget = program.budget {
          promotions.budgets.record(BudgetLedger.key(nil), BudgetLedger.period(budget.period, budgetDay), cost)
        }
      }
      return
    }
  }
}
