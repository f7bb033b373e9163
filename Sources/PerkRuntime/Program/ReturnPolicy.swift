/// What a return does to the awards of the purchase it undoes (docs/semantics.md "Returns").
package enum ReturnPolicy: String, Sendable, Hashable {
  /// The purchase's rules run again on the kept basket in the purchase's own context, and each
  /// award is reversed by the difference (the default).
  case recompute = "recompute awards"
  /// The award survives any return.
  case keep = "keep awards"
  /// The award is reversed in proportion to what came back of the lines it was earned on; a
  /// bonus earned on no line only when the whole basket has come back.
  case share = "reverse awards by share"
}
