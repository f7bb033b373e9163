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
      case .hold(let d):
        guard once("hold", d.range) else { continue }
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
        points.hold = d.value
        holdRange = d.range
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
  package static func shortestLifetime(_ expiry: ExpirySyntax) -> Int64 {
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
      var shortest = Int64.max
      for offset in Int64(0)..<1461 {
        let earned = first.adding(days: offset)
        let gone = endOfMonth ? earned.startOfMonth.adding(months: n + 1) : earned.adding(months: n)
        shortest = min(shortest, gone.dayNumber - earned.dayNumber)
      }
      return shortest
    }
  }
}

/// E0512: a reward whose cost is more than any customer can ever hold. Provable when every way
/// to earn its currency is a flat bonus limited to a number of times ever: the most anyone can
/// hold is the sum of those bonuses. (A currency that nothing earns is W0104's business.)
package func checkAffordability(_ program: CheckedProgram, diagnostics: inout Diagnostics) {
  for points in program.pointsCurrencies {
    var bounded = true
    var earnsAny = false
    var most = Int128(0)
    for rule in program.rules {
      let ever = rule.limits.filter { if case .ever = $0.period { return true } else { return false } }.map(\.count).min()
      for effect in rule.effects {
        switch effect {
        case .earn(let amount, let currency, let basis) where currency == points.id:
          earnsAny = true
          guard case .flat = basis, let ever else { bounded = false; continue }
          // Round up: a bound may only be too generous, never too strict.
          var scale = Int128(1)
          for _ in 0..<min(amount.scale, 30) { scale *= 10 }
          let whole = (Int128(amount.significand) + scale - 1) / scale
          most += whole * Int128(ever)
        case .multiply(let currency, _) where currency == points.id:
          earnsAny = true
        default: break
        }
      }
    }
    guard bounded, earnsAny else { continue }
    for reward in program.rewards where reward.currency == points.id && Int128(reward.cost) > most {
      diagnostics.append(Diagnostic(
        .unaffordableReward, "reward `\(reward.name)` costs \(reward.cost) \(points.name) but no customer can ever earn more than \(most)",
        at: reward.range, label: "never affordable",
        help: "lower the cost, or add a rule that earns `\(points.name)` on purchases"))
    }
  }
}
