/// Points earned together: one lot per currency per earning event, for currencies whose points
/// expire or can be held (other currencies keep no lots: see `Program.keepsLots`).
///
/// A lot remembers when its points were earned and when they expire, so redemption can
/// spend them in the program's order and period ends can expire them. `amount` is what
/// is left of the lot; a lot spent to zero is dropped.
public struct PointsLot: Hashable, Sendable, Codable {
  /// The points currency's name.
  public var currency: String
  /// Points left in the lot.
  public var amount: Int64
  /// The local day the points were earned.
  public var earned: LocalDate
  /// The first local day on which the points are gone (they are usable the day before);
  /// nil for no fixed lifetime (inactivity expiry is computed from the account's last purchase).
  public var expiresOn: LocalDate?
  /// While held, the first local day the points become spendable; nil once released.
  public var pendingUntil: LocalDate?
  /// The transaction that earned the lot, if any.
  public var source: String?

  /// Creates a lot.
  public init(currency: String, amount: Int64, earned: LocalDate, expiresOn: LocalDate? = nil,
              pendingUntil: LocalDate? = nil, source: String? = nil) {
    self.currency = currency
    self.amount = amount
    self.earned = earned
    self.expiresOn = expiresOn
    self.pendingUntil = pendingUntil
    self.source = source
  }

  /// True while the lot is held and not yet spendable.
  public var isPending: Bool { pendingUntil != nil }

  private enum CodingKeys: String, CodingKey, CaseIterable {
    case currency, amount, earned, expiresOn = "expires_on", pendingUntil = "pending_until", source
  }
}
