import PerkRuntime

/// The one place the simulator asks the runtime to run period ends (expiry, pending releases,
/// tier reviews, rebate settlement) up to an instant.
///
/// `Program.advance(to:customer:state:)` is being added to the runtime; until it is there,
/// period ends are a no-op and the report says so (`periodEndsModelled`).
enum PeriodEnd {
  static let periodEndsModelled = false

  static func advance(_ program: Program, to instant: Instant, customer: Customer, state: AccountState) throws(EvaluationError) -> Outcome? {
    nil
  }
}
