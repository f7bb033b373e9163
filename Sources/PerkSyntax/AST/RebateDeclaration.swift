import PerkSource

/// The length of a rebate period: what `per quarter`, `settle at end of year` and
/// `statement at end of month` count in.
public enum RebatePeriodUnit: String, Hashable, Sendable, CaseIterable {
  /// One month.
  case month
  /// Three months.
  case quarter
  /// Twelve months.
  case year

  /// The period's length in months (1, 3 or 12); every unit divides the longer ones.
  public var months: Int {
    switch self {
    case .month: return 1
    case .quarter: return 3
    case .year: return 12
    }
  }
}

/// The period a rebate measures its volume over: `per calendar year`, `per quarter`,
/// `per fiscal year starting April 1`.
public struct RebatePeriodSyntax: Hashable, Sendable {
  /// The period's length.
  public var unit: RebatePeriodUnit
  /// The first day of a fiscal year for `per fiscal year starting April 1`; nil for calendar
  /// periods, which start on 1 January.
  public var fiscalStart: FiscalStart?

  /// The first day of a fiscal year: a month and a day that exist in every year.
  public struct FiscalStart: Hashable, Sendable {
    /// The month, 1...12.
    public var month: Int
    /// The day, 1...31.
    public var day: Int
    /// Creates a fiscal year start.
    public init(month: Int, day: Int) {
      self.month = month
      self.day = day
    }
  }

  /// Creates a period.
  public init(unit: RebatePeriodUnit, fiscalStart: FiscalStart? = nil) {
    self.unit = unit
    self.fiscalStart = fiscalStart
  }
}

/// How a rebate's brackets turn volume into money.
/// What a true-up settlement does when the period to date earns less than was already paid.
public enum RebateNegativeDifference: String, Hashable, Sendable {
  /// `clawed back`: the settlement is negative; the customer pays it back.
  case clawedBack = "clawed back"
  /// `carried forward`: nothing is paid, and the shortfall is deducted from the next settlements.
  case carriedForward = "carried forward"
  /// `forgiven`: nothing is paid and nothing is deducted later; the customer keeps the overpayment.
  case forgiven
}

public enum RebateBracketMode: String, Hashable, Sendable {
  /// `retroactive`: the whole period's volume at the rate of the highest bracket reached.
  case retroactive
  /// `incremental`: each slice of volume at its own bracket's rate, like tax brackets.
  case incremental
}

/// One bracket line: `below €10,000 0%` or `from €10,000 2%`.
public struct RebateBracketSyntax: Hashable, Sendable {
  /// Whether the line starts with `below` (the volume under the first threshold) or `from`.
  public var isBelow: Bool
  /// The threshold (money).
  public var threshold: Expression
  /// The rate (a percentage).
  public var rate: Expression
  /// The whole line.
  public var range: SourceRange
  /// Creates a bracket line.
  public init(isBelow: Bool, threshold: Expression, rate: Expression, range: SourceRange) {
    self.isBelow = isBelow
    self.threshold = threshold
    self.rate = rate
    self.range = range
  }
}

/// `rebate annual volume`: a volume rebate for wholesale buyers, with its measure,
/// brackets or growth rate, settlement and statements.
public struct RebateDeclaration: Hashable, Sendable {
  /// A clause of a rebate declaration.
  public enum Clause: Hashable, Sendable {
    /// `measure net spend [on category …] per calendar year`
    case measure(filter: ItemFilter?, period: Located<RebatePeriodSyntax>, range: SourceRange)
    /// `retroactive` or `incremental`: the header of the bracket lines that follow.
    case brackets(Located<RebateBracketMode>)
    /// `below €10,000 0%`, `from €10,000 2%`
    case bracket(RebateBracketSyntax)
    /// `growth 1% of spend above last year's`: `comparedWith` is the period word written.
    case growth(rate: Expression, comparedWith: Located<RebatePeriodUnit>, range: SourceRange)
    /// `settle at end of year`
    case settle(Located<RebatePeriodUnit>)
    /// `statement at end of quarter`
    case statement(Located<RebatePeriodUnit>)
    /// `settle at end of quarter, paying the difference to date, a negative difference is carried forward`:
    /// true-up settlements, more often than the measure period.
    case trueUp(Located<RebatePeriodUnit>, negative: Located<RebateNegativeDifference>)
    /// `for segment distributor`: only customers of this segment take part.
    case segment(Name, range: SourceRange)
    /// `round half up to whole units`: how the rebate's amounts round (default half even to the minor unit).
    case round(AmountRoundingSyntax)
    /// A clause the parser could not read (already reported).
    case invalid(SourceRange)
  }
  /// The rebate's name, such as `annual volume`.
  public var name: Name
  /// The clauses in source order.
  public var clauses: [Clause]
  /// The whole declaration header.
  public var range: SourceRange
  /// Creates a rebate declaration.
  public init(name: Name, clauses: [Clause], range: SourceRange) {
    self.name = name
    self.clauses = clauses
    self.range = range
  }
}

/// A test's claim about a volume rebate in the last event (`perk test`).
public struct RebateClaimSyntax: Hashable, Sendable {
  /// Which figure: `accrues` (accrual), `gets statement`, `gets rebate` (settlement).
  public enum Phase: String, Hashable, Sendable {
    /// `accrues €200.00 on NAME`
    case accrual
    /// `gets statement €240.00 from NAME`
    case statement
    /// `gets rebate €1,750.00 from NAME`
    case settlement
  }
  /// Which figure.
  public var phase: Phase
  /// The amount accrued, stated or paid.
  public var amount: Located<MoneyLiteral>
  /// The rebate's name.
  public var rebate: Name
  /// Creates a rebate claim.
  public init(phase: Phase, amount: Located<MoneyLiteral>, rebate: Name) {
    self.phase = phase
    self.amount = amount
    self.rebate = rebate
  }
}
