import Foundation
import PerkRuntime

/// The accounts `perk serve` has read or written, decoded, so an event does not read and decode
/// its customer's state from the store again. The store stays the truth: an entry is replaced
/// only after its write committed. With a store other servers write too, an entry is used only
/// while the store's version of the account is the entry's (docs/serve.md).
final class AccountCache: @unchecked Sendable {
  /// An account as the service uses it.
  struct Entry {
    var customer: Customer
    var state: AccountState
    /// The stored customer JSON, written back unchanged with a new state.
    var profile: String?
    /// Events applied since the stored snapshot of the state.
    var sinceSnapshot: Int
    /// The store's version of the account this entry is (0 with a store of this process alone).
    var version: Int64 = 0
  }

  /// Past this many accounts the cache starts again empty: memory stays bounded, and a miss
  /// costs only a read from the store.
  private let capacity: Int
  private let lock = NSLock()
  private var entries: [String: Entry] = [:]

  init(capacity: Int = 100_000) { self.capacity = capacity }

  subscript(customer: String) -> Entry? {
    get { lock.withLock { entries[customer] } }
    set {
      lock.withLock {
        if entries.count >= capacity && entries[customer] == nil { entries.removeAll(keepingCapacity: true) }
        entries[customer] = newValue
      }
    }
  }
}
