import PerkRuntime
import PerkSource
import PerkSyntax

/// When a contact period end falls (`on 90 days after purchase in category service`,
/// `on 60 days without purchase`, `on 7 days before stars expire`), in local days.
package enum CheckedTiming: Sendable {
  case afterPurchase(days: Int64, filter: CheckedFilter?)
  case beforeExpiry(days: Int64, currency: Int)
  /// `on reaching tier gold` (`reaching`) or `on losing tier gold`: a level index.
  case tierChange(level: Int, reaching: Bool)
}

/// Checks for contact: `send message` texts and their placeholders, channels, and the triggers
/// that time messages.
extension DeclarationChecker {
  /// The placeholders every rule may use; the others name a points currency.
  static let placeholderWords = ["customer", "tier", "voucher", "POINTS balance", "POINTS expiring", "POINTS expiry date",
                                 "CARD stamps to go"]

  /// The timing of a contact trigger; nil for the other triggers and after an error.
  func checkContactTrigger(_ trigger: Located<TriggerSyntax>, diagnostics: inout Diagnostics) -> CheckedTiming? {
    func days(_ d: DurationLiteral, _ clause: String) -> Int64? {
      guard let days = ExpressionChecker.triggerDays(d), days > 0, days <= 366 * 1_000 else {
        diagnostics.append(Diagnostic(
          .triggerDurationUnit, "`\(clause)` needs days or weeks above zero, found `\(ExpressionChecker.durationText(d))`",
          at: trigger.range, label: "not a whole number of days", help: "write the delay in days, such as `90 days`"))
        return nil
      }
      return days
    }
    switch trigger.value {
    case .afterPurchase(let d, let filter):
      return days(d, "after purchase").map { .afterPurchase(days: $0, filter: expressions.checkFilter(filter)) }
    case .withoutPurchase(let d):
      return days(d, "without purchase").map { .afterPurchase(days: $0, filter: nil) }
    case .beforeExpiry(let d, let name):
      let n = days(d, "before … expire")
      guard let currency = symbols.resolve(.points, name, diagnostics: &diagnostics) else { return nil }
      guard program.pointsCurrencies.indices.contains(currency), program.pointsCurrencies[currency].expiry != nil else {
        diagnostics.append(Diagnostic(
          .invalidContactTrigger, "`\(name.text)` never expire, so this rule would never run", at: trigger.range,
          label: "no expiry to announce", help: "add an `expire …` clause to `points \(name.text)`, or choose another trigger"))
        return nil
      }
      return n.map { .beforeExpiry(days: $0, currency: currency) }
    case .reachingTier(let name), .losingTier(let name):
      guard let level = symbols.resolve(.tier, name, diagnostics: &diagnostics) else { return nil }
      let reaching = if case .reachingTier = trigger.value { true } else { false }
      return .tierChange(level: level, reaching: reaching)
    case .purchase, .signup, .custom, .signupAnniversary, .birthday:
      return nil
    }
  }

  /// `send message "TEXT" [via CHANNEL]`: the text split at its placeholders, each placeholder
  /// known (E0556); the range of each part (the whole string for text) for the context check.
  func checkMessage(_ text: Located<String>, channel: Name?, at time: TimeLiteral?, diagnostics: inout Diagnostics) -> CheckedEffect? {
    var failed = false
    var resolvedChannel = MessageChannel.email
    if let channel {
      if let known = MessageChannel(rawValue: channel.text.lowercased()) {
        resolvedChannel = known
      } else {
        let names = MessageChannel.allCases.map(\.rawValue)
        diagnostics.append(Diagnostic(
          .unknownChannel, "unknown channel `\(channel.text)`", at: channel.range, label: "not a channel Perk knows",
          help: Suggestions.closest(to: channel.text.lowercased(), in: names).map { "did you mean `\($0)`?" }
            ?? "write `via email`, `via sms`, `via push` or `via receipt`"))
        failed = true
      }
    }
    // Placeholders are located exactly when the string has no escapes (its bytes are the token's).
    let bytes = Array(text.value.utf8)
    let exact = text.range.end - text.range.start == bytes.count + 2
    func range(_ from: Int, _ to: Int) -> SourceRange {
      exact ? SourceRange(file: text.range.file, start: text.range.start + 1 + from, end: text.range.start + 1 + to) : text.range
    }
    var parts: [MessageSpec.Part] = []
    var ranges: [SourceRange] = []
    var literal: [UInt8] = []
    var i = 0
    while i < bytes.count {
      guard bytes[i] == UInt8(ascii: "{") else {
        literal.append(bytes[i])
        i += 1
        continue
      }
      if !literal.isEmpty {
        parts.append(.text(String(decoding: literal, as: UTF8.self)))
        ranges.append(text.range)
        literal = []
      }
      guard let close = bytes[i...].firstIndex(of: UInt8(ascii: "}")) else {
        diagnostics.append(Diagnostic(
          .unknownPlaceholder, "a `{` with no `}` in the message", at: range(i, bytes.count), label: "placeholder not closed",
          help: "close it, such as `{customer}`; placeholders are \(Self.placeholderList)"))
        return nil
      }
      let inner = String(decoding: bytes[(i + 1)..<close], as: UTF8.self)
      let placeholderRange = range(i, close + 1)
      if let part = placeholder(inner, range: placeholderRange, diagnostics: &diagnostics) {
        parts.append(part)
        ranges.append(placeholderRange)
      } else {
        failed = true
      }
      i = close + 1
    }
    if !literal.isEmpty {
      parts.append(.text(String(decoding: literal, as: UTF8.self)))
      ranges.append(text.range)
    }
    return failed ? nil : .message(MessageSpec(parts: parts, channel: resolvedChannel, atMinute: time.map { $0.hour * 60 + $0.minute }),
                                   ranges: ranges)
  }

