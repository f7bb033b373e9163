import PerkRuntime
import PerkSource

extension Session {
  // MARK: - Awards

  /// What one award gave, in a few words: `+18 stars`, `free latte ($4.50)`, `tier green → gold`.
  func gain(_ award: Award) -> String {
    switch award.kind {
    case .points(let currency, let amount, _): return (amount >= 0 ? "+" : "") + "\(amount) \(currency)"
    case .stamps(_, let count): return (count >= 0 ? "+" : "") + "\(count) stamp\(count == 1 || count == -1 ? "" : "s")"
    case .freeItem(let sku, let value): return "free \(sku) (\(value))"
    case .voucher(let name, let value, let until):
      return "voucher \"\(name)\" \(value)" + (until.map { " until \($0)" } ?? "")
    case .reward(let name, let value): return "reward \(name) (\(value))"
    case .tierChange(let from, let to): return "tier \(from ?? "none") → \(to ?? "none")"
    case .expired(let currency, let amount, _): return "-\(amount) \(currency) expired"
    case .released(let currency, let amount): return "+\(amount) \(currency) released"
    case .redeemed(let reward, let currency, let cost, _): return "-\(cost) \(currency) for \(reward)"
    case .discount(let value): return "\(value) off"
    case .rebate(let r):
      switch r.phase {
      case .accrual: return "rebate \(r.amount) accrued"
      case .statement: return "statement: \(r.amount) accrued"
      case .settlement: return "rebate \(r.amount) paid"
      }
    // Kinds other parts of Perk add later still print, with their explanation.
    @unknown default: return award.explanation
    }
  }

  /// One line per award: what it gave, then the rule (or card, or `tiers`) that gave it.
  func awardLines(_ awards: [Award], indent: String) -> String {
    let gains = awards.map(gain)
    let width = min(28, gains.map(\.count).max() ?? 0)
    var out = ""
    for (award, text) in zip(awards, gains) {
      let padding = String(repeating: " ", count: max(0, width - text.count) + 2)
      let painted = text.hasPrefix("-") ? style.loss(text) : style.gain(text)
      out += indent + painted + padding + style.name(award.source) + "\n"
    }
    return out
  }

  /// `+18 stars, +2 stamps` for the history.
  func summary(of outcome: Outcome) -> String {
    if outcome.duplicate { return "duplicate" }
    if let reason = outcome.rejection { return "refused: \(reason)" }
    let messages = outcome.messages.map { "message via \($0.channel.rawValue)" }
    guard !outcome.awards.isEmpty || !messages.isEmpty else { return "nothing" }
    return (outcome.awards.map(gain) + messages).joined(separator: ", ")
  }

  /// The result of one event: the id and amount paid, each award, then the balances.
  func outcomeText(_ outcome: Outcome, id: String, customer: String) -> String {
    guard let program else { return "" }
    var head = "\(style.bold(id)) \(style.name(customer)) \(shortTime(world.clock))"
    if let event = world.last?.event, case .purchase = event.kind { head += "  paid \(outcome.amountPaid)" }
    var out = head + "\n"
    if outcome.duplicate {
      return out + "  duplicate transaction: nothing awarded, account unchanged\n"
    }
    if let reason = outcome.rejection {
      return out + "  \(style.loss("refused")): \(reason); account unchanged\n"
    }
    out += outcome.awards.isEmpty ? "  " + style.dim("nothing awarded") + "\n" : awardLines(outcome.awards, indent: "  ")
    out += tillLines(outcome)
    let balances = standing(outcome.state, program: program)
    return out + (balances.isEmpty ? "" : "  " + style.dim(balances) + "\n")
  }

