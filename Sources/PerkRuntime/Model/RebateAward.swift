/// A volume rebate's figures at one moment: on a purchase or return (accrual), at a
/// statement date, or at settlement.
public struct RebateAward: Hashable, Sendable {
  /// Which moment the figures are for.
  public enum Phase: String, Hashable, Sendable {
    /// After a purchase or a return: the rebate accrued so far in the period.
    case accrual
    /// At the end of a statement period: the rebate accrued so far.
    case statement
    /// At settlement: the rebate paid for the period.
    case settlement
  }
  /// Which moment the figures are for.
  public var phase: Phase
  /// The rebate's name.
  public var rebate: String
  /// The measure period's first local day.
  public var periodStart: LocalDate
  /// The measure period's last local day.
  public var periodEnd: LocalDate
  /// Net volume counted in the period so far (at settlement: in the whole period).
  public var volume: Money
  /// The rebate accrued so far, or paid at settlement (rounded half-even to the minor unit).
  public var amount: Money
  /// The bracket rate reached (retroactive) or the marginal rate (incremental), as a fraction (2% is 0.02); nil without brackets.
  public var rate: ExactDecimal?
  /// The volume at which the next bracket starts, if there is one above the volume.
  public var nextThreshold: Money?

  /// Creates rebate figures.
  public init(phase: Phase, rebate: String, periodStart: LocalDate, periodEnd: LocalDate, volume: Money, amount: Money,
              rate: ExactDecimal?, nextThreshold: Money?) {
    self.phase = phase
    self.rebate = rebate
    self.periodStart = periodStart
    self.periodEnd = periodEnd
    self.volume = volume
    self.amount = amount
    self.rate = rate
    self.nextThreshold = nextThreshold
  }
}
