/// Period ends: what happens between events as local days go by.
///
/// The end of local day D is processed at the start of day D + 1, in this order:
/// 1. held points whose hold ends on D + 1 are released (award `.released`);
/// 2. lots whose expiry day is D + 1 or earlier leave the balance (award `.expired`);
/// 3. tiers measured over calendar periods are reviewed when a period starts
///    (see ``EvaluationRun/reviewCalendarTier()``), scheduled `review`s run
///    (see ``EvaluationRun/reviewScheduledTier()``), and a tier whose keep date ended on D
///    lapses (see ``EvaluationRun/lapseKeptTier()``);
/// 4. the period-end hook runs for every day, week, month, quarter, year and anniversary
///    that ended with D (rebates settle there).
/// The state remembers the last processed day, so advancing twice to the same time, or an
/// event after an advance, processes nothing twice. Events are processed on their own day:
/// an event dated before the last processed day runs on its own day without going back.
extension Program {
  /// Runs every period end between the state's last processed day and the local day of `time`:
  /// releases held points, expires points, reviews calendar tiers and settles periods.
  ///
  /// `evaluate(_:customer:state:)` calls this first with the event's time; call it directly to
  /// bring an account up to date without an event (a nightly job, a statement).
  /// - Throws: ``EvaluationError`` when an amount overflows.
  public func advance(to time: Instant, customer: Customer, state: AccountState) throws(EvaluationError) -> Outcome {
    try advance(to: time, customer: customer, state: state, options: .full)
  }

  /// Like ``advance(to:customer:state:)``, computing only what `options` asks for (see
  /// ``EvaluationOptions``): the awards, balances and state are the same.
  /// - Throws: ``EvaluationError`` when an amount overflows.
  public func advance(to time: Instant, customer: Customer, state: AccountState,
                      options: EvaluationOptions) throws(EvaluationError) -> Outcome {
    var account = self.account(state)
    var outcome = try advance(to: time, customer: customer, account: &account, options: options)
    outcome.state = stateCarryingWorkingForm(of: account)
    return outcome
  }

  /// Like ``advance(to:customer:state:options:)`` on an ``Account``, which it updates. The
  /// returned outcome's own ``Outcome/state`` is empty: the new state is the account's.
  /// - Throws: ``EvaluationError`` when an amount overflows (the account is then left as it
  ///   was) or the account was made by another program.
  public func advance(to time: Instant, customer: Customer, account: inout Account,
                      options: EvaluationOptions) throws(EvaluationError) -> Outcome {
    try advance(to: time, customer: customer, account: &account, options: options, restoresOnError: true)
  }

