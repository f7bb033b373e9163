import PerkSource
import PerkSyntax

/// Checks every declaration of a file set and builds the ``CheckedProgram``.
///
/// Pass 1 declares every name (so order between declarations and files does not matter);
/// pass 2 checks clauses and resolves references.
struct DeclarationChecker {
  var symbols = SymbolTable()
  var program = CheckedProgram()
  var expressions: ExpressionChecker {
    var checker = ExpressionChecker(symbols: symbols, currency: currencyKnown ? program.currency : nil)
    checker.spendCards = spendCards
    return checker
  }
  /// Stamp cards that collect spend (their `stamps` are money).
  var spendCards: Set<Int> = []
  var currencyKnown = false
  /// The `when` expressions of each rule, for warnings with exact ranges.
  var ruleConditions: [Int: [TypedExpression]] = [:]
  var tiersKeywordRange: SourceRange?
  /// The names of `categories …` and `skus …` clauses, by field (CatalogNames.swift).
  var catalog: [ItemFilter.Field: [Name]] = [:]

  mutating func check(_ files: [SourceFileSyntax], diagnostics: inout Diagnostics) {
    let declarations = files.flatMap(\.declarations)
    declareNames(declarations, files: files, diagnostics: &diagnostics)
    for d in declarations {
      switch d {
      case .points(let p): checkPoints(p, diagnostics: &diagnostics)
      case .tiers(let t): checkTiers(t, diagnostics: &diagnostics)
      default: break
      }
    }
    // Rewards before stamp cards and rules, so their ids are final when referenced.
    for case .reward(let r) in declarations { checkReward(r, diagnostics: &diagnostics) }
    for case .stamps(let s) in declarations { checkStamps(s, diagnostics: &diagnostics) }
    var replacements: [(Int, Name, SourceRange)] = []
    for case .rule(let r) in declarations {
      if let rep = checkRule(r, diagnostics: &diagnostics) { replacements.append(rep) }
    }
    checkReplacements(replacements, diagnostics: &diagnostics)
    for case .rebate(let r) in declarations { checkRebate(r, diagnostics: &diagnostics) }
    // Tests last: they name rules, currencies, cards, rewards and tiers of the whole program.
    checkGroups(diagnostics: &diagnostics)
    program.scenarios = ScenarioChecker(symbols: symbols, program: program, expressions: expressions)
      .check(declarations, diagnostics: &diagnostics)
  }

  // MARK: Pass 1

  private mutating func declareNames(_ declarations: [Declaration], files: [SourceFileSyntax], diagnostics: inout Diagnostics) {
    var firstProgram: ProgramDeclaration?
    var firstTiers: TiersDeclaration?
    for d in declarations {
      switch d {
      case .program(let p):
        if let first = firstProgram {
          diagnostics.append(Diagnostic(
            .duplicateProgram, "a second `program` declaration", at: p.keywordRange,
            labels: [.init("first `program` declared here", at: first.keywordRange)],
            help: "a program has exactly one `program` declaration; remove this one"))
        } else {
          firstProgram = p
          checkProgram(p, diagnostics: &diagnostics)
        }
      case .points(let p): _ = symbols.declare(.points, p.name, diagnostics: &diagnostics)
      case .stamps(let s): _ = symbols.declare(.stampCard, s.name, diagnostics: &diagnostics)
      case .rule(let r): _ = symbols.declare(.rule, r.name, diagnostics: &diagnostics)
      case .reward(let r): _ = symbols.declare(.reward, r.name, diagnostics: &diagnostics)
      case .rebate(let r): _ = symbols.declare(.rebate, r.name, diagnostics: &diagnostics)
      case .tiers(let t):
        let keyword = SourceRange(file: t.range.file, start: t.range.start, end: t.range.start + 5)
        if let first = firstTiers {
          let firstKeyword = SourceRange(file: first.range.file, start: first.range.start, end: first.range.start + 5)
          diagnostics.append(Diagnostic(
            .duplicateDeclaration, "`tiers` is declared twice", at: keyword, label: "declared again here",
            labels: [.init("first declared here", at: firstKeyword)],
            help: "put every tier level in one `tiers` declaration"))
          continue
        }
        firstTiers = t
        tiersKeywordRange = keyword
        for case .level(let level) in t.clauses {
          _ = symbols.declare(.tier, level.name, diagnostics: &diagnostics)
        }
      case .test: break
      case .invalid: break
      }
    }
    if firstProgram == nil {
      let file = files.first?.range.file ?? 0
      diagnostics.append(Diagnostic(
        .missingProgram, "no `program` declaration", at: SourceRange(file: file, start: 0, end: 0),
        help: "start the program with `program \"Name\"`, then `currency` and `timezone` clauses"))
    }
    // Tier ids must exist for pass 2; a duplicated tiers block is skipped entirely.
    if firstTiers == nil { tiersKeywordRange = nil }
    pendingTiers = firstTiers.map { ($0.range) }
  }
  var pendingTiers: SourceRange?

