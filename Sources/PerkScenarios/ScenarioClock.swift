import PerkRuntime

/// `time passes`: runs the program's period ends up to an instant (``Program/advance(to:customer:state:)``).
enum ScenarioClock {
  static func advance(_ program: Program, to instant: Instant, customer: Customer,
                      state: AccountState) throws(EvaluationError) -> Outcome {
    // Traced, so that `--coverage` counts the rules period ends fire (birthdays, contact).
    var options = EvaluationOptions.full
    options.trace = true
    return try program.advance(to: instant, customer: customer, state: state, options: options)
  }
}