  /// The period ends themselves; `restoresOnError` as in
  /// ``evaluate(_:customer:account:budgets:options:restoresOnError:)``.
  ///
  /// `identified` false is for a caller that never reads the outcome's ``Outcome/eventID``
  /// (the simulator, whose trace lines name no transaction for a period end): the id is then
  /// left empty unless a rule firing at these period ends reads it, which saves formatting a
  /// date on every month end. Everything else in the outcome and the account is the same.
  package func advance(to time: Instant, customer: Customer, account: inout Account,
                       options: EvaluationOptions, restoresOnError: Bool, identified: Bool = true) throws(EvaluationError) -> Outcome {
    try account.check(owner: self)
    let target = timeZone(for: customer).localTime(of: time).date
    let id = identified || firesRulesAtPeriodEnds ? "advance to \(target)" : ""
    let tierBefore = account.working.tier
    // Lots expiring cannot fail: nothing to keep for a restore.
    if let awards = expireLotsOnly(to: target, account: &account, options: options) {
      return Outcome(eventID: id, awards: awards, duplicate: false, balances: balancesByName(account.working.balances),
                     amountPaid: .zero(currency), tierBefore: tierBefore, tierAfter: account.working.tier, earned: [:],
                     budgetShortfalls: [])
    }
    // Copied only when asked: a copy of the working values retains each of their collections.
    var kept: WorkingState?
    if restoresOnError { kept = account.working }
    let event = Event(kind: .custom("period end"), id: id, time: time)
    var run = EvaluationRun(program: self, event: event, customer: customer, working: account.takeWorking())
    run.options = options
    do {
      try run.advance()
    } catch {
      account.working = kept ?? run.takeWorking()
      throw error
    }
    run.reconcileLots()
    run.compactLots()
    account.working = run.takeWorking()
    // The account holds the state: the outcome's is empty, with nothing to compare or box.
    var outcome = Outcome(eventID: id, awards: run.awards, duplicate: false, balances: balancesByName(account.working.balances),
                          amountPaid: .zero(currency), tierBefore: tierBefore, tierAfter: account.working.tier, earned: [:],
                          budgetShortfalls: [])
    if !run.transfers.released.isEmpty { outcome.transfers = run.transfers.released }
    if !run.messages.isEmpty { outcome.messages = run.messages }
    if !run.suppressedMessages.isEmpty { outcome.suppressedMessages = run.suppressedMessages }
    if options.trace { outcome.trace = run.trace }
    if options.tillFacts { addTillFacts(to: &outcome, state: state(of: account), customer: customer, today: target) }
    return outcome
  }

  /// The period ends up to `target` when they can only expire lots (``expiresLotsOnly(_:to:options:)``):
  /// the awards of the lots that expired, the account brought up to `target`. Nil, having changed
  /// nothing, when they can do more. The tier is unchanged either way it returns awards.
  package func expireLotsOnly(to target: LocalDate, account: inout Account, options: EvaluationOptions) -> [Award]? {
    guard account.owner === self, expiresLotsOnly(account.working, to: target, options: options) else { return nil }
    var awards: [Award] = []
    account.working.expireLots(through: target, program: self, awards: &awards)
    return awards
  }

  /// Whether the period ends up to `target` can only expire lots, so that ``WorkingState/expireLots(through:program:awards:)``
  /// gives what the general walk (`EvaluationRun.advance`) gives, without making a run: the
  /// program has a purchase plan (no holds, rebates, date or tier rules, calendar or scheduled
  /// tier reviews, contact rules), no keep lapses by `target`, the account holds no held points
  /// or transfers, and neither explanations, a trace nor till facts are asked for.
  ///
  /// Most period ends of a simulation are lots expiring; made as a run, each cost some 18,000
  /// instructions, most of them the run's making and unmaking.
  func expiresLotsOnly(_ working: borrowing WorkingState, to target: LocalDate, options: EvaluationOptions) -> Bool {
    guard purchasePlan != nil, !options.explanations, !options.trace, !options.tillFacts,
          let last = working.processedThrough, last < target, target.dayNumber - last.dayNumber <= EvaluationRun.longestGapDays,
          working.triggers.heldTransfers.isEmpty, !working.lots.contains(where: { $0.isPending }) else { return false }
    return working.nextKeepLapse(after: last, self).map { $0 > target } ?? true
  }

  /// Whether a rule can fire at a period end: date rules (birthdays, anniversaries, contact
  /// rules) and `on reaching tier` / `on losing tier`. Only a firing rule reads the period
  /// end's event id (the source of the lots it earns, a referral's transaction).
  var firesRulesAtPeriodEnds: Bool {
    rules.contains { rule in
      switch rule.trigger {
      case .tierReached, .tierLost: true
      default: rule.trigger.isPeriodEnd
      }
    }
  }

  /// The outcome of a refused event: the state exactly as given, the reason, no awards.
  func rejected(_ event: Event, _ reason: String, customer: Customer, state: AccountState,
                options: EvaluationOptions = .full) -> Outcome {
    var outcome = Outcome(eventID: event.id, awards: [], state: state, duplicate: false,
                          balances: balancesByName(points.map { state.balances[$0.name] ?? 0 }),
                          amountPaid: .zero(currency), tierBefore: state.tier, tierAfter: state.tier)
    outcome.rejection = reason
    if options.tillFacts { addTillFacts(to: &outcome, state: state, customer: customer, today: timeZone(for: customer).localTime(of: event.time).date) }
    return outcome
  }
}

