import PerkRuntime
import PerkSource
import PerkSyntax

/// Lowers a checked rebate to the runtime's ``RebateSpec``: thresholds in minor units, rates as
/// exact fractions, periods as months from the measure year's first day.
///
/// Returns nil only for an amount the checker has already refused.
func rebateSpec(_ rebate: CheckedRebate, digits: Int, filter: Int?, location: SourceLocation?) -> RebateSpec? {
  var brackets: [RebateSpec.Bracket] = []
  for bracket in rebate.brackets {
    guard let from = Amounts.minorUnits(bracket.from, digits: digits) else { return nil }
    brackets.append(RebateSpec.Bracket(fromMinor: from, rate: ExactDecimal(significand: bracket.rate.significand,
                                                                            scale: bracket.rate.scale)))
  }
  let anchor = rebate.period.fiscalStart ?? RebatePeriodSyntax.FiscalStart(month: 1, day: 1)
  var spec = RebateSpec(
    name: rebate.name, location: location, filter: filter, segment: rebate.segment,
    periodMonths: rebate.period.unit.months, anchorMonth: anchor.month, anchorDay: anchor.day,
    mode: rebate.mode == .retroactive ? .retroactive : .incremental, brackets: brackets,
    growthRate: rebate.growth.map { ExactDecimal(significand: $0.significand, scale: $0.scale) },
    settleMonths: max(rebate.settle.months, rebate.period.unit.months), statementMonths: rebate.statement?.months)
  spec.rounding = rebate.rounding.lowered(digits: digits)
  // A true-up no more often than the measure period is the plain settlement: nothing was paid before it.
  if let negative = rebate.trueUp, rebate.settle.months < rebate.period.unit.months {
    let policy: RebateSpec.NegativeDifference = switch negative {
    case .clawedBack: .clawedBack
    case .carriedForward: .carriedForward
    case .forgiven: .forgiven
    }
    spec.trueUp = RebateSpec.TrueUp(months: rebate.settle.months, negative: policy)
  }
  return spec
}
