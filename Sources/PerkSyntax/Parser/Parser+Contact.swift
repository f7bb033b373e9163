import PerkSource

/// Contact: the `send message` effect and the triggers that time messages.
extension Parser {
  /// ```
  /// DURATION "after" "purchase" [ item-filter ] | DURATION "without" "purchase" | DURATION "before" name "expire"
  /// ```
  /// The duration token is current.
  mutating func parseContactTrigger(_ duration: DurationLiteral) -> TriggerSyntax? {
    advance()
    if consume("after") != nil {
      guard expect("purchase", after: "`after`") != nil else { return nil }
      return .afterPurchase(duration, filter: parseItemFilter())
    }
    if consume("without") != nil {
      guard expect("purchase", after: "`without`") != nil else { return nil }
      return .withoutPurchase(duration)
    }
    if consume("before") != nil {
      guard let currency = requireName(for: "before", example: "on 7 days before stars expire", stoppingAt: ["expire"]),
            expect("expire", after: "the points currency") != nil else { return nil }
      return .beforeExpiry(duration, currency: currency)
    }
    expected("`after purchase`, `without purchase` or `before POINTS expire`", after: "the duration")
    return nil
  }

  /// `send message "TEXT" [via CHANNEL]`; `send` is current.
  mutating func parseSendMessage(from start: Token) -> EffectSyntax? {
    guard expect("message", after: "`send`") != nil else { return nil }
    guard case .string(let text) = current.kind else {
      expected("the message in quotes", after: "`send message`")
      return nil
    }
    let message = Located(text, range: advance().range)
    var channel: Name?
    if consume("via") != nil {
      guard current.kind == .word else {
        expected("a channel (`email`, `sms`, `push` or `receipt`)", after: "`via`")
        return nil
      }
      channel = Name(current.text, range: advance().range)
    }
    return .message(text: message, channel: channel, range: range(from: start))
  }
}