/// A period that ended; handed to the period-end hook.
package struct EndedPeriod: Sendable, Hashable {
  /// Which kind of period.
  package enum Unit: Sendable, Hashable { case day, week, month, quarter, year, anniversary }
  package var unit: Unit
  /// The first and last local day of the period.
  package var first: LocalDate
  package var last: LocalDate
}

extension EvaluationRun {
  /// The longest stretch of days `advance` walks in one go: 100 years.
  static let longestGapDays: Int64 = 36_525

  /// Walks `today` from the day after the last processed day to the event's day, processing each day's start.
  mutating func advance() throws(EvaluationError) {
    let target = today
    defer { today = target }
    guard let last = working.processedThrough else {
      working.processedThrough = target
      return
    }
    guard last < target else { return }
    // Period ends are walked day by day; a gap longer than any real account's is a mistaken date
    // (year 9999 for 2026), refused so that it cannot stall the caller for minutes.
    guard target.dayNumber - last.dayNumber <= EvaluationRun.longestGapDays else {
      throw EvaluationError("\(target) is more than 100 years after the account was last brought up to date (\(last)); check the date")
    }
    var day = last
    // Lots are scanned only on days when one is due, so a long gap costs O(days + lots × due days).
    var due = nextLotDay()
    if !walksEveryDay {
      // Nothing happens on a day without a lot or a held transfer due: go from due day to due day.
      while true {
        var next = due
        for transfer in working.triggers.heldTransfers where next.map({ transfer.releaseOn < $0 }) ?? true {
          next = transfer.releaseOn
        }
        if let lapse = working.nextKeepLapse(after: day, program), next.map({ lapse < $0 }) ?? true { next = lapse }
        guard let first = next else { break }
        let nextDay = max(first, day.adding(days: 1))
        guard nextDay <= target else { break }
        day = nextDay
        today = day
        try startDay(day, due: &due)
      }
      working.processedThrough = target
      return
    }
    while day < target {
      day = day.adding(days: 1)
      today = day
      try startDay(day, due: &due)
    }
    working.processedThrough = target
  }

  /// Whether period ends must look at every day: rebates settle, date rules fire (birthdays,
  /// anniversaries) or a calendar tier is reviewed. Otherwise only days with a lot or a held
  /// transfer due, or the day after a keep date, do anything.
  var walksEveryDay: Bool {
    if !program.rebates.isEmpty { return true }
    if program.rules.contains(where: { $0.trigger.isPeriodEnd }) { return true }
    if let spec = program.tiers, program.windows.indices.contains(spec.window), program.windows[spec.window].reviewPeriod != nil {
      return true
    }
    if program.tiers?.review != nil { return true }
    return false
  }

  /// Processes the end of the day before `day`. `due` is the first day a lot is released or
  /// expires; lots are scanned only from that day on.
  mutating func startDay(_ day: LocalDate, due: inout LocalDate?) throws(EvaluationError) {
    let lotsDue = due.map { $0 <= day } ?? false
    if lotsDue { releaseHeldPoints(on: day) }
    releaseHeldTransfers()
    if lotsDue {
      expirePoints(on: day)
      due = nextLotDay()
    }
    let tierBefore = working.tier
    reviewCalendarTier()
    reviewScheduledTier()
    lapseKeptTier()
    let lotCount = working.lots.count
    let lastAmount = working.lots.isEmpty ? 0 : working.lots[lotCount - 1].amount
    // Only rebates settle at period ends; without them the calendar is not worked out day by day.
    if !program.rebates.isEmpty {
      for period in endedPeriods(before: day) { try settle(period) }
    }
    try fireTierRules(from: tierBefore, atPeriodEnd: true)
    sendQueuedMessages(atPeriodEnd: true)
    try fireDateRules(on: day)
    // Settlements, tier and date rules may have earned new lots.
    if working.lots.count != lotCount || (lotCount > 0 && working.lots[lotCount - 1].amount != lastAmount) { due = nextLotDay() }
  }

