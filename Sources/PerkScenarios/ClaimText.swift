import PerkCompiler
import PerkRuntime

/// Compares claims with outcomes and states, and says both sides in the test's own words.
///
/// `expected` restates the claim; a mismatch returns the same sentence with the actual value,
/// so a failure reads `alice earns 12 stars` against `alice earns 9 stars`.
enum ClaimText {
  typealias Claim = ScenarioExpectation.Claim

  static func expected(_ claim: Claim, customer who: String, currency: Currency? = nil) -> String {
    switch claim {
    case .earns(let c, let amount, let rule): return earnsText(who, amount, c, rule)
    case .freeItem(let sku, let count): return "\(who) gets \(count) \(sku) free"
    case .voucher(let name, let worth, let until):
      return "\(who) gets voucher \"\(name)\"" + (worth.map { " worth \(money($0, currency))" } ?? "")
        + (until.map { " valid until \($0)" } ?? "")
    case .reward(let name): return "\(who) gets reward \(name)"
    case .collects(let card, let count): return collectsText(who, count, card)
    case .tierChange(let to): return "\(who) moves to tier \(to)"
    case .nothing: return "\(who) gets nothing"
    case .nothingFree: return "\(who) gets nothing free"
    case .noVoucher: return "\(who) gets no voucher"
    case .pays(let minor): return "\(who) pays \(money(minor, currency))"
    case .balance(let c, let amount): return "\(who) has \(amount) \(c)"
    case .stamps(let card, let count): return "\(who) has \(count) \(stamps(count)) on \(card)"
    case .tier(let tier): return tier.map { "\(who) has tier \($0)" } ?? "\(who) has no tier"
    case .rejected(let reason): return "the event is rejected" + (reason.map { " with \"\($0)\"" } ?? "")
    case .expired(let c, let amount): return "\(who) loses \(amount) \(c) to expiry"
    case .spends(let c, let amount, let reward): return "\(who) spends \(amount) \(c)" + (reward.map { " on \($0)" } ?? "")
    case .released(let c, let amount): return "\(who) gets \(amount) \(c) released"
    case .refunded(let minor): return "\(who) is refunded \(money(minor, currency))"
    case .told(let text): return "\(who) is told \"\(text)\""
    case .sent(let text, let channel, let negated): return sentText(who, text, channel, negated: negated)
    case .short(let c, let amount): return "\(who) is short \(amount) \(c)"
    case .saves(let minor, let rule): return "\(who) saves \(money(minor, currency))" + (rule.map { " from \($0)" } ?? "")
    case .pending(let c, let amount): return "\(who) has \(amount) \(c) pending"
    case .expiring(let c, let amount, let date): return "\(who) has \(amount) \(c) expiring on \(date)"
    case .rebate(let phase, let rebate, let minor): return rebateText(who, phase, money(minor, currency), rebate)
    }
  }