  /// What the till would also say: money refunded, points a return could not take back,
  /// points held, and how close the customer is to the next goal.
  func tillLines(_ outcome: Outcome) -> String {
    var out = ""
    if let refunded = outcome.refunded { out += "  refunded \(refunded)\n" }
    for (currency, amount) in outcome.shortfall.sorted(by: { $0.key < $1.key }) where amount != 0 {
      out += "  \(amount) \(currency) could not be taken back (the balance may not go below zero)\n"
    }
    let pending = outcome.pending.sorted(by: { $0.key < $1.key }).filter { $0.value != 0 }
    if !pending.isEmpty { out += "  pending " + pending.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + "\n" }
    for held in outcome.transfersHeld {
      out += "  held for \(held.customer): \(held.amount) \(held.currency) (\(held.rule)), released on \(held.releaseOn) if \(held.sourceTransaction) is kept\n"
    }
    for cancelled in outcome.transfersCancelled {
      out += "  cancelled for \(cancelled.customer): \(cancelled.amount) \(cancelled.currency) (\(cancelled.rule))\n"
    }
    for shortfall in outcome.budgetShortfalls {
      out += "  \(shortfall.rule) did not fire: its \(shortfall.budget) budget had \(shortfall.remaining) left, it needed \(shortfall.needed)\n"
    }
    out += messageLines(outcome, indent: "  ")
    if !outcome.nearMisses.isEmpty {
      out += "  " + style.dim("next: " + outcome.nearMisses.map(\.text).joined(separator: " · ")) + "\n"
    }
    return out
  }

  /// `message via sms: "Time for your next oil change" (oil change reminder: 90 days after …)`.
  /// `showingDue` adds the day each fell due (a clock move crosses many days).
  /// Deferred messages say when they were due; suppressed ones say why they are not sent.
  func messageLines(_ outcome: Outcome, indent: String, showingDue: Bool = false) -> String {
    func line(_ message: DueMessage, _ verb: String) -> String {
      let due = showingDue || message.deferredFrom != nil ? " due \(message.dueText.replacingOccurrences(of: "T", with: " "))" : ""
      let deferred = message.deferredFrom.map { ", deferred from \($0.replacingOccurrences(of: "T", with: " "))" } ?? ""
      let suppressed = message.suppression.map { ", \($0)" } ?? ""
      return "\(indent)\(verb) via \(message.channel.rawValue)\(due): \"\(message.text)\" "
        + style.dim("(\(message.rule): \(message.reason)\(deferred)\(suppressed))") + "\n"
    }
    return outcome.messages.map { line($0, "message") }.joined() + outcome.suppressedMessages.map { line($0, "not sent") }.joined()
  }

  /// `stars 37 · coffee card 2/10 · tier green`.
  func standing(_ state: AccountState, program: Program) -> String {
    var parts = program.pointsCurrencyNames.map { "\($0) \(state.balances[$0] ?? 0)" }
    parts += program.cards.map { "\($0.name) \(state.stamps[$0.name] ?? 0)/\($0.every)" }
    if !program.tierNames.isEmpty { parts.append("tier \(state.tier ?? program.tierNames[0])") }
    return parts.joined(separator: " · ")
  }

  // MARK: - :state

