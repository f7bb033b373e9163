/// Where `perk serve` keeps accounts, events (for idempotency, and to bring an account's
/// snapshot up to date) and referral transfers.
///
/// The store holds JSON text the service writes with the same encoders `perk eval` uses; it
/// knows nothing of programs. An account's stored state is a snapshot that includes the
/// customer's events up to ``StoredAccount/through``; the events after it are replayed on it. Each ``write(_:)`` is one transaction: all of it is durable
/// before it returns, or none of it is. The service serializes the writes for one customer;
/// a store must still be safe to call from several threads. A store that several servers
/// share (``PostgresStore``) also serializes each customer across them (``serialized(_:_:)``)
/// and versions each account (``version(of:)``) so a server's cached copy can be checked.
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
  /// The pending (unacknowledged) messages of `customer`, or of every customer when nil, in the order they were stored.
  func pendingMessages(of customer: String?) throws(StoreError) -> [StoredMessage]
  /// The stored message `id` (acknowledged or not), or nil when there is none.
  func message(_ id: String) throws(StoreError) -> StoredMessage?
  /// Applies `changes` in one transaction.
  func write(_ changes: StoreChanges) throws(StoreError)
  /// Whether other processes may write this store at the same time (then a cached account is
  /// checked against ``version(of:)`` before it is used).
  var isShared: Bool { get }
  /// The version of the customer's account (it changes with every write that names the
  /// account), or nil when there is none. A store only this process writes may answer 0.
  func version(of customer: String) throws(StoreError) -> Int64?
  /// Runs `body` while no other process works on `customer` (the service serializes its own threads).
  func serialized<T>(_ customer: String, _ body: () throws -> T) throws -> T
}

extension AccountStore {
  /// A store of this process alone.
  public var isShared: Bool { false }
  /// Not kept: only a shared store needs versions.
  public func version(of customer: String) throws(StoreError) -> Int64? { 0 }
  /// Runs `body`: no other process writes this store.
  public func serialized<T>(_ customer: String, _ body: () throws -> T) throws -> T { try body() }
}

/// One customer's stored account: the customer JSON and a snapshot of the account state JSON.
public struct StoredAccount: Sendable, Equatable {
  /// The customer (`perk eval --customer`'s JSON), or nil when only events were seen.
  public var profile: String?
  /// The account state (`perk eval --out-state`'s JSON) after the events up to ``through``.
  public var state: String
  /// The sequence number of the customer's last event the state includes (0: none).
  public var through: Int64
  /// The account's ``AccountStore/version(of:)`` when it was read (0 in a store that keeps none).
  public var version: Int64

  /// Creates a stored account.
  public init(profile: String?, state: String, through: Int64 = 0, version: Int64 = 0) {
    self.profile = profile
    self.state = state
    self.through = through
    self.version = version
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

/// A message an event or an advance made due, kept until the deliverer acknowledges it
/// (docs/serve.md, "Messages").
public struct StoredMessage: Sendable, Equatable {
  /// Derived from what made it due, so the same cause stored again is the same row (the key).
  public var id: String
  /// The customer it is for.
  public var customer: String
  /// The message's JSON (`DueMessage.json`, one line).
  public var message: String
  /// Whether the deliverer has acknowledged it.
  public var acknowledged: Bool

  /// Creates a message row.
  public init(id: String, customer: String, message: String, acknowledged: Bool = false) {
    self.id = id
    self.customer = customer
    self.message = message
    self.acknowledged = acknowledged
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
  /// Messages made due: stored as pending unless their id is stored already.
  public var messages: [StoredMessage] = []
  /// The ids of messages acknowledged in this transaction.
  public var acknowledged: [String] = []

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
