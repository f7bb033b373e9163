import Foundation

/// A store in memory: for tests, and for `perk serve` without `--store` (nothing survives the process).
public final class MemoryStore: AccountStore, @unchecked Sendable {
  private let lock = NSLock()
  private var accounts: [String: StoredAccount] = [:]
  private var events: [String: StoredEvent] = [:]
  private var transfers: [StoredTransfer] = []

  /// An empty store.
  public init() {}

  /// The stored account of `customer`.
  public func account(_ customer: String) throws(StoreError) -> StoredAccount? {
    lock.withLock { accounts[customer] }
  }

  /// The stored row of the event `id`.
  public func event(_ id: String) throws(StoreError) -> StoredEvent? {
    lock.withLock { events[id] }
  }

  /// Every customer with an account, sorted.
  public func customers() throws(StoreError) -> [String] {
    lock.withLock { accounts.keys.sorted() }
  }

  /// The transfers not yet credited, oldest first.
  public func pendingTransfers() throws(StoreError) -> [StoredTransfer] {
    lock.withLock { transfers }
  }

  /// Applies `changes` at once, under the lock.
  public func write(_ changes: StoreChanges) throws(StoreError) {
    lock.withLock {
      for (customer, account) in changes.accounts { accounts[customer] = account }
      for event in changes.events { events[event.id] = event }
      for transfer in changes.released where !transfers.contains(transfer) { transfers.append(transfer) }
      transfers.removeAll { pending in
        changes.credited.contains { $0.creditID == pending.creditID && $0.receiver == pending.receiver }
      }
    }
  }
}
