import PerkRuntime

/// Settings shared by every customer of a run.
package struct RunSettings: Sendable {
  package var policy: RedemptionPolicy
  package var seed: UInt64
  /// The first and last local day simulated (inclusive).
  package var from: LocalDate
  package var to: LocalDate
  package var trace: Bool
  /// True: month ends at which nothing is due are not run through the program (see
  /// `CustomerRun.closeMonths`); false only to check that skipping changes nothing.
  var skipsQuietPeriodEnds = true

  package init(policy: RedemptionPolicy, seed: UInt64, from: LocalDate, to: LocalDate, trace: Bool) {
    self.policy = policy
    self.seed = seed
    self.from = from
    self.to = to
    self.trace = trace
  }

  /// The same settings without the trace (a run whose figures are not reported).
  var untraced: RunSettings {
    var settings = self
    settings.trace = false
    return settings
  }
}

/// One customer's events, run through the program in time order, with month-end snapshots,
/// modelled redemptions and every figure added to `figures`.
struct CustomerRun {
  let program: Program
  let settings: RunSettings
  let customer: Customer
  /// The zone of the customer's calendar (``Program/timeZone(for:)``): their events are filed
  /// into their local months, and their month ends run at their local midnight.
  let zone: ProgramTimeZone
  var figures: Figures
  /// The customer's account, kept in the program's form between events.
  var account: Account
  /// The account's balances and tier after the last accepted change (what the figures read).
  var balances = NamedAmounts()
  var tier: String?
  var cost: Int64 = 0
  var revenue: Int64 = 0
  var trace: [String] = []
  var random: SplitMix64
  /// The month whose end is the next snapshot (month index); nil before the first event.
  var nextMonthEnd: Int?
  var activeMonths: Set<Int> = []
  /// Rebate periods accrued and not yet settled, by `rebate|period start`: their latest accrual.
  var openRebates: [String: RebateAward] = [:]
  /// By the same key, what settlements of a still open period paid (true-ups): the liability is the accrual less this.
  var paidRebates: [String: Int64] = [:]
  /// Referral transfers to credit to this account, in release order, and the next one due.
  var credits: [PointsTransfer] = []
  var nextCredit = 0
  /// True when the program's budgets are applied: events charge the ledger `step` is given.
  var sharedBudgets = false
  /// True: the account is updated in place and `accepted` kept for a rebuild after an error.
  /// False (every customer is alive at once, so no per-customer log): the pure form, which
  /// leaves the account as it was on an error.
  var updatesInPlace = true
  /// What changed the account so far, in order: replayed to rebuild it after a failed evaluation.
  var accepted: [AcceptedInput] = []
  enum AcceptedInput { case event(Event), advance(Instant), credit(PointsTransfer) }
  /// Referral transfers this account released to other customers (their referrers).
  var released: [PointsTransfer] = []
  /// Explanations only for the trace; the till's facts are never read.
  /// Rules' decisions are counted to say why a rule never fired (`fileRuleTally`).
  var evaluation: EvaluationOptions {
    var options = EvaluationOptions(explanations: settings.trace, tillFacts: false)
    options.tallies = true
    options.keepsReturnRecords = keepsReturnRecords
    return options
  }
  /// False when the customer's history has no returns: their purchases keep no records for one.
  var keepsReturnRecords = true

  init(program: Program, settings: RunSettings, customer: Customer, figures: Figures) {
    self.program = program
    self.settings = settings
    self.customer = customer
    zone = program.timeZone(for: customer)
    self.figures = figures
    account = program.account()
    random = SplitMix64(seed: StableHash.of(customer.id) ^ (settings.seed &* 0x9E37_79B9_7F4A_7C15))
  }

  static func monthIndex(_ date: LocalDate) -> Int {
    let c = date.components
    return c.year * 12 + c.month - 1
  }

  static func firstDay(ofMonth index: Int) -> LocalDate {
    let year = index >= 0 ? index / 12 : (index - 11) / 12
    return LocalDate(year: year, month: index - year * 12 + 1, day: 1) ?? LocalDate(dayNumber: 0)
  }

  var currency: Currency { program.currency }

  // MARK: - Running

