/// An account state shared between copies of what holds it — an outcome's state — so that
/// copying the holder retains one reference, not sixteen collections. Immutable: a new state
/// replaces the box.
final class AccountStateBox: Hashable, Sendable {
  let value: AccountState
  init(_ value: AccountState) { self.value = value }
  /// The one box of the empty state (the in-place forms' outcomes carry no state).
  static let empty = AccountStateBox(AccountState.empty)
  static func == (a: AccountStateBox, b: AccountStateBox) -> Bool { a === b || a.value == b.value }
  func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
