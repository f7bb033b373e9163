import PerkRuntime

/// What rule and program budgets have spent, all customers together; pass it to
/// `evaluate(_:customer:state:budgets:)` for every event.
public typealias BudgetLedger = PerkRuntime.BudgetLedger
/// A rule that would have fired but whose budget had too little left.
public typealias BudgetShortfall = PerkRuntime.BudgetShortfall