  /// Runs the customer's events (already in time order) and the referral transfers credited to
  /// them (in release order), and closes every month to the period's end. A transfer is
  /// credited at the start of its release day, before that day's events.
  mutating func run(_ events: [Event], credits: [PointsTransfer] = []) {
    self.credits = credits
    keepsReturnRecords = events.contains { if case .return = $0.kind { true } else { false } }
    var unspent = BudgetLedger()
    for event in events { step(event, budgets: &unspent) }
    finish()
  }

  /// Runs one event (after the credits released before it). `budgets` is the ledger shared by
  /// every customer when the program's budgets are applied; otherwise a fresh one per event.
  mutating func step(_ event: Event, budgets: inout BudgetLedger) {
    while nextCredit < credits.count, creditInstant(credits[nextCredit]) <= event.time {
      credit(credits[nextCredit])
      nextCredit += 1
    }
    let date = zone.localTime(of: event.time).date
    closeMonths(before: CustomerRun.monthIndex(date))
    if sharedBudgets {
      process(event, date: date, modelled: false, budgets: &budgets)
    } else {
      var unspent = BudgetLedger()
      process(event, date: date, modelled: false, budgets: &unspent)
    }
  }

  /// Credits what is left, closes every month to the period's end and counts the outstanding points.
  mutating func finish() {
    while nextCredit < credits.count {
      credit(credits[nextCredit])
      nextCredit += 1
    }
    closeMonths(before: CustomerRun.monthIndex(settings.to) + 1)
    for (name, balance) in balances where balance != 0 { figures.outstanding[name, default: 0] &+= balance }
    fileRuleTally()
    for (key, rebate) in openRebates {
      let owed = rebate.amount.minorUnits &- paidRebates[key, default: 0]
      if owed != 0 { figures.rebatesAccrued[rebate.rebate, default: 0] &+= owed }
    }
  }

  /// Takes the month-end snapshots of every month before `month` not yet closed.
  ///
  /// A month end runs the period ends (`Program.advance`) only when something may be due by
  /// then: before the day `Program.quietUntil` gives, an advance would change nothing but the
  /// day the account was brought up to date (the next advance walks those days anyway), so
  /// those month ends only file their snapshot, all of them at once (`carryQuietMonths`).
  /// The cost of a customer then grows with their events and due days, not with the months of
  /// the period.
  mutating func closeMonths(before month: Int) {
    if nextMonthEnd == nil { nextMonthEnd = month }
    guard var current = nextMonthEnd else { return }
    let lastMonth = CustomerRun.monthIndex(settings.to)
    // Worked out when first needed after the account last changed.
    var quietKnown = false
    var quietUntil: LocalDate?
    while current < month {
      if settings.skipsQuietPeriodEnds {
        if !quietKnown {
          quietUntil = program.quietUntil(customer: customer, account: account)
          quietKnown = true
        }
        if let until = quietUntil, let last = lastQuietMonth(from: current, before: month, lastMonth: lastMonth, until: until) {
          carryQuietMonths(from: current, through: last)
          current = last + 1
          continue
        }
      }
      let endDay = current == lastMonth ? settings.to.adding(days: 1) : CustomerRun.firstDay(ofMonth: current + 1)
      periodEnd(at: zone.instant(of: endDay, secondOfDay: 0), month: current)
      quietKnown = false
      var snapshot = MonthFigures()
      snapshot.knownCustomers = 1
      if activeMonths.contains(current) { snapshot.activeCustomers = 1 }
      for (name, balance) in balances where balance != 0 { snapshot.closing[name] = balance }
      if !program.tierNames.isEmpty { snapshot.tiers[tier ?? "(none)"] = 1 }
      figures.months[current, default: MonthFigures()].add(snapshot)
      current += 1
    }
    nextMonthEnd = current
  }

  /// The last of the months `first..<month` whose end (the start of its next month's first day,
  /// or of the day after the period for the period's last month) comes before `until`; nil
  /// when the first one's does not. Month ends only grow, so the quiet ones come first.
  func lastQuietMonth(from first: Int, before month: Int, lastMonth: Int, until: LocalDate) -> Int? {
    // A month m other than the last ends on the first of m + 1: before `until` while m + 1 is
    // at most the month of the day before `until`.
    var last = min(month - 1, CustomerRun.monthIndex(until.adding(days: -1)) - 1)
    // The period's last month ends the day after the period, which can be earlier.
    if last + 1 == lastMonth, lastMonth < month, settings.to.adding(days: 1) < until { last = lastMonth }
    return last >= first ? last : nil
  }

