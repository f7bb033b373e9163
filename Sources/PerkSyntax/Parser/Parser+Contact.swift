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

  /// `send message "TEXT" [via CHANNEL] [at TIME]`; `send` is current.
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
    var time: TimeLiteral?
    if consume("at") != nil {
      guard case .time(let t) = current.kind else {
        expected("a time of day such as `9:00`", after: "`at`")
        return nil
      }
      advance()
      time = t
    }
    return .message(text: message, channel: channel, at: time, range: range(from: start))
  }

  /// ```
  /// contact-policy = "messages" "at" "most" NUMBER "per" period-unit
  ///                | "quiet" "hours" TIME "to" TIME
  ///                | "consent" "for" name "from" "attribute" name
  ///                | "message" "costs" MONEY "via" name ;
  /// ```
  mutating func parseContactPolicy() -> ProgramDeclaration.Clause? {
    let start = advance()
    switch start.text.lowercased() {
    case "messages":
      guard expect("at", after: "`messages`") != nil, expect("most", after: "`messages at`") != nil,
            let count = parseCount(what: "a number of messages", after: "`messages at most`"),
            expect("per", after: "the number of messages") != nil,
            let unit = parsePeriodUnit(after: "`per`") else { return nil }
      return .messageCap(count: count, unit: unit, range: range(from: start))
    case "message":
      guard expect("costs", after: "`message`") != nil else { return nil }
      let amount = parseUnary()
      guard expect("via", after: "the cost") != nil else { return nil }
      guard current.kind == .word else {
        expected("a channel (`email`, `sms`, `push` or `receipt`)", after: "`via`")
        return nil
      }
      return .messageCost(amount: amount, channel: Name(current.text, range: advance().range), range: range(from: start))
    case "quiet":
      guard expect("hours", after: "`quiet`") != nil else { return nil }
      guard case .time(let from) = current.kind else {
        expected("a time such as `21:00`", after: "`quiet hours`")
        return nil
      }
      advance()
      guard expect("to", after: "the first time") != nil else { return nil }
      guard case .time(let to) = current.kind else {
        expected("a time such as `8:00`", after: "`to`")
        return nil
      }
      advance()
      return .quietHours(from: from, to: to, range: range(from: start))
    default:  // consent
      guard expect("for", after: "`consent`") != nil else { return nil }
      guard current.kind == .word else {
        expected("a channel (`email`, `sms`, `push` or `receipt`)", after: "`consent for`")
        return nil
      }
      let channel = Name(current.text, range: advance().range)
      guard expect("from", after: "the channel") != nil, expect("attribute", after: "`from`") != nil else { return nil }
      guard let attribute = requireName(for: "from attribute", example: "consent for sms from attribute sms_opt_in") else { return nil }
      return .consent(channel: channel, attribute: attribute, range: range(from: start))
    }
  }

  /// `reaching tier NAME` or `losing tier NAME`; the first word is current.
  mutating func parseTierTrigger() -> TriggerSyntax? {
    let reaching = advance().text.lowercased() == "reaching"
    guard expect("tier", after: reaching ? "`reaching`" : "`losing`") != nil,
          let name = requireName(for: reaching ? "reaching tier" : "losing tier", example: "on reaching tier gold") else { return nil }
    return reaching ? .reachingTier(name) : .losingTier(name)
  }
}
