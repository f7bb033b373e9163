import PerkRuntime

/// IANA time zone validation, kept apart so the time zone database stays out of the checker's files.
///
/// Everything goes through ``ProgramTimeZone``, which serialises access to Foundation's
/// ICU-backed database: concurrent queries were seen corrupting memory on Linux.
enum TimeZones {
  /// Whether the identifier is a known IANA zone; abbreviations such as `EST` are refused
  /// because their meaning (and DST behaviour) is ambiguous (``ProgramTimeZone/named(_:)``).
  static func isKnown(_ identifier: String) -> Bool {
    ProgramTimeZone.named(identifier) != nil
  }
  static var identifiers: [String] { ProgramTimeZone.knownIdentifiers }
}
