/// `thresholds before discounts` / `thresholds after discounts`: which basket amounts the
/// conditions of rules that change no price read.
public enum ThresholdBasisSyntax: String, Hashable, Sendable {
  /// Conditions read the basket as rung up (after free items, before price promotions): the default.
  case beforeDiscounts = "before discounts"
  /// Conditions of rules that change no price read the basket after the price promotions that fire.
  case afterDiscounts = "after discounts"
}

/// `amounts before tax` / `amounts include tax`: what the prices in events are.
public enum TaxBasisSyntax: String, Hashable, Sendable {
  /// Prices exclude tax: the default.
  case beforeTax = "before tax"
  /// Prices include tax.
  case includeTax = "tax included"
}
