/// A kept tier lapses at the end of its keep date.
///
/// A level is kept through its keep date (`keep for 12 months`: the reach day plus 12 months,
/// that day included). At the start of the day after, a period end, the tier the account
/// holds is worked out again as an event would work it out (the measure over the tier window
/// ending that day, other keeps, the floor of a scheduled review) and a stored tier above it is
/// lowered, with a `tier_change` award. So `advance`, a nightly job, `perk serve`'s advance and
/// the simulator's month ends see the drop, not only the customer's next event. The keep dates
/// themselves are left alone: the next event reaches or keeps levels exactly as it would have.
extension EvaluationRun {
  /// Lowers the stored tier at the start of today when a keep date of the stored level or above
  /// ended yesterday and nothing else holds the stored level.
  mutating func lapseKeptTier() {
    guard let spec = program.tiers, !spec.levels.isEmpty else { return }
    let keepDay = today.adding(days: -1)
    guard working.lapsableKeeps(program).contains(where: { $0 == keepDay }),
          let current = storedTier, let held = effectiveTier(qualified: qualifiedTier()), held < current else { return }
    let from = spec.levels[current].name
    let to = spec.levels[held].name
    working.tier = to
    let (spend, visits) = working.tierSum(program, today: today)
    awards.append(Award(kind: .tierChange(from: from, to: to), source: "tiers", location: spec.location,
                        explanation: explain("\(from) → \(to) when the keep ended on \(keepDay): \(money(spend)) spent and \(visits) visit\(visits == 1 ? "" : "s") in the tier window")))
  }
}

extension WorkingState {
  /// The keep dates whose end may lower the stored tier: those of the stored level and above
  /// (the lowest level is never lowered). Keeps of lower levels lapse without a review, so that
  /// `Program.quietUntil` need not wake for them.
  func lapsableKeeps(_ program: Program) -> ArraySlice<LocalDate?> {
    guard let name = tier, let stored = program.tiers?.levels.firstIndex(where: { $0.name == name }),
          keptUntil.count > max(1, stored) else { return [] }
    return keptUntil[max(1, stored)...]
  }

  /// The first day after `day` whose start ends a keep date that may lower the stored tier
  /// (see ``EvaluationRun/lapseKeptTier()``).
  func nextKeepLapse(after day: LocalDate, _ program: Program) -> LocalDate? {
    var next: LocalDate?
    for case let until? in lapsableKeeps(program) {
      let lapse = until.adding(days: 1)
      if lapse > day, next.map({ lapse < $0 }) ?? true { next = lapse }
    }
    return next
  }
}
