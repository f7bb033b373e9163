import PerkRuntime
import PerkSource

/// A way a return can go, as its outcome shows it.
package enum ReturnPath: String, CaseIterable, Sendable {
  /// Money went back to the customer.
  case refund = "refund"
  /// Points or stamps were taken back.
  case reversal = "awards taken back"
  /// Points to take back had been spent (the outcome's `shortfall`).
  case shortfall = "points already spent"
  /// The return was refused (unknown original, more than was bought, …).
  case refused = "return refused"
}

/// What the events of one or more tests exercised: the evaluator's own trace of each event,
/// plus the paths the returns' outcomes took.
package struct ScenarioCoverage: Hashable, Sendable {
  package var trace = EvaluationTrace()
  package var returnPaths: Set<ReturnPath> = []

  package init() {}

  /// Adds an event's outcome (nil and `rejection` for an event that was refused).
  mutating func add(_ outcome: Outcome?, rejection: String?, isReturn: Bool) {
    if let trace = outcome?.trace { self.trace.formUnion(trace) }
    guard isReturn else { return }
    if rejection != nil {
      returnPaths.insert(.refused)
      return
    }
    guard let outcome else { return }
    if let refunded = outcome.refunded, refunded.minorUnits > 0 { returnPaths.insert(.refund) }
    if outcome.shortfall.values.contains(where: { $0 > 0 }) { returnPaths.insert(.shortfall) }
    let tookBack = outcome.awards.contains { award in
      switch award.kind {
      case .points(_, let amount, _): amount < 0
      case .stamps(_, let count): count < 0
      default: false
      }
    }
    if tookBack { returnPaths.insert(.reversal) }
  }

  /// Adds what other tests exercised.
  package mutating func formUnion(_ other: ScenarioCoverage) {
    trace.formUnion(other.trace)
    returnPaths.formUnion(other.returnPaths)
  }
}

/// What a program offers to be exercised: its rules (with their conditions and limits) and
/// caps, read from the compiled program so each is named as the file names it.
package struct CoverageTargets: Sendable {
  /// One rule of the program.
  package struct Rule: Sendable {
    package var name: String
    package var location: SourceLocation?
    package var hasCondition: Bool
    package var hasLimits: Bool
  }

  /// One cap: a currency's or a rule's.
  package struct Cap: Sendable {
    package var key: EvaluationTrace.Cap
    /// `stars capped at 300 per day`, plus `in rule NAME` for a rule's cap.
    package var text: String
    package var location: SourceLocation?
  }

  package var rules: [Rule]
  package var caps: [Cap]

  package init(_ program: Program) {
    rules = program.rules.map {
      Rule(name: $0.name, location: $0.location, hasCondition: $0.condition != nil, hasLimits: !$0.limits.isEmpty)
    }
    func text(_ cap: CapSpec) -> String {
      let period = switch cap.period {
      case .transaction: "transaction"
      case .calendar(let unit): unit.rawValue
      }
      let currency = program.points.indices.contains(cap.currency) ? program.points[cap.currency].name : "points"
      return "\(currency) capped at \(cap.amount) per \(period)"
    }
    var caps: [Cap] = []
    for spec in program.points {
      for cap in spec.caps { caps.append(Cap(key: .init(rule: nil, spec: cap), text: text(cap), location: nil)) }
    }
    for rule in program.rules {
      for cap in rule.stacking.caps {
        caps.append(Cap(key: .init(rule: rule.name, spec: cap), text: text(cap) + " in rule \(rule.name)", location: rule.location))
      }
    }
    self.caps = caps
  }
}
