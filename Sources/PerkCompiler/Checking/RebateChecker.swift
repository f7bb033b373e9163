import PerkSource
import PerkSyntax

/// A checked bracket: from `from` (major units, inclusive) at `rate` (a fraction: 2% is 0.02).
package struct CheckedBracket: Sendable {
  package var from: Exact
  package var rate: Exact
}

/// A checked volume rebate.
package struct CheckedRebate: Sendable {
  package var id: Int
  package var name: String
  package var filter: CheckedFilter?
  package var segment: String?
  package var period: RebatePeriodSyntax
  package var mode: RebateBracketMode
  /// Ascending thresholds; a `below X R` line is the bracket from zero.
  package var brackets: [CheckedBracket]
  package var growth: Exact?
  /// Defaults to the measure period.
  package var settle: RebatePeriodUnit
  package var statement: RebatePeriodUnit?
  /// `settle at end of …, paying the difference to date, …`: what a negative difference does (nil: plain settlement).
  package var trueUp: RebateNegativeDifference?
  package var range: SourceRange
  /// `round …`; half even to the minor unit by default.
  package var rounding = CheckedMoneyRounding(mode: .halfEven, unit: nil)
}

extension DeclarationChecker {
  /// Checks a rebate: one measure, increasing brackets with rates from 0% to 100%, settlement no
  /// more often than the measure period, growth compared with the measured period.
  mutating func checkRebate(_ r: RebateDeclaration, diagnostics: inout Diagnostics) {
    guard let id = symbols.id(.rebate, r.name.text), id == program.rebates.count else { return }
    var measure: (filter: ItemFilter?, period: Located<RebatePeriodSyntax>, range: SourceRange)?
    var mode: Located<RebateBracketMode>?
    var brackets: [(syntax: RebateBracketSyntax, from: Exact, rate: Exact)] = []
    var bracketLines = 0
    var growth: (rate: Exact, range: SourceRange)?
    var growthClause: (unit: Located<RebatePeriodUnit>, range: SourceRange)?
    var settle: Located<RebatePeriodUnit>?
    var trueUp: RebateNegativeDifference?
    var roundClause: AmountRoundingSyntax?
    var statement: Located<RebatePeriodUnit>?
    var segment: (name: Name, range: SourceRange)?
    for clause in r.clauses {
      switch clause {
      case .measure(let filter, let period, let range):
        if let first = measure { rebateDuplicate("measure", at: range, first: first.range, diagnostics: &diagnostics); continue }
        measure = (filter, period, range)
      case .brackets(let m):
        if let first = mode {
          rebateDuplicate(m.value.rawValue, at: m.range, first: first.range, what: "bracket mode", diagnostics: &diagnostics)
          continue
        }
        mode = m
      case .bracket(let b):
        bracketLines += 1
        let from = rebateConstant(b.threshold, unit: .money, clause: b.isBelow ? "below" : "from", needs: "money",
                                  example: "€10,000", diagnostics: &diagnostics)
        let rate = rebateRate(b.rate, clause: b.isBelow ? "below" : "from", diagnostics: &diagnostics)
        if let (d, range) = from, d.isNegative {
          diagnostics.append(Diagnostic(.valueOutOfRange, "a bracket threshold cannot be negative", at: range,
                                        label: "this is below zero"))
          continue
        }
        guard let from, let rate else { continue }
        brackets.append((b, from.0, rate))
      case .growth(let rateExpression, let unit, let range):
        if let first = growthClause { rebateDuplicate("growth", at: range, first: first.range, diagnostics: &diagnostics); continue }
        growthClause = (unit, range)
        if let rate = rebateRate(rateExpression, clause: "growth", diagnostics: &diagnostics) { growth = (rate, rateExpression.range) }
      case .round(let r):
        if let first = roundClause { rebateDuplicate("round", at: r.range, first: first.range, diagnostics: &diagnostics); continue }
        roundClause = r
      case .settle(let unit):
        if let first = settle { rebateDuplicate("settle", at: unit.range, first: first.range, diagnostics: &diagnostics); continue }
        settle = unit
      case .trueUp(let unit, let negative):
        if let first = settle { rebateDuplicate("settle", at: unit.range, first: first.range, diagnostics: &diagnostics); continue }
        settle = unit
        trueUp = negative.value
      case .statement(let unit):
        if let first = statement { rebateDuplicate("statement", at: unit.range, first: first.range, diagnostics: &diagnostics); continue }
        statement = unit
      case .segment(let name, let range):
        if let first = segment { rebateDuplicate("for segment", at: range, first: first.range, diagnostics: &diagnostics); continue }
        segment = (name, range)
      case .invalid:
        break
      }
    }
    let broken = r.clauses.contains { if case .invalid = $0 { true } else { false } }
    if measure == nil, !broken {
      diagnostics.append(Diagnostic(.missingClause, "rebate `\(r.name.text)` without a `measure` clause", at: r.name.range,
                                    help: "add an indented line such as `measure net spend per calendar year`"))
    }
    if let mode, bracketLines == 0, !broken {
      diagnostics.append(Diagnostic(.missingClause, "`\(mode.value.rawValue)` without bracket lines", at: mode.range,
                                    help: "list the brackets under it, such as `from €10,000 2%`"))
    }
    if mode == nil, growthClause == nil, !broken {
      diagnostics.append(Diagnostic(.missingClause, "rebate `\(r.name.text)` has no brackets and no `growth` clause",
                                    at: r.name.range,
                                    help: "add `retroactive` with bracket lines such as `from €10,000 2%`, or `growth 1% of spend above last year's`"))
    }
    let checkedBrackets = orderBrackets(brackets, diagnostics: &diagnostics)
    let period = measure?.period.value ?? RebatePeriodSyntax(unit: .year)
    if let measure, let growthClause, growthClause.unit.value != period.unit {
      diagnostics.append(Diagnostic(
        .growthPeriodMismatch, "growth compares with last \(growthClause.unit.value.rawValue) but the rebate measures per \(period.unit.rawValue)",
        at: growthClause.unit.range, label: "not the measured period",
        labels: [.init("measured per \(period.unit.rawValue) here", at: measure.period.range)],
        help: "write `above last \(period.unit.rawValue)'s`"))
    }
    // True-ups settle the difference to date, so they may come before the measure period ends.
    if let measure, let settle, settle.value.months < period.unit.months, trueUp == nil {
      diagnostics.append(Diagnostic(
        .settlementShorterThanMeasure,
        "settlement at end of \(settle.value.rawValue) comes before the \(period.unit.rawValue) the rebate measures ends",
        at: settle.range, label: "shorter than the measure period",
        labels: [.init("measured per \(period.unit.rawValue) here", at: measure.period.range)],
        help: "settle at end of \(period.unit.rawValue) (or later), and use `statement at end of \(settle.value.rawValue)` to report progress"))
    }
    let settleUnit = settle?.value ?? period.unit
    if let statement, statement.value.months >= settleUnit.months {
      diagnostics.append(Diagnostic(
        .redundantStatement, "statements at end of \(statement.value.rawValue) come no more often than settlement",
        at: statement.range, label: "every statement falls on or after a settlement",
        help: "issue statements more often than settlement (`statement at end of quarter`), or remove the clause"))
    }
    let paysNothing = checkedBrackets.allSatisfy { $0.rate.isZero } && (growth.map { $0.rate.isZero } ?? true)
    if paysNothing, !brackets.isEmpty || growth != nil, brackets.count == bracketLines {
      diagnostics.append(Diagnostic(.rebateNeverPays, "rebate `\(r.name.text)` never pays anything", at: r.name.range,
                                    label: "every rate is 0%", help: "give at least one bracket a rate above 0%"))
    }
    program.rebates.append(CheckedRebate(
      id: id, name: r.name.text, filter: expressions.checkFilter(measure?.filter), segment: segment?.name.text,
      period: period, mode: mode?.value ?? .retroactive, brackets: checkedBrackets, growth: growth?.rate,
      settle: settleUnit, statement: statement?.value, trueUp: trueUp, range: r.name.range,
      rounding: checkMoneyRounding(roundClause, defaultMode: .halfEven, diagnostics: &diagnostics)
        ?? CheckedMoneyRounding(mode: .halfEven, unit: nil)))
  }

