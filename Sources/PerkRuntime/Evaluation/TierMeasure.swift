/// What the tier levels are measured on, and the keeps that hold a level after the measure
/// falls: shared by the evaluation run and the purchase plan (PurchasePlan.swift).

/// Spend and visits in the tier window ending today, which the tier levels are measured on.
struct TierMeasure {
  var spend: Int64
  var visits: Int64
}

extension TierSpec {
  /// The highest level `measure` reaches (the first level when it reaches none).
  func qualifiedLevel(_ measure: TierMeasure) -> Int {
    var reached = 0
    for index in levels.indices {
      let bySpend = levels[index].spendMinor.map { measure.spend >= $0 } ?? false
      let byVisits = levels[index].visits.map { measure.visits >= $0 } ?? false
      let qualifies: Bool
      switch self.measure {
      case .spend: qualifies = bySpend
      case .visits: qualifies = byVisits
      case .spendOrVisits: qualifies = bySpend || byVisits
      }
      if qualifies { reached = index }
    }
    return reached
  }

  /// The last day a level reached today is kept (`keep …`); nil when it is held only while qualified.
  func keepUntil(reachedOn today: LocalDate, customer: Customer) -> LocalDate? {
    switch keep {
    case .qualifiedOnly: return nil
    // common.md: `keep for 12 months` = reach day + 12 months, that day included.
    case .forDays(let n): return today.adding(days: n)
    case .forMonths(let n): return today.adding(months: n)
    case .untilEndOfNext(let unit):
      switch unit {
      case .day: return today.adding(days: 1)
      case .week: return today.startOfWeek.adding(days: 13)
      case .month: return today.startOfMonth.adding(months: 2).adding(days: -1)
      case .year: return LocalDate(year: today.components.year + 1, month: 12, day: 31)
      }
    case .untilNextAnniversary:
      guard let signup = customer.signupDate else { return today.adding(months: 12) }
      var anniversary = signup
      var years = 0
      while anniversary <= today {
        years += 1
        anniversary = signup.adding(months: 12 * years)
      }
      return anniversary
    }
  }
}

extension WorkingState {
  /// The qualified level, or a higher one still kept on today (the kept day itself included).
  func keptTier(qualified: Int, today: LocalDate) -> Int {
    var held = qualified
    for index in keptUntil.indices where index > held {
      if let until = keptUntil[index], until >= today { held = index }
    }
    return held
  }

  /// Keeps the levels up to `qualified`, reached today, for as long as the tiers' `keep` says.
  mutating func keepTier(qualified: Int, spec: TierSpec, today: LocalDate, customer: Customer) {
    guard qualified > 0 || spec.levels[0].spendMinor != nil, let until = spec.keepUntil(reachedOn: today, customer: customer) else { return }
    // `keep for … from reaching`: qualifying for a level that is still kept does not reach it again.
    let reached = spec.extendsWhileKept || (keptUntil[qualified].map { $0 < today } ?? true)
    guard reached else { return }
    for level in 0...qualified where keptUntil[level].map({ $0 < until }) ?? true {
      keptUntil[level] = until
    }
  }
}
