/// What an `on return` clause of a program or a rule says: what a return does to the awards of
/// the purchase it undoes (`recompute awards`, the default; `keep awards`; `reverse awards by
/// share`), or that reversals give back the room they used under limits and caps.
public enum ReturnPolicySyntax: String, Hashable, Sendable, CaseIterable {
  /// The purchase's rules run again on the kept basket in the purchase's own context; each award
  /// is reversed by the difference.
  case recompute = "recompute awards"
  /// The award survives any return (visit, streak, birthday or sign-up bonuses).
  case keep = "keep awards"
  /// The award is reversed in proportion to what came back of the lines it was earned on; a
  /// bonus not earned on lines only when the whole basket comes back.
  case share = "reverse awards by share"
  /// A reversal gives back what the award used: the limit's use when the whole award goes, the
  /// points under caps (not a policy: it goes with any of the three).
  case reopenLimits = "reopen limits and caps"

  /// Whether the clause states the policy (rather than reopening limits).
  public var isPolicy: Bool { self != .reopenLimits }
}

/// What a return does to a stamp card: `on return take back stamps` (the default) or
/// `on return keep stamps`.
public enum StampReturnSyntax: String, Hashable, Sendable, CaseIterable {
  /// Stamps the returned units collected come off the card, never below zero.
  case takeBack = "take back stamps"
  /// Stamps once collected stay on the card.
  case keep = "keep stamps"
  /// A free item the card gave that a return takes away (it comes back, or the kept basket no
  /// longer completes the card) fills the card again, so the next qualifying item is free.
  case restoreFreeItems = "restore free items"
}
