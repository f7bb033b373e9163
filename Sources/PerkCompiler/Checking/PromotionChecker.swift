import PerkSource
import PerkSyntax

/// Which lines a checked discount changes.
package enum CheckedDiscountTarget: Sendable {
  case basket
  case lines(CheckedFilter)
  case perItem(CheckedFilter?)
}

/// A checked price effect; amounts in major units, percentages as fractions.
package enum CheckedPriceEffect: Sendable {
  case percentOff(fraction: Exact, target: CheckedDiscountTarget, rounding: CheckedMoneyRounding)
  case amountOff(amount: Exact, target: CheckedDiscountTarget)
  case deal(buy: Int64, payFor: Int64, filter: CheckedFilter?, acrossBasket: Bool)
  case freeItem(cheapest: Bool, filter: CheckedFilter?)
}

package struct CheckedCap: Sendable {
  package var currency: Int
  package var amount: Int64
  package var period: CapPeriodSyntax
}

package struct CheckedBudget: Sendable {
  /// Major units of the program currency.
  package var amount: Exact
  package var period: CapPeriodSyntax
}

package struct CheckedStacking: Sendable {
  package var priority: Int64 = 0
  package var group: Located<String>?
  package var bestOf = false
  package var caps: [CheckedCap] = []
  package var budget: CheckedBudget?
  package init() {}
}

extension DeclarationChecker {
  /// `discount …`, `buy … pay for …`, `cheapest item … is free`.
  func checkPriceEffect(_ effect: PriceEffectSyntax, diagnostics: inout Diagnostics) -> CheckedEffect? {
    switch effect {
    case .discount(let amount, let target, let rounding, _):
      guard let typed = expressions.check(amount, diagnostics: &diagnostics) else { return nil }
      let checkedTarget: CheckedDiscountTarget
      switch target {
      case .basket: checkedTarget = .basket
      case .lines(let f):
        guard let filter = expressions.checkFilter(f) else { return nil }
        checkedTarget = .lines(filter)
      case .perItem(let f): checkedTarget = .perItem(expressions.checkFilter(f))
      }
      if typed.unit == .percent {
        guard let fraction = nonNegative(constant(amount, unit: .percent, clause: "discount", needs: "a percentage or money",
                                                  example: "15%", diagnostics: &diagnostics),
                                         clause: "discount", diagnostics: &diagnostics) else { return nil }
        if let key = fraction.scaledKey, let one = Exact(significand: 1, scale: 0).scaledKey, key > one {
          diagnostics.append(Diagnostic(.discountOverWhole, "a discount of more than 100% would pay the customer", at: typed.range,
                                        label: "above 100%", help: "write at most `100%`"))
          return nil
        }
        guard let checkedRounding = checkMoneyRounding(rounding, defaultMode: .halfEven, diagnostics: &diagnostics) else {
          return nil
        }
        return .price(.percentOff(fraction: fraction, target: checkedTarget, rounding: checkedRounding))
      }
      if typed.unit == .money {
        guard let value = nonNegative(constant(amount, unit: .money, clause: "discount", needs: "a percentage or money",
                                               example: "$5", diagnostics: &diagnostics),
                                      clause: "discount", diagnostics: &diagnostics) else { return nil }
        if let r = rounding {
          diagnostics.append(Diagnostic(.valueOutOfRange, "a money discount needs no rounding", at: r.range,
                                        help: "only percentage discounts are rounded; remove `round \(r.mode.value.rawValue)`"))
          return nil
        }
        return .price(.amountOff(amount: value, target: checkedTarget))
      }
      if typed.unit != .unknown {
        wrongUnit("discount", needs: "a percentage or money", found: typed, example: "15%", diagnostics: &diagnostics)
      }
      return nil
    case .deal(let buy, let filter, let payFor, let acrossBasket, let range):
      guard let n = whole(buy, clause: "buy", minimum: 1, example: "3", diagnostics: &diagnostics),
            let m = whole(payFor, clause: "pay for", minimum: 0, example: "2", diagnostics: &diagnostics) else { return nil }
      guard m < n else {
        diagnostics.append(Diagnostic(.invalidDeal, "`buy \(n) pay for \(m)` makes nothing free", at: range,
                                      label: "pays for every unit", help: "pay for fewer units than are bought, such as `buy 3 pay for 2`"))
        return nil
      }
      guard m > 0 else {
        diagnostics.append(Diagnostic(.invalidDeal, "`buy \(n) pay for 0` makes every unit free", at: range,
                                      label: "pays for nothing", help: "to give items away, write `cheapest item … is free` or a discount of 100%"))
        return nil
      }
      return .price(.deal(buy: n, payFor: m, filter: expressions.checkFilter(filter), acrossBasket: acrossBasket))
    case .freeItem(let cheapest, let filter, _):
      return .price(.freeItem(cheapest: cheapest, filter: expressions.checkFilter(filter)))
    }
  }

