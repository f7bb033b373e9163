import PerkRuntime

/// Why a rule that never fired did not: what the evaluator most often decided on the events
/// whose trigger matched the rule (``RuleTally``), or that no such event came.
package struct NeverFiredReason: Sendable, Equatable {
  /// `condition_false`, `limit_reached`, `fired_without_award`, `no_event` or `not_counted`
  /// (rules that run at period ends or on a tier change, which the evaluator does not count).
  package var key: String
  /// How many events ended so (nil for `no_event` and `not_counted`).
  package var count: Int64?
  /// For people: `its condition never held: 1,234 purchases`.
  package var text: String

  /// The key of each ``RuleTally/Outcome`` in ``Figures/ruleTallies`` and the JSON report.
  static func key(_ outcome: RuleTally.Outcome) -> String {
    switch outcome {
    case .conditionFalse: "condition_false"
    case .limitReached: "limit_reached"
    case .fired: "fired"
    }
  }

  /// What a rule listens to, as `SimulationResult.ruleTriggers` and the JSON report keep it:
  /// `purchase`, `signup`, `custom NAME`, `period end` or `tier change`.
  static func trigger(_ spec: TriggerSpec) -> String {
    switch spec {
    case .purchase: "purchase"
    case .signup: "signup"
    case .custom(let name): "custom \(name)"
    case .tierReached, .tierLost: "tier change"
    case .signupAnniversary, .birthday, .afterPurchase, .beforeExpiry: "period end"
    }
  }

  /// The reason for a rule with `trigger` (nil when a report predates triggers: no reason is
  /// given) whose evaluations were counted as `tally` (by ``key(_:)``). The most frequent
  /// outcome wins; on a tie, the earlier of condition, limit, firing.
  init?(trigger: String?, tally: [String: Int64]) {
    guard let trigger else { return nil }
    let noun: (Int64) -> String
    switch trigger {
    case "purchase": noun = { $0 == 1 ? "purchase" : "purchases" }
    case "signup": noun = { $0 == 1 ? "signup" : "signups" }
    case "period end", "tier change":
      key = "not_counted"
      text = trigger == "period end" ? "it runs at period ends, whose decisions are not counted"
        : "it runs when a tier changes, whose decisions are not counted"
      return
    default:
      guard trigger.hasPrefix("custom ") else { return nil }
      let name = trigger.dropFirst("custom ".count)
      noun = { "`\(name)` " + ($0 == 1 ? "event" : "events") }
    }
    let reasons: [(RuleTally.Outcome, String, String)] = [
      (.conditionFalse, "condition_false", "its condition never held"),
      (.limitReached, "limit_reached", "a limit stopped it"),
      (.fired, "fired_without_award", "it fired but gave nothing"),
    ]
    var best: (key: String, text: String, count: Int64)?
    for (outcome, key, text) in reasons {
      let count = tally[NeverFiredReason.key(outcome)] ?? 0
      if count > 0, count > best?.count ?? 0 { best = (key, text, count) }
    }
    if let best {
      key = best.key
      count = best.count
      text = "\(best.text): \(Percent.grouped(best.count)) \(noun(best.count))"
    } else {
      key = "no_event"
      text = "no \(noun(2)) in the history"
    }
  }
}
