import Foundation
import PerkStore

/// Serializes the work on each customer's account: events for one customer are applied one
/// at a time, in the order their requests take the lock; other customers proceed at once.
///
/// A fixed set of locks, chosen by the id's hash: no table of locks grows with the customers,
/// and two customers sharing a lock only wait for each other. With a store that other servers
/// share, the store's lock on the customer is taken too (inside this one), so the customer's
/// events are serialized across all of them.
final class CustomerLocks: @unchecked Sendable {
  private let locks = (0..<256).map { _ in NSLock() }
  private let store: any AccountStore

  init(store: any AccountStore) { self.store = store }

  /// Runs `body` holding `customer`'s lock. Never called with a lock already held, so two
  /// requests cannot wait for each other (a referral credit takes the referrer's lock after
  /// the referred customer's is released).
  func with<T>(_ customer: String, _ body: () throws -> T) throws -> T {
    let lock = locks[Int(UInt(bitPattern: customer.hashValue) % UInt(locks.count))]
    lock.lock()
    defer { lock.unlock() }
    do {
      return try store.serialized(customer, body)
    } catch let error as StoreError {
      throw ServiceFailure.store(error.message)
    }
  }
}
