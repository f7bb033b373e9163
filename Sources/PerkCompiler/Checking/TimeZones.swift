import Foundation

/// IANA time zone validation, kept apart so Foundation's names stay out of the checker's files.
enum TimeZones {
  /// Whether Foundation knows the identifier; abbreviations such as `EST` are refused
  /// because their meaning (and DST behaviour) is ambiguous.
  static func isKnown(_ identifier: String) -> Bool {
    guard identifier == "UTC" || identifier.contains("/") else { return false }
    return TimeZone(identifier: identifier) != nil
  }
  static var identifiers: [String] { TimeZone.knownTimeZoneIdentifiers }
}
