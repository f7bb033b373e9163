/// The channel a message goes out on.
public enum MessageChannel: String, Hashable, Sendable, CaseIterable {
  /// An email (the default when a rule names no channel).
  case email
  /// A text message.
  case sms
  /// A push notification of the program's app.
  case push
  /// A line printed on the receipt of the event.
  case receipt
}

/// A message a rule made due: the outcome lists it, and whoever delivers messages (a CRM, a
/// mailer) sends it. Perk renders the text; it sends nothing itself.
public struct DueMessage: Hashable, Sendable {
  /// The rule that sent it.
  public var rule: String
  /// Where it goes.
  public var channel: MessageChannel
  /// The text, placeholders filled in.
  public var text: String
  /// The customer's local day it fell due.
  public var dueDate: LocalDate
  /// The minute of that day (0 for a period end, which runs at local midnight).
  public var dueMinute: Int
  /// Why it is due: `purchase T-1`, `90 days after the last purchase in category service on 2026-01-10`.
  public var reason: String
  /// When it fell due before quiet hours moved it (``dueText`` form); nil when not deferred.
  public var deferredFrom: String?
  /// Why it is not sent (`no consent: …`, `cap: …`); nil for a message to send.
  public var suppression: String?

  /// Creates a message.
  public init(rule: String, channel: MessageChannel, text: String, dueDate: LocalDate, dueMinute: Int, reason: String) {
    self.rule = rule
    self.channel = channel
    self.text = text
    self.dueDate = dueDate
    self.dueMinute = dueMinute
    self.reason = reason
  }

  /// The due moment in the customer's local time: `2026-04-10T00:00`.
  public var dueText: String {
    let hour = dueMinute / 60, minute = dueMinute % 60
    return "\(dueDate)T\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
  }
}
