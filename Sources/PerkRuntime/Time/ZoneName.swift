import PerkSource

extension ProgramTimeZone {
  /// The zone a name in a program or in input (a customer's `timezone`) means: an IANA
  /// identifier the system knows, `UTC` or `Area/City`. Abbreviations such as `EST` are
  /// refused because their meaning (and DST behaviour) is ambiguous.
  package static func named(_ identifier: String) -> ProgramTimeZone? {
    guard identifier == "UTC" || identifier.contains("/") else { return nil }
    return ProgramTimeZone(identifier: identifier)
  }

  /// What to write instead of an unknown zone name: the closest known identifier, or an example.
  package static func suggestion(for identifier: String) -> String {
    Suggestions.closest(to: identifier, in: knownIdentifiers).map { "did you mean `\($0)`?" }
      ?? "use an IANA identifier such as `America/New_York`"
  }

  /// `unknown time zone `X`; did you mean `Y`?`: the message for a zone name in input.
  package static func unknownMessage(_ identifier: String) -> String {
    "unknown time zone `\(identifier)`; " + suggestion(for: identifier)
  }
}
