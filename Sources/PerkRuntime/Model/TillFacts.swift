/// Points of one currency that expire next, and when.
public struct ExpiryNotice: Hashable, Sendable {
  /// The points currency.
  public var currency: String
  /// How many points expire on ``date``.
  public var amount: Int64
  /// The first day they are gone (they are usable the day before).
  public var date: LocalDate
  /// For people: `120 stars expire on 2026-07-01`.
  public var text: String { "\(amount) \(currency) expire on \(date)" }

  /// Creates a notice.
  public init(currency: String, amount: Int64, date: LocalDate) {
    self.currency = currency
    self.amount = amount
    self.date = date
  }
}

/// Something that will happen to the account on a known future day.
public struct FutureFact: Hashable, Sendable {
  /// What kind of fact.
  public enum Kind: String, Hashable, Sendable {
    /// Points expire.
    case expiry
    /// Held points become spendable.
    case release
    /// A tier is kept until this day.
    case tierKept = "tier_kept"
    /// Points held for another account (a referrer) are released on this day unless the
    /// purchase is returned first.
    case transfer
    /// A volume rebate period is settled on this day.
    case rebateSettlement = "rebate_settlement"
  }
  /// What kind of fact.
  public var kind: Kind
  /// The day it happens.
  public var date: LocalDate
  /// For people: `120 stars expire on 2026-07-01`.
  public var text: String

  /// Creates a fact.
  public init(kind: Kind, date: LocalDate, text: String) {
    self.kind = kind
    self.date = date
    self.text = text
  }
}

/// A goal the customer is close to: a catalog reward, a stamp card, a tier.
public struct NearMiss: Hashable, Sendable {
  /// What the goal is.
  public enum Kind: String, Hashable, Sendable {
    /// A catalog reward bought with points.
    case reward
    /// A completed stamp card.
    case card
    /// The next tier.
    case tier
    /// The next bracket of a volume rebate (`missing` in minor units of money).
    case rebateBracket = "rebate_bracket"
  }
  /// What the goal is.
  public var kind: Kind
  /// The goal's name (`free drink`, `coffee card`, `gold`).
  public var goal: String
  /// How much is missing, in the goal's unit (points, stamps, minor units of money, visits).
  public var missing: Int64
  /// For people: `30 stars to free drink`, `2 more coffee card stamps to a free item`, `$40.00 more spend to gold`.
  public var text: String

  /// Creates a near miss.
  public init(kind: Kind, goal: String, missing: Int64, text: String) {
    self.kind = kind
    self.goal = goal
    self.missing = missing
    self.text = text
  }
}
