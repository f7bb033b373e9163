/// A hold's length and the day it starts counting from: `14 days`, `14 days counting the
/// earning day` (the same, stated) or `14 days not counting the earning day`.
///
/// Counting the earning day, points earned on 2026-03-02 with `hold 14 days` are held
/// 2026-03-02 … 2026-03-15 and spendable on 2026-03-16; not counting it, they are held
/// through 2026-03-16 and spendable on 2026-03-17.
public struct HoldDuration: Hashable, Sendable {
  /// How long the hold lasts (days or weeks; the checker refuses other units).
  public var duration: DurationLiteral
  /// `not counting the earning day`: the hold starts the day after earning.
  public var excludesEarningDay: Bool

  /// Creates a hold duration.
  public init(duration: DurationLiteral, excludesEarningDay: Bool = false) {
    self.duration = duration
    self.excludesEarningDay = excludesEarningDay
  }
}
