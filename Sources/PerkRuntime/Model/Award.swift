import PerkSource

/// One thing an event gave the customer, with the rule that gave it and why.
public struct Award: Hashable, Sendable {
  /// What was given.
  public enum Kind: Hashable, Sendable {
    /// Points of a named currency; `value` is what they cost at the currency's `worth`.
    case points(currency: String, amount: Int64, value: Money)
    /// Stamps collected on a card.
    case stamps(card: String, count: Int64)
    /// One unit of an item made free; `value` is its price.
    case freeItem(sku: String, value: Money)
    /// A voucher; `validUntil` when it expires.
    case voucher(name: String, value: Money, validUntil: LocalDate?)
    /// A catalog reward given free.
    case reward(name: String, value: Money)
    /// The customer's tier changed.
    case tierChange(from: String?, to: String?)
    /// A volume rebate's accrual (on a purchase or return), statement or settlement.
    case rebate(RebateAward)
    /// Points reached their expiry at a period end and left the balance.
    case expired(currency: String, amount: Int64)
    /// Held points became spendable at a period end.
    case released(currency: String, amount: Int64)
    /// A catalog reward bought with points; `cost` points of `currency` were spent.
    case redeemed(reward: String, currency: String, cost: Int64, value: Money)
    /// Money taken off the price by a promotion before earning (`discount 15% on basket`).
    case discount(value: Money)
  }

  /// What was given.
  public var kind: Kind
  /// The rule or declaration that gave it (`base earn`, `coffee card`, `tiers`).
  public var source: String
  /// Where that rule is written.
  public var location: SourceLocation?
  /// The computation, for people: `$4.50 × 2 stars per $1 = 9 stars`.
  public var explanation: String

  /// Creates an award.
  public init(kind: Kind, source: String, location: SourceLocation?, explanation: String) {
    self.kind = kind
    self.source = source
    self.location = location
    self.explanation = explanation
  }
}

/// What evaluating one event produced: the awards and the new account state.
public struct Outcome: Hashable, Sendable {
  /// The event's transaction id.
  public var eventID: String
  /// The awards, in phase order (stamps and free items, earning, bonuses, tier changes).
  public var awards: [Award]
  /// The account after the event.
  public var state: AccountState
  /// True when the transaction id was already evaluated: nothing was awarded again.
  public var duplicate: Bool
  /// Points balances after the event, by currency name.
  public var balances: [String: Int64]
  /// The amount paid after free items.
  public var amountPaid: Money
  /// The tier held when the event started (the one earning used); nil without tiers.
  public var tierBefore: String?
  /// The tier held after the event; nil without tiers.
  public var tierAfter: String?
  /// Points earned by this event, by currency name (currencies with no award are absent).
  public var earned: [String: Int64]
  /// Why the event was refused (a redemption the balance cannot pay, a return of more than
  /// was bought); nil when it was accepted. A refused event leaves the state as it was.
  public var rejection: String?
  /// Money a return gives back (net amounts paid for the returned units); nil for other events.
  public var refunded: Money?
  /// Points held until a return window clears, by currency (not in ``balances``).
  public var pending: [String: Int64] = [:]
  /// Points a return could not take back because the balance may not go below zero, by currency.
  public var shortfall: [String: Int64] = [:]
  /// The next expiry per currency, soonest first.
  public var nextExpiry: [ExpiryNotice] = []
  /// Future-dated facts for the till (expiries, releases, tier keeps), soonest first.
  public var facts: [FutureFact] = []
  /// How close the customer is to the next reward, card or tier.
  public var nearMisses: [NearMiss] = []
  /// Rules that would have fired but whose budget (or the program's) could not pay for it.
  public var budgetShortfalls: [BudgetShortfall] = []
  /// Points released to other accounts by this event (a referral's hold has passed): the
  /// caller credits each to its `customer` with ``Program/credit(_:customer:state:)``.
  public var transfers: [PointsTransfer] = []
  /// Points for other accounts that this event made, held until their hold passes.
  public var transfersHeld: [PointsTransfer] = []
  /// Held transfers this event cancelled (their purchase was returned within the hold).
  public var transfersCancelled: [PointsTransfer] = []

  /// Creates an outcome.
  public init(eventID: String, awards: [Award], state: AccountState, duplicate: Bool, balances: [String: Int64], amountPaid: Money,
              tierBefore: String? = nil, tierAfter: String? = nil, earned: [String: Int64] = [:],
              budgetShortfalls: [BudgetShortfall] = []) {
    self.rejection = nil
    self.budgetShortfalls = budgetShortfalls
    self.tierBefore = tierBefore
    self.tierAfter = tierAfter
    self.earned = earned
    self.eventID = eventID
    self.awards = awards
    self.state = state
    self.duplicate = duplicate
    self.balances = balances
    self.amountPaid = amountPaid
  }
}