  static var placeholderList: String { placeholderWords.map { "`{\($0)}`" }.joined(separator: ", ") }

  /// One placeholder's meaning: E0556 when Perk does not know it.
  private func placeholder(_ inner: String, range: SourceRange, diagnostics: inout Diagnostics) -> MessageSpec.Part? {
    // Keywords in any letter case; the currency or card name as declared.
    let original = inner.split(separator: " ").map(String.init)
    let words = original.map { $0.lowercased() }
    switch words {
    case ["customer"]: return .customer
    case ["tier"]: return .tier
    case ["voucher"]: return .voucher
    default: break
    }
    let suffixes: [([String], (Int) -> MessageSpec.Part)] = [
      (["balance"], { .balance(currency: $0) }), (["expiring"], { .expiring(currency: $0) }),
      (["expiry", "date"], { .expiryDate(currency: $0) }),
    ]
    if words.count > 3, Array(words.suffix(3)) == ["stamps", "to", "go"] {
      let card = original.dropLast(3).joined(separator: " ")
      guard let id = symbols.id(.stampCard, card) else {
        diagnostics.append(Diagnostic(
          .unknownPlaceholder, "unknown placeholder `{\(inner)}`: `\(card)` is not a stamp card", at: range,
          label: "no such stamp card",
          help: Suggestions.closest(to: card, in: program.stampCards.map(\.name)).map { "did you mean `{\($0) stamps to go}`?" }
            ?? "placeholders are \(Self.placeholderList)"))
        return nil
      }
      return .stampsToGo(card: id)
    }
    for (suffix, make) in suffixes where words.count > suffix.count && Array(words.suffix(suffix.count)) == suffix {
      let currency = original.dropLast(suffix.count).joined(separator: " ")
      guard let id = symbols.id(.points, currency) else {
        diagnostics.append(Diagnostic(
          .unknownPlaceholder, "unknown placeholder `{\(inner)}`: `\(currency)` is not a points currency", at: range,
          label: "no such points currency",
          help: Suggestions.closest(to: currency, in: program.pointsCurrencies.map(\.name)).map { "did you mean `{\($0) \(suffix.joined(separator: " "))}`?" }
            ?? "placeholders are \(Self.placeholderList)"))
        return nil
      }
      return make(id)
    }
    let known = ["customer", "tier", "voucher"] + program.pointsCurrencies.flatMap { ["\($0.name) balance", "\($0.name) expiring", "\($0.name) expiry date"] }
      + program.stampCards.map { "\($0.name) stamps to go" }
    diagnostics.append(Diagnostic(
      .unknownPlaceholder, "unknown placeholder `{\(inner)}`", at: range, label: "Perk has no value of this name",
      help: Suggestions.closest(to: inner, in: known).map { "did you mean `{\($0)}`?" }
        ?? "placeholders are \(Self.placeholderList)"))
    return nil
  }