  /// nil when the claim about the last event holds; otherwise what actually happened.
  static func mismatch(_ claim: Claim, customer who: String, outcome: Outcome, currency: Currency) -> String? {
    let awards = outcome.awards
    switch claim {
    case .earns(let c, let amount, let rule):
      var total: Int64 = 0
      for award in awards where rule == nil || award.source == rule {
        if case .points(let name, let n, _) = award.kind, name == c { total &+= n }
      }
      return total == amount ? nil : earnsText(who, total, c, rule)
    case .freeItem(let sku, let count):
      let n = awards.reduce(Int64(0)) { n, award in
        if case .freeItem(let s, _) = award.kind, s == sku { return n + 1 }
        return n
      }
      return n == count ? nil : "\(who) gets \(n) \(sku) free"
    case .voucher(let name, let worth, let until):
      let vouchers = awards.compactMap { award -> (String, Money, LocalDate?)? in
        if case .voucher(let n, let value, let validUntil) = award.kind { return (n, value, validUntil) }
        return nil
      }
      if vouchers.contains(where: { $0.0 == name && (worth == nil || $0.1.minorUnits == worth) && (until == nil || $0.2 == until) }) {
        return nil
      }
      if vouchers.isEmpty { return "\(who) gets no voucher" }
      return vouchers.map {
        "\(who) gets voucher \"\($0.0)\" worth \($0.1)" + ($0.2.map { " valid until \($0)" } ?? "")
      }.joined(separator: "; ")
    case .reward(let name):
      let rewards = awards.compactMap { award -> String? in
        if case .reward(let n, _) = award.kind { return n }
        return nil
      }
      if rewards.contains(name) { return nil }
      return rewards.isEmpty ? "\(who) gets no reward" : rewards.map { "\(who) gets reward \($0)" }.joined(separator: "; ")
    case .collects(let card, let count):
      var total: Int64 = 0
      for award in awards {
        if case .stamps(let c, let n) = award.kind, c == card { total &+= n }
      }
      return total == count ? nil : collectsText(who, total, card)
    case .tierChange(let to):
      let changes = awards.compactMap { award -> String?? in
        if case .tierChange(_, let t) = award.kind { return .some(t) }
        return nil
      }
      if changes.contains(where: { $0 == to }) { return nil }
      guard let change = changes.last else { return "\(who) stays at tier \(outcome.tierAfter ?? "none")" }
      return change.map { "\(who) moves to tier \($0)" } ?? "\(who) loses their tier"
    case .nothing:
      return awards.isEmpty ? nil : "\(who) gets \(awards.count) \(awards.count == 1 ? "award" : "awards")"
    case .nothingFree:
      let free = awards.compactMap { award -> String? in
        if case .freeItem(let sku, _) = award.kind { return sku }
        return nil
      }
      return free.isEmpty ? nil : "\(who) gets " + free.joined(separator: ", ") + " free"
    case .noVoucher:
      let vouchers = awards.compactMap { award -> String? in
        if case .voucher(let name, _, _) = award.kind { return name }
        return nil
      }
      return vouchers.isEmpty ? nil : vouchers.map { "\(who) gets voucher \"\($0)\"" }.joined(separator: "; ")
    case .pays(let minor):
      return outcome.amountPaid.minorUnits == minor ? nil : "\(who) pays \(outcome.amountPaid)"
    case .expired(let c, let amount):
      let total = sum(awards) { if case .expired(let name, let n, _) = $0, name == c { n } else { nil } }
      return total == amount ? nil : "\(who) loses \(total) \(c) to expiry"
    case .spends(let c, let amount, let reward):
      let total = sum(awards) {
        if case .redeemed(let r, let name, let cost, _) = $0, name == c, reward == nil || reward == r { cost } else { nil }
      }
      return total == amount ? nil : "\(who) spends \(total) \(c)" + (reward.map { " on \($0)" } ?? "")
    case .released(let c, let amount):
      let total = sum(awards) { if case .released(let name, let n) = $0, name == c { n } else { nil } }
      return total == amount ? nil : "\(who) gets \(total) \(c) released"
    case .refunded(let minor):
      guard let refunded = outcome.refunded else { return "\(who) is refunded nothing" }
      return refunded.minorUnits == minor ? nil : "\(who) is refunded \(refunded)"
    case .told(let text):
      let messages = tillMessages(outcome)
      if messages.contains(text) { return nil }
      return messages.isEmpty ? "\(who) is told nothing" : "\(who) is told " + messages.map { "\"\($0)\"" }.joined(separator: ", ")
    case .sent(let text, let channel, let negated):
      let messages = outcome.messages
      if let text {
        let found = messages.contains { $0.text == text && (channel == nil || $0.channel.rawValue == channel) }
        if found != negated { return nil }
        if negated { return sentText(who, text, channel) }
      } else if messages.isEmpty {
        return nil
      }
      return messages.isEmpty ? "\(who) is sent nothing"
        : messages.map { sentText(who, $0.text, $0.channel.rawValue) }.joined(separator: "; ")
    case .short(let c, let amount):
      let actual = outcome.shortfall[c] ?? 0
      return actual == amount ? nil : "\(who) is short \(actual) \(c)"
    case .saves(let minor, let rule):
      var total: Int64 = 0
      for award in awards where rule == nil || award.source == rule {
        if case .discount(let value) = award.kind { total &+= value.minorUnits }
      }
      return total == minor ? nil
        : "\(who) saves \(Money(minorUnits: total, currency: currency))" + (rule.map { " from \($0)" } ?? "")
    case .balance, .stamps, .tier, .rejected, .pending, .expiring:
      return nil
    case .rebate(let phase, let rebate, let minor):
      let figures = awards.compactMap { award -> Money? in
        guard case .rebate(let r) = award.kind, r.rebate == rebate, r.phase.rawValue == phase else { return nil }
        return r.amount
      }
      if figures.contains(where: { $0.minorUnits == minor }) { return nil }
      if figures.isEmpty { return "\(who) gets no \(phase == "settlement" ? "rebate" : phase) from \(rebate)" }
      return figures.map { rebateText(who, phase, $0.description, rebate) }.joined(separator: "; ")
    }
  }

  private static func rebateText(_ who: String, _ phase: String, _ amount: String, _ rebate: String) -> String {
    switch phase {
    case "accrual": return "\(who) accrues \(amount) on \(rebate)"
    case "statement": return "\(who) gets statement \(amount) from \(rebate)"
    default: return "\(who) gets rebate \(amount) from \(rebate)"
    }
  }