  private mutating func checkProgram(_ p: ProgramDeclaration, diagnostics: inout Diagnostics) {
    program.name = p.name.value
    var currencyClause: Name?
    var zoneClause: Name?
    var calendarClause: SourceRange?
    var budgetClause: (Expression, Located<CapPeriodSyntax>, SourceRange)?
    var thresholdsClause: SourceRange?
    var taxClause: SourceRange?
    var returnClause: SourceRange?
    var reopenClause: SourceRange?
    var contactClauses: [String: SourceRange] = [:]
    var messageCosts: [ProgramDeclaration.Clause] = []
    for clause in p.clauses {
      switch clause {
      case .currency(let code):
        if let first = currencyClause {
          duplicateClause("currency", at: code.range, first: first.range, diagnostics: &diagnostics)
          continue
        }
        currencyClause = code
        if let info = CurrencyInfo.lookup(code: code.text) {
          program.currency = info
          currencyKnown = true
        } else {
          let help = Suggestions.closest(to: code.text, in: CurrencyInfo.known.map(\.code)).map { "did you mean `\($0)`?" }
          diagnostics.append(Diagnostic(.unknownCurrency, "unknown currency `\(code.text)`", at: code.range,
                                        label: "not an ISO 4217 code Perk knows", help: help))
        }
      case .timezone(let zone):
        if let first = zoneClause {
          duplicateClause("timezone", at: zone.range, first: first.range, diagnostics: &diagnostics)
          continue
        }
        zoneClause = zone
        if TimeZones.isKnown(zone.text) {
          program.timeZoneIdentifier = zone.text
        } else {
          let help = Suggestions.closest(to: zone.text, in: TimeZones.identifiers)
            .map { "did you mean `\($0)`?" } ?? "use an IANA identifier such as `America/New_York`"
          diagnostics.append(Diagnostic(.unknownTimeZone, "unknown time zone `\(zone.text)`", at: zone.range,
                                        label: "not an IANA time zone", help: help))
        }
      case .customerCalendar(let range):
        if let first = calendarClause {
          duplicateClause("calendar in customer time zones", at: range, first: first, diagnostics: &diagnostics)
          continue
        }
        calendarClause = range
        program.calendarInCustomerZones = true
      case .budget(let amount, let period, let range):
        if let first = budgetClause {
          duplicateClause("budget", at: range, first: first.2, diagnostics: &diagnostics)
          continue
        }
        budgetClause = (amount, period, range)
      case .thresholds(let basis):
        if let first = thresholdsClause {
          duplicateClause("thresholds", at: basis.range, first: first, diagnostics: &diagnostics)
          continue
        }
        thresholdsClause = basis.range
        program.thresholdsAfterDiscounts = basis.value == .afterDiscounts
      case .tax(let basis):
        if let first = taxClause {
          duplicateClause("amounts", at: basis.range, first: first, diagnostics: &diagnostics)
          continue
        }
        taxClause = basis.range
        program.amountsIncludeTax = basis.value == .includeTax
      case .onReturn(let policy) where policy.value == .reopenLimits:
        if let first = reopenClause {
          duplicateClause("on return reopen limits and caps", at: policy.range, first: first, diagnostics: &diagnostics)
          continue
        }
        reopenClause = policy.range
        program.reopensLimitsOnReturn = true
      case .onReturn(let policy):
        if let first = returnClause {
          duplicateClause("on return", at: policy.range, first: first, diagnostics: &diagnostics)
          continue
        }
        returnClause = policy.range
        program.returnPolicy = policy.value
      case .catalog(let field, let values, _):
        // Several lines add up: a long list may be split.
        catalog[field, default: []] += values
      case .messageCap, .quietHours, .consent:
        checkContactPolicy(clause, seen: &contactClauses, diagnostics: &diagnostics)
      case .messageCost:
        messageCosts.append(clause)
      case .invalid: break
      }
    }
    // After the currency, so the amount is checked against its decimals.
    if let (amount, period, _) = budgetClause {
      program.budget = checkBudget(amount, period: period, diagnostics: &diagnostics)
    }
    for clause in messageCosts { checkContactPolicy(clause, seen: &contactClauses, diagnostics: &diagnostics) }
    if currencyClause == nil, !p.clauses.containsInvalid {
      diagnostics.append(Diagnostic(.missingClause, "program without a `currency` clause", at: p.keywordRange,
                                    help: "add an indented line such as `currency USD`"))
    }
    if zoneClause == nil, !p.clauses.containsInvalid {
      diagnostics.append(Diagnostic(.missingClause, "program without a `timezone` clause", at: p.keywordRange,
                                    help: "add an indented line such as `timezone America/New_York`"))
    }
  }