  /// `priority`, `group`, `best of`, `cap`, `budget` in a rule.
  mutating func checkStacking(_ clause: StackingClauseSyntax, into stacking: inout CheckedStacking,
                              seen: inout [String: SourceRange], diagnostics: inout Diagnostics) {
    let keyword: String
    switch clause {
    case .priority: keyword = "priority"
    case .group, .bestOf: keyword = "group"
    case .cap: keyword = ""
    case .budget: keyword = "budget"
    }
    if !keyword.isEmpty {
      if let first = seen[keyword] {
        duplicateClause(keyword == "group" ? "group` or `best of" : keyword, at: clause.range, first: first, diagnostics: &diagnostics)
        return
      }
      seen[keyword] = clause.range
    }
    switch clause {
    case .priority(let e, _):
      guard let (d, range) = constant(e, unit: .number, clause: "priority", needs: "a whole number", example: "10",
                                      diagnostics: &diagnostics) else { return }
      guard let n = d.wholeValue else {
        diagnostics.append(Diagnostic(.valueOutOfRange, "`priority` needs a whole number", at: range,
                                      help: "write a whole number such as `10`; higher goes first"))
        return
      }
      stacking.priority = n
    case .group(let name, _):
      stacking.group = Located(name.text, range: name.range)
    case .bestOf(let name, _):
      stacking.group = Located(name.text, range: name.range)
      stacking.bestOf = true
    case .cap(let cap):
      guard let currencyName = cap.currency,
            let currency = symbols.resolve(.points, currencyName, diagnostics: &diagnostics) else { return }
      if let checked = checkCap(cap, currency: currency, diagnostics: &diagnostics) { stacking.caps.append(checked) }
    case .budget(let amount, let period, _):
      stacking.budget = checkBudget(amount, period: period, diagnostics: &diagnostics)
    }
  }

  /// A cap's amount (whole points, above zero) and period.
  func checkCap(_ cap: CapSyntax, currency: Int, diagnostics: inout Diagnostics) -> CheckedCap? {
    guard let (d, range) = constant(cap.amount, unit: .number, clause: "cap", needs: "a whole number of points", example: "300",
                                    diagnostics: &diagnostics) else { return nil }
    guard let n = d.wholeValue, n >= 0 else {
      diagnostics.append(Diagnostic(.valueOutOfRange, "`cap` needs a whole number of points", at: range,
                                    help: "write a whole number such as `300`"))
      return nil
    }
    if n == 0 {
      diagnostics.append(Diagnostic(.zeroCap, "a cap of zero takes away every point it covers", at: cap.range,
                                    label: "nothing can be earned under this cap",
                                    help: "remove the earning instead, or cap at more than zero"))
      return nil
    }
    if case .ever = cap.period.value { return nil }  // the parser never builds it
    return CheckedCap(currency: currency, amount: n, period: cap.period.value)
  }

  /// A budget's amount (money above zero) and period.
  func checkBudget(_ amount: Expression, period: Located<CapPeriodSyntax>, diagnostics: inout Diagnostics) -> CheckedBudget? {
    guard let value = nonNegative(constant(amount, unit: .money, clause: "budget", needs: "money", example: "$10,000",
                                           diagnostics: &diagnostics), clause: "budget", diagnostics: &diagnostics) else { return nil }
    if value.isZero {
      diagnostics.append(Diagnostic(.zeroBudget, "a budget of zero never lets anything be given", at: amount.range,
                                    label: "nothing can be spent", help: "remove the rule, or give it a budget above zero"))
      return nil
    }
    return CheckedBudget(amount: value, period: period.value)
  }

  /// Groups: one mode per group (E0517); a rule that can never be chosen (W0108); a group of one (W0109).
  func checkGroups(diagnostics: inout Diagnostics) {
    var order: [String] = []
    var members: [String: [CheckedRule]] = [:]
    for rule in program.rules {
      guard let group = rule.stacking.group else { continue }
      if members[group.value] == nil { order.append(group.value) }
      members[group.value, default: []].append(rule)
    }
    for group in order {
      let rules = members[group] ?? []
      if let exclusive = rules.first(where: { !$0.stacking.bestOf }), let best = rules.first(where: { $0.stacking.bestOf }),
         let at = (exclusive.id > best.id ? exclusive : best).stacking.group, let first = (exclusive.id > best.id ? best : exclusive).stacking.group {
        diagnostics.append(Diagnostic(
          .conflictingGroupMode, "group `\(group)` is used with both `group` and `best of`", at: at.range,
          label: "used here with `\((exclusive.id > best.id) ? "group" : "best of")`", labels: [.init("used here with `\((exclusive.id > best.id) ? "best of" : "group")`", at: first.range)],
          help: "write `group \(group)` (highest priority wins) or `best of \(group)` (best for the customer wins) in every rule of the group"))
        continue
      }
      if rules.count == 1, let only = rules.first, let at = only.stacking.group {
        diagnostics.append(Diagnostic(
          .singleRuleGroup, "group `\(group)` has only rule `\(only.name)`", at: at.range,
          label: "nothing to choose between", help: "put the rules that exclude each other in the same group, or remove the clause"))
        continue
      }
      guard !(rules.first?.stacking.bestOf ?? true) else { continue }
      // Priority groups: a member that always fires hides every member after it in stacking order.
      let ordered = rules.sorted { $0.stacking.priority != $1.stacking.priority ? $0.stacking.priority > $1.stacking.priority : $0.id < $1.id }
      if let winner = ordered.first(where: { $0.condition == nil && $0.limits.isEmpty && $0.stacking.budget == nil }) {
        for loser in ordered.drop(while: { $0.id != winner.id }).dropFirst() where loser.trigger == winner.trigger {
          guard let at = loser.stacking.group else { continue }
          diagnostics.append(Diagnostic(
            .unreachableInGroup, "rule `\(loser.name)` never fires: `\(winner.name)` always wins group `\(group)`", at: at.range,
            labels: [.init("`\(winner.name)` has no condition and comes first", at: winner.range)],
            help: "give `\(loser.name)` a higher `priority`, or give `\(winner.name)` a condition"))
        }
      }
    }
  }
}