  /// What the till shows after an outcome: near misses, then the next expiries, then future facts.
  static func tillMessages(_ outcome: Outcome) -> [String] {
    outcome.nearMisses.map(\.text) + outcome.nextExpiry.map(\.text) + outcome.facts.map(\.text)
  }

  private static func sum(_ awards: [Award], _ amount: (Award.Kind) -> Int64?) -> Int64 {
    awards.reduce(Int64(0)) { $0 &+ (amount($1.kind) ?? 0) }
  }

  /// `alice is sent "Time for your oil change" via sms`, `alice is sent nothing`.
  private static func sentText(_ who: String, _ text: String?, _ channel: String?, negated: Bool = false) -> String {
    guard let text else { return "\(who) is sent nothing" }
    return "\(who) is \(negated ? "not " : "")sent \"\(text)\"" + (channel.map { " via \($0)" } ?? "")
  }

  private static func earnsText(_ who: String, _ amount: Int64, _ currency: String, _ rule: String?) -> String {
    (amount < 0 ? "\(who) loses \(-amount) \(currency)" : "\(who) earns \(amount) \(currency)") + (rule.map { " from \($0)" } ?? "")
  }

  private static func collectsText(_ who: String, _ count: Int64, _ card: String) -> String {
    count < 0 ? "\(who) loses \(-count) \(stamps(-count)) on \(card)" : "\(who) collects \(count) \(stamps(count)) on \(card)"
  }

  /// nil when the claim about the account holds; otherwise the actual value. `latest` is the
  /// customer's most recent outcome (it carries the next expiry).
  static func mismatch(_ claim: Claim, customer who: String, state: AccountState, latest: Outcome?) -> String? {
    switch claim {
    case .pending(let c, let amount):
      let actual = state.lots.reduce(Int64(0)) { $0 &+ ($1.currency == c && $1.isPending ? $1.amount : 0) }
      return actual == amount ? nil : "\(who) has \(actual) \(c) pending"
    case .expiring(let c, let amount, let date):
      guard let notice = latest?.nextExpiry.first(where: { $0.currency == c }) else { return "\(who) has no \(c) expiring" }
      return notice.amount == amount && notice.date == date ? nil : "\(who) has \(notice.amount) \(c) expiring on \(notice.date)"
    case .balance(let c, let amount):
      let actual = state.balances[c] ?? 0
      return actual == amount ? nil : "\(who) has \(actual) \(c)"
    case .stamps(let card, let count):
      let actual = state.stamps[card] ?? 0
      return actual == count ? nil : "\(who) has \(actual) \(stamps(actual)) on \(card)"
    case .tier(let tier):
      if state.tier == tier { return nil }
      return state.tier.map { "\(who) has tier \($0)" } ?? "\(who) has no tier"
    default:
      return nil
    }
  }

  /// Each award in one line, for a failure's context: `9 stars from base earn`.
  static func awards(_ outcome: Outcome) -> [String] {
    outcome.awards.map { award in
      let what: String
      switch award.kind {
      case .points(let c, let n, _): what = "\(n) \(c)"
      case .stamps(let card, let n): what = "\(n) \(stamps(n)) on \(card)"
      case .freeItem(let sku, let value): what = "\(sku) free (\(value))"
      case .voucher(let name, let value, let until):
        what = "voucher \"\(name)\" worth \(value)" + (until.map { " until \($0)" } ?? "")
      case .reward(let name, _): what = "reward \(name)"
      case .tierChange(let from, let to): what = "tier \(from ?? "none") → \(to ?? "none")"
      case .expired(let c, let n, _): what = "\(n) \(c) expired"
      case .released(let c, let n): what = "\(n) \(c) released"
      case .redeemed(let reward, let c, let cost, _): what = "redeemed \(reward) for \(cost) \(c)"
      case .discount(let value): what = "discount \(value)"
      case .rebate(let r): what = "rebate \(r.phase.rawValue) \(r.amount) on \(r.volume)"
      // Kinds added later read by their own description until they get a sentence here;
      // a new kind must never break `perk test`.
      @unknown default: what = "\(award.kind)"
      }
      return "\(what) from \(award.source)"
    }
  }

  private static func stamps(_ n: Int64) -> String { n == 1 ? "stamp" : "stamps" }

  private static func money(_ minor: Int64, _ currency: Currency?) -> String {
    guard let currency else { return "\(minor) minor units" }
    return Money(minorUnits: minor, currency: currency).description
  }
}
