import PerkRuntime

/// What an award costs the business, and under which kind the report files it.
enum AwardCost {
  /// The report's cost kinds, in display order (kinds added by later award types sort after).
  static let kindOrder = ["points", "free items", "discounts", "vouchers", "rewards", "rebates"]

  /// (kind, minor units) for awards that cost money; nil for stamps, tier changes and
  /// movements of value already counted (expiry, redemption, releases, rebate accruals).
  static func cost(of award: Award) -> (kind: String, minor: Int64)? {
    costKindIndex(of: award.kind).map { (kindOrder[$0.kind], $0.minor) }
  }

  /// ``cost(of:)`` of an award's kind, with the cost kind as its place in ``kindOrder`` (and
  /// ``FigureLedger/costKinds``).
  static func costKindIndex(of kind: Award.Kind) -> (kind: Int, minor: Int64)? {
    switch kind {
    case .points(_, _, let value): return (0, value.minorUnits)
    case .freeItem(_, let value): return (1, value.minorUnits)
    case .discount(let value): return (2, value.minorUnits)
    case .voucher(_, let value, _): return (3, value.minorUnits)
    case .reward(_, let value): return (4, value.minorUnits)
    // Accruals and statements only estimate a rebate; the settlement is what is paid.
    case .rebate(let rebate): return rebate.phase == .settlement ? (5, rebate.amount.minorUnits) : nil
    case .stamps, .tierChange, .expired, .released, .redeemed: return nil
    }
  }
}