  /// Checks that thresholds increase (`below` first, then `from` lines strictly above each other,
  /// the first `from` where `below` ends) and returns the brackets from zero up.
  private func orderBrackets(_ brackets: [(syntax: RebateBracketSyntax, from: Exact, rate: Exact)],
                             diagnostics: inout Diagnostics) -> [CheckedBracket] {
    var result: [CheckedBracket] = []
    var below: (syntax: RebateBracketSyntax, from: Exact, rate: Exact)?
    var previous: (syntax: RebateBracketSyntax, from: Exact, rate: Exact)?
    for (index, bracket) in brackets.enumerated() {
      if bracket.syntax.isBelow {
        if index > 0 {
          diagnostics.append(Diagnostic(
            .invalidBracketOrder, "a `below` bracket must be the first", at: bracket.syntax.range,
            label: "after another bracket", labels: [.init("first bracket here", at: brackets[0].syntax.range)],
            help: "`below` sets the rate under the lowest threshold; move it above the `from` lines"))
          continue
        }
        below = bracket
        result.append(CheckedBracket(from: Exact(significand: 0, scale: 0), rate: bracket.rate))
        continue
      }
      if let below, previous == nil, below.from.scaledKey != bracket.from.scaledKey {
        let gap = (bracket.from.scaledKey ?? 0) > (below.from.scaledKey ?? 0)
        diagnostics.append(Diagnostic(
          .bracketGap, "bracket `from` does not start where `below` ends", at: bracket.syntax.threshold.range,
          label: gap ? "volume between the two thresholds has no rate" : "overlaps the `below` bracket",
          labels: [.init("`below` ends here", at: below.syntax.threshold.range)],
          help: "start the first `from` bracket at the `below` threshold"))
      } else if let previous, let a = bracket.from.scaledKey, let b = previous.from.scaledKey, a <= b {
        diagnostics.append(Diagnostic(
          .invalidBracketOrder, "bracket thresholds do not increase", at: bracket.syntax.threshold.range,
          label: "not above the previous bracket", labels: [.init("previous bracket starts here", at: previous.syntax.threshold.range)],
          help: "list brackets from the lowest threshold to the highest, each strictly above the one before"))
        continue
      }
      result.append(CheckedBracket(from: bracket.from, rate: bracket.rate))
      previous = bracket
    }
    return result
  }

