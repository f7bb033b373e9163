/// Contact: `send message` effects and the period ends that time them (`on 90 days after
/// purchase in category service`, `on 7 days before stars expire`).
///
/// A message is rendered once the event (or the period end) has been fully applied, so its
/// placeholders read the balances and tier the customer has after it.
extension EvaluationRun {
  /// A `send message` effect of a rule that fired, waiting to be rendered.
  struct QueuedMessage {
    var rule: Int
    var spec: MessageSpec
  }

  /// Renders every queued message into ``messages``, due at the run's day and minute (local
  /// midnight for a period end).
  mutating func sendQueuedMessages(atPeriodEnd: Bool) {
    guard !queuedMessages.isEmpty else { return }
    // Messages competing for the cap's last slots: the higher `priority` first, then file order.
    if program.contactPolicy.cap != nil {
      queuedMessages.sort { a, b in
        let (pa, pb) = (program.rules[a.rule].stacking.priority, program.rules[b.rule].stacking.priority)
        return pa != pb ? pa > pb : a.rule < b.rule
      }
    }
    for queued in queuedMessages {
      let rule = program.rules[queued.rule]
      var text = ""
      for part in queued.spec.parts {
        switch part {
        case .text(let piece): text += piece
        case .customer: text += customer.id
        case .tier: text += working.tier ?? program.tiers?.levels.first?.name ?? ""
        case .voucher:
          for case .voucher(let name, _, _, _) in rule.effects {
            text += name
            break
          }
        case .balance(let currency): text += "\(working.balances[currency])"
        case .expiring(let currency): text += "\(expiringAnnounced(rule: rule, currency: currency).amount)"
        case .expiryDate(let currency): text += "\(expiringAnnounced(rule: rule, currency: currency).date)"
        case .stampsToGo(let card):
          let spec = program.cards[card]
          let left = max(0, spec.every - working.stamps[card])
          if case .spend = spec.collect { text += "\(money(left))" } else { text += "\(left)" }
        }
      }
      var (day, minute) = (today, atPeriodEnd ? 0 : minuteOfDay)
      // `at 9:00`: the next 9:00 from the moment the rule fired.
      if let at = queued.spec.atMinute {
        if minute > at { day = day.adding(days: 1) }
        minute = at
      }
      let message = DueMessage(rule: rule.name, channel: queued.spec.channel, text: text, dueDate: day,
                               dueMinute: minute, reason: reason(for: rule))
      applyContactPolicy(to: message)
    }
    queuedMessages.removeAll()
  }

  /// Consent, then quiet hours, then the cap (ContactPolicy.swift): the message is listed to
  /// send (perhaps later) or as suppressed.
  mutating func applyContactPolicy(to due: DueMessage) {
    let policy = program.contactPolicy
    guard !policy.isEmpty else {
      messages.append(due)
      return
    }
    var message = due
    if let attribute = policy.consent[message.channel], !ContactPolicy.consents(customer.attributes[attribute]) {
      message.suppression = "no consent: attribute \(attribute) is not yes"
      suppressedMessages.append(message)
      return
    }
    // A receipt is printed at the till, whatever the hour.
    if message.channel != .receipt, let (day, minute) = policy.allowed(day: message.dueDate, minute: message.dueMinute) {
      message.deferredFrom = message.dueText
      message.dueDate = day
      message.dueMinute = minute
    }
    // A receipt is part of the visit, not a contact: it takes no slot of the cap.
    if message.channel != .receipt, let (count, unit) = policy.cap {
      let start = WorkingState.start(of: .calendar(unit), today: message.dueDate)
      // Days before the period of the earliest message still to come are never read again.
      let keepFrom = WorkingState.start(of: .calendar(unit), today: today)
      working.triggers.messageDays.removeAll { $0 < keepFrom }
      let sent = working.triggers.messageDays.reduce(Int64(0)) { $0 + ($1 >= start ? 1 : 0) }
      guard sent < count else {
        message.suppression = "cap: at most \(count) message\(count == 1 ? "" : "s") per \(unit.rawValue)"
        suppressedMessages.append(message)
        return
      }
      working.triggers.messageDays.append(message.dueDate)
    }
    messages.append(message)
  }

  /// Why a rule's message is due.
  func reason(for rule: RuleSpec) -> String {
    switch rule.trigger {
    case .purchase: "purchase \(event.id)"
    case .signup: "signup \(event.id)"
    case .custom(let name): "event \(name) \(event.id)"
    case .birthday: "birthday"
    case .signupAnniversary: "signup anniversary"
    case .afterPurchase(let days, let filter):
      "\(days) day\(days == 1 ? "" : "s") after the last purchase"
        + (filter.map { " of " + program.itemWords($0, plural: true) } ?? "")
        + (lastPurchase(for: rule).map { " on \($0)" } ?? "")
    case .beforeExpiry(let days, let currency):
      "\(expiringAnnounced(rule: rule, currency: currency).amount) \(program.points[currency].name) expire in \(days) day\(days == 1 ? "" : "s")"
    case .tierReached(let level): "reached tier \(program.tiers?.levels[level].name ?? "?")"
    case .tierLost(let level): "lost tier \(program.tiers?.levels[level].name ?? "?")"
    }
  }

