/// A compiled `send message "TEXT" via CHANNEL`: the text split at its placeholders.
package struct MessageSpec: Sendable, Hashable {
  /// One piece of the text.
  package enum Part: Sendable, Hashable {
    /// Text as written.
    case text(String)
    /// `{customer}`: the customer's id.
    case customer
    /// `{tier}`: the tier held after the event.
    case tier
    /// `{voucher}`: the name of the voucher the same rule gives.
    case voucher
    /// `{stars balance}`: the balance of a points currency (by index) after the event.
    case balance(currency: Int)
    /// `{stars expiring}`: the points of the currency whose expiry a `before … expire` rule announces.
    case expiring(currency: Int)
    /// `{stars expiry date}`: the day they are gone.
    case expiryDate(currency: Int)
    /// `{coffee card stamps to go}`: what the card (by index) still needs for its reward (money
    /// on a card that collects spend).
    case stampsToGo(card: Int)
  }
  package var parts: [Part]
  package var channel: MessageChannel
  /// `at 9:00`: due at the next such local minute of the day, not when the rule fires.
  package var atMinute: Int?
  package init(parts: [Part], channel: MessageChannel, atMinute: Int? = nil) {
    self.parts = parts
    self.channel = channel
    self.atMinute = atMinute
  }
}