  /// Files the snapshots of the months `first...last`, whose ends change nothing in the
  /// account: the balances and tier of now, carried in O(1) (`CarriedMonths`).
  mutating func carryQuietMonths(from first: Int, through last: Int) {
    // Purchases run after the months before theirs are closed, so of these months only the
    // first (the month of the last event) can have been active.
    assert(!activeMonths.contains { $0 > first && $0 <= last })
    if activeMonths.contains(first) { figures.months[first, default: MonthFigures()].activeCustomers += 1 }
    figures.carried.carry(balances: balances, tier: program.tierNames.isEmpty ? nil : tier ?? "(none)", from: first, through: last)
  }

  mutating func periodEnd(at instant: Instant, month: Int) {
    let before = balances
    do {
      let outcome = try change { [program, customer, evaluation, updatesInPlace] (account: inout Account) throws(EvaluationError) in
        try PeriodEnd.advance(program, to: instant, customer: customer, account: &account, options: evaluation,
                              restoresOnError: !updatesInPlace)
      }
      file(outcome, before: before, month: month, day: zone.localTime(of: instant).date.adding(days: -1), kind: .periodEnd)
      released.append(contentsOf: outcome.transfers)
      if updatesInPlace { accepted.append(.advance(instant)) }
      if settings.trace, !outcome.awards.isEmpty || !outcome.messages.isEmpty { traceLine(type: "period_end", id: nil, time: instant, outcome: outcome) }
    } catch {
      noteProblem("period end \(zone.localTime(of: instant).date): \(error.message)")
    }
  }

  enum Movement { case earning, redemption, refund, periodEnd }

  func creditInstant(_ transfer: PointsTransfer) -> Instant {
    zone.instant(of: transfer.releaseOn, secondOfDay: 0)
  }

  /// Credits a referral transfer released by another customer's account (see `ReferralCredits`).
  mutating func credit(_ transfer: PointsTransfer) {
    let date = transfer.releaseOn
    closeMonths(before: CustomerRun.monthIndex(date))
    let before = balances
    do {
      let outcome = try change { [program, customer, updatesInPlace] (account: inout Account) throws(EvaluationError) in
        try program.credit(transfer, customer: customer, account: &account, restoresOnError: !updatesInPlace)
      }
      guard !outcome.duplicate else { return }
      file(outcome, before: before, month: CustomerRun.monthIndex(date), day: date, kind: .earning)
      released.append(contentsOf: outcome.transfers)
      if updatesInPlace { accepted.append(.credit(transfer)) }
      figures.referralCredits += 1
      if settings.trace { traceLine(type: "referral_credit", id: transfer.creditID, time: creditInstant(transfer), outcome: outcome) }
    } catch {
      noteProblem("referral credit \(transfer.creditID): \(error.message)")
    }
  }

