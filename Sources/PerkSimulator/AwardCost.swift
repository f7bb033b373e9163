import PerkRuntime

/// What an award costs the business, and under which kind the report files it.
enum AwardCost {
  /// The report's cost kinds, in display order (kinds added by later award types sort after).
  static let kindOrder = ["points", "free items", "discounts", "vouchers", "rewards", "rebates"]

  /// (kind, minor units) for awards that cost money; nil for stamps, tier changes and other
  /// movements that are not a cost (expiry, redemption).
  static func cost(of award: Award) -> (kind: String, minor: Int64)? {
    switch award.kind {
    case .points(_, _, let value): return ("points", value.minorUnits)
    case .freeItem(_, let value): return ("free items", value.minorUnits)
    case .voucher(_, let value, _): return ("vouchers", value.minorUnits)
    case .reward(_, let value): return ("rewards", value.minorUnits)
    case .stamps, .tierChange, .expired, .released, .redeemed: return nil
    default: return reflected(award.kind)
    }
  }

  /// Award kinds added after this file was written (discounts, rebates, …): the case name is the
  /// kind, the first `Money` among its values the cost. Movements of existing value (expiry,
  /// redemption, pending releases, accruals) are not costs.
  static func reflected(_ kind: Award.Kind) -> (kind: String, minor: Int64)? {
    let mirror = Mirror(reflecting: kind)
    guard let child = mirror.children.first, let label = child.label else { return nil }
    let lower = label.lowercased()
    for skip in ["expir", "redeem", "redemption", "pending", "release", "accrual", "reject", "clawback", "tier", "stamp"]
    where lower.contains(skip) { return nil }
    var money: Money?
    if let value = child.value as? Money { money = value }
    for part in Mirror(reflecting: child.value).children where money == nil {
      if let value = part.value as? Money { money = value }
    }
    guard let money else { return nil }
    let name: String
    switch lower {
    case "discount": name = "discounts"
    case "rebate", "rebatesettlement", "rebatepayment": name = "rebates"
    default: name = lower
    }
    return (name, money.minorUnits)
  }
}
