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
/// modelled redemptions and every figure filed in `ledger`.
struct CustomerRun {
  let program: Program
  let settings: RunSettings
  /// The customer run (``restart(customer:)`` moves the run on to the next one).
  private(set) var customer: Customer
  /// The zone of the customer's calendar (``Program/timeZone(for:)``): their events are filed
  /// into their local months, and their month ends run at their local midnight.
  private(set) var zone: ProgramTimeZone
  /// The figures of the run's customers so far, this one's added as they come.
  var ledger: FigureLedger
  /// The customer's account, kept in the program's form between events.
  var account: Account
  /// The account's balances (by the program's currency index) and tier after the last
  /// accepted change: what the figures read.
  var balances: [Int64]
  /// The balances before that change (what its points movements are measured from).
  var balancesBefore: [Int64]
  var tier: String?
  /// The tier's index in the snapshots' tiers (``FigureLedger/tier(_:)``); nil without tiers.
  var tierIndex: Int?
  var cost: Int64 = 0
  var revenue: Int64 = 0
  var trace: [String] = []
  var random: SplitMix64
  /// The month whose end is the next snapshot (month index); nil before the first event.
  var nextMonthEnd: Int?
  /// The latest month with a purchase. Purchases come after the months before theirs are
  /// closed, so no month being closed is earlier than one that had a purchase: a month being
  /// closed was active exactly when it is this one.
  var latestActiveMonth: Int?
  /// Rebate periods accrued and not yet settled: their latest accrual.
  var openRebates: [RebatePeriod: RebateAward] = [:]
  /// By period, what settlements of a still open period paid (true-ups): the liability is the accrual less this.
  var paidRebates: [RebatePeriod: Int64] = [:]
  struct RebatePeriod: Hashable {
    var rebate: String
    var start: LocalDate
  }
  /// Referral transfers to credit to this account, in release order, and the next one due.
  var credits: [PointsTransfer] = []
  var nextCredit = 0
  /// True when the program's budgets are applied: events charge the ledger `step` is given.
  var sharedBudgets = false
  /// True: the account is updated in place and `accepted` kept for a rebuild after an error
  /// (only `run` does, whose log names its events by their index in `events`).
  /// False (every customer is alive at once, so no per-customer log): the pure form, which
  /// leaves the account as it was on an error.
  var updatesInPlace = true
  /// What changed the account so far, in order: replayed to rebuild it after a failed evaluation.
  var accepted: [AcceptedInput] = []
  /// An input by where to find it again (`event(at:)`, `credits`), so that the log holds no copy
  /// of an event: appending and freeing one is then a few words, not an event's every field.
  enum AcceptedInput {
    /// `event(at: index)`.
    case event(Int)
    /// The `count`th modelled redemption of `program.rewards[reward]` after `event(at: after)`
    /// (``CustomerRun/modelledRedemption(afterID:time:store:channel:count:reward:)``).
    case redemption(after: Int, count: Int, reward: Int)
    case advance(Instant)
    /// `credits[index]`.
    case credit(Int)
  }
  /// The history's events of this customer, as `run` was given them (empty when it was given
  /// `customerEvents`).
  var events: [Event] = []
  /// The customer's events as `run(_:credits:)` was given them, each made when needed; nil when
  /// `events` has them.
  var customerEvents: CustomerEvents?
  /// The index in `events` of the one being run (its modelled redemptions follow it).
  var eventIndex = 0
  /// The purchase the plan is given when `customerEvents` has the events (``runPlanned(_:budgets:)``):
  /// filled from the rows, its lines' storage kept from purchase to purchase.
  var plannedBasket = PlannedBasket()
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
  /// False for a purchase of the history no return names: it keeps no record for one
  /// (``EvaluationOptions/purchasesKeepingRecords(in:)``).
  var keepsReturnRecords = true

  init(program: Program, settings: RunSettings, customer: Customer, ledger: FigureLedger) {
    self.program = program
    self.settings = settings
    self.customer = customer
    zone = program.timeZone(for: customer)
    self.ledger = ledger
    account = program.account()
    balances = Array(repeating: 0, count: program.points.count)
    balancesBefore = balances
    random = CustomerRun.random(for: customer, settings: settings)
  }

