/// Scheduled tier reviews (`review at start of each quarter, down at most one level`).
///
/// With a review clause the tier still rises at once when an event qualifies for a higher
/// level, but it never falls between reviews: the tier last stored is a floor. At the start of
/// each review day (a period end, so in `advance`, `perk repl :advance` and `perk sim` alike)
/// the measure is read over the window ending on the day before, keep clauses are applied as
/// usual, and a tier above that is lowered to it, or by one level with `down at most one level`.
/// Without a signup date there is no anniversary, so `review on signup anniversary` never lowers the tier.
extension TierSpec.Review {
  /// The first review day after `day`, if any.
  package func nextReview(after day: LocalDate, signup: LocalDate?) -> LocalDate? {
    let (year, month, _) = day.components
    switch schedule {
    case .month: return day.startOfMonth.adding(months: 1)
    case .quarter: return LocalDate(year: year, month: (month - 1) / 3 * 3 + 1, day: 1)?.adding(months: 3)
    case .year: return LocalDate(year: year + 1, month: 1, day: 1)
    case .signupAnniversary:
      guard let signup else { return nil }
      var candidate = max(year, signup.components.year + 1)
      while signup.occurrence(inYear: candidate) <= day { candidate += 1 }
      return signup.occurrence(inYear: candidate)
    }
  }

  /// Whether a review happens at the start of `day`.
  package func isReview(on day: LocalDate, signup: LocalDate?) -> Bool {
    nextReview(after: day.adding(days: -1), signup: signup) == day
  }
}

extension EvaluationRun {
  /// The index of the tier last stored on the account (the floor between reviews).
  var storedTier: Int? {
    guard let spec = program.tiers, let name = working.tier else { return nil }
    return spec.levels.firstIndex { $0.name == name }
  }

  /// Runs a scheduled review at the start of today when one is due: see the comment on this file.
  mutating func reviewScheduledTier() {
    guard let spec = program.tiers, let review = spec.review, !spec.levels.isEmpty,
          review.isReview(on: today, signup: customer.signupDate) else { return }
    let reviewDay = today
    today = reviewDay.adding(days: -1)
    let kept = keptTier(qualified: qualifiedTier())
    let (spend, visits) = working.tierSum(program, today: today)
    today = reviewDay
    guard let current = storedTier, let kept, kept < current else { return }
    let target = review.atMostOneLevel ? max(kept, current - 1) : kept
    let from = spec.levels[current].name
    let to = spec.levels[target].name
    working.tier = to
    awards.append(Award(kind: .tierChange(from: from, to: to), source: "tiers", location: spec.location,
                        explanation: explain("\(from) → \(to) at the review of \(reviewDay): \(money(spend)) spent and \(visits) visit\(visits == 1 ? "" : "s") in the tier window to \(reviewDay.adding(days: -1))")))
  }
}
