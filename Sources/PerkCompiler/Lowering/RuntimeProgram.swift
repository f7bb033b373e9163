import PerkRuntime
import PerkSource
import PerkSyntax

// The runtime's evaluation context already offers every accessor a condition reads.
extension EvaluationContext: ConditionInputs {}

/// Builds the runtime's executable ``Program`` from an error-free checked program.
///
/// Returns nil only if an amount cannot be represented exactly, which the checker has
/// already refused; callers treat nil as an internal error, never a trap.
package func buildProgram(_ checked: CheckedProgram, files: [SourceFile]) -> Program? {
  guard let timeZone = ProgramTimeZone(identifier: checked.timeZoneIdentifier) else { return nil }
  let digits = checked.currency.minorDigits
  let currency = Currency.named(checked.currency.code)
    ?? Currency(code: checked.currency.code, symbol: checked.currency.symbol ?? checked.currency.code, minorDigits: digits)
  // Interns filters and windows to ids as conditions and clauses are lowered.
  var conditions = ConditionLowering<EvaluationContext>(minorDigits: digits)
  func location(_ range: SourceRange) -> SourceLocation? {
    files.indices.contains(range.file) ? files[range.file].location(of: range.start) : nil
  }
  func exact(_ d: Exact) -> ExactDecimal { ExactDecimal(significand: d.significand, scale: d.scale) }
  func minor(_ d: Exact) -> Int64? { Amounts.minorUnits(d, digits: digits) }

  let points = checked.pointsCurrencies.map { p -> PointsSpec in
    // Worth in minor units may be fractional (`$0.001` is 0.1 cent): shift the scale, never round.
    let worth = p.worth ?? Exact(significand: 0, scale: 0)
    let worthMinor = worth.scale >= digits
      ? ExactDecimal(significand: worth.significand, scale: worth.scale - digits)
      : ExactDecimal(significand: Amounts.minorUnits(worth, digits: digits) ?? 0, scale: 0)
    var spec = PointsSpec(name: p.name, worthMinor: worthMinor, rounding: rounding(p.rounding), expiry: expirySpec(p.expiry),
                          spendOrder: p.spendOrder == .closestToExpiryFirst ? .closestToExpiryFirst : .oldestFirst,
                          holdDays: p.hold.map(PointsLife.days) ?? 0, allowNegative: p.clawback == .allowNegativeBalance)
    spec.worthStated = p.worth != nil
    spec.caps = p.caps.compactMap(PromotionLowering.cap)
    return spec
  }

  var tiers: TierSpec?
  if let t = checked.tiers {
    let measure: TierSpec.Measure
    switch t.measure {
    case .spend: measure = .spend
    case .visits: measure = .visits
    case .spendOrVisits: measure = .spendOrVisits
    }
    let keep: TierSpec.Keep
    switch t.keep {
    case nil: keep = .qualifiedOnly
    case .forDuration(let d)?:
      switch d.unit {
      case .day: keep = .forDays(d.count)
      case .week: keep = .forDays(weeksToDays(d.count))
      case .month: keep = .forMonths(clampedInt(d.count))
      case .year: keep = .forMonths(monthsOfYears(d.count))
      }
    case .untilEndOfNext(let unit)?: keep = .untilEndOfNext(calendarUnit(unit))
    case .untilNextAnniversary?: keep = .untilNextAnniversary
    case .forDurationFromReaching(let d)?:
      switch d.unit {
      case .day: keep = .forDays(d.count)
      case .week: keep = .forDays(weeksToDays(d.count))
      case .month: keep = .forMonths(clampedInt(d.count))
      case .year: keep = .forMonths(monthsOfYears(d.count))
      }
    }
    var levels: [TierSpec.Level] = []
    for level in t.levels {
      var spend: Int64?
      if let threshold = level.spendThreshold {
        guard let m = minor(threshold) else { return nil }
        spend = m
      }
      levels.append(TierSpec.Level(name: level.name, spendMinor: spend, visits: level.visitThreshold,
                                   multiplier: exact(level.multiplier)))
    }
    tiers = TierSpec(measure: measure, window: conditions.tables.tierWindow(t.window), levels: levels, keep: keep,
                     location: location(t.range))
    tiers?.filter = conditions.tables.filter(t.filter)
    if case .forDurationFromReaching? = t.keep { tiers?.extendsWhileKept = false }
    if let review = t.review {
      let schedule: TierSpec.Review.Schedule
      switch review.schedule {
      case .signupAnniversary: schedule = .signupAnniversary
      case .startOf(.quarter): schedule = .quarter
      case .startOf(.year): schedule = .year
      // The parser reads only month, quarter and year.
      case .startOf: schedule = .month
      }
      tiers?.review = TierSpec.Review(schedule: schedule, atMostOneLevel: review.downgrade == .atMostOneLevel)
    }
  }

  let cards = checked.stampCards.map { card -> CardSpec in
    let collect: CardSpec.Collect
    switch card.collect {
    case .perItem(let n, let f): collect = .perItem(count: n, filter: conditions.tables.filter(f))
    case .perVisit(let n): collect = .perVisit(count: n)
    case .spend(let f): collect = .spend(filter: conditions.tables.filter(f))
    }
    let reward: CardSpec.Reward
    switch card.reward {
    case .cheapestItemFree(let f): reward = .cheapestItemFree(filter: conditions.tables.filter(f))
    case .mostExpensiveItemFree(let f): reward = .mostExpensiveItemFree(filter: conditions.tables.filter(f))
    case .reward(let id): reward = .reward(id)
    case .voucher(let name, let worth, let validFor):
      let (days, months) = validity(validFor)
      reward = .voucher(name: name, worthMinor: minor(worth) ?? 0, validDays: days, validMonths: months)
    }
    return CardSpec(name: card.name, collect: collect, every: card.every, reward: reward, location: location(card.range),
                    keepsStampsOnReturn: card.keepsStampsOnReturn, restoresFreeItemsOnReturn: card.restoresFreeItemsOnReturn)
  }

  var rules: [RuleSpec] = []
  for rule in checked.rules {
    var effects: [EffectSpec] = []
    for effect in rule.effects {
      switch effect {
      case .earn(let rate, let currency, let basis):
        let b: EarnBasisSpec
        switch basis {
        case .flat: b = .flat
        case .perSpend(let per, let whole, let f, let before):
          guard let perMinor = minor(per), perMinor > 0 else { return nil }
          b = .perSpend(perMinor: perMinor, whole: whole, filter: conditions.tables.filter(f), beforeDiscounts: before)
        case .perItem(let f, let before): b = .perItem(filter: conditions.tables.filter(f), beforeDiscounts: before)
        }
        effects.append(.earn(rate: exact(rate), currency: currency, basis: b))
      case .multiply(let currency, let factor):
        effects.append(.multiply(currency: currency, factor: exact(factor)))
      case .voucher(let name, let worth, let validFor):
        guard let worthMinor = minor(worth) else { return nil }
        var days: Int64?
        var months: Int?
        switch validFor?.unit {
        case .day?: days = validFor?.count
        case .week?: days = validFor.map { weeksToDays($0.count) }
        case .month?: months = validFor.map { clampedInt($0.count) }
        case .year?: months = validFor.map { monthsOfYears($0.count) }
        case nil: break
        }
        effects.append(.voucher(name: name, worthMinor: worthMinor, validDays: days, validMonths: months))
      case .reward(let id):
        effects.append(.reward(id))
      case .price(let price):
        guard let spec = PromotionLowering.priceEffect(price, digits: digits, tables: &conditions.tables) else { return nil }
        effects.append(.price(spec))
      case .earnForReferrer(let amount, let currency, let holdDays):
        effects.append(.earnForReferrer(amount: amount, currency: currency, holdDays: holdDays))
      case .message(let message, _):
        effects.append(.message(message))
      }
    }
    let limits = rule.limits.map { limit -> LimitSpec in
      let period: LimitSpec.Period
      switch limit.period {
      case .ever: period = .ever
      case .calendar(let unit): period = .calendar(calendarUnit(unit))
      case .rolling(let d):
        switch d.unit {
        case .day: period = .rollingDays(d.count)
        case .week: period = .rollingDays(weeksToDays(d.count))
        case .month: period = .rollingMonths(clampedInt(d.count))
        case .year: period = .rollingMonths(monthsOfYears(d.count))
        }
      case .birthday: period = .birthday
      case .anniversary: period = .anniversary
      }
      return LimitSpec(count: limit.count, period: period)
    }
    let trigger: TriggerSpec
    switch rule.trigger {
    case .purchase: trigger = .purchase
    case .signup: trigger = .signup
    case .signupAnniversary: trigger = .signupAnniversary
    case .birthday: trigger = .birthday
    case .custom(let name): trigger = .custom(name.text)
    case .afterPurchase, .withoutPurchase, .beforeExpiry, .reachingTier, .losingTier:
      switch rule.timing {
      case .afterPurchase(let days, let filter)?: trigger = .afterPurchase(days: days, filter: conditions.tables.filter(filter))
      case .beforeExpiry(let days, let currency)?: trigger = .beforeExpiry(days: days, currency: currency)
      case .tierChange(let level, let reaching)?: trigger = reaching ? .tierReached(level: level) : .tierLost(level: level)
      case nil: return nil  // reported by the checker
      }
    }
    let condition: Condition? = rule.condition == nil ? nil : conditions.predicate(rule.condition)
    var spec = RuleSpec(name: rule.name, location: location(rule.range), trigger: trigger, condition: condition,
                        effects: effects, limits: limits, replaces: rule.replaces,
                        holdDays: rule.hold.map { PointsLife.days($0.value) } ?? 0)
    guard let stacking = PromotionLowering.stacking(rule.stacking, digits: digits) else { return nil }
    spec.stacking = stacking
    spec.returnPolicy = returnPolicy(rule.returnPolicy ?? checked.returnPolicy ?? .recompute)
    spec.reopensLimitsOnReturn = rule.reopensLimitsOnReturn || checked.reopensLimitsOnReturn
    spec.pointsRounding = rule.pointsRounding.map { rounding($0.value) }
    rules.append(spec)
  }

  var rewards: [RewardSpec] = []
  for reward in checked.rewards {
    var worthMinor: Int64 = 0
    if let worth = reward.worth {
      guard let m = minor(worth) else { return nil }
      worthMinor = m
    }
    rewards.append(RewardSpec(name: reward.name, cost: reward.cost, currency: reward.currency, worthMinor: worthMinor))
  }
  var rebates: [RebateSpec] = []
  for rebate in checked.rebates {
    guard let spec = rebateSpec(rebate, digits: digits, filter: conditions.tables.filter(rebate.filter),
                                location: location(rebate.range)) else { return nil }
    rebates.append(spec)
  }
  guard let programBudget = PromotionLowering.budget(checked.budget, digits: digits) else { return nil }
  let filters = conditions.tables.filters.map {
    FilterSpec(field: $0.field == .category ? .category : .sku, values: $0.values, negated: $0.negated)
  }
  let windows = conditions.tables.windows.map(windowSpec)
  return Program(name: checked.name, currency: currency, timeZone: timeZone, points: points, tiers: tiers,
                 cards: cards, rules: rules, rewards: rewards, filters: filters, windows: windows,
                 budget: programBudget, rebates: rebates,
                 amountBasis: AmountBasis(thresholdsAfterDiscounts: checked.thresholdsAfterDiscounts,
                                          includeTax: checked.amountsIncludeTax),
                 conditionWindows: conditions.tables.conditionWindows.sorted(),
                 calendarInCustomerZones: checked.calendarInCustomerZones, contactPolicy: checked.contactPolicy)
}