  /// The customer's own draws of the modelled redemptions: the same whichever run they are in.
  static func random(for customer: Customer, settings: RunSettings) -> SplitMix64 {
    SplitMix64(seed: StableHash.of(customer.id) ^ (settings.seed &* 0x9E37_79B9_7F4A_7C15))
  }

  /// Readies the run for another customer of the same program and settings, as a new run
  /// with the ledger so far would be: the figures of the customer run before stay in the
  /// ledger, the rest starts again.
  ///
  /// A chunk of sparse customers (two or three events each) runs one of these rather than one
  /// per customer: the arrays emptied here keep their storage, the account is emptied in place
  /// (``Account/resetForNewCustomer()``), and the ledger is not moved in and out per
  /// customer, which cost a few allocations and frees of every customer.
  mutating func restart(customer: Customer) {
    self.customer = customer
    zone = program.timeZone(for: customer)
    account.resetForNewCustomer()
    for currency in balances.indices {
      balances[currency] = 0
      balancesBefore[currency] = 0
    }
    tier = nil
    tierIndex = nil
    cost = 0
    revenue = 0
    trace.removeAll(keepingCapacity: true)
    random = CustomerRun.random(for: customer, settings: settings)
    nextMonthEnd = nil
    latestActiveMonth = nil
    if !openRebates.isEmpty { openRebates.removeAll(keepingCapacity: true) }
    if !paidRebates.isEmpty { paidRebates.removeAll(keepingCapacity: true) }
    credits.removeAll(keepingCapacity: true)
    nextCredit = 0
    accepted.removeAll(keepingCapacity: true)
    events.removeAll(keepingCapacity: true)
    eventIndex = 0
    released.removeAll(keepingCapacity: true)
    keepsReturnRecords = true
  }

  /// The ``CustomerEvents`` `run` was given, moved out (nil is left): handed back to the caller
  /// to find the next customer's baskets in the same storage.
  mutating func takeCustomerEvents() -> CustomerEvents {
    customerEvents.take()!
  }

  /// The history's `index`th event of this customer: made again from their rows when `run`
  /// was given ``CustomerEvents`` (a replay, a modelled redemption's original).
  mutating func event(at index: Int) -> Event {
    customerEvents == nil ? events[index] : customerEvents!.event(index)
  }

  /// The ledger, moved out as the run ends (an empty one is left): a copy would retain each of
  /// its arrays, and the run's end release them again.
  mutating func takeLedger() -> FigureLedger {
    var taken = FigureLedger(program: program)
    swap(&taken, &ledger)
    return taken
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
    self.events = events
    customerEvents = nil
    // With a trace, every purchase of a customer with returns keeps its record, as before
    // records were kept for only some: an expiry's explanation names the earning days of the
    // lots it takes, and the lots of purchases without a record merge.
    let recorded: Set<String>? = !settings.trace ? EvaluationOptions.purchasesKeepingRecords(in: events)
      : events.contains { if case .return = $0.kind { true } else { false } } ? nil : []
    var unspent = BudgetLedger()
    for index in events.indices {
      eventIndex = index
      keepsReturnRecords = recorded.map { !$0.isEmpty && $0.contains(events[index].id) } ?? true
      step(events[index], budgets: &unspent)
    }
    finish()
  }

  /// ``run(_:credits:)`` of the customer's events found in a partition's rows, each made as
  /// the run reaches it: a long customer's run holds one event and its lines, not them all.
  mutating func run(_ events: consuming CustomerEvents, credits: [PointsTransfer] = []) {
    self.credits = credits
    self.events.removeAll(keepingCapacity: true)
    // Which purchases keep their record is found from the returns' baskets, before any event is made.
    let recorded: Set<String>? = !settings.trace ? events.purchasesKeepingRecords() : events.baskets.hasReturn ? nil : []
    let count = events.count
    customerEvents = consume events
    // A purchase the plan can take is read from the rows into `plannedBasket`, with no event made
    // (unless the plan declines it after all); a trace asks for the general evaluation.
    let plans = !settings.trace && program.hasPurchasePlan
    var unspent = BudgetLedger()
    for index in 0..<count {
      eventIndex = index
      if plans, let basket = customerEvents!.purchase(index) {
        let id = customerEvents!.purchaseID(basket)
        keepsReturnRecords = recorded.map { !$0.isEmpty && $0.contains(id) } ?? true
        if !keepsReturnRecords {
          customerEvents!.fill(&plannedBasket, with: basket, id: id, program: program)
          runPlanned(basket, budgets: &unspent)
          continue
        }
      }
      let event = customerEvents!.event(index)
      keepsReturnRecords = recorded.map { !$0.isEmpty && $0.contains(event.id) } ?? true
      step(event, budgets: &unspent)
    }
    finish()
  }

