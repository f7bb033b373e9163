/// What an account remembers for one volume rebate: net volume of the periods not yet
/// settled, the last settled period (the growth baseline), what each purchase added
/// (so a return takes back exactly that), and what true-ups have paid so far.
public struct RebateAccount: Hashable, Sendable, Codable {
  /// Net volume in one slice of time (a statement period, or the measure period).
  public struct Slice: Hashable, Sendable, Codable {
    /// The slice's first local day.
    public var start: LocalDate
    /// Net volume in minor units; negative when returns of settled purchases exceed new spend.
    public var volume: Int64
    /// Creates a slice.
    public init(start: LocalDate, volume: Int64) {
      self.start = start
      self.volume = volume
    }

    // Listed (CaseIterable) so a strict reading knows every key: see JSONTreeDecoder.
    private enum CodingKeys: String, CodingKey, CaseIterable { case start, volume }
  }

  /// What one purchase added to a slice, less what returns have taken back.
  public struct Contribution: Hashable, Sendable, Codable {
    /// The first day of the slice the purchase counted in.
    public var slice: LocalDate
    /// The amount still counted, in minor units.
    public var amount: Int64
    /// Creates a contribution.
    public init(slice: LocalDate, amount: Int64) {
      self.slice = slice
      self.amount = amount
    }

    // Listed (CaseIterable) so a strict reading knows every key: see JSONTreeDecoder.
    private enum CodingKeys: String, CodingKey, CaseIterable { case slice, amount }
  }

  /// Volume of unsettled periods, oldest slice first.
  public var slices: [Slice] = []
  /// The most recently settled measure period: its first day and its final volume.
  public var lastSettled: Slice?
  /// The first day on which this account added volume; growth needs a previous period the customer was part of.
  public var firstActivity: LocalDate?
  /// Period ends up to and including this day have been stated and settled.
  public var processedThrough: LocalDate?
  /// True-ups: the measure period whose true-ups have paid `paidToDate` so far (nil before its first true-up).
  public var paidPeriod: LocalDate?
  /// True-ups: what the true-ups of `paidPeriod` have settled so far, in minor units (what the volume to date earned).
  public var paidToDate: Int64 = 0
  /// True-ups carried forward: a shortfall still to deduct from the next settlements, in minor units (never negative).
  public var carried: Int64 = 0
  /// By transaction id, the purchases of unsettled periods and of the last settled one.
  public var purchases: [String: Contribution] = [:]

  /// An account with no volume.
  public init() {}

  private enum CodingKeys: String, CodingKey, CaseIterable {
    case slices, lastSettled = "last_settled", firstActivity = "first_activity"
    case processedThrough = "processed_through", purchases
    case paidPeriod = "paid_period", paidToDate = "paid_to_date", carried
  }

  /// Decodes an account; missing keys mean empty.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    slices = try c.decodeIfPresent([Slice].self, forKey: .slices) ?? []
    lastSettled = try c.decodeIfPresent(Slice.self, forKey: .lastSettled)
    firstActivity = try c.decodeIfPresent(LocalDate.self, forKey: .firstActivity)
    processedThrough = try c.decodeIfPresent(LocalDate.self, forKey: .processedThrough)
    purchases = try c.decodeIfPresent([String: Contribution].self, forKey: .purchases) ?? [:]
    paidPeriod = try c.decodeIfPresent(LocalDate.self, forKey: .paidPeriod)
    paidToDate = try c.decodeIfPresent(Int64.self, forKey: .paidToDate) ?? 0
    carried = try c.decodeIfPresent(Int64.self, forKey: .carried) ?? 0
  }

  /// Encodes the account.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(slices, forKey: .slices)
    try c.encodeIfPresent(lastSettled, forKey: .lastSettled)
    try c.encodeIfPresent(firstActivity, forKey: .firstActivity)
    try c.encodeIfPresent(processedThrough, forKey: .processedThrough)
    try c.encode(purchases, forKey: .purchases)
    // Written only when true-ups use them, so accounts without true-ups read as before.
    try c.encodeIfPresent(paidPeriod, forKey: .paidPeriod)
    if paidToDate != 0 { try c.encode(paidToDate, forKey: .paidToDate) }
    if carried != 0 { try c.encode(carried, forKey: .carried) }
  }
}
