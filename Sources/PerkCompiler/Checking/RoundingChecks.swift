import PerkRuntime
import PerkSource
import PerkSyntax

/// A checked money rounding: the direction and the unit (nil: the currency's minor unit).
package struct CheckedMoneyRounding: Sendable {
  package var mode: RoundingSyntax
  package var unit: RoundingUnitSyntax?

  /// The runtime form for a currency with `digits` decimals: `to the cent` is 10^(digits-2) minor
  /// units, `to whole units` 10^digits. The checker has refused `to the cent` below two decimals.
  func lowered(digits: Int) -> MoneyRounding {
    var unitMinor: Int64 = 1
    let exponent: Int
    switch unit {
    case nil: exponent = 0
    case .cent?: exponent = max(0, digits - 2)
    case .whole?: exponent = digits
    }
    for _ in 0..<exponent { unitMinor *= 10 }
    return MoneyRounding(mode: PromotionLowering.roundingMode(mode), unitMinor: unitMinor)
  }
}

extension DeclarationChecker {
  /// Checks a money rounding (a discount's or a rebate's) against the program's currency; nil
  /// (reported) when the unit is finer than the currency can express.
  func checkMoneyRounding(_ r: AmountRoundingSyntax?, defaultMode: RoundingSyntax,
                          diagnostics: inout Diagnostics) -> CheckedMoneyRounding? {
    guard let r else { return CheckedMoneyRounding(mode: defaultMode, unit: nil) }
    if let unit = r.unit, unit.value == .cent, program.currency.minorDigits < 2 {
      let digits = program.currency.minorDigits
      diagnostics.append(Diagnostic(
        .roundingUnitTooSmall, "\(program.currency.code) has no cents", at: unit.range,
        label: "smaller than the currency's smallest unit",
        help: "\(program.currency.code) amounts have \(digits) decimal\(digits == 1 ? "" : "s"); "
          + "write `round \(r.mode.value.rawValue)` (to its smallest unit) or `round \(r.mode.value.rawValue) to whole units`"))
      return nil
    }
    return CheckedMoneyRounding(mode: r.mode.value, unit: r.unit?.value)
  }

  /// Checks a rule's `round` clauses: one at most, no unit (points are whole), something to round
  /// (earning per spend or per item, or a `multiply`), and on a `multiply` the same rounding as
  /// every earlier `multiply` rule of that currency, since a multiplied award rounds once.
  func checkRuleRounding(_ r: RuleDeclaration, effects: [CheckedEffect],
                         diagnostics: inout Diagnostics) -> Located<RoundingSyntax>? {
    var first: AmountRoundingSyntax?
    for case .round(let rounding) in r.clauses {
      if let first {
        duplicateClause("round", at: rounding.range, first: first.range, diagnostics: &diagnostics)
        continue
      }
      first = rounding
    }
    guard let rounding = first else { return nil }
    if let unit = rounding.unit {
      diagnostics.append(Diagnostic(
        .roundingUnitOnPoints, "points round to whole points, not to \(unit.value.rawValue)", at: unit.range,
        label: "a unit is for money amounts", help: "remove `to \(unit.value.rawValue)`: `round \(rounding.mode.value.rawValue)`"))
      return nil
    }
    var multiplied: [Int] = []
    var earnsPerAmount = false
    var flat = false
    var percentDiscount = false
    for effect in effects {
      switch effect {
      case .earn(_, _, .flat): flat = true
      case .earn: earnsPerAmount = true
      case .multiply(let currency, _): multiplied.append(currency)
      case .price(.percentOff): percentDiscount = true
      case .voucher, .reward, .price, .earnForReferrer, .message: break
      }
    }
    guard earnsPerAmount || !multiplied.isEmpty else {
      // An effect already refused may have been the earning the clause rounds: say nothing more.
      let effectClauses = r.clauses.filter { if case .effect = $0 { true } else { false } }.count
      guard effects.count == effectClauses else { return nil }
      let (message, help): (String, String)
      if percentDiscount {
        message = "a rule's `round` rounds points, and this rule earns none"
        help = "round the discount on its own line: `discount 15% on basket round half up`"
      } else if flat {
        message = "a flat bonus is whole already"
        help = "remove the `round` clause; `round` is for points earned per spend or per item, or multiplied"
      } else {
        message = "this rule computes no points to round"
        help = "remove the `round` clause"
      }
      diagnostics.append(Diagnostic(.roundingWithoutAmount, message, at: rounding.range, label: "nothing to round", help: help))
      return nil
    }
    for currency in multiplied {
      for other in program.rules {
        guard let theirs = other.pointsRounding, theirs.value != rounding.mode.value,
              other.effects.contains(where: { if case .multiply(currency, _) = $0 { true } else { false } }) else { continue }
        diagnostics.append(Diagnostic(
          .conflictingRounding,
          "rule `\(r.name.text)` multiplies \(program.pointsCurrencies[currency].name) rounding \(rounding.mode.value.rawValue), "
            + "rule `\(other.name)` rounding \(theirs.value.rawValue)",
          at: rounding.range, label: "conflicts with the other `multiply`",
          labels: [.init("rounds \(theirs.value.rawValue) here", at: theirs.range)],
          help: "a multiplied award is rounded once; give every `multiply` of \(program.pointsCurrencies[currency].name) the same `round`, "
            + "or state the rounding on the earning rules instead"))
        return nil
      }
    }
    return Located(rounding.mode.value, range: rounding.range)
  }
}
