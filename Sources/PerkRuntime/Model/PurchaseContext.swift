/// What a purchase's rules read besides its basket, kept with the purchase's record: a return
/// evaluates the purchase's rules again on the kept basket exactly as they stood at the
/// purchase (docs/semantics.md "Returns").
///
/// Everything is stored under names, not the program's indexes, so that a stored state survives
/// edits to the program: a rule, card or window the program no longer has is ignored.
public struct PurchaseContext: Hashable, Sendable, Codable {
  /// Spend and visits in one history window, ending on the purchase day, before the purchase.
  public struct WindowFigures: Hashable, Sendable, Codable {
    /// The window, as ``Program`` describes it (`last 30 days`, `calendar month`).
    public var window: String
    /// Net spend in minor units.
    public var spend: Int64
    /// Days with a purchase.
    public var visits: Int64
    /// Creates the figures of one window.
    public init(window: String, spend: Int64, visits: Int64) {
      self.window = window
      self.spend = spend
      self.visits = visits
    }

    private enum CodingKeys: String, CodingKey, CaseIterable { case window, spend, visits }
  }

  /// The purchase's time: its local day, time of day and weekday.
  public var time: Instant
  /// The store and channel of the purchase.
  public var store: String?
  /// The sales channel of the purchase.
  public var channel: String?
  /// The tier held at the purchase (multipliers and tier conditions read it).
  public var tier: String?
  /// The rules a purchase triggered (conditions are read again on the kept basket); less
  /// ``excludedRules``, they are the rules that could fire.
  public var eligibleRules: [String]
  /// Rules of ``eligibleRules`` that could not fire: no room left under their limits (limits are
  /// read as they stood at the purchase), or refused by a budget.
  public var excludedRules: [String]
  /// Balances before the rules ran.
  public var balances: NamedAmounts
  /// Stamps on each card before the purchase collected any.
  public var stamps: NamedAmounts
  /// The last purchase day before this purchase.
  public var lastPurchase: LocalDate?
  /// Purchases before this one.
  public var purchaseCount: Int64
  /// Whether the purchase day already had a purchase (this one then adds no visit).
  public var visitedToday: Bool
  /// The visit streak before the purchase: its last week and its length in weeks.
  public var lastVisitWeek: LocalDate?
  /// The streak's length in weeks.
  public var visitStreak: Int64
  /// Spend and visits of the windows conditions read.
  public var windows: [WindowFigures]
  /// Points already earned under each cap in the cap's period before the purchase, by cap.
  public var capsUsed: NamedAmounts
  /// Money the returns of this purchase have refunded so far, in minor units.
  public var refundedMinor: Int64 = 0

  /// Creates a context.
  public init(time: Instant, store: String? = nil, channel: String? = nil, tier: String? = nil, eligibleRules: [String],
              excludedRules: [String] = [],
              balances: NamedAmounts = [:], stamps: NamedAmounts = [:], lastPurchase: LocalDate? = nil, purchaseCount: Int64 = 0,
              visitedToday: Bool = false, lastVisitWeek: LocalDate? = nil, visitStreak: Int64 = 0, windows: [WindowFigures] = [],
              capsUsed: NamedAmounts = [:]) {
    self.time = time
    self.store = store
    self.channel = channel
    self.tier = tier
    self.eligibleRules = eligibleRules
    self.excludedRules = excludedRules
    self.balances = balances
    self.stamps = stamps
    self.lastPurchase = lastPurchase
    self.purchaseCount = purchaseCount
    self.visitedToday = visitedToday
    self.lastVisitWeek = lastVisitWeek
    self.visitStreak = visitStreak
    self.windows = windows
    self.capsUsed = capsUsed
  }

  private enum CodingKeys: String, CodingKey, CaseIterable {
    case time, store, channel, tier, eligibleRules = "eligible_rules", excludedRules = "excluded_rules", balances, stamps, lastPurchase = "last_purchase"
    case purchaseCount = "purchase_count", visitedToday = "visited_today", lastVisitWeek = "last_visit_week"
    case visitStreak = "visit_streak", windows, capsUsed = "caps_used", refundedMinor = "refunded_minor"
  }
}

/// A purchase context shared by the copies of the record that holds it (immutable: a new
/// context replaces the box). Stored as the context itself.
final class PurchaseContextBox: Hashable, Sendable, Codable {
  let value: PurchaseContext
  init(_ value: PurchaseContext) { self.value = value }
  init(from decoder: any Decoder) throws { value = try PurchaseContext(from: decoder) }
  func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
  static func == (a: PurchaseContextBox, b: PurchaseContextBox) -> Bool { a === b || a.value == b.value }
  func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