  // MARK: Helpers

  func duplicateClause(_ keyword: String, at range: SourceRange, first: SourceRange, diagnostics: inout Diagnostics) {
    diagnostics.append(Diagnostic(.duplicateClause, "`\(keyword)` given twice", at: range, label: "given again here",
                                  labels: [.init("first given here", at: first)], help: "remove one of them"))
  }

  func wrongUnit(_ clause: String, needs: String, found: TypedExpression, example: String,
                         diagnostics: inout Diagnostics) {
    diagnostics.append(Diagnostic(
      .wrongUnit, "`\(clause)` needs \(needs), found \(describe(found.unit, names: symbols))", at: found.range,
      label: "expected \(needs)", help: "write \(needs) here, such as `\(example)`"))
  }

  /// A constant decimal of the given unit (a plain number is accepted where a count is needed).
  func constant(_ e: Expression, unit: Unit, clause: String, needs: String, example: String,
                        allowsFractionalMinorUnits: Bool = false,
                        diagnostics: inout Diagnostics) -> (Exact, SourceRange)? {
    var expressions = self.expressions
    expressions.checksMinorUnits = false
    guard let typed = expressions.check(e, hint: unit, diagnostics: &diagnostics) else { return nil }
    let unitOK = typed.unit == unit || (unit == .number && typed.unit == .count)
    guard unitOK else {
      wrongUnit(clause, needs: needs, found: typed, example: example, diagnostics: &diagnostics)
      return nil
    }
    guard case .decimal(let d)? = Folding.evaluate(typed) else {
      diagnostics.append(Diagnostic(.wrongUnit, "`\(clause)` needs a fixed amount", at: typed.range,
                                    help: "write a literal such as `\(example)`"))
      return nil
    }
    // Money the runtime stores must be whole minor units (cents); only a point's worth may be finer.
    if unit == .money, !allowsFractionalMinorUnits, currencyKnown,
       Amounts.minorUnits(d, digits: program.currency.minorDigits) == nil {
      diagnostics.append(Diagnostic(
        .malformedMoney, "`\(clause)` amount has more decimals than \(program.currency.code) allows", at: typed.range,
        label: "\(program.currency.code) has \(program.currency.minorDigits) decimal places"))
      return nil
    }
    return (d, typed.range)
  }

  func nonNegative(_ value: (Exact, SourceRange)?, clause: String, diagnostics: inout Diagnostics) -> Exact? {
    guard let (d, range) = value else { return nil }
    if d.isNegative {
      diagnostics.append(Diagnostic(.valueOutOfRange, "`\(clause)` cannot be negative", at: range,
                                    label: "this is below zero"))
      return nil
    }
    return d
  }

  /// A whole number of at least `minimum`.
  func whole(_ e: Expression, clause: String, minimum: Int64, example: String, diagnostics: inout Diagnostics) -> Int64? {
    guard let (d, range) = constant(e, unit: .number, clause: clause, needs: "a whole number", example: example,
                                    diagnostics: &diagnostics) else { return nil }
    guard let n = d.wholeValue else {
      diagnostics.append(Diagnostic(.valueOutOfRange, "`\(clause)` needs a whole number", at: range,
                                    help: "write a whole number such as `\(example)`"))
      return nil
    }
    guard n >= minimum else {
      diagnostics.append(Diagnostic(.valueOutOfRange, "`\(clause) \(n)` is out of range", at: range,
                                    label: "must be at least \(minimum)"))
      return nil
    }
    return n
  }

  // MARK: Points

