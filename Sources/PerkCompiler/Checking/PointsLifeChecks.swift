import PerkRuntime
import PerkSource
import PerkSyntax

/// Checks of a points currency's life: expiry, spending order, hold and return policy
/// (E0511), and rewards no customer can ever afford (E0512).
extension DeclarationChecker {
  mutating func checkPointsLife(_ p: PointsDeclaration, into points: inout CheckedPoints, diagnostics: inout Diagnostics) {
    var seen: [String: SourceRange] = [:]
    var expiryRange: SourceRange?
    var holdRange: SourceRange?
    func once(_ keyword: String, _ range: SourceRange) -> Bool {
      if let first = seen[keyword] {
        diagnostics.append(Diagnostic(.duplicateClause, "`\(keyword)` given twice", at: range, label: "given again here",
                                      labels: [.init("first given here", at: first)], help: "remove one of them"))
        return false
      }
      seen[keyword] = range
      return true
    }
    for clause in p.clauses {
      switch clause {
      case .expire(let e):
        guard once("expire", e.range) else { continue }
        let duration: DurationLiteral
        switch e.value {
        case .after(let d), .endOfMonthAfter(let d), .withoutActivity(let d): duration = d
        }
        if case .endOfMonthAfter(let d) = e.value, d.unit != .month && d.unit != .year {
          diagnostics.append(Diagnostic(.valueOutOfRange, "`expire at end of month` needs months or years", at: e.range,
                                        help: "write `expire at end of month 12 months after earning`"))
          continue
        }
        guard duration.count >= 1 else {
          diagnostics.append(Diagnostic(.valueOutOfRange, "`expire` after \(duration.count) \(duration.unit.rawValue)s is out of range",
                                        at: e.range, label: "must be at least 1"))
          continue
        }
        points.expiry = e.value
        expiryRange = e.range
      case .spend(let order):
        guard once("spend", order.range) else { continue }
        points.spendOrder = order.value
      case .hold(let h):
        guard once("hold", h.range) else { continue }
        let d = Located(h.value.duration, range: h.range)
        guard d.value.unit == .day || d.value.unit == .week else {
          diagnostics.append(Diagnostic(.valueOutOfRange, "`hold` is given in days or weeks", at: d.range,
                                        help: "write `hold 14 days`"))
          continue
        }
        guard d.value.count >= 1, d.value.count <= 36_600 else {
          diagnostics.append(Diagnostic(.valueOutOfRange, "`hold \(d.value.count) \(d.value.unit.rawValue)s` is out of range",
                                        at: d.range, label: "must be between 1 day and 100 years"))
          continue
        }
        points.hold = h.value
        holdRange = h.range
      case .onReturn(let policy):
        guard once("on return", policy.range) else { continue }
        points.clawback = policy.value
      case .worth, .round, .cap, .invalid: break  // caps: DeclarationChecker
      }
    }
    if let expiry = points.expiry, let expiryRange, let hold = points.hold, let holdRange {
      let holdDays = PointsLife.days(hold)
      let shortest = PointsLife.shortestLifetime(expiry)
      if holdDays >= shortest {
        diagnostics.append(Diagnostic(
          .expiryShorterThanHold, "points of `\(p.name.text)` can expire before their hold ends", at: expiryRange,
          label: "as little as \(shortest) day\(shortest == 1 ? "" : "s") after earning",
          labels: [.init("held \(holdDays) day\(holdDays == 1 ? "" : "s")", at: holdRange)],
          help: "make the expiry longer than the hold, or the hold shorter"))
      }
    }
  }
}