  /// A percentage from 0% to 100% (E0526 outside), as a fraction.
  private func rebateRate(_ e: Expression, clause: String, diagnostics: inout Diagnostics) -> Exact? {
    guard let (rate, range) = rebateConstant(e, unit: .percent, clause: clause, needs: "a percentage", example: "2%",
                                              diagnostics: &diagnostics) else { return nil }
    let hundredPercent = Exact(significand: 1, scale: 0).scaledKey ?? 0
    guard let key = rate.scaledKey, key >= 0, key <= hundredPercent else {
      diagnostics.append(Diagnostic(
        .rebateRateOutOfRange, "rebate rate must be from 0% to 100%", at: range,
        label: rate.isNegative ? "below 0%" : "above 100%", help: "a rebate pays a share of the volume, such as `2%`"))
      return nil
    }
    return rate
  }

  /// A constant of `unit`; money must be whole minor units of the program's currency.
  private func rebateConstant(_ e: Expression, unit: Unit, clause: String, needs: String, example: String,
                              diagnostics: inout Diagnostics) -> (Exact, SourceRange)? {
    var expressions = self.expressions
    expressions.checksMinorUnits = false  // reported below, naming the clause
    guard let typed = expressions.check(e, hint: unit, diagnostics: &diagnostics) else { return nil }
    guard typed.unit == unit else {
      if typed.unit != .unknown {
        diagnostics.append(Diagnostic(
          .wrongUnit, "`\(clause)` needs \(needs), found \(describe(typed.unit, names: symbols))", at: typed.range,
          label: "expected \(needs)", help: "write \(needs) here, such as `\(example)`"))
      }
      return nil
    }
    guard case .decimal(let d)? = Folding.evaluate(typed) else {
      diagnostics.append(Diagnostic(.wrongUnit, "`\(clause)` needs a fixed amount", at: typed.range,
                                    help: "write a literal such as `\(example)`"))
      return nil
    }
    if unit == .money, currencyKnown, Amounts.minorUnits(d, digits: program.currency.minorDigits) == nil {
      diagnostics.append(Diagnostic(
        .malformedMoney, "`\(clause)` amount has more decimals than \(program.currency.code) allows", at: typed.range,
        label: "\(program.currency.code) has \(program.currency.minorDigits) decimal places"))
      return nil
    }
    return (d, typed.range)
  }

  private func rebateDuplicate(_ keyword: String, at range: SourceRange, first: SourceRange, what: String? = nil,
                               diagnostics: inout Diagnostics) {
    diagnostics.append(Diagnostic(
      .duplicateClause, what.map { "a second \($0) `\(keyword)`" } ?? "`\(keyword)` given twice", at: range,
      label: "given again here", labels: [.init("first given here", at: first)],
      help: what == nil ? "remove one of them" : "a rebate is either `retroactive` or `incremental`; remove one"))
  }
}