  private mutating func checkPoints(_ p: PointsDeclaration, diagnostics: inout Diagnostics) {
    guard let id = symbols.id(.points, p.name.text), id == program.pointsCurrencies.count,
          id < symbols.count(.points) else { return }
    var worth: Exact?
    var worthRange: SourceRange?
    var rounding: Located<RoundingSyntax>?
    var caps: [CheckedCap] = []
    for clause in p.clauses {
      switch clause {
      case .worth(let e):
        if let first = worthRange { duplicateClause("worth", at: e.range, first: first, diagnostics: &diagnostics); continue }
        worthRange = e.range
        worth = nonNegative(constant(e, unit: .money, clause: "worth", needs: "money", example: "$0.01",
                                     allowsFractionalMinorUnits: true, diagnostics: &diagnostics), clause: "worth", diagnostics: &diagnostics)
      case .round(let r):
        if let first = rounding { duplicateClause("round", at: r.range, first: first.range, diagnostics: &diagnostics); continue }
        rounding = r
      case .expire, .spend, .hold, .onReturn: break  // PointsLifeChecks.swift
      case .cap(let cap):
        if let checked = checkCap(cap, currency: id, diagnostics: &diagnostics) { caps.append(checked) }
      case .invalid: break
      }
    }
    // No `worth` is allowed: the points then have no stated money value (reports say "value unknown").
    var checked = CheckedPoints(id: id, name: p.name.text, worth: worth, rounding: rounding?.value ?? .down,
                                range: p.name.range, caps: caps)
    checkPointsLife(p, into: &checked, diagnostics: &diagnostics)
    program.pointsCurrencies.append(checked)
  }

  // MARK: Tiers

  private mutating func checkTiers(_ t: TiersDeclaration, diagnostics: inout Diagnostics) {
    guard pendingTiers == t.range else { return }
    var levels: [CheckedTierLevel] = []
    var keep: Located<TierKeepSyntax>?
    var review: Located<TierReviewSyntax>?
    var previous: (level: CheckedTierLevel, name: Name)?
    for clause in t.clauses {
      switch clause {
      case .level(let level):
        guard let id = symbols.id(.tier, level.name.text), id == levels.count else { continue }
        var spend: (Exact, SourceRange)?
        var visits: (Int64, SourceRange)?
        for threshold in level.thresholds {
          guard let typed = expressions.check(threshold, diagnostics: &diagnostics) else { continue }
          let needs: String
          switch t.measure.value {
          case .spend: needs = "money"
          case .visits: needs = "a number of visits"
          case .spendOrVisits: needs = "money or a number of visits"
          }
          if typed.unit == .money && t.measure.value != .visits {
            guard let d = nonNegative(constant(threshold, unit: .money, clause: "from", needs: needs, example: "$500",
                                               diagnostics: &diagnostics), clause: "from", diagnostics: &diagnostics) else { continue }
            spend = (d, typed.range)
          } else if (typed.unit == .number || typed.unit == .count) && t.measure.value != .spend {
            guard let n = whole(threshold, clause: "from", minimum: 0, example: "10", diagnostics: &diagnostics) else { continue }
            visits = (n, typed.range)
          } else {
            wrongUnit("from", needs: needs, found: typed, example: t.measure.value == .visits ? "10 visits" : "$500",
                      diagnostics: &diagnostics)
          }
        }
        var multiplier = Exact(significand: 1, scale: 0)
        if let m = level.multiplier,
           let value = nonNegative(constant(m, unit: .number, clause: "earn x", needs: "a number", example: "x1.5",
                                            diagnostics: &diagnostics), clause: "earn x", diagnostics: &diagnostics) {
          multiplier = value
        }
        let checked = CheckedTierLevel(id: id, name: level.name.text, spendThreshold: spend?.0,
                                       visitThreshold: visits?.0, multiplier: multiplier, range: level.name.range)
        if let (prev, prevName) = previous {
          var notAbove = false
          if let s = spend, let ps = prev.spendThreshold, let a = s.0.scaledKey, let b = ps.scaledKey, a <= b { notAbove = true }
          if let v = visits, let pv = prev.visitThreshold, v.0 <= pv { notAbove = true }
          if notAbove {
            let at = spend?.1 ?? visits?.1 ?? level.name.range
            diagnostics.append(Diagnostic(
              .invalidTierOrder, "tier `\(level.name.text)` does not start above `\(prevName.text)`", at: at,
              label: "not above the previous tier", labels: [.init("previous tier `\(prevName.text)` declared here", at: prevName.range)],
              help: "list tiers from lowest to highest, each threshold strictly above the one before"))
          }
        } else {
          let startsAtZero = (spend.map { $0.0.isZero } ?? true) && (visits.map { $0.0 == 0 } ?? true)
          if !startsAtZero {
            let at = spend?.1 ?? visits?.1 ?? level.name.range
            diagnostics.append(Diagnostic(
              .invalidTierOrder, "lowest tier `\(level.name.text)` does not start from zero", at: at,
              label: "every customer must be in some tier",
              help: t.measure.value == .visits ? "write `from 0 visits`" : "write `from \(program.currency.symbol ?? "")0`"))
          }
        }
        levels.append(checked)
        previous = (checked, level.name)
      case .keep(let k):
        if let first = keep { duplicateClause("keep", at: k.range, first: first.range, diagnostics: &diagnostics); continue }
        keep = k
      case .review(let r):
        if let first = review { duplicateClause("review", at: r.range, first: first.range, diagnostics: &diagnostics); continue }
        review = r
      case .invalid: break
      }
    }
    expressions.checkWindow(t.window.value, at: t.window.range, diagnostics: &diagnostics)
    program.tiers = CheckedTiers(measure: t.measure.value, window: t.window.value, levels: levels,
                                 keep: keep?.value, range: tiersKeywordRange ?? t.range, filter: expressions.checkFilter(t.filter))
    program.tiers?.review = review?.value
  }

