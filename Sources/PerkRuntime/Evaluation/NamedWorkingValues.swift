/// The working values a state keeps in dictionaries under the program's names — balances,
/// stamps, tier keeps, rule awards, rebates — as they were when a state was written from them.
///
/// Writing a working form back into that state (``WorkingState/write(into:program:written:)``)
/// then compares index by index and touches only the names whose values changed, instead of
/// looking every name up: an unchanged value is already in the state, under its name, in the
/// form `write` leaves it (an empty award list or rebate account absent).
struct NamedWorkingValues: Equatable, Sendable {
  let balances: [Int64]
  let stamps: [Int64]
  let keptUntil: [LocalDate?]
  let ruleAwards: [[LocalDate]]
  let rebates: [RebateAccount]

  /// The values of `working`.
  init(of working: WorkingState) {
    balances = working.balances
    stamps = working.stamps
    keptUntil = working.keptUntil
    ruleAwards = working.ruleAwards
    rebates = working.rebates
  }
}