  /// The first day a lot is released or expires, if any.
  func nextLotDay() -> LocalDate? { working.nextLotDay(program) }

  mutating func releaseHeldPoints(on day: LocalDate) {
    for (index, spec) in program.points.enumerated() {
      var released: Int64 = 0
      var since: LocalDate?
      for i in working.lots.indices where working.lots[i].currency == spec.name {
        guard let until = working.lots[i].pendingUntil, until <= day else { continue }
        working.lots[i].pendingUntil = nil
        released += working.lots[i].amount
        since = since.map { min($0, working.lots[i].earned) } ?? working.lots[i].earned
        let before = working.balances[index]
        working.balances[index] += working.lots[i].amount
        // A negative balance is a debt that released points pay first.
        if before < 0 { working.lots[i].amount = max(0, min(working.lots[i].amount, working.balances[index])) }
      }
      working.lots.removeAll { $0.amount <= 0 }
      guard released > 0 else { continue }
      awards.append(Award(kind: .released(currency: spec.name, amount: released), source: spec.name, location: nil,
                          explanation: explain("\(released) \(spec.name) earned \(since.map(\.description) ?? "") released after the \(spec.holdDays)-day hold")))
    }
  }

  mutating func expirePoints(on day: LocalDate) {
    working.expirePoints(on: day, program: program, awards: &awards, explaining: options.explanations)
  }

  /// Why `amount` points earned from `earliest` to `latest` expired at the start of `day`.
  static func expiryExplanation(_ amount: Int64, of spec: PointsSpec, earliest: LocalDate, latest: LocalDate,
                                on day: LocalDate) -> String {
    let earned = earliest == latest ? "earned \(earliest)" : "earned \(earliest) to \(latest)"
    let why: String
    switch spec.expiry {
    case .inactivityMonths(let n)?: why = "after \(n) month\(n == 1 ? "" : "s") without a purchase"
    case .inactivityDays(let n)?: why = "after \(n) day\(n == 1 ? "" : "s") without a purchase"
    default: why = "at the end of \(day.adding(days: -1))"
    }
    return "\(amount) \(spec.name) \(earned) expired \(why)"
  }

  /// Calendar tiers (`this year`, `in calendar month`, `over last 12 calendar months`) are
  /// reviewed when their period starts:
  /// the tier reached in the period just ended is kept per the keep clause, counted from that
  /// period's last day, and a keep that only a since-returned spend had earned is withdrawn.
  /// Returns reduce the ledger but change no tier until this review.
  mutating func reviewCalendarTier() {
    guard let spec = program.tiers, !spec.levels.isEmpty,
          program.windows.indices.contains(spec.window),
          let period = program.windows[spec.window].reviewPeriod,
          period.start(of: today) == today else { return }
    let periodEnd = today.adding(days: -1)
    let previous = today
    today = periodEnd
    let reached = qualifiedTier() ?? 0
    let keep = keptUntil(reachedOn: periodEnd)
    today = previous
    if let keep {
      for level in spec.levels.indices {
        if level <= reached {
          // `keep for … from reaching`: a level still kept on the period's last day is not reached again.
          let reachedAgain = spec.extendsWhileKept || (working.keptUntil[level].map { $0 < periodEnd } ?? true)
          if reachedAgain, working.keptUntil[level].map({ $0 < keep }) ?? true { working.keptUntil[level] = keep }
        } else if working.keptUntil[level] == keep {
          // Reached during the period just ended, but returns took the spend back below the threshold.
          working.keptUntil[level] = nil
        }
      }
    }
    reviewTier()
  }