  func stateText() throws(InputProblem) -> String {
    guard let program else { throw InputProblem("no program yet", help: "`:load FILE` loads one") }
    guard let name = world.current, let account = world.accounts[name] else {
      throw InputProblem("no customer yet", help: "`:customer NAME` adds one, or buy something as `guest`")
    }
    let view = program.view(customer: account.customer, state: account.state, at: world.clock)
    let state = account.state
    var rows: [[String]] = []
    for (index, points) in program.points.enumerated() {
      let balance = view.balance(currency: index)
      // No stated worth: the value is unknown, not zero.
      let worth = !points.worthStated ? "unknown"
        : RoundingMode.halfEven.divide(Int128(balance) * Int128(points.worthMinor.significand), by: points.worthMinor.denominator)
          .map { Money(minorUnits: $0, currency: program.currency).description } ?? "?"
      var line = "\(balance) (worth \(worth))"
      let lots = state.lots.filter { $0.currency == points.name }
      let held = lots.filter(\.isPending)
      if !held.isEmpty {
        line += "; pending " + held.map { "\($0.amount) until \($0.pendingUntil.map(\.description) ?? "?")" }.joined(separator: ", ")
      }
      if let soonest = lots.filter({ !$0.isPending }).compactMap(\.expiresOn).min() {
        let amount = lots.filter { !$0.isPending && $0.expiresOn == soonest }.reduce(Int64(0)) { $0 &+ $1.amount }
        line += "; next expiry \(amount) on \(soonest)"
      }
      rows.append([points.name, line])
      // Lots matter when they expire or are held; otherwise the balance says it all.
      if lots.contains(where: { $0.expiresOn != nil || $0.isPending }) {
        for lot in lots {
          var text = "\(lot.amount) earned \(lot.earned)"
          if let source = lot.source { text += " (\(source))" }
          if let until = lot.pendingUntil { text += ", held until \(until)" }
          text += lot.expiresOn.map { ", expires \($0)" } ?? ", no expiry"
          rows.append(["  lot", text])
        }
      }
    }
    for (index, card) in program.cards.enumerated() {
      rows.append([card.name, "\(view.stamps(card: index)) of \(card.every) stamps"])
    }
    if let tiers = program.tiers, let standing = view.tierStanding {
      let held = view.tierIndex.map { tiers.levels[$0].name } ?? "none"
      var why = "\(held): \(Money(minorUnits: standing.spend, currency: program.currency)) spent and \(standing.visits) visit\(standing.visits == 1 ? "" : "s") in the tier window"
      if let q = standing.qualified { why += "; qualifies for \(tiers.levels[q].name)" }
      // A keep date already passed is history, not news: the tier held today says what it did.
      if let held = view.tierIndex, held > (standing.qualified ?? -1), let until = standing.keptUntil[held], until >= view.today {
        why += "; \(tiers.levels[held].name) kept until \(until)"
      } else if let held = view.tierIndex, let until = standing.keptUntil[held], until >= view.today {
        why += "; kept until \(until)"
      }
      let next = (view.tierIndex ?? -1) + 1
      if tiers.levels.indices.contains(next) {
        let level = tiers.levels[next]
        var needs: [String] = []
        if let spend = level.spendMinor, tiers.measure != .visits {
          needs.append("\(Money(minorUnits: max(0, spend - standing.spend), currency: program.currency)) more spend")
        }
        if let visits = level.visits, tiers.measure != .spend { needs.append("\(max(0, visits - standing.visits)) more visits") }
        if !needs.isEmpty { why += "; \(level.name) needs " + needs.joined(separator: " or ") }
      }
      rows.append(["tier", why])
    }
    // Rebates: the volume not settled yet, and the last figures an event or period end gave.
    for name in state.rebates.keys.sorted() {
      guard let account = state.rebates[name] else { continue }
      let volume = account.slices.reduce(Int64(0)) { $0 &+ $1.volume }
      var line = "\(Money(minorUnits: volume, currency: program.currency)) volume not yet settled"
      if let last = lastRebateFigures(name, customer: world.current) {
        line += "; at the last event \(last.amount) accrued on \(last.volume) for \(last.periodStart) to \(last.periodEnd)"
        if let rate = last.rate { line += " at \(ratePercent(rate))" }
        if let next = last.nextThreshold { line += "; next bracket from \(next)" }
      }
      rows.append([name, line])
    }
    var purchases = "\(state.purchaseCount)"
    if let last = state.lastPurchase { purchases += ", last on \(last) (\(view.today.dayNumber - last.dayNumber) days ago)" }
    rows.append(["purchases", purchases])
    let limited = state.ruleAwards.keys.sorted()
    for rule in limited {
      rows.append(["limit", "\(rule): awarded on " + (state.ruleAwards[rule] ?? []).map(\.description).joined(separator: ", ")])
    }
    var out = "\(style.bold(name))\(profileText(account.customer, tier: nil)) · \(shortTime(world.clock))\n"
    out += table(rows, indent: "  ")
    return out
  }

  // MARK: - :explain

