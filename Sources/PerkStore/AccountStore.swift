/// Where `perk serve` keeps accounts, events (for idempotency, and to bring an account's
/// snapshot up to date) and referral transfers.
///
/// The store holds JSON text the service writes with the same encoders `perk eval` uses; it
/// knows nothing of programs. An account's stored state is a snapshot that includes the
/// customer's events up to ``StoredAccount/through``; the events after it are replayed on it. Each ``write(_:)`` is one transaction: all of it is durable
/// before it returns, or none of it is. The service serializes the writes for one customer;
/// a store must still be safe to call from several threads. docs/serve.md says what a
/// PostgreSQL store will need (row locks per customer, a unique idempotency key).
public protocol AccountStore: AnyObject, Sendable {
  /// The stored account of `customer`, or nil when there is none.
  func account(_ customer: String) throws(StoreError) -> StoredAccount?
  /// What was stored for the event `id`, or nil when it has not been accepted.
  func event(_ id: String) throws(StoreError) -> StoredEvent?
  /// The customer's events stored after the sequence number `seq`, in the order they were accepted.
  func events(of customer: String, after seq: Int64) throws(StoreError) -> [StoredEvent]
  /// Every customer with an account, sorted.
  func customers() throws(StoreError) -> [String]
  /// The transfers released but not yet credited to their receiver, oldest first.
  func pendingTransfers() throws(StoreError) -> [StoredTransfer]
  /// Applies `changes` in one transaction.
  func write(_ changes: StoreChanges) throws(StoreError)
}

/// One customer's stored account: the customer JSON and a snapshot of the account state JSON.
public struct StoredAccount: Sendable, Equatable {
  /// The customer (`perk eval --customer`'s JSON), or nil when only events were seen.
  public var profile: String?
  /// The account state (`perk eval --out-state`'s JSON) after the events up to ``through``.
  public var state: String
  /// The sequence number of the customer's last event the state includes (0: none).
  public var through: Int64

  /// Creates a stored account.
  public init(profile: String?, state: String, through: Int64 = 0) {
    self.profile = profile
    self.state = state
    self.through = through
  }
}

/// A change to one account: its customer JSON, and a new snapshot of its state or none.
public struct AccountWrite: Sendable, Equatable {
  /// The customer JSON to store (nil: none known).
  public var profile: String?
  /// The new state snapshot, which includes every event of the customer written so far and in
  /// the same transaction; nil keeps the stored snapshot (the events are replayed on it).
  public var state: String?

  /// Creates an account change.
  public init(profile: String?, state: String?) {
    self.profile = profile
    self.state = state
  }
}

/// An accepted event: the idempotency key's row.
public struct StoredEvent: Sendable, Equatable {
  /// The event's id (the idempotency key).
  public var id: String
  /// The customer it was for.
  public var customer: String
  /// The SHA-256 of the request's canonical JSON: a retry with another body is refused.
  public var bodyHash: String
  /// The response that was sent, byte for byte.
  public var outcome: String
  /// The request's canonical JSON, replayed on the account's snapshot.
  public var body: String
  /// The order in which the store accepted it (set by the store; 0 in a write).
  public var seq: Int64

  /// Creates an event row.
  public init(id: String, customer: String, bodyHash: String, outcome: String, body: String, seq: Int64 = 0) {
    self.id = id
    self.customer = customer
    self.bodyHash = bodyHash
    self.outcome = outcome
    self.body = body
    self.seq = seq
  }
}

/// A referral transfer on its way from the account that released it to the one it credits.
public struct StoredTransfer: Sendable, Equatable {
  /// The transfer's credit id (`PointsTransfer.creditID`); with ``receiver``, unique.
  public var creditID: String
  /// The customer who receives the points.
  public var receiver: String
  /// The transfer's JSON (its `Codable` form).
  public var transfer: String

  /// Creates a transfer row.
  public init(creditID: String, receiver: String, transfer: String) {
    self.creditID = creditID
    self.receiver = receiver
    self.transfer = transfer
  }
}

/// What one transaction changes.
public struct StoreChanges: Sendable {
  /// New or changed accounts, by customer (written after ``events``).
  public var accounts: [String: AccountWrite] = [:]
  /// Events accepted (their idempotency rows).
  public var events: [StoredEvent] = []
  /// Transfers released, to be credited.
  public var released: [StoredTransfer] = []
  /// Transfers credited in this transaction (receiver, credit id): no longer pending.
  public var credited: [StoredTransfer] = []

  /// No changes.
  public init() {}
}

/// A store that failed: the database cannot be opened, read or written.
public struct StoreError: Error, CustomStringConvertible, Sendable {
  /// What went wrong.
  public var message: String
  /// The message.
  public var description: String { message }

  /// Creates an error.
  public init(_ message: String) { self.message = message }
}