  mutating func process(_ event: Event, date: LocalDate, modelled: Bool, budgets: inout BudgetLedger) {
    let month = CustomerRun.monthIndex(date)
    let before = balances
    var outcome: Outcome
    do {
      outcome = try change { [program, customer, evaluation, updatesInPlace] (account: inout Account) throws(EvaluationError) in
        try program.evaluate(event, customer: customer, account: &account, budgets: &budgets, options: evaluation,
                             restoresOnError: !updatesInPlace)
      }
    } catch {
      figures.rejectedEvents += 1
      noteProblem("\(event.id): \(error.message)")
      return
    }
    if outcome.duplicate {
      figures.duplicateEvents += 1
      return
    }
    if let rejection = outcome.rejection {
      figures.rejectedEvents += 1
      if !modelled { noteProblem("\(event.id): \(rejection)") }
      return
    }
    var monthFigures = MonthFigures()
    let movement: Movement
    switch event.kind {
    case .purchase:
      figures.purchases += 1
      for line in event.lines {
        if !figures.categoriesSeen.contains(line.category), program.filters(category: line.category) {
          figures.categoriesSeen.insert(line.category)
        }
        if !figures.skusSeen.contains(line.sku), program.filters(sku: line.sku) { figures.skusSeen.insert(line.sku) }
      }
      monthFigures.transactions = 1
      let gross = event.lines.reduce(Int64(0)) { $0 &+ $1.unitPrice.minorUnits &* $1.quantity }
      figures.revenue &+= gross
      monthFigures.revenue = gross
      revenue &+= gross
      activeMonths.insert(month)
      movement = .earning
    case .return:
      figures.returns += 1
      monthFigures.transactions = 1
      let value = event.lines.reduce(Int64(0)) { $0 &+ $1.unitPrice.minorUnits &* $1.quantity }
      figures.revenue &-= value
      figures.refunds &+= outcome.refunded?.minorUnits ?? 0
      monthFigures.revenue = -value
      revenue &-= value
      movement = .refund
    case .redemption:
      if modelled {
        figures.modelledRedemptions += 1  // counted by `redeemByPolicy`, which makes them
      } else {
        figures.historyRedemptions += 1
        monthFigures.transactions = 1
        for case .redeemed(let reward, _, _, let value) in outcome.awards.map(\.kind) {
          figures.rewardsRedeemed[reward, default: 0] += 1
          figures.rewardsRedeemedWorth[reward, default: 0] &+= value.minorUnits
        }
      }
      movement = .redemption
    case .signup:
      figures.signups += 1
      movement = .earning
    case .custom:
      figures.customEvents += 1
      monthFigures.transactions = 1
      movement = .earning
    }
    figures.months[month, default: MonthFigures()].add(monthFigures)
    let settled = outcome
    if updatesInPlace, !outcome.duplicate, outcome.rejection == nil { accepted.append(.event(event)) }
    released.append(contentsOf: outcome.transfers)
    file(settled, before: before, month: month, day: date, kind: movement)
    if settings.trace { traceLine(type: event.kind.typeName, name: event.kind.customName, id: event.id, time: event.time, outcome: settled) }
    if !outcome.budgetShortfalls.isEmpty { noteBudgetShortfalls(outcome.budgetShortfalls, on: program.timeZone.localTime(of: event.time).date) }
    if !modelled, movement == .earning { redeemByPolicy(after: event, date: date, budgets: &budgets) }
  }

  /// Applies one change to the account (an evaluation, a period end, a credit) and keeps its
  /// balances and tier. After an error the account is as it was before the change: `body`
  /// restores it itself unless the run updates in place (it is passed `restoresOnError:
  /// !updatesInPlace`), and then the account is rebuilt from the accepted inputs, which spares
  /// a copy of the account per change.
  mutating func change(_ body: (inout Account) throws(EvaluationError) -> Outcome) throws(EvaluationError) -> Outcome {
    let outcome: Outcome
    do {
      outcome = try body(&account)
    } catch {
      if updatesInPlace { rebuildAccount() }
      throw error
    }
    if !outcome.duplicate, outcome.rejection == nil {
      balances = outcome.balances
      tier = outcome.tierAfter
    }
    return outcome
  }