/// Day arithmetic for points lifetimes, shared by the checker and lowering.
package enum PointsLife {
  /// The release day's distance from the earning day: the hold's days, plus one when it does
  /// not count the earning day (semantics.md, "Points lots and expiry").
  package static func days(_ hold: HoldDuration) -> Int64 {
    days(hold.duration) + (hold.excludesEarningDay ? 1 : 0)
  }

  /// Days in a `hold` duration (days or weeks).
  package static func days(_ d: DurationLiteral) -> Int64 {
    let count = min(max(d.count, 0), 366_000_000)
    return d.unit == .week ? count * 7 : count
  }

  /// Months in a month or year duration, clamped so absurd sizes cannot overflow.
  package static func months(_ d: DurationLiteral) -> Int {
    // Ten thousand years is "never" for any account and keeps dates representable.
    let count = min(max(d.count, 0), d.unit == .year ? 10_000 : 120_000)
    return Int(d.unit == .year ? count * 12 : count)
  }

  /// The fewest days between earning and expiry over every earning day (leap years included):
  /// `1 month` can be 28 days (January 31 → February 28); end of month can be 1 day past it.
  package static func shortestLifetime(_ expiry: ExpirySyntax) -> Int64 { lifetime(expiry, longest: false) }

  /// The most days between earning and expiry over every earning day.
  package static func longestLifetime(_ expiry: ExpirySyntax) -> Int64 { lifetime(expiry, longest: true) }

  static func lifetime(_ expiry: ExpirySyntax, longest: Bool) -> Int64 {
    let duration: DurationLiteral
    let endOfMonth: Bool
    switch expiry {
    case .after(let d), .withoutActivity(let d): duration = d; endOfMonth = false
    case .endOfMonthAfter(let d): duration = d; endOfMonth = true
    }
    switch duration.unit {
    case .day, .week: return days(duration)
    case .month, .year:
      let n = months(duration)
      // Four years starting 2000-01-01 cover every month length and a leap day.
      let first = LocalDate(year: 2000, month: 1, day: 1)!
      var result = longest ? Int64.min : Int64.max
      for offset in Int64(0)..<1461 {
        let earned = first.adding(days: offset)
        let gone = endOfMonth ? earned.startOfMonth.adding(months: n + 1) : earned.adding(months: n)
        result = longest ? max(result, gone.dayNumber - earned.dayNumber) : min(result, gone.dayNumber - earned.dayNumber)
      }
      return result
    }
  }
}

/// E0512: a reward whose cost is more than any customer can ever hold, where that is provable:
/// - every flat bonus of the currency is limited to a number of times ever (their sum bounds them);
/// - per-spend and per-item earning either does not exist, or the currency caps it per calendar
///   period and its points expire after a fixed lifetime: at most the cap times the periods that
///   a lifetime touches can be held at once;
/// - no rule gives the currency to referrers (a referrer can have any number of friends).
/// (A currency that nothing earns is W0104's business.)
package func checkAffordability(_ program: CheckedProgram, diagnostics: inout Diagnostics) {
  for points in program.pointsCurrencies {
    guard let most = mostHeld(points, in: program) else { continue }
    for reward in program.rewards where reward.currency == points.id && Int128(reward.cost) > most {
      diagnostics.append(Diagnostic(
        .unaffordableReward, "reward `\(reward.name)` costs \(reward.cost) \(points.name) but no customer can ever hold more than \(most)",
        at: reward.range, label: "never affordable",
        help: "lower the cost, or let customers earn or keep more `\(points.name)`"))
    }
  }
}

/// The most of `points` a customer can ever hold; nil when nothing bounds it (or nothing earns it).
func mostHeld(_ points: CheckedPoints, in program: CheckedProgram) -> Int128? {
  var bounded = true
  var earnsAny = false
  var spendEarning = false
  var most = Int128(0)
  for rule in program.rules {
    let ever = rule.limits.filter { if case .ever = $0.period { return true } else { return false } }.map(\.count).min()
    for effect in rule.effects {
      switch effect {
      case .earn(let amount, let currency, let basis) where currency == points.id:
        earnsAny = true
        guard case .flat = basis else { spendEarning = true; continue }
        guard let ever else { bounded = false; continue }
        // Round up: a bound may only be too generous, never too strict.
        var scale = Int128(1)
        for _ in 0..<min(amount.scale, 30) { scale *= 10 }
        let whole = (Int128(amount.significand) + scale - 1) / scale
        most += whole * Int128(ever)
      case .multiply(let currency, _) where currency == points.id:
        earnsAny = true
      case .earnForReferrer(_, let currency, _) where currency == points.id:
        earnsAny = true
        bounded = false
      default: break
      }
    }
  }
  if spendEarning {
    guard let held = cappedHolding(points) else { return nil }
    most += held
  }
  guard bounded, earnsAny else { return nil }
  return most
}