  /// The last day a level reached on `day` is kept (nil when kept only while qualified).
  func keptUntil(reachedOn day: LocalDate) -> LocalDate? {
    guard let spec = program.tiers else { return nil }
    switch spec.keep {
    case .qualifiedOnly: return nil
    case .forDays(let n): return day.adding(days: n)
    case .forMonths(let n): return day.adding(months: n)
    case .untilEndOfNext(let unit):
      switch unit {
      case .day: return day.adding(days: 1)
      case .week: return day.startOfWeek.adding(days: 13)
      case .month: return day.startOfMonth.adding(months: 2).adding(days: -1)
      case .year: return LocalDate(year: day.components.year + 1, month: 12, day: 31)
      }
    case .untilNextAnniversary:
      guard let signup = customer.signupDate else { return day.adding(months: 12) }
      var years = 1
      while signup.adding(months: 12 * years) <= day { years += 1 }
      return signup.adding(months: 12 * years)
    }
  }

  /// The periods that ended on the day before `day`.
  func endedPeriods(before day: LocalDate) -> [EndedPeriod] {
    let last = day.adding(days: -1)
    var ended = [EndedPeriod(unit: .day, first: last, last: last)]
    if day.weekday == 1 { ended.append(EndedPeriod(unit: .week, first: last.startOfWeek, last: last)) }
    let (_, month, dayOfMonth) = day.components
    if dayOfMonth == 1 {
      ended.append(EndedPeriod(unit: .month, first: last.startOfMonth, last: last))
      if (month - 1) % 3 == 0 { ended.append(EndedPeriod(unit: .quarter, first: last.startOfMonth.adding(months: -2), last: last)) }
      if month == 1 { ended.append(EndedPeriod(unit: .year, first: last.startOfYear, last: last)) }
    }
    if let signup = customer.signupDate, signup < day {
      let (sy, sm, sd) = signup.components
      let year = day.components.year
      // A February 29 signup has its anniversary on February 28 in common years.
      if year > sy, let anniversary = LocalDate(year: year, month: sm, day: min(sd, LocalDate.daysIn(month: sm, year: year))),
         anniversary == day {
        ended.append(EndedPeriod(unit: .anniversary, first: signup.adding(months: (year - sy - 1) * 12), last: last))
      }
    }
    return ended
  }

  /// The period-end hook: rebates settle the volume of a period here. Nothing to do without rebates.
  mutating func settle(_ period: EndedPeriod) throws(EvaluationError) {
    // Rebate periods are whole months from their own anchor day (fiscal years), so they are
    // found from each day's end rather than from the calendar periods listed here.
    if period.unit == .day { try settleRebates(through: period.last.adding(days: 1)) }
  }
}

extension WorkingState {
  /// The first day a lot of this state is released or expires, if any.
  func nextLotDay(_ program: Program) -> LocalDate? {
    var next: LocalDate?
    func consider(_ day: LocalDate?) {
      if let day, next.map({ day < $0 }) ?? true { next = day }
    }
    // Checked before every event: index loops read fields in place instead of copying each lot,
    // and a program whose points never expire looks only at held lots.
    let expiring = program.points.contains { $0.expiry != nil }
    // The previous lot's currency, compared first: neighbouring lots nearly always share it.
    var currency = -1
    for i in lots.indices {
      consider(lots[i].pendingUntil)
      guard expiring else { continue }
      if currency < 0 || program.points[currency].name != lots[i].currency {
        guard let index = program.points.firstIndex(where: { $0.name == lots[i].currency }) else { continue }
        currency = index
      }
      guard program.points[currency].expiry != nil else { continue }
      consider(program.points[currency].effectiveExpiry(expiresOn: lots[i].expiresOn, earned: lots[i].earned,
                                                        lastPurchase: lastPurchase))
    }
    return next
  }
}

