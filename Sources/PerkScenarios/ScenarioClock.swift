import PerkRuntime

/// `time passes`: runs the program's period ends up to an instant (``Program/advance(to:customer:state:)``).
enum ScenarioClock {
  static func advance(_ program: Program, to instant: Instant, customer: Customer,
                      state: AccountState) throws(EvaluationError) -> Outcome {
    try program.advance(to: instant, customer: customer, state: state)
  }
}
