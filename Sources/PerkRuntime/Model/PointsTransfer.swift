/// Points one account owes another: today, the points a referral gives the referrer.
///
/// A transfer is made while evaluating the *referred* customer's event and kept in that
/// account's state (``TriggerState/heldTransfers``) until its hold has passed without a
/// return of the purchase. It then appears once in ``Outcome/transfers``, and the caller
/// credits it to ``customer`` with ``Program/credit(_:customer:state:)``.
public struct PointsTransfer: Hashable, Sendable, Codable {
  /// The customer who receives the points (the referrer's id).
  public var customer: String
  /// The customer whose event gave them (the referred customer's id).
  public var from: String
  /// The points currency's name.
  public var currency: String
  /// How many points.
  public var amount: Int64
  /// What the points cost at the currency's `worth`.
  public var value: Money
  /// The rule that gave them.
  public var rule: String
  /// Why, for people: `referral: first purchase T1 of c2 kept 14 days`.
  public var reason: String
  /// The transaction whose return within the hold cancels the transfer.
  public var sourceTransaction: String
  /// The local day at whose start the transfer is released (the purchase day + the hold).
  public var releaseOn: LocalDate

  /// Creates a transfer.
  public init(customer: String, from: String, currency: String, amount: Int64, value: Money, rule: String, reason: String,
              sourceTransaction: String, releaseOn: LocalDate) {
    self.customer = customer
    self.from = from
    self.currency = currency
    self.amount = amount
    self.value = value
    self.rule = rule
    self.reason = reason
    self.sourceTransaction = sourceTransaction
    self.releaseOn = releaseOn
  }

  /// The transaction id under which the receiving account records the credit, so crediting
  /// the same transfer twice pays once.
  public var creditID: String { "transfer:\(sourceTransaction):\(rule)" }

  private enum CodingKeys: String, CodingKey, CaseIterable {
    case customer, from, currency, amount, valueMinor = "value_minor", moneyCurrency = "money_currency", rule, reason
    case sourceTransaction = "source_transaction", releaseOn = "release_on"
  }

  /// Decodes a transfer; money is stored as minor units and an ISO currency code.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    customer = try c.decode(String.self, forKey: .customer)
    from = try c.decode(String.self, forKey: .from)
    currency = try c.decode(String.self, forKey: .currency)
    amount = try c.decode(Int64.self, forKey: .amount)
    let code = try c.decode(String.self, forKey: .moneyCurrency)
    guard let money = Currency.named(code) else {
      throw DecodingError.dataCorruptedError(forKey: .moneyCurrency, in: c, debugDescription: "unknown currency `\(code)`")
    }
    value = Money(minorUnits: try c.decode(Int64.self, forKey: .valueMinor), currency: money)
    rule = try c.decode(String.self, forKey: .rule)
    reason = try c.decode(String.self, forKey: .reason)
    sourceTransaction = try c.decode(String.self, forKey: .sourceTransaction)
    releaseOn = try c.decode(LocalDate.self, forKey: .releaseOn)
  }

  /// Encodes a transfer.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(customer, forKey: .customer)
    try c.encode(from, forKey: .from)
    try c.encode(currency, forKey: .currency)
    try c.encode(amount, forKey: .amount)
    try c.encode(value.minorUnits, forKey: .valueMinor)
    try c.encode(value.currency.code, forKey: .moneyCurrency)
    try c.encode(rule, forKey: .rule)
    try c.encode(reason, forKey: .reason)
    try c.encode(sourceTransaction, forKey: .sourceTransaction)
    try c.encode(releaseOn, forKey: .releaseOn)
  }
}

/// What retention triggers remember between events: the visit streak and held transfers.
public struct TriggerState: Hashable, Sendable, Codable {
  /// The Monday of the last ISO week with a visit.
  public var lastVisitWeek: LocalDate?
  /// Consecutive ISO weeks with a visit, ending with ``lastVisitWeek``.
  public var visitStreak: Int64 = 0
  /// Points for referrers, held until their purchase has been kept through the hold.
  public var heldTransfers: [PointsTransfer] = []
  /// The last purchase day with a line matching the filter of each `on N days after purchase
  /// in …` rule, by rule name (Messages.swift).
  public var lastPurchaseFor: [String: LocalDate] = [:]
  /// The days messages were sent in the program's cap period so far (`messages at most …`).
  public var messageDays: [LocalDate] = []

  /// Nothing remembered.
  public init() {}

  /// Whether there is nothing to remember (the state then omits the key).
  public var isEmpty: Bool { lastVisitWeek == nil && visitStreak == 0 && heldTransfers.isEmpty && lastPurchaseFor.isEmpty && messageDays.isEmpty }

  private enum CodingKeys: String, CodingKey, CaseIterable {
    case lastVisitWeek = "last_visit_week", visitStreak = "visit_streak", heldTransfers = "held_transfers"
    case lastPurchaseFor = "last_purchase_for"
    case messageDays = "message_days"
  }

  /// Decodes the trigger state; every key is optional.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    lastVisitWeek = try c.decodeIfPresent(LocalDate.self, forKey: .lastVisitWeek)
    visitStreak = try c.decodeIfPresent(Int64.self, forKey: .visitStreak) ?? 0
    heldTransfers = try c.decodeIfPresent([PointsTransfer].self, forKey: .heldTransfers) ?? []
    lastPurchaseFor = try c.decodeIfPresent([String: LocalDate].self, forKey: .lastPurchaseFor) ?? [:]
    messageDays = try c.decodeIfPresent([LocalDate].self, forKey: .messageDays) ?? []
  }

  /// Encodes the trigger state.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encodeIfPresent(lastVisitWeek, forKey: .lastVisitWeek)
    try c.encode(visitStreak, forKey: .visitStreak)
    try c.encode(heldTransfers, forKey: .heldTransfers)
    // Written only when kept, so states of programs without such rules read as before.
    if !lastPurchaseFor.isEmpty { try c.encode(lastPurchaseFor, forKey: .lastPurchaseFor) }
    if !messageDays.isEmpty { try c.encode(messageDays, forKey: .messageDays) }
  }
}