// MARK: - Quiet accounts

extension Program {
  /// The first local day whose start could change `account` when period ends run; nil when the
  /// very next period end may (the account was never brought up to date, or a change is due
  /// at once).
  ///
  /// Advancing the account to the start of any day before the returned one only moves the day
  /// it was last brought up to date: no award, no balance, tier, stamp or lot changes, nothing
  /// released, and the advance at the next event (or a later period end) walks the skipped
  /// days exactly as the skipped advances would have. So a caller that brings many accounts to
  /// every month end (the simulator) may skip those before this day. Conservative by design:
  /// every source of a period-end change of ``EvaluationRun/startDay(_:due:)`` counts as due —
  /// the next lot release or expiry, the next held referral transfer, the next start of a
  /// calendar tier period, the next statement or settlement of a rebate period with volume, the
  /// next birthday and signup anniversary when a rule fires on them, the next day a contact
  /// rule's `after purchase` or `before … expire` falls due — and a skip never makes
  /// the gap the next advance walks longer than it allows.
  ///
  /// The tier held changes only when it is reviewed (on an event, at the start of a calendar
  /// tier period, or at a scheduled `review`) or when a keep date ends, so a rolling window that
  /// drops old spend does not change it at a period end in between.
  /// - Complexity: O(lots + held transfers + rebate periods with volume).
  package func quietUntil(customer: Customer, account: Account) -> LocalDate? {
    // Read in place: a copy of the working values retained each of their arrays, at every month end.
    guard let processed = account.working.processedThrough else { return nil }
    // The advance after a skip walks from `processed`; it must stay within the longest gap
    // (a month end is at most 31 days after the last skipped one).
    var due = processed.adding(days: EvaluationRun.longestGapDays - 31)
    func consider(_ day: LocalDate?) {
      if let day, day < due { due = day }
    }
    consider(account.working.nextLotDay(self))
    for transfer in account.working.triggers.heldTransfers { consider(transfer.releaseOn) }
    if let spec = tiers, !spec.levels.isEmpty, windows.indices.contains(spec.window),
       let period = windows[spec.window].reviewPeriod {
      // `last 12 calendar months` drops its oldest month at the start of each month.
      consider(period.start(period.start(of: processed), adding: 1))
    }
    // A scheduled review may lower the tier at its start.
    if let review = tiers?.review { consider(review.nextReview(after: processed, signup: customer.signupDate)) }
    // A kept tier lapses at the start of the day after its keep date.
    consider(account.working.nextKeepLapse(after: processed, self))
    for (index, spec) in rebates.enumerated() where index < account.working.rebates.count {
      consider(account.working.rebates[index].nextSettlementWork(spec))
    }
    func nextOccurrence(of date: LocalDate) -> LocalDate {
      // Date rules fire on an occurrence after the date itself (Triggers.swift).
      let after = max(processed, date)
      var year = after.components.year
      while date.occurrence(inYear: year) <= after { year += 1 }
      return date.occurrence(inYear: year)
    }
    if let birthday = customer.birthday, rules.contains(where: { $0.trigger == .birthday }) {
      consider(nextOccurrence(of: birthday))
    }
    if let signup = customer.signupDate, rules.contains(where: { $0.trigger == .signupAnniversary }) {
      consider(nextOccurrence(of: signup))
    }
    consider(nextContactDay(after: processed, working: account.working))
    return due > processed ? due : nil
  }
}