  /// Runs one event (after the credits released before it). `budgets` is the ledger shared by
  /// every customer when the program's budgets are applied; otherwise a fresh one per event.
  mutating func step(_ event: Event, budgets: inout BudgetLedger) {
    let date = reach(event.time)
    if sharedBudgets {
      process(event, date: date, modelled: false, budgets: &budgets)
    } else {
      var unspent = BudgetLedger()
      process(event, date: date, modelled: false, budgets: &unspent)
    }
  }

  /// ``step(_:budgets:)`` of the purchase in `plannedBasket` (`basket`, the `eventIndex`th
  /// event's): run as the plan, or made into its event for the general evaluation when the plan
  /// declines it.
  mutating func runPlanned(_ basket: EncodedBaskets.Basket, budgets: inout BudgetLedger) {
    let date = reach(plannedBasket.time)
    if sharedBudgets {
      runPlanned(basket, date: date, budgets: &budgets)
    } else {
      var unspent = BudgetLedger()
      runPlanned(basket, date: date, budgets: &unspent)
    }
  }

  private mutating func runPlanned(_ basket: EncodedBaskets.Basket, date: LocalDate, budgets: inout BudgetLedger) {
    if processPlanned(basket, date: date, month: CustomerRun.monthIndex(date), budgets: &budgets) { return }
    process(customerEvents!.event(eventIndex), date: date, modelled: false, triesPlan: false, budgets: &budgets)
  }

  /// Brings the run to an event at `time`: credits the transfers released by then and closes
  /// the months before its own. Returns its local day.
  mutating func reach(_ time: Instant) -> LocalDate {
    ledger.prepare()
    if tierIndex == nil { tierIndex = ledger.tier(tier) }
    while nextCredit < credits.count, creditInstant(credits[nextCredit]) <= time {
      credit(nextCredit)
      nextCredit += 1
    }
    let date = zone.localTime(of: time).date
    closeMonths(before: CustomerRun.monthIndex(date))
    return date
  }

