/// What a return does to the awards of the purchase it undoes: `on return recompute awards`
/// (the default), stated for the whole program or for one rule.
public enum ReturnPolicySyntax: String, Hashable, Sendable, CaseIterable {
  /// The purchase's rules run again on the kept basket in the purchase's own context; each award
  /// is reversed by the difference.
  case recompute = "recompute awards"
  /// The award survives any return (visit, streak, birthday or sign-up bonuses).
  case keep = "keep awards"
  /// The award is reversed in proportion to what came back of the lines it was earned on; a
  /// bonus not earned on lines only when the whole basket comes back.
  case share = "reverse awards by share"
}

/// What a return does to a stamp card: `on return take back stamps` (the default) or
/// `on return keep stamps`.
public enum StampReturnSyntax: String, Hashable, Sendable, CaseIterable {
  /// Stamps the returned units collected come off the card, never below zero.
  case takeBack = "take back stamps"
  /// Stamps once collected stay on the card.
  case keep = "keep stamps"
}