  // MARK: Stamp cards

  private mutating func checkStamps(_ s: StampsDeclaration, diagnostics: inout Diagnostics) {
    guard let id = symbols.id(.stampCard, s.name.text), id == program.stampCards.count else { return }
    var collect: CheckedStampCard.Collect?
    var collectRange: SourceRange?
    var every: Int64?
    var everyRange: SourceRange?
    var reward: CheckedStampCard.CardReward?
    var everyCount: Expression?
    var returnRange: SourceRange?
    var keepsStamps = false
    var restoreRange: SourceRange?
    var restoresFreeItems = false
    for clause in s.clauses {
      switch clause {
      case .collectPerItem(let count, let filter, let range):
        if let first = collectRange { duplicateClause("collect", at: range, first: first, diagnostics: &diagnostics); continue }
        collectRange = range
        if let n = whole(count, clause: "collect", minimum: 1, example: "1", diagnostics: &diagnostics) {
          collect = .perItem(count: n, filter: expressions.checkFilter(filter))
        }
      case .collectPerVisit(let count, let range):
        if let first = collectRange { duplicateClause("collect", at: range, first: first, diagnostics: &diagnostics); continue }
        collectRange = range
        if let n = whole(count, clause: "collect", minimum: 1, example: "1", diagnostics: &diagnostics) {
          collect = .perVisit(count: n)
        }
      case .collectSpend(let filter, let range):
        if let first = collectRange { duplicateClause("collect", at: range, first: first, diagnostics: &diagnostics); continue }
        collectRange = range
        collect = .spend(filter: expressions.checkFilter(filter))
        spendCards.insert(id)
      case .every(let count, let cardReward, let range):
        if let first = everyRange { duplicateClause("every", at: range, first: first, diagnostics: &diagnostics); continue }
        everyRange = range
        everyCount = count
        switch cardReward {
        case .cheapestItemFree(let f): reward = .cheapestItemFree(expressions.checkFilter(f))
        case .mostExpensiveItemFree(let f): reward = .mostExpensiveItemFree(expressions.checkFilter(f))
        case .reward(let name):
          if let rid = symbols.resolve(.reward, name, diagnostics: &diagnostics) { reward = .reward(rid) }
        case .voucher(let name, let worth, let validFor):
          if let value = nonNegative(constant(worth, unit: .money, clause: "worth", needs: "money", example: "$5",
                                              diagnostics: &diagnostics), clause: "worth", diagnostics: &diagnostics) {
            if let v = validFor, v.value.count <= 0 {
              diagnostics.append(Diagnostic(.valueOutOfRange, "`valid for` needs a duration above zero", at: v.range))
            } else {
              reward = .voucher(name: name.value, worth: value, validFor: validFor?.value)
            }
          }
        }
      case .onReturn(let policy) where policy.value == .restoreFreeItems:
        if let first = restoreRange {
          duplicateClause("on return restore free items", at: policy.range, first: first, diagnostics: &diagnostics); continue
        }
        restoreRange = policy.range
        restoresFreeItems = true
      case .onReturn(let policy):
        if let first = returnRange { duplicateClause("on return", at: policy.range, first: first, diagnostics: &diagnostics); continue }
        returnRange = policy.range
        keepsStamps = policy.value == .keep
      case .invalid: break
      }
    }
    if let everyCount {
      every = cardThreshold(everyCount, collectsSpend: spendCards.contains(id), diagnostics: &diagnostics)
    }
    if spendCards.contains(id), let range = everyRange {
      switch reward {
      case .cheapestItemFree?, .mostExpensiveItemFree?:
        diagnostics.append(Diagnostic(
          .cardThresholdUnit, "a card that collects spend cannot make an item free", at: range,
          label: "the spend that fills it may come from any basket",
          help: "give a voucher or a reward, such as `every $100 spent: voucher \"Fuel\" worth $0.10`"))
      default: break
      }
    }
    if collectRange == nil {
      diagnostics.append(Diagnostic(.missingClause, "stamp card `\(s.name.text)` without a `collect` clause", at: s.name.range,
                                    help: "add an indented line such as `collect 1 per item in category coffee`"))
    }
    if everyRange == nil {
      diagnostics.append(Diagnostic(.missingClause, "stamp card `\(s.name.text)` without an `every` clause", at: s.name.range,
                                    help: "add an indented line such as `every 10 stamps: cheapest item is free`"))
    }
    // Keep ids dense even when a clause is broken; the program has errors then and is never lowered.
    program.stampCards.append(CheckedStampCard(
      id: id, name: s.name.text, collect: collect ?? .perVisit(count: 1), every: every ?? 1,
      reward: reward ?? .cheapestItemFree(nil), range: s.name.range, keepsStampsOnReturn: keepsStamps,
      restoresFreeItemsOnReturn: restoresFreeItems))
  }

