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
    /// Points reached their expiry at a period end and left the balance; `date` is the first
    /// day they were gone (they were usable the day before), as in ``ExpiryNotice/date``.
    case expired(currency: String, amount: Int64, date: LocalDate)
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
///
/// The account state and the figures most events leave empty (till facts, returns, budgets,
/// transfers) live in two shared, copy-on-write boxes: an outcome is made, copied and dropped
/// on every event, and a state of sixteen collections plus eleven more collections made that a
/// few dozen reference counts each time.
public struct Outcome: Hashable, Sendable {
  /// The event's transaction id.
  public var eventID: String
  /// The awards, in phase order (stamps and free items, earning, bonuses, tier changes).
  public var awards: [Award]
  /// The account after the event.
  public var state: AccountState {
    get { stateBox.value }
    set { stateBox = AccountStateBox(newValue) }
  }
  /// True when the transaction id was already evaluated: nothing was awarded again.
  public var duplicate: Bool
  /// Points balances after the event, by currency name.
  public var balances: NamedAmounts
  /// The amount paid after free items.
  public var amountPaid: Money
  /// The tier held when the event started (the one earning used); nil without tiers.
  public var tierBefore: String?
  /// The tier held after the event; nil without tiers.
  public var tierAfter: String?
  /// Points earned by this event, by currency name (currencies with no award are absent).
  public var earned: NamedAmounts
  /// Why the event was refused (a redemption the balance cannot pay, a return of more than
  /// was bought); nil when it was accepted. A refused event leaves the state as it was.
  public var rejection: String? {
    get { extras.value.rejection }
    set { withExtras { $0.rejection = newValue } }
  }
  /// Money a return gives back (net amounts paid for the returned units); nil for other events.
  public var refunded: Money? {
    get { extras.value.refunded }
    set { withExtras { $0.refunded = newValue } }
  }
  /// Points held until a return window clears, by currency (not in ``balances``).
  public var pending: [String: Int64] {
    get { extras.value.pending }
    set { withExtras { $0.pending = newValue } }
  }
  /// Points a return could not take back because the balance may not go below zero, by currency.
  public var shortfall: [String: Int64] {
    get { extras.value.shortfall }
    set { withExtras { $0.shortfall = newValue } }
  }
  /// The next expiry per currency, soonest first.
  public var nextExpiry: [ExpiryNotice] {
    get { extras.value.nextExpiry }
    set { withExtras { $0.nextExpiry = newValue } }
  }
  /// Future-dated facts for the till (expiries, releases, tier keeps), soonest first.
  public var facts: [FutureFact] {
    get { extras.value.facts }
    set { withExtras { $0.facts = newValue } }
  }
  /// How close the customer is to the next reward, card or tier.
  public var nearMisses: [NearMiss] {
    get { extras.value.nearMisses }
    set { withExtras { $0.nearMisses = newValue } }
  }
  /// Rules that would have fired but whose budget (or the program's) could not pay for it.
  public var budgetShortfalls: [BudgetShortfall] {
    get { extras.value.budgetShortfalls }
    set { withExtras { $0.budgetShortfalls = newValue } }
  }
  /// Points released to other accounts by this event (a referral's hold has passed): the
  /// caller credits each to its `customer` with ``Program/credit(_:customer:state:)``.
  public var transfers: [PointsTransfer] {
    get { extras.value.transfers }
    set { withExtras { $0.transfers = newValue } }
  }
  /// Points for other accounts that this event made, held until their hold passes.
  public var transfersHeld: [PointsTransfer] {
    get { extras.value.transfersHeld }
    set { withExtras { $0.transfersHeld = newValue } }
  }
  /// Held transfers this event cancelled (their purchase was returned within the hold).
  public var transfersCancelled: [PointsTransfer] {
    get { extras.value.transfersCancelled }
    set { withExtras { $0.transfersCancelled = newValue } }
  }

  /// The messages due: those the event's rules sent and those of the period ends before it
  /// (`send message`), in the order they fell due.
  public var messages: [DueMessage] {
    get { extras.value.messages }
    set { withExtras { $0.messages = newValue } }
  }
  /// Messages that fell due but are not to be sent: no consent for the channel, or the
  /// program's `messages at most …` cap was reached. Listed so they can be counted.
  public var suppressedMessages: [DueMessage] {
    get { extras.value.suppressedMessages }
    set { withExtras { $0.suppressedMessages = newValue } }
  }

  /// What the evaluation exercised, when ``EvaluationOptions/trace`` asked for it.
  package var trace: EvaluationTrace? {
    get { extras.value.trace }
    set { withExtras { $0.trace = newValue } }
  }

  private var stateBox: AccountStateBox
  private var extras: OutcomeExtrasBox

  /// Creates an outcome.
  public init(eventID: String, awards: [Award], state: AccountState, duplicate: Bool, balances: NamedAmounts, amountPaid: Money,
              tierBefore: String? = nil, tierAfter: String? = nil, earned: NamedAmounts = [:],
              budgetShortfalls: [BudgetShortfall] = []) {
    self.init(eventID: eventID, awards: awards, duplicate: duplicate, balances: balances, amountPaid: amountPaid,
              tierBefore: tierBefore, tierAfter: tierAfter, earned: earned, budgetShortfalls: budgetShortfalls)
    if state != AccountState.empty { stateBox = AccountStateBox(state) }
  }

  /// An outcome whose state is empty (the account holds it): nothing to compare or box.
  init(eventID: String, awards: [Award], duplicate: Bool, balances: NamedAmounts, amountPaid: Money,
       tierBefore: String?, tierAfter: String?, earned: NamedAmounts, budgetShortfalls: [BudgetShortfall]) {
    self.tierBefore = tierBefore
    self.tierAfter = tierAfter
    self.earned = earned
    self.eventID = eventID
    self.awards = awards
    stateBox = AccountStateBox.empty
    extras = OutcomeExtrasBox.empty
    self.duplicate = duplicate
    self.balances = balances
    self.amountPaid = amountPaid
    if !budgetShortfalls.isEmpty { self.budgetShortfalls = budgetShortfalls }
  }

  private mutating func withExtras(_ change: (inout OutcomeExtras) -> Void) {
    if !isKnownUniquelyReferenced(&extras) { extras = OutcomeExtrasBox(extras.value) }
    change(&extras.value)
  }
}

/// The figures of an ``Outcome`` that most events leave empty.
struct OutcomeExtras: Hashable, Sendable {
  var rejection: String?
  var refunded: Money?
  var pending: [String: Int64] = [:]
  var shortfall: [String: Int64] = [:]
  var nextExpiry: [ExpiryNotice] = []
  var facts: [FutureFact] = []
  var nearMisses: [NearMiss] = []
  var budgetShortfalls: [BudgetShortfall] = []
  var transfers: [PointsTransfer] = []
  var transfersHeld: [PointsTransfer] = []
  var transfersCancelled: [PointsTransfer] = []
  var messages: [DueMessage] = []
  var suppressedMessages: [DueMessage] = []
  var trace: EvaluationTrace?
}

/// An outcome's extras, shared between copies until one of them changes (see `withExtras`).
final class OutcomeExtrasBox: Hashable, @unchecked Sendable {
  // Mutated only through `Outcome.withExtras`, after making sure this box is not shared.
  var value: OutcomeExtras
  init(_ value: OutcomeExtras) { self.value = value }
  /// The one box of empty extras every new outcome starts with.
  static let empty = OutcomeExtrasBox(OutcomeExtras())
  static func == (a: OutcomeExtrasBox, b: OutcomeExtrasBox) -> Bool { a === b || a.value == b.value }
  func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
