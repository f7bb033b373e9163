import PerkRuntime

/// The one place the simulator asks the runtime to run period ends (expiry, pending releases,
/// tier reviews, rebate settlement) up to an instant: `Program.advance(to:customer:account:options:)`.
///
/// The outcome's `eventID` is left empty when no rule reads it: the simulator files a period
/// end's awards and messages, and its trace lines name no transaction for one.
/// A month end that can only expire lots goes through `expireLotsOnly`, which gives the same
/// awards and account with no outcome made.
enum PeriodEnd {
  static func advance(_ program: Program, to instant: Instant, customer: Customer, account: inout Account,
                      options: EvaluationOptions, restoresOnError: Bool) throws(EvaluationError) -> Outcome {
    try program.advance(to: instant, customer: customer, account: &account, options: options, restoresOnError: restoresOnError,
                       identified: false)
  }

  /// The awards of the lots expiring by `instant`'s day when nothing else can happen by then
  /// (`Program.expireLotsOnly(to:account:options:)`); nil, having changed nothing, otherwise.
  static func expireLotsOnly(_ program: Program, to instant: Instant, customer: Customer, account: inout Account,
                             options: EvaluationOptions) -> [Award]? {
    program.expireLotsOnly(to: program.timeZone(for: customer).localTime(of: instant).date, account: &account, options: options)
  }
}