  /// Files an outcome's awards and balance movements under the month and kinds.
  mutating func file(_ outcome: Outcome, before: NamedAmounts, month: Int, day: LocalDate, kind: Movement) {
    // The month's figures are taken out and added to in place: a new `MonthFigures` per outcome,
    // merged in afterwards, allocated its dictionaries on every event.
    var monthFigures = figures.months.removeValue(forKey: month) ?? MonthFigures()
    defer { figures.months[month] = monthFigures }
    var dayCost: Int64 = 0
    for award in outcome.awards {
      if kind != .refund { figures.awardsBySource[award.source, default: 0] &+= 1 }
      // A rebate period's latest accrual is what it owes so far, until its settlement pays it.
      if case .rebate(let rebate) = award.kind {
        let key = "\(rebate.rebate)|\(rebate.periodStart)"
        if rebate.phase == .settlement {
          openRebates[key] = nil
          paidRebates[key, default: 0] &+= rebate.amount.minorUnits
        } else {
          openRebates[key] = rebate
        }
      }
      if case .points(let currency, let amount, _) = award.kind, amount != 0,
         program.points.contains(where: { $0.name == currency && !$0.worthStated }) {
        figures.unvaluedPointsByRule[award.source, default: [:]][currency, default: 0] &+= amount
        continue
      }
      guard let (costKind, minor) = AwardCost.cost(of: award), minor != 0 else { continue }
      figures.costByKind[costKind, default: 0] &+= minor
      figures.costByRule[award.source, default: 0] &+= minor
      if kind == .refund { figures.returnsCost &+= minor }
      monthFigures.costByKind[costKind, default: 0] &+= minor
      cost &+= minor
      dayCost &+= minor
    }
    // Messages sent cost what the program states per channel (`message costs $0.02 via sms`).
    if !outcome.messages.isEmpty || !outcome.suppressedMessages.isEmpty {
      figures.messages.count(outcome, costs: program.contactPolicy.costs)
      monthFigures.messages.count(outcome, costs: program.contactPolicy.costs)
      for message in outcome.messages {
        guard let minor = program.contactPolicy.costs[message.channel], minor != 0 else { continue }
        figures.costByKind["messages", default: 0] &+= minor
        figures.costByRule[message.rule, default: 0] &+= minor
        monthFigures.costByKind["messages", default: 0] &+= minor
        cost &+= minor
        dayCost &+= minor
      }
    }
    if dayCost != 0 { figures.dailyCost[day.dayNumber, default: 0] &+= dayCost }
    // Points movements: expiry and redemption from their awards; the rest of the balance change
    // is issuance (earning, releases of held points) or points taken back by a return, so the
    // roll-forward always ties to the balances.
    var expired: [String: Int64] = [:]
    var redeemed: [String: Int64] = [:]
    for award in outcome.awards {
      switch award.kind {
      case .expired(let currency, let amount, _): expired[currency, default: 0] &+= amount
      case .redeemed(_, let currency, let cost, _): redeemed[currency, default: 0] &+= cost
      default: break
      }
    }
    func fileFlow(_ name: String, delta: Int64) {
      var flow = PointsFlow()
      flow.expired = expired[name] ?? 0
      flow.redeemed = redeemed[name] ?? 0
      let rest = delta &+ flow.expired &+ flow.redeemed
      if rest > 0 { flow.issued = rest } else { flow.clawedBack = -rest }
      if kind == .redemption, flow.redeemed == 0, rest < 0 {
        flow.redeemed = -rest
        flow.clawedBack = 0
      }
      guard flow != PointsFlow() else { return }
      figures.points[name, default: PointsFlow()].add(flow)
      monthFigures.points[name, default: PointsFlow()].add(flow)
    }
    for (name, after) in outcome.balances { fileFlow(name, delta: after &- (before[name] ?? 0)) }
    for (name, was) in before where outcome.balances[name] == nil { fileFlow(name, delta: 0 &- was) }
  }

  // MARK: - Modelled redemption

  /// The cheapest reward of each currency: (reward index, cost).
  func cheapestReward() -> (index: Int, cost: Int64, currency: String)? {
    var best: (Int, Int64, String)?
    for (index, reward) in program.rewards.enumerated() where reward.cost > 0 && program.points.indices.contains(reward.currency) {
      let name = program.points[reward.currency].name
      let balance = balances[name] ?? 0
      guard balance >= reward.cost else { continue }
      if best == nil || reward.cost < best!.1 { best = (index, reward.cost, name) }
    }
    return best
  }

  mutating func redeemByPolicy(after event: Event, date: LocalDate, budgets: inout BudgetLedger) {
    if case .none = settings.policy { return }
    if case .threshold(let n) = settings.policy {
      let total = balances.reduce(Int64(0)) { $0 &+ $1.amount }
      guard total >= n else { return }
    }
    var count = 0
    while count < 10_000, let (index, _, currencyName) = cheapestReward() {
      if case .rate(let numerator, let denominator) = settings.policy, !random.chance(numerator, in: denominator) { return }
      count += 1
      let reward = program.rewards[index]
      let redemption = Event(kind: .redemption(reward: reward.name), id: "\(event.id)~redeem\(count)", time: event.time,
                             store: event.store, channel: event.channel)
      let before = balances[currencyName] ?? 0
      process(redemption, date: date, modelled: true, budgets: &budgets)
      guard (balances[currencyName] ?? 0) < before else { return }
      figures.rewardsRedeemed[reward.name, default: 0] += 1
      figures.rewardsRedeemedWorth[reward.name, default: 0] &+= reward.worthMinor
    }
  }

