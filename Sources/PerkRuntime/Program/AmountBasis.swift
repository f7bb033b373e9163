/// What the amounts of a basket mean, as the program states them: which amounts conditions
/// read (before or after price promotions) and whether prices include tax. Perk computes no
/// tax; the statement tells people reading explanations what the figures are.
package struct AmountBasis: Hashable, Sendable {
  /// `thresholds after discounts`; nil when the program does not say (then: before discounts).
  package var thresholdsAfterDiscounts: Bool?
  /// `amounts include tax`; nil when the program does not say (then: before tax).
  package var includeTax: Bool?

  package init(thresholdsAfterDiscounts: Bool? = nil, includeTax: Bool? = nil) {
    self.thresholdsAfterDiscounts = thresholdsAfterDiscounts
    self.includeTax = includeTax
  }

  /// Whether conditions of rules that change no price read the discounted basket.
  package var conditionsAfterDiscounts: Bool { thresholdsAfterDiscounts ?? false }

  /// `before tax` or `tax included`, for texts about money.
  package var taxText: String { includeTax == true ? "tax included" : "before tax" }

  /// The note earning explanations end with when the program states its basis; nil otherwise,
  /// so programs that say nothing explain exactly as before.
  package var explanationNote: String? {
    guard thresholdsAfterDiscounts != nil || includeTax != nil else { return nil }
    let conditions = conditionsAfterDiscounts ? "after discounts" : "before discounts"
    return "prices \(includeTax == true ? "include tax" : "before tax"); conditions read the basket \(conditions)"
  }
}