  // MARK: Rewards

  private mutating func checkReward(_ r: RewardDeclaration, diagnostics: inout Diagnostics) {
    guard let id = symbols.id(.reward, r.name.text), id == program.rewards.count else { return }
    var cost: Int64?
    var currency: Int?
    var costRange: SourceRange?
    var worth: Exact?
    var worthRange: SourceRange?
    for clause in r.clauses {
      switch clause {
      case .costs(let amount, let name, let range):
        if let first = costRange { duplicateClause("costs", at: range, first: first, diagnostics: &diagnostics); continue }
        costRange = range
        cost = whole(amount, clause: "costs", minimum: 0, example: "150", diagnostics: &diagnostics)
        currency = symbols.resolve(.points, name, diagnostics: &diagnostics)
      case .worth(let e):
        if let first = worthRange { duplicateClause("worth", at: e.range, first: first, diagnostics: &diagnostics); continue }
        worthRange = e.range
        worth = nonNegative(constant(e, unit: .money, clause: "worth", needs: "money", example: "$5",
                                     diagnostics: &diagnostics), clause: "worth", diagnostics: &diagnostics)
      case .invalid: break
      }
    }
    if costRange == nil, !r.clauses.containsInvalid {
      diagnostics.append(Diagnostic(.missingClause, "reward `\(r.name.text)` without a `costs` clause", at: r.name.range,
                                    help: "add `costs 150 stars` (the points it takes to redeem)"))
    }
    program.rewards.append(CheckedReward(id: id, name: r.name.text, cost: cost ?? 0, currency: currency ?? 0,
                                         worth: worth, range: r.name.range))
  }

  // MARK: Rules