  /// Credits what is left, closes every month to the period's end and counts the outstanding points.
  mutating func finish() {
    ledger.prepare()
    if tierIndex == nil { tierIndex = ledger.tier(tier) }
    while nextCredit < credits.count {
      credit(nextCredit)
      nextCredit += 1
    }
    closeMonths(before: CustomerRun.monthIndex(settings.to) + 1)
    for currency in balances.indices where balances[currency] != 0 { ledger.fileOutstanding(balances[currency], currency: currency) }
    fileRuleTally()
    for (period, rebate) in openRebates {
      let owed = rebate.amount.minorUnits &- paidRebates[period, default: 0]
      if owed != 0 { ledger.named.rebatesAccrued[rebate.rebate, default: 0] &+= owed }
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
      if latestActiveMonth == current { ledger.fileActive(month: current) }
      ledger.carry(balances: balances, tier: tierIndex, from: current, through: current)
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
  /// account: the balances and tier of now, carried in O(currencies) (``FigureLedger/carry``).
  mutating func carryQuietMonths(from first: Int, through last: Int) {
    // Purchases run after the months before theirs are closed, so of these months only the
    // first (the month of the last event) can have been active.
    if latestActiveMonth == first { ledger.fileActive(month: first) }
    ledger.carry(balances: balances, tier: tierIndex, from: first, through: last)
  }

  mutating func periodEnd(at instant: Instant, month: Int) {
    // Most month ends of a simulation only expire lots: filed from their awards, with no outcome
    // made (the tier stays as it is).
    if let awards = PeriodEnd.expireLotsOnly(program, to: instant, customer: customer, account: &account, options: evaluation) {
      keepBalancesAndTier(tierAfter: tier)
      file(awards, month: month, day: zone.localTime(of: instant).date.adding(days: -1), kind: .periodEnd)
      if updatesInPlace { accepted.append(.advance(instant)) }
      return
    }
    do {
      let outcome = try change { [program, evaluation, updatesInPlace] (account: inout Account, customer: Customer) throws(EvaluationError) in
        try PeriodEnd.advance(program, to: instant, customer: customer, account: &account, options: evaluation,
                              restoresOnError: !updatesInPlace)
      }
      file(outcome, month: month, day: zone.localTime(of: instant).date.adding(days: -1), kind: .periodEnd)
      if !outcome.transfers.isEmpty { released.append(contentsOf: outcome.transfers) }
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

  /// Credits `credits[index]`, a referral transfer released by another customer's account (see `ReferralCredits`).
  mutating func credit(_ index: Int) {
    let transfer = credits[index]
    let date = transfer.releaseOn
    closeMonths(before: CustomerRun.monthIndex(date))
    do {
      let outcome = try change { [program, updatesInPlace] (account: inout Account, customer: Customer) throws(EvaluationError) in
        try program.credit(transfer, customer: customer, account: &account, restoresOnError: !updatesInPlace)
      }
      guard !outcome.duplicate else { return }
      file(outcome, month: CustomerRun.monthIndex(date), day: date, kind: .earning)
      if !outcome.transfers.isEmpty { released.append(contentsOf: outcome.transfers) }
      if updatesInPlace { accepted.append(.credit(index)) }
      ledger.named.referralCredits += 1
      if settings.trace { traceLine(type: "referral_credit", id: transfer.creditID, time: creditInstant(transfer), outcome: outcome) }
    } catch {
      noteProblem("referral credit \(transfer.creditID): \(error.message)")
    }
  }

  /// Runs `event`: the history's `events[eventIndex]`, or (`modelled`) the redemption `modelledAs`
  /// says. `triesPlan: false` when the purchase plan already declined it.
  mutating func process(_ event: Event, date: LocalDate, modelled: Bool, modelledAs: AcceptedInput? = nil, triesPlan: Bool = true,
                        budgets: inout BudgetLedger) {
    let month = CustomerRun.monthIndex(date)
    if !modelled, triesPlan, processPlanned(event, date: date, month: month, budgets: &budgets) { return }
    var outcome: Outcome
    do {
      outcome = try change { [program, evaluation, updatesInPlace] (account: inout Account, customer: Customer) throws(EvaluationError) in
        try program.evaluate(event, customer: customer, account: &account, budgets: &budgets, options: evaluation,
                             restoresOnError: !updatesInPlace)
      }
    } catch {
      ledger.named.rejectedEvents += 1
      noteProblem("\(event.id): \(error.message)")
      return
    }
    if outcome.duplicate {
      ledger.named.duplicateEvents += 1
      return
    }
    if let rejection = outcome.rejection {
      ledger.named.rejectedEvents += 1
      if !modelled { noteProblem("\(event.id): \(rejection)") }
      return
    }
    var revenue: Int64 = 0
    var transaction = false
    let movement: Movement
    switch event.kind {
    case .purchase:
      revenue = countPurchase(event)
      latestActiveMonth = max(latestActiveMonth ?? month, month)
      transaction = true
      movement = .earning
    case .return:
      ledger.named.returns += 1
      transaction = true
      let value = event.lines.reduce(Int64(0)) { $0 &+ $1.unitPrice.minorUnits &* $1.quantity }
      ledger.named.revenue &-= value
      ledger.named.refunds &+= outcome.refunded?.minorUnits ?? 0
      revenue = -value
      self.revenue &-= value
      movement = .refund
    case .redemption:
      if modelled {
        ledger.named.modelledRedemptions += 1  // counted by `redeemByPolicy`, which makes them
      } else {
        ledger.named.historyRedemptions += 1
        transaction = true
        for award in outcome.awards {
          guard case .redeemed(let reward, _, _, let value) = award.kind else { continue }
          if let index = ledger.reward(reward) {
            ledger.fileRedeemed(reward: index, worth: value.minorUnits)
          } else {
            ledger.named.rewardsRedeemed[reward, default: 0] += 1
            ledger.named.rewardsRedeemedWorth[reward, default: 0] &+= value.minorUnits
          }
        }
      }
      movement = .redemption
    case .signup:
      ledger.named.signups += 1
      movement = .earning
    case .custom:
      ledger.named.customEvents += 1
      transaction = true
      movement = .earning
    }
    ledger.fileEvent(month: month, revenue: revenue, transaction: transaction)
    if updatesInPlace, !outcome.duplicate, outcome.rejection == nil { accepted.append(modelledAs ?? .event(eventIndex)) }
    // Most outcomes release nothing: appending an empty array still cost a call and a uniqueness check.
    if !outcome.transfers.isEmpty { released.append(contentsOf: outcome.transfers) }
    file(outcome, month: month, day: date, kind: movement)
    if settings.trace { traceLine(type: event.kind.typeName, name: event.kind.customName, id: event.id, time: event.time, outcome: outcome) }
    if !outcome.budgetShortfalls.isEmpty { noteBudgetShortfalls(outcome.budgetShortfalls, on: program.timeZone.localTime(of: event.time).date) }
    if !modelled, movement == .earning {
      redeemByPolicy(afterID: event.id, time: event.time, store: event.store, channel: event.channel, date: date, budgets: &budgets)
    }
  }

  /// Runs `event` as the program's purchase plan when the plan takes it (a purchase of the
  /// history, with no trace asked for): its awards are filed from the account's buffer, with no
  /// ``Outcome`` made. Returns false, having changed nothing, when the general evaluation is to
  /// run it. What is counted and filed is what `process` counts and files for the same purchase.
  mutating func processPlanned(_ event: Event, date: LocalDate, month: Int, budgets: inout BudgetLedger) -> Bool {
    let result: PlannedResult
    do {
      result = try program.purchasePlanned(event, customer: customer, account: &account, options: evaluation,
                                           restoresOnError: !updatesInPlace)
    } catch {
      return filePlannedError(error, id: event.id)
    }
    guard case .purchased(let purchase) = result else { return filePlannedDecline(result) }
    let revenue = countPurchase(event)
    filePlanned(purchase, revenue: revenue, date: date, month: month)
    redeemByPolicy(afterID: event.id, time: event.time, store: event.store, channel: event.channel, date: date, budgets: &budgets)
    return true
  }

  /// ``processPlanned(_:date:month:budgets:)`` of the purchase in `plannedBasket`, whose rows are
  /// `basket`'s: no ``Event`` is made for it.
  mutating func processPlanned(_ basket: EncodedBaskets.Basket, date: LocalDate, month: Int, budgets: inout BudgetLedger) -> Bool {
    let result: PlannedResult
    do {
      result = try program.purchasePlanned(&plannedBasket, customer: customer, account: &account, options: evaluation,
                                           restoresOnError: !updatesInPlace)
    } catch {
      return filePlannedError(error, id: plannedBasket.id)
    }
    guard case .purchased(let purchase) = result else { return filePlannedDecline(result) }
    ledger.named.purchases += 1
    if !ledger.sawEveryFilterName {
      customerEvents!.seeLineNames(of: basket, in: &ledger)
    }
    let revenue = plannedBasket.grossMinor
    countRevenue(revenue)
    filePlanned(purchase, revenue: revenue, date: date, month: month)
    redeemByPolicy(afterID: plannedBasket.id, time: plannedBasket.time, store: plannedBasket.store, channel: plannedBasket.channel,
                   date: date, budgets: &budgets)
    return true
  }

  /// Files a planned purchase that threw (the account rebuilt when it is updated in place).
  private mutating func filePlannedError(_ error: EvaluationError, id: String) -> Bool {
    if updatesInPlace { rebuildAccount() }
    ledger.named.rejectedEvents += 1
    noteProblem("\(id): \(error.message)")
    return true
  }

  /// Files a planned result other than a purchase: false when the plan declined it.
  private mutating func filePlannedDecline(_ result: PlannedResult) -> Bool {
    guard case .duplicate = result else { return false }
    ledger.named.duplicateEvents += 1
    return true
  }

  /// Files what a planned purchase (counted, its revenue `revenue`) gave.
  private mutating func filePlanned(_ purchase: PlannedPurchase, revenue: Int64, date: LocalDate, month: Int) {
    latestActiveMonth = max(latestActiveMonth ?? month, month)
    keepBalancesAndTier(tierAfter: purchase.tierAfter)
    ledger.fileEvent(month: month, revenue: revenue, transaction: true)
    if updatesInPlace { accepted.append(.event(eventIndex)) }
    let awards = account.plannedAwards
    file(awards.periodEnds, planned: awards.filed, month: month, day: date, kind: .earning)
  }

  /// Counts a purchase the account accepted (its revenue, returned, and the filter names it
  /// shows the report).
  mutating func countPurchase(_ event: Event) -> Int64 {
    ledger.named.purchases += 1
    if !ledger.sawEveryFilterName {
      for line in event.lines { ledger.see(category: line.category, sku: line.sku) }
    }
    let gross = event.lines.reduce(Int64(0)) { $0 &+ $1.unitPrice.minorUnits &* $1.quantity }
    countRevenue(gross)
    return gross
  }

  /// Adds a purchase's revenue to the figures.
  mutating func countRevenue(_ gross: Int64) {
    ledger.named.revenue &+= gross
    revenue &+= gross
  }

  /// Applies one change to the account (an evaluation, a period end, a credit) and keeps its
  /// balances and tier. After an error the account is as it was before the change: `body`
  /// restores it itself unless the run updates in place (it is passed `restoresOnError:
  /// !updatesInPlace`), and then the account is rebuilt from the accepted inputs, which spares
  /// a copy of the account per change.
  /// (`body` is lent the customer rather than capturing a copy of it per change.)
  mutating func change(_ body: (inout Account, Customer) throws(EvaluationError) -> Outcome) throws(EvaluationError) -> Outcome {
    let outcome: Outcome
    do {
      outcome = try body(&account, customer)
    } catch {
      if updatesInPlace { rebuildAccount() }
      throw error
    }
    if !outcome.duplicate, outcome.rejection == nil { keepBalancesAndTier(tierAfter: outcome.tierAfter) }
    return outcome
  }

  /// Keeps the account's balances after a change that was accepted (the ones before it stay
  /// in `balancesBefore`) and the tier it left.
  mutating func keepBalancesAndTier(tierAfter: String?) {
    // The outcome's balances are the account's (by name): read by index instead.
    swap(&balances, &balancesBefore)
    account.copyBalances(into: &balances)
    if tier != tierAfter || tierIndex == nil {
      tier = tierAfter
      tierIndex = ledger.tier(tier)
    }
  }

  /// Files an outcome's awards, balance movements and messages under the month and kinds.
  mutating func file(_ outcome: Outcome, month: Int, day: LocalDate, kind: Movement) {
    file(outcome.awards, month: month, day: day, kind: kind)
    guard !outcome.messages.isEmpty || !outcome.suppressedMessages.isEmpty else { return }
    // Messages sent cost what the program states per channel (`message costs $0.02 via sms`).
    ledger.fileMessages(of: outcome, month: month)
    let row = ledger.fileMonth(month)
    var dayCost: Int64 = 0
    for message in outcome.messages {
      guard let minor = program.contactPolicy.costs[message.channel], minor != 0 else { continue }
      ledger.fileCost(minor, kind: FigureLedger.messagesKind, source: ledger.source(message.rule), monthRow: row)
      cost &+= minor
      dayCost &+= minor
    }
    if dayCost != 0 { ledger.fileDayCost(dayCost, day: day.dayNumber) }
  }

  /// Files a change's awards — as awards, then by number (a planned purchase's,
  /// ``FiledAward``) — and balance movements (from `balancesBefore` to `balances`) under the
  /// month and kinds.
  mutating func file(_ awards: [Award], planned: [FiledAward] = [], month: Int, day: LocalDate, kind: Movement) {
    let row = ledger.fileMonth(month)
    var dayCost: Int64 = 0
    // Points expired and redeemed, by currency: most outcomes have neither.
    var expired: [Int64] = []
    var redeemed: [Int64] = []
    // By index: `for award in` copied each award (retaining its names) and released it again.
    for position in awards.indices {
      // One look-up per award: its source's number.
      let source = ledger.source(awards[position].source)
      if kind != .refund { ledger.countAward(source: source) }
      switch awards[position].kind {
      case .rebate(let rebate):
        // A rebate period's latest accrual is what it owes so far, until its settlement pays it.
        let period = RebatePeriod(rebate: rebate.rebate, start: rebate.periodStart)
        if rebate.phase == .settlement {
          openRebates[period] = nil
          paidRebates[period, default: 0] &+= rebate.amount.minorUnits
        } else {
          openRebates[period] = rebate
        }
      case .points(let currency, let amount, _):
        if amount != 0, ledger.layout!.anyUnvalued, let index = ledger.currency(currency), ledger.layout!.unvalued[index] {
          ledger.fileUnvalued(amount, source: source, currency: index)
          continue
        }
      case .expired(let currency, let amount, _):
        if let index = ledger.currency(currency) {
          if expired.isEmpty { expired = Array(repeating: 0, count: balances.count) }
          expired[index] &+= amount
        }
      case .redeemed(_, let currency, let cost, _):
        if let index = ledger.currency(currency) {
          if redeemed.isEmpty { redeemed = Array(repeating: 0, count: balances.count) }
          redeemed[index] &+= cost
        }
      default: break
      }
      guard let (costKind, minor) = AwardCost.costKindIndex(of: awards[position].kind), minor != 0 else { continue }
      ledger.fileCost(minor, kind: costKind, source: source, monthRow: row)
      if kind == .refund { ledger.named.returnsCost &+= minor }
      cost &+= minor
      dayCost &+= minor
    }
    // As above, for awards by number: a points award of a currency without a worth is counted,
    // the others are costed.
    for position in planned.indices {
      let award = planned[position]
      let source = ledger.source(filed: award.source)
      if kind != .refund { ledger.countAward(source: source) }
      if award.currency >= 0, award.points != 0, ledger.layout!.anyUnvalued, ledger.layout!.unvalued[Int(award.currency)] {
        ledger.fileUnvalued(award.points, source: source, currency: Int(award.currency))
        continue
      }
      guard award.costKind >= 0, award.costMinor != 0 else { continue }
      ledger.fileCost(award.costMinor, kind: Int(award.costKind), source: source, monthRow: row)
      if kind == .refund { ledger.named.returnsCost &+= award.costMinor }
      cost &+= award.costMinor
      dayCost &+= award.costMinor
    }
    if dayCost != 0 { ledger.fileDayCost(dayCost, day: day.dayNumber) }
    // Points movements: expiry and redemption from their awards; the rest of the balance change
    // is issuance (earning, releases of held points) or points taken back by a return, so the
    // roll-forward always ties to the balances.
    for currency in balances.indices {
      var flow = PointsFlow()
      flow.expired = expired.isEmpty ? 0 : expired[currency]
      flow.redeemed = redeemed.isEmpty ? 0 : redeemed[currency]
      let rest = (balances[currency] &- balancesBefore[currency]) &+ flow.expired &+ flow.redeemed
      if rest > 0 { flow.issued = rest } else { flow.clawedBack = -rest }
      if kind == .redemption, flow.redeemed == 0, rest < 0 {
        flow.redeemed = -rest
        flow.clawedBack = 0
      }
      guard flow != PointsFlow() else { continue }
      ledger.fileFlow(flow, currency: currency, monthRow: row)
    }
  }

  // MARK: - Modelled redemption

  /// The cheapest reward the balances can pay: (reward index, cost, currency index).
  func cheapestReward() -> (index: Int, cost: Int64, currency: Int)? {
    var best: (Int, Int64, Int)?
    for (index, reward) in program.rewards.enumerated() where reward.cost > 0 && balances.indices.contains(reward.currency) {
      guard balances[reward.currency] >= reward.cost else { continue }
      if best == nil || reward.cost < best!.1 { best = (index, reward.cost, reward.currency) }
    }
    return best
  }

  /// Models the redemptions the policy makes after a purchase (`id`, at `time`, in `store` and
  /// `channel`) or another earning event.
  mutating func redeemByPolicy(afterID id: String, time: Instant, store: String?, channel: String?, date: LocalDate,
                               budgets: inout BudgetLedger) {
    if case .none = settings.policy { return }
    if case .threshold(let n) = settings.policy {
      let total = balances.reduce(Int64(0), &+)
      guard total >= n else { return }
    }
    var count = 0
    while count < 10_000, let (index, _, currency) = cheapestReward() {
      if case .rate(let numerator, let denominator) = settings.policy, !random.chance(numerator, in: denominator) { return }
      count += 1
      let reward = program.rewards[index]
      let before = balances[currency]
      process(modelledRedemption(afterID: id, time: time, store: store, channel: channel, count: count, reward: index), date: date,
              modelled: true,
              modelledAs: .redemption(after: eventIndex, count: count, reward: index), budgets: &budgets)
      guard balances[currency] < before else { return }
      ledger.fileRedeemed(reward: index, worth: reward.worthMinor)
    }
  }

  /// The `count`th redemption the policy models after the event `id` (at `time`, in `store`
  /// and `channel`), of `program.rewards[reward]`.
  func modelledRedemption(afterID id: String, time: Instant, store: String?, channel: String?, count: Int, reward: Int) -> Event {
    Event(kind: .redemption(reward: program.rewards[reward].name), id: "\(id)~redeem\(count)", time: time, store: store,
          channel: channel)
  }

  /// Adds the rules' decisions the account counted (``RuleTally``) to the ledger.
  mutating func fileRuleTally() {
    // Read, filed and dropped before zeroing, so that the counts are zeroed in place.
    do {
      let counts = account.ruleTallyCounts
      guard !counts.isEmpty else { return }
      ledger.fileRuleTally(counts)
    }
    account.zeroRuleTally()
  }

  /// Rebuilds the account from what it accepted, with the pure forms of evaluation: they give
  /// exactly the states they gave the first time.
  mutating func rebuildAccount() {
    // The rebuilt account starts without the counts the old one kept.
    fileRuleTally()
    var rebuilt = AccountState()
    for input in accepted {
      switch input {
      case .event(let index):
        rebuilt = replayed(event(at: index), on: rebuilt)
      case .redemption(let after, let count, let reward):
        let original = event(at: after)
        rebuilt = replayed(modelledRedemption(afterID: original.id, time: original.time, store: original.store,
                                              channel: original.channel, count: count, reward: reward), on: rebuilt)
      case .advance(let instant):
        if let outcome = try? program.advance(to: instant, customer: customer, state: rebuilt, options: .amountsOnly) {
          rebuilt = outcome.state
        }
      case .credit(let index):
        if let outcome = try? program.credit(credits[index], customer: customer, state: rebuilt) { rebuilt = outcome.state }
      }
    }
    account = program.account(rebuilt)
    account.copyBalances(into: &balances)
    tier = rebuilt.tier
    tierIndex = ledger.tier(tier)
  }

  /// `state` after `event`, as the pure form evaluates it (unchanged if it throws).
  func replayed(_ event: Event, on state: AccountState) -> AccountState {
    var unspentBudgets = BudgetLedger()
    let outcome = try? program.evaluate(event, customer: customer, state: state, budgets: &unspentBudgets, options: .amountsOnly)
    return outcome?.state ?? state
  }

  /// Files the rules a budget refused: how many, and the first day each budget's period ran short.
  mutating func noteBudgetShortfalls(_ shortfalls: [BudgetShortfall], on date: LocalDate) {
    for shortfall in shortfalls {
      // `program`, or the rule's own budget (named by the rule).
      let name = shortfall.budget == "program" ? "program" : shortfall.rule
      ledger.named.budgetRefusals[name, default: 0] += 1
      let period = BudgetPeriods.start(of: program.budgetSpec(named: name)?.period, containing: date)
      let key = BudgetPeriods.key(budget: name, periodStart: period)
      ledger.named.budgetRanShort[key] = min(ledger.named.budgetRanShort[key] ?? .max, date.dayNumber)
    }
  }

  // MARK: - Problems and trace

  mutating func noteProblem(_ text: String) {
    var problem = Figures()
    problem.eventProblems = ["\(customer.id) \(text)"]
    ledger.named.add(problem)
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