  func explainText() throws(InputProblem) -> String {
    guard let last = world.last else { throw InputProblem("no outcome yet", help: "buy something first: `buy latte @ 4.50 coffee`") }
    let outcome = last.outcome
    var out = "\(style.bold(last.event == nil ? "period ends" : outcome.eventID)) \(style.name(last.customer)): \(last.input)\n"
    if let event = last.event {
      out += "  at \(shortTime(event.time))"
      if case .purchase = event.kind { out += ", paid \(outcome.amountPaid)" }
      if let tier = outcome.tierBefore { out += ", earning with tier \(tier)" }
      out += "\n"
    }
    if outcome.duplicate { return out + "  duplicate transaction id: nothing awarded, account unchanged\n" }
    var sources: [String] = []
    for award in outcome.awards where !sources.contains(award.source) { sources.append(award.source) }
    for source in sources {
      let awards = outcome.awards.filter { $0.source == source }
      let location = awards.first?.location.map { "  " + style.dim($0.description) } ?? ""
      out += "  \(style.name(source))\(location)\n"
      if let code = awards.first?.location.flatMap(sourceLine) { out += "    \(style.dim("| " + code))\n" }
      for award in awards {
        out += "    \(gain(award)): \(award.explanation)\n"
      }
    }
    if let program, let event = last.event {
      // A firing `multiply` rule gives no award of its own: it shows as `× 2 (rule)` in the
      // explanations of the awards it multiplied.
      let multipliers = program.rules.filter { rule in
        !sources.contains(rule.name) && outcome.awards.contains { $0.explanation.contains("(\(rule.name))") }
      }
      for rule in multipliers {
        out += "  \(style.name(rule.name))\(rule.location.map { "  " + style.dim($0.description) } ?? "")\n"
        if let code = rule.location.flatMap(sourceLine) { out += "    \(style.dim("| " + code))\n" }
        for case .multiply(let currency, let factor) in rule.effects where program.points.indices.contains(currency) {
          out += "    multiplied \(program.points[currency].name) by \(factor) (in the arithmetic above)\n"
        }
      }
      let silent = program.rules.filter { rule in
        guard !sources.contains(rule.name), !multipliers.contains(where: { $0.name == rule.name }) else { return false }
        switch (rule.trigger, event.kind) {
        case (.purchase, .purchase), (.signup, .signup): return true
        case (.custom(let a), .custom(let b)): return a == b
        default: return false
        }
      }
      if !silent.isEmpty {
        out += "  gave nothing: " + silent.map { style.name($0.name) }.joined(separator: ", ") + "\n"
        out += "    " + style.dim("(a condition was false, a limit was reached, or there was nothing to earn on)") + "\n"
      }
    }
    if outcome.awards.isEmpty { out += "  nothing awarded\n" }
    return out
  }

  /// The text of the line a location points at, from the session's sources.
  func sourceLine(_ location: SourceLocation) -> String? {
    guard let file = sources.first(where: { $0.path == location.path }), location.line >= 1,
          location.line <= file.lineStarts.count else { return nil }
    return file.lineText(location.line).trimmingCharacters(in: .whitespaces)
  }

  /// Credits the points an outcome released for other customers (a referral's, once its
  /// hold has passed) to those customers, as a till would; returns what to print.
  mutating func creditTransfers(_ outcome: Outcome) -> String {
    guard let program else { return "" }
    var out = ""
    for transfer in outcome.transfers {
      guard let receiver = world.accounts[transfer.customer] else {
        out += "  \(transfer.amount) \(transfer.currency) for \(transfer.customer), who is not a customer of this session (`:customer \(transfer.customer)` adds them)\n"
        continue
      }
      do {
        let credited = try program.credit(transfer, customer: receiver.customer, state: receiver.state)
        world.accounts[transfer.customer]?.state = credited.state
        out += "  → \(style.name(transfer.customer)) \(style.gain("+\(transfer.amount) \(transfer.currency)")) (\(transfer.rule): \(transfer.reason))\n"
      } catch {
        out += "  \(transfer.amount) \(transfer.currency) for \(transfer.customer) could not be credited: \(error.message)\n"
      }
    }
    return out
  }

  /// The latest rebate figures for the current customer from the session's history.
  func lastRebateFigures(_ rebate: String, customer: String?) -> RebateAward? {
    guard let customer else { return nil }
    for entry in history.reversed() {
      let outcomes: [Outcome]
      switch entry.kind {
      case .event: outcomes = entry.customer == customer ? [entry.outcome].compactMap { $0 } : []
      case .clock: outcomes = []
      }
      for outcome in outcomes {
        for award in outcome.awards.reversed() {
          if case .rebate(let r) = award.kind, r.rebate == rebate { return r }
        }
      }
    }
    return nil
  }

  /// A rate as a percentage written exactly: 0.035 → `3.5%`.
  func ratePercent(_ rate: ExactDecimal) -> String {
    var text = rate.description
    // ExactDecimal prints as a decimal; move the point two places by hand, never through Double.
    let negative = text.hasPrefix("-")
    if negative { text.removeFirst() }
    var parts = text.split(separator: ".", maxSplits: 1).map(String.init)
    if parts.count == 1 { parts.append("") }
    var fraction = parts[1] + "00"
    let whole = (parts[0] + fraction.prefix(2)).drop { $0 == "0" }
    fraction = String(fraction.dropFirst(2))
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return (negative ? "-" : "") + (whole.isEmpty ? "0" : String(whole)) + (fraction.isEmpty ? "" : "." + fraction) + "%"
  }
}
