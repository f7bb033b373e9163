import Foundation

/// A store in memory: for tests, and for `perk serve` without `--store` (nothing survives the process).
public final class MemoryStore: AccountStore, @unchecked Sendable {
  private let lock = NSLock()
  private var accounts: [String: StoredAccount] = [:]
  private var events: [String: StoredEvent] = [:]
  private var eventsByCustomer: [String: [StoredEvent]] = [:]
  private var lastSeq: Int64 = 0
  private var transfers: [StoredTransfer] = []
  private var messages: [StoredMessage] = []
  private var messageIndex: [String: Int] = [:]

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

  /// The customer's events after `seq`, in order.
  public func events(of customer: String, after seq: Int64) throws(StoreError) -> [StoredEvent] {
    lock.withLock { (eventsByCustomer[customer] ?? []).filter { $0.seq > seq } }
  }

  /// Every customer with an account, sorted.
  public func customers() throws(StoreError) -> [String] {
    lock.withLock { accounts.keys.sorted() }
  }

  /// The transfers not yet credited, oldest first.
  public func pendingTransfers() throws(StoreError) -> [StoredTransfer] {
    lock.withLock { transfers }
  }

  /// The pending messages of `customer` (every customer's when nil), in the order they were stored.
  public func pendingMessages(of customer: String?) throws(StoreError) -> [StoredMessage] {
    lock.withLock { messages.filter { !$0.acknowledged && (customer == nil || $0.customer == customer) } }
  }

  /// The stored message `id`.
  public func message(_ id: String) throws(StoreError) -> StoredMessage? {
    lock.withLock { messageIndex[id].map { messages[$0] } }
  }

  /// Applies `changes` at once, under the lock.
  public func write(_ changes: StoreChanges) throws(StoreError) {
    lock.lock()
    defer { lock.unlock() }
    // An event id is stored once, as SQLite's primary key keeps it: all or nothing.
    for event in changes.events where events[event.id] != nil {
      throw StoreError("event `\(event.id)` is stored already")
    }
    do {
      for var event in changes.events {
        lastSeq += 1
        event.seq = lastSeq
        events[event.id] = event
        eventsByCustomer[event.customer, default: []].append(event)
      }
      for (customer, write) in changes.accounts {
        if let state = write.state {
          accounts[customer] = StoredAccount(profile: write.profile, state: state,
                                             through: eventsByCustomer[customer]?.last?.seq ?? 0)
        } else {
          accounts[customer]?.profile = write.profile
        }
      }
      for transfer in changes.released where !transfers.contains(transfer) { transfers.append(transfer) }
      transfers.removeAll { pending in
        changes.credited.contains { $0.creditID == pending.creditID && $0.receiver == pending.receiver }
      }
      for message in changes.messages where messageIndex[message.id] == nil {
        messageIndex[message.id] = messages.count
        messages.append(message)
      }
      for id in changes.acknowledged {
        if let index = messageIndex[id] { messages[index].acknowledged = true }
      }
    }
  }
}
