import PerkRuntime

/// `time passes`: runs the program's period ends up to an instant.
///
/// Kept in one place because period ends (`Program.advance`) arrive with the runtime's
/// expiry and settlement work; until then a test that lets time pass fails with a plain reason.
enum ScenarioClock {
  static func advance(_ program: Program, to instant: Instant, customer: Customer,
                      state: AccountState) throws(EvaluationError) -> Outcome {
    throw EvaluationError("`time passes` needs period ends, which this build of Perk does not have yet")
  }
}