/// A voucher's `valid for` as days or months.
private func validity(_ validFor: DurationLiteral?) -> (days: Int64?, months: Int?) {
  switch validFor?.unit {
  case .day?: return (validFor?.count, nil)
  case .week?: return (validFor.map { weeksToDays($0.count) }, nil)
  case .month?: return (nil, validFor.map { clampedInt($0.count) })
  case .year?: return (nil, validFor.map { monthsOfYears($0.count) })
  case nil: return (nil, nil)
  }
}

private func expirySpec(_ e: ExpirySyntax?) -> ExpirySpec? {
  switch e {
  case nil: return nil
  case .after(let d)?:
    switch d.unit {
    case .day, .week: return .afterDays(min(PointsLife.days(d), maximumDays))
    case .month, .year: return .afterMonths(PointsLife.months(d))
    }
  case .endOfMonthAfter(let d)?: return .endOfMonthAfter(PointsLife.months(d))
  case .withoutActivity(let d)?:
    switch d.unit {
    case .day, .week: return .inactivityDays(min(PointsLife.days(d), maximumDays))
    case .month, .year: return .inactivityMonths(PointsLife.months(d))
    }
  }
}

private func returnPolicy(_ p: ReturnPolicySyntax) -> ReturnPolicy {
  switch p {
  case .recompute: return .recompute
  case .keep: return .keep
  case .share: return .share
  case .reopenLimits: return .recompute  // not a policy; the checker keeps it apart
  }
}