  /// Checks a rule; returns its `replaces` clause for the pass that needs every rule checked.
  private mutating func checkRule(_ r: RuleDeclaration, diagnostics: inout Diagnostics) -> (Int, Name, SourceRange)? {
    guard let id = symbols.id(.rule, r.name.text), id == program.rules.count else { return nil }
    var trigger: Located<TriggerSyntax>?
    var conditions: [TypedExpression] = []
    var effects: [CheckedEffect] = []
    var sawEffect = false
    var limits: [CheckedLimit] = []
    var replaces: (Int, Name, SourceRange)?
    var replacesRange: SourceRange?
    var stacking = CheckedStacking()
    var stackingSeen: [String: SourceRange] = [:]
    var returnPolicy: Located<ReturnPolicySyntax>?
    var reopenClause: Located<ReturnPolicySyntax>?
    for clause in r.clauses {
      switch clause {
      case .trigger(let t):
        if let first = trigger { duplicateClause("on", at: t.range, first: first.range, diagnostics: &diagnostics); continue }
        trigger = t
      case .when(let e):
        guard let typed = expressions.check(e, diagnostics: &diagnostics) else { continue }
        guard typed.unit == .bool else {
          diagnostics.append(Diagnostic(
            .nonBooleanCondition, "`when` needs a condition, found \(describe(typed.unit, names: symbols))", at: typed.range,
            label: "not true or false", help: "compare it with something, such as `basket total >= $20`"))
          continue
        }
        conditions.append(typed)
      case .effect(let effect):
        sawEffect = true
        if let checked = checkEffect(effect, diagnostics: &diagnostics) { effects.append(checked) }
      case .limit(let limit):
        if let checked = checkLimit(limit, diagnostics: &diagnostics) { limits.append(checked) }
      case .replaces(let name, let range):
        if let first = replacesRange { duplicateClause("replaces", at: range, first: first, diagnostics: &diagnostics); continue }
        replacesRange = range
        replaces = (id, name, range)
      case .stacking(let s):
        checkStacking(s, into: &stacking, seen: &stackingSeen, diagnostics: &diagnostics)
      case .hold: break  // PointsLifeChecks.swift
      case .round: break  // RoundingChecks.swift
      case .onReturn(let policy) where policy.value == .reopenLimits:
        if let first = reopenClause {
          duplicateClause("on return reopen limits and caps", at: policy.range, first: first.range, diagnostics: &diagnostics); continue
        }
        reopenClause = policy
      case .onReturn(let policy):
        if let first = returnPolicy { duplicateClause("on return", at: policy.range, first: first.range, diagnostics: &diagnostics); continue }
        returnPolicy = policy
      case .invalid: break
      }
    }
    for clause in [returnPolicy, reopenClause].compactMap({ $0 }) {
      guard let trigger, trigger.value != .purchase else { break }
      diagnostics.append(Diagnostic(
        .returnPolicyWithoutPurchase, "`on return` on a rule that does not run on purchases", at: clause.range,
        label: "only a purchase can be returned", help: "remove the clause, or make the rule `on purchase`"))
    }
    if trigger == nil, !r.clauses.containsInvalid {
      diagnostics.append(Diagnostic(.missingTrigger, "rule `\(r.name.text)` has no `on` clause", at: r.name.range,
                                    help: "add an indented line such as `on purchase`"))
    }
    if !sawEffect, !r.clauses.containsInvalid {
      diagnostics.append(Diagnostic(.missingEffect, "rule `\(r.name.text)` does nothing", at: r.name.range,
                                    help: "add an effect such as `earn 2 stars per $1 spent`"))
    }
    let condition = conditions.dropFirst().reduce(conditions.first) { acc, next in
      acc.map { TypedExpression(.and($0, next), unit: .bool, range: $0.range.union(next.range)) }
    }
    checkTriggerRule(r, trigger: trigger, conditions: conditions, limits: limits, diagnostics: &diagnostics)
    let timing = trigger.flatMap { checkContactTrigger($0, diagnostics: &diagnostics) }
    checkMessageContext(effects, trigger: trigger, timing: timing, ruleName: r.name.text, diagnostics: &diagnostics)
    ruleConditions[id] = conditions
    var checked = CheckedRule(id: id, name: r.name.text, trigger: trigger?.value ?? .purchase,
                              condition: condition, effects: effects, limits: limits, replaces: nil,
                              range: r.name.range, stacking: stacking)
    checked.hold = checkRuleHold(r, diagnostics: &diagnostics)
    checked.returnPolicy = returnPolicy?.value
    checked.reopensLimitsOnReturn = reopenClause != nil
    checked.pointsRounding = checkRuleRounding(r, effects: effects, diagnostics: &diagnostics)
    checked.timing = timing
    program.rules.append(checked)
    return replaces
  }

  private func checkEffect(_ effect: EffectSyntax, diagnostics: inout Diagnostics) -> CheckedEffect? {
    switch effect {
    case .earn(let amount, let currencyName, let basis, _):
      let value = nonNegative(constant(amount, unit: .number, clause: "earn", needs: "a number", example: "2",
                                       diagnostics: &diagnostics), clause: "earn", diagnostics: &diagnostics)
      let currency = symbols.resolve(.points, currencyName, diagnostics: &diagnostics)
      let checkedBasis: CheckedEarnBasis?
      switch basis {
      case .flat:
        checkedBasis = .flat
        if let v = value, v.wholeValue == nil {
          diagnostics.append(Diagnostic(.valueOutOfRange, "a flat bonus needs a whole number of points", at: amount.range,
                                        help: "points are whole numbers"))
          return nil
        }
      case .perItem(let f, let before): checkedBasis = .perItem(filter: expressions.checkFilter(f), beforeDiscounts: before)
      case .perSpend(let per, let whole, let f, let before):
        if let (d, range) = constant(per, unit: .money, clause: "per", needs: "money", example: "$1", diagnostics: &diagnostics) {
          if d.isZero || d.isNegative {
            diagnostics.append(Diagnostic(.valueOutOfRange, "`per` needs an amount above zero", at: range,
                                          label: "must be above zero"))
            checkedBasis = nil
          } else {
            checkedBasis = .perSpend(per: d, whole: whole, filter: expressions.checkFilter(f), beforeDiscounts: before)
          }
        } else {
          checkedBasis = nil
        }
      }
      guard let value, let currency, let checkedBasis else { return nil }
      return .earn(amount: value, currency: currency, basis: checkedBasis)
    case .multiply(let currencyName, let factor, _):
      let currency = symbols.resolve(.points, currencyName, diagnostics: &diagnostics)
      let value = nonNegative(constant(factor, unit: .number, clause: "by", needs: "a number", example: "2",
                                       diagnostics: &diagnostics), clause: "by", diagnostics: &diagnostics)
      guard let currency, let value else { return nil }
      return .multiply(currency: currency, factor: value)
    case .voucher(let name, let worth, let validFor, _):
      guard let value = nonNegative(constant(worth, unit: .money, clause: "worth", needs: "money", example: "$5",
                                             diagnostics: &diagnostics), clause: "worth", diagnostics: &diagnostics) else { return nil }
      if let v = validFor, v.value.count <= 0 {
        diagnostics.append(Diagnostic(.valueOutOfRange, "`valid for` needs a duration above zero", at: v.range))
        return nil
      }
      return .voucher(name: name.value, worth: value, validFor: validFor?.value)
    case .reward(let name, _):
      guard let id = symbols.resolve(.reward, name, diagnostics: &diagnostics) else { return nil }
      return .reward(id)
    case .price(let price):
      return checkPriceEffect(price, diagnostics: &diagnostics)
    case .earnForReferrer(let amount, let currency, let basis, let recipient, let hold, let range):
      return checkReferrerEarn(amount: amount, currencyName: currency, basis: basis, recipient: recipient, hold: hold,
                               range: range, diagnostics: &diagnostics)
    case .message(let text, let channel, let time, _):
      return checkMessage(text, channel: channel, at: time, diagnostics: &diagnostics)
    }
  }