/// The most per-spend and per-item points of a currency a customer can hold at once: its
/// smallest calendar cap times the periods one lifetime touches; nil when not bounded.
func cappedHolding(_ points: CheckedPoints) -> Int128? {
  guard let expiry = points.expiry else { return nil }
  let lifetime: Int64
  switch expiry {
  case .after, .endOfMonthAfter: lifetime = PointsLife.longestLifetime(expiry)
  case .withoutActivity: return nil
  }
  var best: Int128?
  for cap in points.caps {
    guard case .calendar(let unit) = cap.period else { continue }
    let periods: Int64
    switch unit {
    case .day: periods = lifetime
    case .week: periods = (lifetime + 6) / 7 + 1
    case .month: periods = (lifetime + 27) / 28 + 1
    case .year: periods = (lifetime + 364) / 365 + 1
    }
    let held = Int128(cap.amount) * Int128(periods)
    best = best.map { min($0, held) } ?? held
  }
  return best
}

extension DeclarationChecker {
  /// A rule's `hold 30 days`: days or weeks, given once, and no longer than its currencies let points live.
  func checkRuleHold(_ r: RuleDeclaration, diagnostics: inout Diagnostics) -> Located<HoldDuration>? {
    var hold: Located<HoldDuration>?
    for case .hold(let h) in r.clauses {
      let d = Located(h.value.duration, range: h.range)
      if let first = hold {
        diagnostics.append(Diagnostic(.duplicateClause, "`hold` given twice", at: d.range, label: "given again here",
                                      labels: [.init("first given here", at: first.range)], help: "remove one of them"))
        continue
      }
      guard d.value.unit == .day || d.value.unit == .week else {
        diagnostics.append(Diagnostic(.valueOutOfRange, "`hold` is given in days or weeks", at: d.range, help: "write `hold 30 days`"))
        return nil
      }
      guard d.value.count >= 1, d.value.count <= 36_600 else {
        diagnostics.append(Diagnostic(.valueOutOfRange, "`hold \(d.value.count) \(d.value.unit.rawValue)s` is out of range",
                                      at: d.range, label: "must be between 1 day and 100 years"))
        return nil
      }
      hold = h
    }
    return hold
  }
}

/// E0511 for rules: a rule's hold against the expiry of every currency it earns.
package func checkRuleHolds(_ program: CheckedProgram, diagnostics: inout Diagnostics) {
  for rule in program.rules {
    guard let hold = rule.hold else { continue }
    var currencies: [Int] = []
    for case .earn(_, let currency, _) in rule.effects where !currencies.contains(currency) { currencies.append(currency) }
    for currency in currencies where program.pointsCurrencies.indices.contains(currency) {
      let points = program.pointsCurrencies[currency]
      guard let expiry = points.expiry else { continue }
      let holdDays = PointsLife.days(hold.value)
      let shortest = PointsLife.shortestLifetime(expiry)
      if holdDays >= shortest {
        diagnostics.append(Diagnostic(
          .expiryShorterThanHold, "points of `\(points.name)` earned by rule `\(rule.name)` can expire before their hold ends",
          at: hold.range, label: "held \(holdDays) day\(holdDays == 1 ? "" : "s")",
          labels: [.init("`\(points.name)` can expire \(shortest) day\(shortest == 1 ? "" : "s") after earning", at: points.range)],
          help: "make the hold shorter than the expiry of `\(points.name)`"))
      }
    }
  }
}