  /// `on reaching tier …` and `on losing tier …` rules, when the tier held went from `before` to
  /// the account's tier now: after the event (or the day's reviews), with no basket.
  mutating func fireTierRules(from before: String?, atPeriodEnd: Bool) throws(EvaluationError) {
    guard before != working.tier, let levels = program.tiers?.levels else { return }
    let old = before.flatMap { name in levels.firstIndex { $0.name == name } } ?? -1
    let new = working.tier.flatMap { name in levels.firstIndex { $0.name == name } } ?? -1
    var firing: [Int] = []
    let context = EvaluationContext(
      program: program, lines: [], today: today, date: today.components, minuteOfDay: atPeriodEnd ? 0 : minuteOfDay,
      weekday: today.weekday, customer: customer, store: nil, channel: nil, working: working, tierIndex: new >= 0 ? new : nil,
      isPurchase: false)
    for (index, rule) in program.rules.enumerated() {
      switch rule.trigger {
      case .tierReached(let level) where old < level && new >= level: break
      case .tierLost(let level) where old >= level && new < level: break
      default: continue
      }
      if let condition = rule.condition, !condition(context) { continue }
      if !withinLimits(rule.limits, awards: working.ruleAwards[index]) { continue }
      if options.trace { trace.fired.insert(index) }
      firing.append(index)
    }
    guard !firing.isEmpty else { return }
    // No basket: the event's lines (if any) are set aside, so nothing is earned on them twice.
    var basket: [BasketLine] = []
    swap(&basket, &lines)
    defer { swap(&basket, &lines) }
    let balancesBefore = working.balances
    try applyRules(firing)
    settleEarnedLots(since: balancesBefore)
  }

  /// The last purchase an `after purchase` rule counts from: the last purchase with a matching
  /// line for a rule with a filter, the last purchase otherwise.
  func lastPurchase(for rule: RuleSpec) -> LocalDate? {
    guard case .afterPurchase(_, let filter) = rule.trigger else { return nil }
    return filter == nil ? working.lastPurchase : working.triggers.lastPurchaseFor[rule.name]
  }

  /// The points a `before … expire` rule announces on `today`: those expiring `days` after it.
  func expiringAnnounced(rule: RuleSpec, currency: Int) -> (amount: Int64, date: LocalDate) {
    guard case .beforeExpiry(let days, _) = rule.trigger else { return (0, today) }
    let day = today.adding(days: days)
    return (working.expiring(currency: currency, on: day, program: program), day)
  }

  /// Whether a contact period end of `rule` falls on the start of `day`.
  func firesByTime(_ rule: RuleSpec, on day: LocalDate) -> Bool {
    switch rule.trigger {
    case .afterPurchase(let days, _):
      guard let last = lastPurchase(for: rule) else { return false }
      return last.adding(days: days) == day
    case .beforeExpiry(let days, let currency):
      return working.expiring(currency: currency, on: day.adding(days: days), program: program) > 0
    default: return false
    }
  }

  /// A purchase with a line matching an `after purchase in …` rule's filter moves the day that
  /// rule counts from.
  mutating func notePurchaseForContact() {
    for index in program.filteredAfterPurchaseRules {
      let rule = program.rules[index]
      guard case .afterPurchase(_, let filter?) = rule.trigger, lines.contains(where: { $0.matches(filter) }) else { continue }
      working.triggers.lastPurchaseFor[rule.name] = today
    }
  }
}

extension WorkingState {
  /// Spendable points of a currency whose (effective) expiry day is `day`.
  func expiring(currency: Int, on day: LocalDate, program: Program) -> Int64 {
    let spec = program.points[currency]
    guard spec.expiry != nil else { return 0 }
    var amount: Int64 = 0
    for i in lots.indices where lots[i].currency == spec.name && !lots[i].isPending {
      if spec.effectiveExpiry(of: lots[i], lastPurchase: lastPurchase) == day { amount &+= lots[i].amount }
    }
    return amount
  }
}

extension Program {
  /// The first day after `processed` on which a contact period end of `rules` could fire for
  /// this account (``quietUntil(customer:account:)``).
  func nextContactDay(after processed: LocalDate, working: WorkingState) -> LocalDate? {
    var next: LocalDate?
    func consider(_ day: LocalDate) {
      if day > processed, next.map({ day < $0 }) ?? true { next = day }
    }
    for rule in rules {
      switch rule.trigger {
      case .afterPurchase(let days, let filter):
        let last = filter == nil ? working.lastPurchase : working.triggers.lastPurchaseFor[rule.name]
        if let last { consider(last.adding(days: days)) }
      case .beforeExpiry(let days, let currency):
        let spec = points[currency]
        for i in working.lots.indices where working.lots[i].currency == spec.name {
          if let until = spec.effectiveExpiry(of: working.lots[i], lastPurchase: working.lastPurchase) {
            consider(until.adding(days: -days))
          }
        }
      default: continue
      }
    }
    return next
  }
}
