/// The stored state an ``Account`` was made from (entries under names the program does not
/// declare are written back unchanged) and, when that state came with its working form
/// (``WorkingFormCache``), the values it holds under the program's names, so that writing the
/// account back touches only what changed. Shared by copies of the account (the simulator's
/// budget mode copies a whole account on every event); immutable.
final class AccountBase: Equatable, Sendable {
  let state: AccountState
  let written: NamedWorkingValues?

  init(_ state: AccountState, written: NamedWorkingValues?) {
    self.state = state
    self.written = written
  }

  /// The one base of a new account.
  static let empty = AccountBase(AccountState.empty, written: nil)

  /// The same base, or equal states with equal written values.
  static func == (a: AccountBase, b: AccountBase) -> Bool { a === b || (a.state == b.state && a.written == b.written) }
}
