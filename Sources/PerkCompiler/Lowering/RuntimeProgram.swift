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
  guard let lowered = lower(checked, for: EvaluationContext.self),
        let timeZone = ProgramTimeZone(identifier: checked.timeZoneIdentifier) else { return nil }
  let digits = checked.currency.minorDigits
  let currency = Currency.named(checked.currency.code)
    ?? Currency(code: checked.currency.code, symbol: checked.currency.symbol ?? checked.currency.code, minorDigits: digits)
  func location(_ range: SourceRange) -> SourceLocation? {
    files.indices.contains(range.file) ? files[range.file].location(of: range.start) : nil
  }
  func exact(_ d: Exact) -> ExactDecimal { ExactDecimal(significand: d.significand, scale: d.scale) }
  func minor(_ d: Exact?) -> Int64? { d.flatMap { Amounts.minorUnits($0, digits: digits) } }

  let points = checked.pointsCurrencies.map { p -> PointsSpec in
    // Worth in minor units may be fractional (`$0.001` is 0.1 cent): shift the scale, never round.
    let worth = p.worth ?? Exact(significand: 0, scale: 0)
    let worthMinor = worth.scale >= digits
      ? ExactDecimal(significand: worth.significand, scale: worth.scale - digits)
      : ExactDecimal(significand: Amounts.minorUnits(worth, digits: digits) ?? 0, scale: 0)
    return PointsSpec(name: p.name, worthMinor: worthMinor, rounding: rounding(p.rounding))
  }

  var tiers: TierSpec?
  if let t = checked.tiers, let window = lowered.tierWindow {
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
    }
    tiers = TierSpec(
      measure: measure, window: window,
      levels: lowered.levels.map {
        TierSpec.Level(name: $0.name, spendMinor: $0.spendMinor, visits: $0.visits, multiplier: exact($0.multiplier))
      },
      keep: keep, location: location(t.range))
  }

  let cards = zip(lowered.cards, checked.stampCards).map { card, source -> CardSpec in
    let collect: CardSpec.Collect
    switch card.collect {
    case .perItem(let n, let f): collect = .perItem(count: n, filter: f)
    case .perVisit(let n): collect = .perVisit(count: n)
    }
    let reward: CardSpec.Reward
    switch card.reward {
    case .cheapestItemFree(let f): reward = .cheapestItemFree(filter: f)
    case .mostExpensiveItemFree(let f): reward = .mostExpensiveItemFree(filter: f)
    case .reward(let id): reward = .reward(id)
    }
    return CardSpec(name: card.name, collect: collect, every: card.every, reward: reward, location: location(source.range))
  }

  var rules: [RuleSpec] = []
  for (rule, source) in zip(lowered.rules, checked.rules) {
    let effects = rule.effects.map { effect -> EffectSpec in
      switch effect {
      case .earn(let rate, let currency, let basis):
        let b: EarnBasisSpec
        switch basis {
        case .flat: b = .flat
        case .perSpend(let per, let whole, let f): b = .perSpend(perMinor: per, whole: whole, filter: f)
        case .perItem(let f): b = .perItem(filter: f)
        }
        return .earn(rate: exact(rate), currency: currency, basis: b)
      case .multiply(let currency, let factor): return .multiply(currency: currency, factor: exact(factor))
      case .voucher(let name, let worth, let validFor):
        var days: Int64?
        var months: Int?
        switch validFor?.unit {
        case .day?: days = validFor?.count
        case .week?: days = validFor.map { weeksToDays($0.count) }
        case .month?: months = validFor.map { clampedInt($0.count) }
        case .year?: months = validFor.map { monthsOfYears($0.count) }
        case nil: break
        }
        return .voucher(name: name, worthMinor: worth, validDays: days, validMonths: months)
      case .reward(let id): return .reward(id)
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
      }
      return LimitSpec(count: limit.count, period: period)
    }
    let trigger: TriggerSpec
    switch rule.trigger {
    case .purchase: trigger = .purchase
    case .signup: trigger = .signup
    case .custom(let name): trigger = .custom(name.text)
    }
    rules.append(RuleSpec(name: rule.name, location: location(source.range), trigger: trigger,
                          condition: source.condition == nil ? nil : rule.condition,
                          effects: effects, limits: limits, replaces: rule.replaces))
  }

  let rewards = checked.rewards.map {
    RewardSpec(name: $0.name, cost: $0.cost, currency: $0.currency, worthMinor: minor($0.worth) ?? 0)
  }
  let filters = lowered.tables.filters.map {
    FilterSpec(field: $0.field == .category ? .category : .sku, values: $0.values)
  }
  let windows = lowered.tables.windows.map(windowSpec)
  return Program(name: checked.name, currency: currency, timeZone: timeZone, points: points, tiers: tiers,
                 cards: cards, rules: rules, rewards: rewards, filters: filters, windows: windows)
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

private func windowSpec(_ w: WindowSyntax) -> WindowSpec {
  switch w {
  case .calendar(let unit): return .calendar(calendarUnit(unit))
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