  /// Adds the rules' decisions the account counted (``RuleTally``) to `figures`, by rule name.
  mutating func fileRuleTally() {
    let tally = account.takeRuleTally()
    guard !tally.isEmpty else { return }
    for (index, rule) in program.rules.enumerated() {
      for outcome in RuleTally.Outcome.allCases {
        let count = tally.count(outcome, rule: index)
        if count > 0 { figures.ruleTallies[rule.name, default: [:]][NeverFiredReason.key(outcome), default: 0] &+= count }
      }
    }
  }

  /// Rebuilds the account from what it accepted, with the pure forms of evaluation: they give
  /// exactly the states they gave the first time.
  mutating func rebuildAccount() {
    // The rebuilt account starts without the counts the old one kept.
    fileRuleTally()
    var rebuilt = AccountState()
    for input in accepted {
      switch input {
      case .event(let event):
        var unspentBudgets = BudgetLedger()
        if let outcome = try? program.evaluate(event, customer: customer, state: rebuilt, budgets: &unspentBudgets, options: .amountsOnly) {
          rebuilt = outcome.state
        }
      case .advance(let instant):
        if let outcome = try? program.advance(to: instant, customer: customer, state: rebuilt, options: .amountsOnly) {
          rebuilt = outcome.state
        }
      case .credit(let transfer):
        if let outcome = try? program.credit(transfer, customer: customer, state: rebuilt) { rebuilt = outcome.state }
      }
    }
    account = program.account(rebuilt)
    balances = NamedAmounts(rebuilt.balances)
    tier = rebuilt.tier
  }

  /// Files the rules a budget refused: how many, and the first day each budget's period ran short.
  mutating func noteBudgetShortfalls(_ shortfalls: [BudgetShortfall], on date: LocalDate) {
    for shortfall in shortfalls {
      // `program`, or the rule's own budget (named by the rule).
      let name = shortfall.budget == "program" ? "program" : shortfall.rule
      figures.budgetRefusals[name, default: 0] += 1
      let period = BudgetPeriods.start(of: program.budgetSpec(named: name)?.period, containing: date)
      let key = BudgetPeriods.key(budget: name, periodStart: period)
      figures.budgetRanShort[key] = min(figures.budgetRanShort[key] ?? .max, date.dayNumber)
    }
  }

  // MARK: - Problems and trace

  mutating func noteProblem(_ text: String) {
    var problem = Figures()
    problem.eventProblems = ["\(customer.id) \(text)"]
    figures.add(problem)
  }

  /// One trace line (docs/interchange.md#trace-line): the outcome in `perk eval`'s vocabulary
  /// and format, with the customer, their stamps and what each award costs in the report.
  mutating func traceLine(type: String, name: String? = nil, id: String?, time: Instant, outcome: Outcome) {
    guard case .object(var line) = program.outcomeJSON(outcome, type: type, name: name, time: time, customer: customer),
          case .array(let awardObjects)? = line["awards"] else { return }
    var awards: [JSONOutput] = []
    for (award, object) in zip(outcome.awards, awardObjects) {
      guard case .object(var fields) = object else { continue }
      if let (costKind, minor) = AwardCost.cost(of: award) {
        fields["cost_kind"] = .string(costKind)
        // Points without a stated worth cost an unknown amount, not zero (their `value_minor` is null too).
        fields["cost_minor"] = fields["value_minor"] == .null ? .null : .integer(minor)
      }
      awards.append(.object(fields))
    }
    line["awards"] = .array(awards)
    line["format"] = .string(InterchangeFormat.traceLine)
    line["customer"] = .string(customer.id)
    line["txn"] = id.map { .string($0) } ?? .null
    var stamps: [String: JSONOutput] = [:]
    for (name, value) in program.state(of: account).stamps { stamps[name] = .integer(value) }
    if !stamps.isEmpty { line["stamps"] = .object(stamps) }
    trace.append(JSONOutput.object(line).compactRendered())
  }
}