private func rounding(_ r: RoundingSyntax) -> RoundingMode {
  switch r {
  case .down: return .down
  case .up: return .up
  case .halfUp: return .halfUp
  case .halfEven: return .halfEven
  }
}

private func calendarUnit(_ u: DurationUnit) -> CalendarUnit {
  switch u {
  case .day: return .day
  case .week: return .week
  case .month: return .month
  case .year: return .year
  }
}

func windowSpec(_ w: WindowSyntax) -> WindowSpec {
  switch w {
  case .calendar(let unit): return .calendar(calendarUnit(unit))
  case .lastCalendar(let n, let unit):
    let period: CalendarPeriod
    switch unit {
    case .day: period = .day
    case .week: period = .week
    case .month: period = .month
    case .quarter: period = .quarter
    case .year: period = .year
    }
    // At least the current period (the checker refuses 0); clamped like every other duration.
    return .lastCalendar(period, count: max(1, clampedInt(n)))
  case .last(let d):
    switch d.unit {
    case .day: return .lastDays(d.count)
    case .week: return .lastDays(weeksToDays(d.count))
    case .month: return .lastMonths(clampedInt(d.count))
    case .year: return .lastMonths(monthsOfYears(d.count))
    }
  }
}

// Durations come from user literals; clamp instead of trapping on absurd sizes (a million
// years is "forever" for any account).
private let maximumDays: Int64 = 366 * 1_000_000
private func weeksToDays(_ weeks: Int64) -> Int64 { min(max(weeks, 0), maximumDays / 7) * 7 }
private func clampedInt(_ n: Int64) -> Int { Int(min(max(n, 0), 12_000_000)) }
private func monthsOfYears(_ years: Int64) -> Int { clampedInt(min(max(years, 0), 1_000_000) * 12) }