  private func checkLimit(_ limit: LimitSyntax, diagnostics: inout Diagnostics) -> CheckedLimit? {
    guard let (d, range) = constant(limit.count, unit: .number, clause: "at most", needs: "a whole number", example: "3",
                                    diagnostics: &diagnostics) else { return nil }
    guard let n = d.wholeValue, n >= 0 else {
      diagnostics.append(Diagnostic(.valueOutOfRange, "`at most` needs a whole number of times", at: range))
      return nil
    }
    if n == 0 {
      diagnostics.append(Diagnostic(.invalidLimit, "`at most 0 times` never allows the rule to fire", at: limit.range,
                                    label: "this limit allows nothing", help: "remove the rule, or allow at least once"))
      return nil
    }
    if case .rolling(let duration) = limit.period, duration.count <= 0 {
      diagnostics.append(Diagnostic(.invalidLimit, "a limit period must be longer than zero", at: limit.range))
      return nil
    }
    return CheckedLimit(count: n, period: limit.period)
  }

  private mutating func checkReplacements(_ replacements: [(Int, Name, SourceRange)], diagnostics: inout Diagnostics) {
    for (id, name, range) in replacements {
      guard let target = symbols.resolve(.rule, name, diagnostics: &diagnostics) else { continue }
      if target == id {
        diagnostics.append(Diagnostic(.invalidReplacement, "rule `\(name.text)` replaces itself", at: name.range,
                                      help: "name the rule whose earning this rule replaces"))
        continue
      }
      guard program.rules.indices.contains(target) else { continue }
      let earnsPerSpend = program.rules[target].effects.contains {
        if case .earn(_, _, .perSpend) = $0 { return true }
        return false
      }
      if !earnsPerSpend {
        diagnostics.append(Diagnostic(
          .invalidReplacement, "rule `\(name.text)` earns nothing per spend, so it cannot be replaced", at: name.range,
          labels: [.init("`\(name.text)` declared here", at: program.rules[target].range)],
          help: "`replaces … for those items` only applies to `earn … per $… spent` rules"))
        continue
      }
      _ = range
      program.rules[id].replaces = target
    }
  }
}

/// Declarations with a broken clause (already reported by the parser) do not also get
/// "missing clause" errors: the broken line may well be the missing clause.
protocol ClauseList {
  var isInvalid: Bool { get }
}

extension Array where Element: ClauseList {
  var containsInvalid: Bool { contains(where: \.isInvalid) }
}

extension RuleDeclaration.Clause: ClauseList {
  var isInvalid: Bool { if case .invalid = self { true } else { false } }
}

extension ProgramDeclaration.Clause: ClauseList {
  var isInvalid: Bool { if case .invalid = self { true } else { false } }
}

extension RewardDeclaration.Clause: ClauseList {
  var isInvalid: Bool { if case .invalid = self { true } else { false } }
}

extension PointsDeclaration.Clause: ClauseList {
  var isInvalid: Bool { if case .invalid = self { true } else { false } }
}
