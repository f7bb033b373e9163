/// What the program says about contacting a customer at all (`messages at most 2 per week`,
/// `quiet hours 21:00 to 8:00`, `consent for sms from attribute sms_opt_in`); applied to every
/// message a rule makes due (Messages.swift).
package struct ContactPolicy: Sendable {
  /// At most `count` messages per customer per calendar `unit` (counted by the day they are due).
  package var cap: (count: Int64, unit: CalendarUnit)?
  /// Local minutes of the day from which (inclusive) and until which (exclusive) messages wait;
  /// `from > to` spans midnight.
  package var quiet: (from: Int, to: Int)?
  /// The customer attribute that must say `yes` (or `true`) for messages on a channel.
  package var consent: [MessageChannel: String] = [:]
  /// `message costs $0.02 via sms`: minor units per message sent on a channel (for `perk sim`).
  package var costs: [MessageChannel: Int64] = [:]
  package init(cap: (count: Int64, unit: CalendarUnit)? = nil, quiet: (from: Int, to: Int)? = nil,
               consent: [MessageChannel: String] = [:]) {
    self.cap = cap
    self.quiet = quiet
    self.consent = consent
  }

  /// Whether the policy says nothing (every message due is sent when due).
  var isEmpty: Bool { cap == nil && quiet == nil && consent.isEmpty }

  /// The first allowed minute at or after `minute` of `day`: the end of quiet hours when it falls
  /// inside them.
  func allowed(day: LocalDate, minute: Int) -> (day: LocalDate, minute: Int)? {
    guard let (from, to) = quiet else { return nil }
    if from < to {
      return minute >= from && minute < to ? (day, to) : nil
    }
    if minute >= from { return (day.adding(days: 1), to) }
    return minute < to ? (day, to) : nil
  }

  /// Whether an attribute's value gives consent.
  static func consents(_ value: String?) -> Bool {
    guard let value = value?.lowercased() else { return false }
    return value == "yes" || value == "true"
  }
}
