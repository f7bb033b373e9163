/// What a purchase's promotions leave for a later return: which unit-based promotions fired
/// (`buy … pay for …`, `cheapest/most expensive item … is free`) and how many units of each
/// line they made free, plus what returns have refunded and reversed so far.
public struct PromotionReturnRecord: Hashable, Sendable, Codable {
  /// The rules whose unit-based promotions fired, in stacking order.
  public var rules: [String]
  /// Per basket line: units made free by those promotions.
  public var freeUnits: [Int64]
  /// Money refunded by returns of this purchase so far, in minor units.
  public var refundedMinor: Int64 = 0
  /// Points reversed by returns of this purchase so far, by currency (flat bonuses excluded).
  public var reversedPoints: [String: Int64] = [:]

  /// Creates a record.
  public init(rules: [String], freeUnits: [Int64], refundedMinor: Int64 = 0, reversedPoints: [String: Int64] = [:]) {
    self.rules = rules
    self.freeUnits = freeUnits
    self.refundedMinor = refundedMinor
    self.reversedPoints = reversedPoints
  }

  private enum CodingKeys: String, CodingKey, CaseIterable {
    case rules, freeUnits = "free_units", refundedMinor = "refunded_minor", reversedPoints = "reversed_points"
  }
}

/// One line of an earlier purchase as a return sees it.
struct ReturnLine {
  var sku: String
  var category: String
  var unitMinor: Int64
  /// Units bought.
  var quantity: Int64
  /// Units still kept after this return.
  var remaining: Int64
  /// Units a stamp card made free (they stay free and are returned last).
  var cardFree: Int64
  /// Units the unit-based promotions made free at purchase.
  var promotionFree: Int64
  /// What the line cost at purchase, after every free unit and discount.
  var netMinor: Int64
}

/// A partial return recomputes the unit-based promotions (`buy 3 … pay for 2`, `cheapest item …
/// is free`) on the units the customer keeps; percentage and money discounts stay as they were,
/// pro rata to the paid units kept. The customer ends up having paid exactly what the kept units
/// cost under the recomputed deal: refund = what was kept before − what the kept units now cost.
/// Points follow the money: the basket's per-spend and per-item points are kept in proportion
/// to what the kept units now cost against what the whole basket cost (rounded down); the
/// rest is reversed. Flat bonuses are handled by the return itself (whole basket only).
extension EvaluationRun {
  /// What the kept units cost after recomputing the unit-based promotions, per line.
  func repricedKeptUnits(_ lines: [ReturnLine], rules names: [String]) -> [Int64] {
    // A scratch basket of the kept units that are not card-free; earlier free units are paid again.
    var scratch = self
    scratch.awards = []
    scratch.lines = lines.map { line in
      let units = max(0, line.remaining - min(line.cardFree, line.remaining))
      let bits = program.filterBits(category: line.category, sku: line.sku)
      let (gross, overflow) = line.unitMinor.multipliedReportingOverflow(by: units)
      return BasketLine(sku: line.sku, unitMinor: line.unitMinor, quantity: units, grossMinor: overflow ? Int64.max : gross,
                        netMinor: overflow ? Int64.max : gross, filterBits: bits)
    }
    for name in names {
      guard let rule = program.rules.first(where: { $0.name == name }) else { continue }
      for case .price(let effect) in rule.effects {
        switch effect {
        case .deal(let buy, let payFor, let filter, let acrossBasket):
          scratch.deal(buy: buy, payFor: payFor, filter: filter, acrossBasket: acrossBasket, rule: rule)
        case .freeItem(let cheapest, let filter): scratch.freeOne(cheapest: cheapest, filter: filter, rule: rule)
        case .percentOff, .amountOff: break
        }
      }
    }
    // Paid units keep the price they had at purchase (percentage and money discounts pro rata).
    return lines.indices.map { i in
      let line = lines[i]
      let paidAtPurchase = line.quantity - line.cardFree - line.promotionFree
      let paidNow = scratch.lines[i].quantity - scratch.lines[i].freeUnits
      guard paidNow > 0 else { return 0 }
      // A line that was wholly free at purchase has no paid price to go by: its unit price.
      guard paidAtPurchase > 0 else { return line.unitMinor.multipliedReportingOverflow(by: paidNow).partialValue }
      return EvaluationRun.proRata(line.netMinor, paidNow, of: paidAtPurchase)
    }
  }

  /// ⌊total × part / whole⌋ without overflow (whole > 0).
  static func proRata(_ total: Int64, _ part: Int64, of whole: Int64) -> Int64 {
    guard whole > 0 else { return 0 }
    let value = Int128(total) * Int128(part) / Int128(whole)
    return value > Int128(Int64.max) ? Int64.max : Int64(value)
  }

  /// The refund and the points to reverse for a return that leaves `lines` kept.
  /// - Parameters:
  ///   - earned: the basket's per-spend and per-item points by currency index (flat bonuses excluded).
  /// - Returns: this return's refund and reversal by currency index; the record is updated.
  func recomputedReturn(_ lines: [ReturnLine], record: inout PromotionReturnRecord,
                        earned: [Int64]) -> (refund: Int64, reverse: [Int64]) {
    let paid = lines.reduce(Int64(0)) { $0 &+ $1.netMinor }
    let keptNow = repricedKeptUnits(lines, rules: record.rules).reduce(Int64(0)) { $0 &+ $1 }
    let keptBefore = paid - record.refundedMinor
    let refund = max(0, keptBefore - keptNow)
    record.refundedMinor += refund
    var reverse = Array(repeating: Int64(0), count: earned.count)
    for (c, total) in earned.enumerated() where total > 0 {
      let name = program.points[c].name
      let keep = EvaluationRun.proRata(total, min(keptNow, paid), of: paid)
      let before = record.reversedPoints[name] ?? 0
      let take = max(0, total - before - keep)
      reverse[c] = take
      if take > 0 { record.reversedPoints[name] = before + take }
    }
    return (refund, reverse)
  }
}

extension EvaluationRun {
  /// Called by a return (Returns.swift) after the returned units are booked on the record: when
  /// the purchase had unit-based promotions, the refund and the points reversal become the
  /// recomputed ones; otherwise the record's pro rata amounts stand.
  mutating func returnHook(record: inout TransactionRecord, returning: [Int64], refund: inout Int64, reverse: inout [Int64]) {
    guard var promotion = record.promotion else { return }
    let kept = record.lines.indices.map { i -> ReturnLine in
      let line = record.lines[i]
      let promotionFree = promotion.freeUnits.indices.contains(i) ? promotion.freeUnits[i] : 0
      return ReturnLine(sku: line.sku, category: line.category, unitMinor: line.unitMinor, quantity: line.quantity,
                        remaining: max(0, line.quantity - line.returned), cardFree: max(0, line.freeUnits - promotionFree),
                        promotionFree: promotionFree, netMinor: line.netMinor)
    }
    let earned = program.points.map { spec in record.lines.reduce(Int64(0)) { $0 &+ ($1.points[spec.name] ?? 0) } }
    let recomputed = recomputedReturn(kept, record: &promotion, earned: earned)
    refund = recomputed.refund
    for c in reverse.indices where recomputed.reverse.indices.contains(c) { reverse[c] = recomputed.reverse[c] }
    record.promotion = promotion
  }
}
