import PerkRuntime

/// `time passes`: runs the program's period ends up to an instant.
///
/// Kept in one place so the runner has one door to the runtime's period ends.
enum ScenarioClock {
  static func advance(_ program: Program, to instant: Instant, customer: Customer,
                      state: AccountState) throws(EvaluationError) -> Outcome {
    try program.advance(to: instant, customer: customer, state: state)
  }
}
