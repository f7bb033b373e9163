/// A customer's account: everything a program remembers between events.
///
/// A small, versioned `Codable` value that the caller stores wherever it keeps
/// customers. Balances, stamps and limits are keyed by the names in the program,
/// so a stored state survives edits that add or reorder declarations.
/// - Note: the state remembers the last ``recentTransactionLimit`` transaction ids,
///   which is how a replayed transaction is recognised and not paid twice.
public struct AccountState: Hashable, Sendable, Codable {
  /// The format version this build writes.
  public static let currentVersion = 2
  /// How many transaction ids are remembered for duplicate detection.
  public static let recentTransactionLimit = 1_000

  /// One day of history: money spent and whether there was a visit.
  public struct LedgerDay: Hashable, Sendable, Codable {
    /// The local date.
    public var date: LocalDate
    /// Net spend that day, in minor units.
    public var spend: Int64
    /// Purchases that day.
    public var purchases: Int64
    /// Creates a ledger day.
    public init(date: LocalDate, spend: Int64, purchases: Int64) {
      self.date = date
      self.spend = spend
      self.purchases = purchases
    }

    // Listed (CaseIterable) so a strict reading knows every key: see JSONTreeDecoder.
    private enum CodingKeys: String, CodingKey, CaseIterable { case date, spend, purchases }
  }

  /// The format version of this value.
  public var version: Int = AccountState.currentVersion { didSet { workingForm = .none } }
  /// Points balances by currency name.
  public var balances: [String: Int64] = [:] { didSet { workingForm = .none } }
  /// Stamps on each card by card name.
  public var stamps: [String: Int64] = [:] { didSet { workingForm = .none } }
  /// The tier held, if the program has tiers.
  public var tier: String? { didSet { workingForm = .none } }
  /// For each tier reached, the last day it is kept.
  public var tierKeptUntil: [String: LocalDate] = [:] { didSet { workingForm = .none } }
  /// Daily spend and purchases, oldest first, pruned to what the program's windows need.
  public var ledger: [LedgerDay] = [] { didSet { workingForm = .none } }
  /// The spend and purchases that count toward status, when the tiers count only some lines
  /// (`tiers by spend not in category giftcard …`); empty otherwise. Pruned like `ledger`.
  public var tierLedger: [LedgerDay] = [] { didSet { workingForm = .none } }
  /// Purchases so far.
  public var purchaseCount: Int64 = 0 { didSet { workingForm = .none } }
  /// The local date of the last purchase.
  public var lastPurchase: LocalDate? { didSet { workingForm = .none } }
  /// For each rule with a limit, the local dates of its awards (pruned to the limit's period).
  public var ruleAwards: [String: [LocalDate]] = [:] { didSet { workingForm = .none } }
  /// The most recent transaction ids, oldest first.
  public var recentTransactions: [String] {
    get { recentTransactionQueue.array }
    set { recentTransactionQueue = ChunkedQueue(newValue) }
  }
  /// The recent ids as the evaluation keeps them. In chunks, so that the state an evaluation
  /// returns shares all but its newest chunk with the state it was given: as one array, each
  /// event of the till's form copied every id into the new state, and freed the old state's.
  var recentTransactionQueue = ChunkedQueue<String>() { didSet { workingForm = .none } }
  /// Volume rebates by rebate name: unsettled volume, the last settled period, purchases for returns.
  public var rebates: [String: RebateAccount] = [:] { didSet { workingForm = .none } }
  /// Points lots of the currencies that expire or hold points, in earning order (version 2);
  /// spendable lots sum to the balance when it is not negative.
  public var lots: [PointsLot] = [] { didSet { workingForm = .none } }
  /// Compact records of recent purchases, for returns (version 2), oldest first.
  public var records: [TransactionRecord] {
    get { recordQueue.array }
    set { recordQueue = ChunkedQueue(newValue) }
  }
  /// The records in chunks, for the reason `recentTransactionQueue` is.
  var recordQueue = ChunkedQueue<TransactionRecord>() { didSet { workingForm = .none } }
  /// The last local day whose events or period ends were processed (version 2).
  public var processedThrough: LocalDate? { didSet { workingForm = .none } }
  /// Points earned under each cap (`points NAME` or `rule NAME/CURRENCY`), per local day, oldest first.
  public var capUsage: [String: [CapUsage]] = [:] { didSet { workingForm = .none } }
  /// Retention triggers: the visit streak and points held for referrers.
  public var triggers = TriggerState() { didSet { workingForm = .none } }

  /// The working form an evaluation wrote this state from (see ``WorkingFormCache``): not part
  /// of the value, and dropped by any change to a field above.
  var workingForm = WorkingFormCache.none

  /// A new, empty account.
  public init() {}

  /// The empty account, made once (comparing with it is cheap when it is shared).
  static let empty = AccountState()