extension RebateAccount {
  /// The first statement, true-up or settlement day of a period with volume that ``Program/settle(_:account:through:)``
  /// has not issued yet; nil without volume. Settling on another day changes nothing but the day
  /// the account was processed through.
  func nextSettlementWork(_ spec: RebateSpec) -> LocalDate? {
    var next: LocalDate?
    func consider(_ day: LocalDate) {
      // A day already processed is issued no more; counting it anyway only makes the account due.
      if next.map({ day < $0 }) ?? true { next = day }
    }
    var periods: [LocalDate] = []
    for slice in slices {
      let start = spec.periodStart(of: slice.start, months: spec.periodMonths)
      if periods.last != start { periods.append(start) }
    }
    for start in periods {
      let settlement = spec.settlementDay(ofPeriodStartingAt: start)
      consider(settlement)
      // Statements and true-ups inside the period are due like its settlement.
      for months in [spec.statementMonths, spec.trueUp?.months].compactMap({ $0 }) {
        var end = spec.periodEnd(startingAt: spec.periodStart(of: start, months: months), months: months)
        while end < settlement {
          if end > start, processedThrough.map({ end > $0 }) ?? true {
            consider(end)
            break
          }
          end = spec.periodEnd(startingAt: end, months: months)
        }
      }
    }
    return next
  }
}

extension WorkingState {
  /// Takes the lots whose expiry has come by the start of `day` out of the balances, with an
  /// `expired` award per currency (explained when `explaining`).
  mutating func expirePoints(on day: LocalDate, program: Program, awards: inout [Award], explaining: Bool) {
    let lastPurchase = self.lastPurchase
    for index in program.points.indices where program.points[index].expiry != nil {
      // The spec is read in place and lots too (copying either out retains its strings), and
      // the lots due are found before any is moved: usually none, or the oldest few, removed in
      // one piece.
      let name = program.points[index].name
      func isDue(_ i: Int) -> Bool {
        guard lots[i].currency == name,
              let until = program.points[index].effectiveExpiry(expiresOn: lots[i].expiresOn, earned: lots[i].earned,
                                                                lastPurchase: lastPurchase) else { return false }
        return until <= day
      }
      var expired: Int64 = 0
      var earliest: LocalDate?
      var latest: LocalDate?
      var due: (first: Int, last: Int, count: Int)?
      for i in lots.indices where isDue(i) {
        due = (due?.first ?? i, i, (due?.count ?? 0) + 1)
        guard !lots[i].isPending else { continue }
        let earned = lots[i].earned
        expired += lots[i].amount
        earliest = earliest.map { min($0, earned) } ?? earned
        latest = latest.map { max($0, earned) } ?? earned
      }
      guard let due else { continue }
      if due.last - due.first + 1 == due.count {
        lots.removeSubrange(due.first...due.last)
      } else {
        // Scattered (several currencies): the lots kept move forward in their order.
        var keep = due.first
        for read in (due.first + 1)..<lots.count where !isDue(read) {
          lots.swapAt(keep, read)
          keep += 1
        }
        lots.removeSubrange(keep...)
      }
      guard expired > 0, let earliest, let latest else { continue }
      balances[index] -= expired
      awards.append(Award(kind: .expired(currency: name, amount: expired, date: day), source: name, location: nil,
                          explanation: !explaining ? "" : EvaluationRun.expiryExplanation(expired, of: program.points[index], earliest: earliest,
                                                                                          latest: latest, on: day)))
    }
  }

  /// The period ends from the day after `processedThrough` to `target` when only lots can
  /// expire (``Program/expiresLotsOnly(_:to:options:)``): each day a lot is due, as
  /// `EvaluationRun.startDay` runs it, then the lots reconciled and compacted as after any walk.
  mutating func expireLots(through target: LocalDate, program: Program, awards: inout [Award]) {
    var day = processedThrough ?? target
    var due = nextLotDay(program)
    while let first = due {
      let next = max(first, day.adding(days: 1))
      guard next <= target else { break }
      day = next
      // What releasing held points does without any: lots left empty go.
      if !program.points.isEmpty { lots.removeAll { $0.amount <= 0 } }
      expirePoints(on: day, program: program, awards: &awards, explaining: false)
      due = nextLotDay(program)
    }
    processedThrough = target
    reconcileLots(program, today: target)
    compactLots(program)
  }
}
