import PerkSource
import PerkSyntax

/// A checked program with money in minor units, filters and windows interned to ids and
/// conditions composed into closures: everything the runtime's builder needs, nothing to look up.
package struct LoweredProgram<C: ConditionInputs>: Sendable {
  package enum Basis: Sendable {
    case flat
    case perSpend(perMinor: Int64, whole: Bool, filter: Int?)
    case perItem(filter: Int?)
  }
  package enum Effect: Sendable {
    /// `rate` points per `perMinor` spent (or per item, or flat).
    case earn(rate: Exact, currency: Int, basis: Basis)
    case multiply(currency: Int, factor: Exact)
    case voucher(name: String, worthMinor: Int64, validFor: DurationLiteral?)
    case reward(Int)
  }
  package struct Rule: Sendable {
    package var name: String
    package var trigger: TriggerSyntax
    package var condition: ConditionLowering<C>.Predicate
    package var effects: [Effect]
    package var limits: [CheckedLimit]
    package var replaces: Int?
  }
  package struct Level: Sendable {
    package var name: String
    package var spendMinor: Int64?
    package var visits: Int64?
    package var multiplier: Exact
  }
  package struct Card: Sendable {
    package enum Collect: Sendable {
      case perItem(count: Int64, filter: Int?)
      case perVisit(count: Int64)
    }
    package enum Reward: Sendable {
      case cheapestItemFree(filter: Int?)
      case mostExpensiveItemFree(filter: Int?)
      case reward(Int)
    }
    package var name: String
    package var collect: Collect
    package var every: Int64
    package var reward: Reward
  }

  package var name: String
  package var currency: CurrencyInfo
  package var timeZoneIdentifier: String
  package var points: [CheckedPoints]
  package var tierMeasure: TierMeasureSyntax?
  package var tierWindow: Int?
  package var tierKeep: TierKeepSyntax?
  package var levels: [Level]
  package var cards: [Card]
  package var rules: [Rule]
  package var rewards: [CheckedReward]
  /// The interned filters (by id) and windows (by id).
  package var tables: LoweringTables
}

/// Lowers a checked, error-free program. Returns nil only if an amount cannot be represented
/// (the checker has already refused those, so this is a safety net, never a trap).
package func lower<C: ConditionInputs>(_ program: CheckedProgram, for _: C.Type = C.self) -> LoweredProgram<C>? {
  let digits = program.currency.minorDigits
  var conditions = ConditionLowering<C>(minorDigits: digits)
  func minor(_ d: Exact) -> Int64? { Amounts.minorUnits(d, digits: digits) }

  var levels: [LoweredProgram<C>.Level] = []
  var tierWindow: Int?
  if let tiers = program.tiers {
    tierWindow = conditions.tables.window(tiers.window)
    for level in tiers.levels {
      var spend: Int64?
      if let s = level.spendThreshold {
        guard let m = minor(s) else { return nil }
        spend = m
      }
      levels.append(.init(name: level.name, spendMinor: spend, visits: level.visitThreshold, multiplier: level.multiplier))
    }
  }

  var cards: [LoweredProgram<C>.Card] = []
  for card in program.stampCards {
    let collect: LoweredProgram<C>.Card.Collect
    switch card.collect {
    case .perItem(let n, let f): collect = .perItem(count: n, filter: conditions.tables.filter(f))
    case .perVisit(let n): collect = .perVisit(count: n)
    }
    let reward: LoweredProgram<C>.Card.Reward
    switch card.reward {
    case .cheapestItemFree(let f): reward = .cheapestItemFree(filter: conditions.tables.filter(f))
    case .mostExpensiveItemFree(let f): reward = .mostExpensiveItemFree(filter: conditions.tables.filter(f))
    case .reward(let id): reward = .reward(id)
    }
    cards.append(.init(name: card.name, collect: collect, every: card.every, reward: reward))
  }

  var rules: [LoweredProgram<C>.Rule] = []
  for rule in program.rules {
    var effects: [LoweredProgram<C>.Effect] = []
    for effect in rule.effects {
      switch effect {
      case .earn(let rate, let currency, let basis):
        let lowered: LoweredProgram<C>.Basis
        switch basis {
        case .flat: lowered = .flat
        case .perItem(let f): lowered = .perItem(filter: conditions.tables.filter(f))
        case .perSpend(let per, let whole, let f):
          guard let m = minor(per), m > 0 else { return nil }
          lowered = .perSpend(perMinor: m, whole: whole, filter: conditions.tables.filter(f))
        }
        effects.append(.earn(rate: rate, currency: currency, basis: lowered))
      case .multiply(let currency, let factor):
        effects.append(.multiply(currency: currency, factor: factor))
      case .voucher(let name, let worth, let validFor):
        guard let m = minor(worth) else { return nil }
        effects.append(.voucher(name: name, worthMinor: m, validFor: validFor))
      case .reward(let id):
        effects.append(.reward(id))
      }
    }
    rules.append(.init(name: rule.name, trigger: rule.trigger, condition: conditions.predicate(rule.condition),
                       effects: effects, limits: rule.limits, replaces: rule.replaces))
  }

  return LoweredProgram(
    name: program.name, currency: program.currency, timeZoneIdentifier: program.timeZoneIdentifier,
    points: program.pointsCurrencies, tierMeasure: program.tiers?.measure, tierWindow: tierWindow,
    tierKeep: program.tiers?.keep, levels: levels, cards: cards, rules: rules, rewards: program.rewards,
    tables: conditions.tables)
}