  /// Empties the fields `WorkingState.write(into:program:written:)` writes whole, once an account has
  /// taken their values (see `Account.init(moving:program:)`): the account is then their only
  /// owner and grows them without copying, and the same function puts them back.
  mutating func releaseWorkingFields() {
    ledger = []
    tierLedger = []
    recentTransactionQueue = ChunkedQueue()
    lots = []
    recordQueue = ChunkedQueue()
    triggers = TriggerState()
    capUsage = [:]
    workingForm = .none
  }

  // CaseIterable: a strict reading checks each object's keys against these (JSONTreeDecoder).
  private enum CodingKeys: String, CodingKey, CaseIterable {
    case version, balances, stamps, tier, tierKeptUntil = "tier_kept_until", ledger, purchaseCount = "purchase_count"
    case tierLedger = "tier_ledger"
    case lastPurchase = "last_purchase", ruleAwards = "rule_awards", recentTransactions = "recent_transactions"
    case rebates
    case lots, records, processedThrough = "processed_through"
    case capUsage = "cap_usage"
    case triggers
  }

  /// Decodes a state, refusing versions this build does not know.
  ///
  /// Version 1 (before lots) still reads: each positive balance becomes one lot with no
  /// expiry, earned on the last purchase day.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    version = try c.decode(Int.self, forKey: .version)
    guard version == 1 || version == AccountState.currentVersion else {
      throw DecodingError.dataCorruptedError(forKey: .version, in: c,
        debugDescription: "state version \(version) is not supported (this build reads version \(AccountState.currentVersion))")
    }
    balances = try c.decodeIfPresent([String: Int64].self, forKey: .balances) ?? [:]
    stamps = try c.decodeIfPresent([String: Int64].self, forKey: .stamps) ?? [:]
    tier = try c.decodeIfPresent(String.self, forKey: .tier)
    tierKeptUntil = try c.decodeIfPresent([String: LocalDate].self, forKey: .tierKeptUntil) ?? [:]
    ledger = try c.decodeIfPresent([LedgerDay].self, forKey: .ledger) ?? []
    tierLedger = try c.decodeIfPresent([LedgerDay].self, forKey: .tierLedger) ?? []
    purchaseCount = try c.decodeIfPresent(Int64.self, forKey: .purchaseCount) ?? 0
    lastPurchase = try c.decodeIfPresent(LocalDate.self, forKey: .lastPurchase)
    ruleAwards = try c.decodeIfPresent([String: [LocalDate]].self, forKey: .ruleAwards) ?? [:]
    recentTransactions = try c.decodeIfPresent([String].self, forKey: .recentTransactions) ?? []
    rebates = try c.decodeIfPresent([String: RebateAccount].self, forKey: .rebates) ?? [:]
    if version == 1 {
      // Version 1 had none of these; a file that has them is not what it says it is, and
      // reading it as version 1 would drop them.
      for key in [CodingKeys.lots, .records, .processedThrough] where c.contains(key) {
        throw DecodingError.dataCorruptedError(forKey: key, in: c,
          debugDescription: "a version 1 state has no `\(key.stringValue)` (it came with version 2)")
      }
      let earned = lastPurchase ?? LocalDate(dayNumber: 0)
      lots = balances.keys.sorted().compactMap { name in
        guard let amount = balances[name], amount > 0 else { return nil }
        return PointsLot(currency: name, amount: amount, earned: earned)
      }
      processedThrough = lastPurchase
      version = AccountState.currentVersion
    } else {
      lots = try c.decodeIfPresent([PointsLot].self, forKey: .lots) ?? []
      records = try c.decodeIfPresent([TransactionRecord].self, forKey: .records) ?? []
      processedThrough = try c.decodeIfPresent(LocalDate.self, forKey: .processedThrough)
    }
    capUsage = try c.decodeIfPresent([String: [CapUsage]].self, forKey: .capUsage) ?? [:]
    triggers = try c.decodeIfPresent(TriggerState.self, forKey: .triggers) ?? TriggerState()
  }

  /// Encodes the state (keys are written in a stable order by a sorting encoder).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(version, forKey: .version)
    try c.encode(balances, forKey: .balances)
    try c.encode(stamps, forKey: .stamps)
    try c.encodeIfPresent(tier, forKey: .tier)
    try c.encode(tierKeptUntil, forKey: .tierKeptUntil)
    try c.encode(ledger, forKey: .ledger)
    if !tierLedger.isEmpty { try c.encode(tierLedger, forKey: .tierLedger) }
    try c.encode(purchaseCount, forKey: .purchaseCount)
    try c.encodeIfPresent(lastPurchase, forKey: .lastPurchase)
    try c.encode(ruleAwards, forKey: .ruleAwards)
    try c.encode(recentTransactions, forKey: .recentTransactions)
    if !rebates.isEmpty { try c.encode(rebates, forKey: .rebates) }
    try c.encode(lots, forKey: .lots)
    try c.encode(records, forKey: .records)
    try c.encodeIfPresent(processedThrough, forKey: .processedThrough)
    if !capUsage.isEmpty { try c.encode(capUsage, forKey: .capUsage) }
    if !triggers.isEmpty { try c.encode(triggers, forKey: .triggers) }
  }
}