  /// Placeholders with no value in their rule (E0557) and receipts without a purchase (E0560).
  func checkMessageContext(_ effects: [CheckedEffect], trigger: Located<TriggerSyntax>?, timing: CheckedTiming?,
                           ruleName: String, diagnostics: inout Diagnostics) {
    let givesVoucher = effects.contains { if case .voucher = $0 { true } else { false } }
    for case .message(let spec, let ranges) in effects {
      if spec.channel == MessageChannel.receipt, spec.atMinute != nil, let range = ranges.first {
        diagnostics.append(Diagnostic(
          .receiptWithoutPurchase, "`via receipt` with `at`: a receipt is printed at the purchase, not at a time of day", at: range,
          label: "this message would wait for no receipt", help: "remove `at …`, or send it `via email`, `via sms` or `via push`"))
      } else if spec.channel == MessageChannel.receipt, let trigger, trigger.value != .purchase {
        diagnostics.append(Diagnostic(
          .receiptWithoutPurchase, "`via receipt` on rule `\(ruleName)`, which does not run on a purchase", at: trigger.range,
          label: "there is no receipt to print on", help: "send it `via email`, `via sms` or `via push`, or run the rule `on purchase`"))
      }
      for (part, range) in zip(spec.parts, ranges) {
        var missing: (String, String)?
        switch part {
        case .voucher where !givesVoucher:
          missing = ("rule `\(ruleName)` gives no voucher", "add `give voucher \"NAME\" worth $5` to the rule, or remove `{voucher}`")
        case .tier where program.tiers == nil:
          missing = ("the program has no tiers", "declare `tiers by …`, or remove `{tier}`")
        case .expiring(let c), .expiryDate(let c):
          if case .beforeExpiry(_, let announced)? = timing, announced == c { break }
          let name = program.pointsCurrencies.indices.contains(c) ? program.pointsCurrencies[c].name : "?"
          missing = ("only a rule `on N days before \(name) expire` knows which \(name) are expiring",
                     "trigger the rule `on 7 days before \(name) expire`, or write `{\(name) balance}`")
        default: break
        }
        guard let (why, help) = missing else { continue }
        diagnostics.append(Diagnostic(.placeholderWithoutValue, "this placeholder has no value here: \(why)", at: range,
                                      label: "no value in this rule", help: help))
      }
    }
  }

  /// `messages at most 2 per week`, `quiet hours 21:00 to 8:00`, `consent for sms from attribute
  /// sms_opt_in` on the program: each given once (a consent once per channel).
  mutating func checkContactPolicy(_ clause: ProgramDeclaration.Clause, seen: inout [String: SourceRange],
                                   diagnostics: inout Diagnostics) {
    func once(_ keyword: String, _ range: SourceRange) -> Bool {
      if let first = seen[keyword] {
        duplicateClause(keyword, at: range, first: first, diagnostics: &diagnostics)
        return false
      }
      seen[keyword] = range
      return true
    }
    switch clause {
    case .messageCap(let count, let unit, let range):
      guard once("messages at most", range) else { return }
      guard count.value > 0 else {
        diagnostics.append(Diagnostic(.valueOutOfRange, "`messages at most` needs at least one message", at: count.range,
                                      label: "no message could ever be sent", help: "allow at least one, such as `messages at most 2 per week`"))
        return
      }
      let calendar: CalendarUnit = switch unit {
      case .day: .day
      case .week: .week
      case .month: .month
      case .year: .year
      }
      program.contactPolicy.cap = (count.value, calendar)
    case .quietHours(let from, let to, let range):
      guard once("quiet hours", range) else { return }
      let (start, end) = (from.hour * 60 + from.minute, to.hour * 60 + to.minute)
      guard start != end else {
        diagnostics.append(Diagnostic(.emptyQuietHours, "quiet hours that start and end at the same time", at: range,
                                      label: "no message could be placed", help: "give the hours messages wait, such as `quiet hours 21:00 to 8:00`"))
        return
      }
      program.contactPolicy.quiet = (start, end)
    case .consent(let channel, let attribute, let range):
      guard let known = MessageChannel(rawValue: channel.text.lowercased()) else {
        diagnostics.append(Diagnostic(
          .unknownChannel, "unknown channel `\(channel.text)`", at: channel.range, label: "not a channel Perk knows",
          help: Suggestions.closest(to: channel.text.lowercased(), in: MessageChannel.allCases.map(\.rawValue)).map { "did you mean `\($0)`?" }
            ?? "write `consent for email`, `sms`, `push` or `receipt`"))
        return
      }
      guard once("consent for \(known.rawValue)", range) else { return }
      program.contactPolicy.consent[known] = attribute.text
    case .messageCost(let amount, let channel, let range):
      guard let known = MessageChannel(rawValue: channel.text.lowercased()) else {
        diagnostics.append(Diagnostic(
          .unknownChannel, "unknown channel `\(channel.text)`", at: channel.range, label: "not a channel Perk knows",
          help: Suggestions.closest(to: channel.text.lowercased(), in: MessageChannel.allCases.map(\.rawValue)).map { "did you mean `\($0)`?" }
            ?? "write `via email`, `via sms`, `via push` or `via receipt`"))
        return
      }
      guard once("message costs … via \(known.rawValue)", range),
            let (value, valueRange) = constant(amount, unit: .money, clause: "message costs", needs: "money", example: "$0.02",
                                               diagnostics: &diagnostics) else { return }
      guard !value.isNegative, let minor = Amounts.minorUnits(value, digits: program.currency.minorDigits) else {
        diagnostics.append(Diagnostic(.valueOutOfRange, "`message costs` needs an amount of zero or more in whole \(program.currency.code) minor units",
                                      at: valueRange, label: "not a cost Perk can add up"))
        return
      }
      program.contactPolicy.costs[known] = minor
    default:
      return
    }
  }
}
