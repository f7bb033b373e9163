/// Retention triggers at evaluation time: birthday and anniversary windows, first purchase,
/// referred customers, visit streaks, `reaches`, money cards and date-keyed limits.
///
/// Every date here is a local date of the program's time zone, so a window counts local
/// days whatever the DST changes in between.
extension LocalDate {
  /// This date's month and day in `year`; February 29 falls on February 28 in other years.
  package func occurrence(inYear year: Int) -> LocalDate {
    let (_, month, day) = components
    return LocalDate(year: year, month: month, day: min(day, LocalDate.daysIn(month: month, year: year)))
      ?? LocalDate(dayNumber: dayNumber)
  }

  /// The occurrence of this yearly date (a birthday, a signup anniversary) nearest to `day`:
  /// the one of `day`'s year, the year before or the year after; on a tie, the earlier one.
  package func nearestOccurrence(to day: LocalDate) -> LocalDate {
    let year = day.components.year
    var best = occurrence(inYear: year - 1)
    for candidate in [occurrence(inYear: year), occurrence(inYear: year + 1)] {
      if abs(candidate.dayNumber - day.dayNumber) < abs(best.dayNumber - day.dayNumber) { best = candidate }
    }
    return best
  }

  /// Whether `day` is at most `days` local days before or after the nearest occurrence.
  package func occurs(within days: Int64, of day: LocalDate) -> Bool {
    abs(nearestOccurrence(to: day).dayNumber - day.dayNumber) <= days
  }
}

extension TriggerState {
  /// Counts a visit on `day` towards the streak of consecutive ISO weeks.
  mutating func recordVisit(on day: LocalDate) {
    let week = day.startOfWeek
    switch lastVisitWeek {
    case week?: return
    case week.adding(days: -7)?: visitStreak += 1
    default: visitStreak = 1
    }
    lastVisitWeek = week
  }

  /// The streak in weeks ending with `day`'s week, counting a purchase on `day` when `purchase`.
  ///
  /// A week without a visit yet does not break the streak until it has ended: on a Tuesday
  /// with visits in each of the four weeks before, a non-purchase event reads 4 and a
  /// purchase reads 5.
  func streak(on day: LocalDate, purchase: Bool) -> Int64 {
    let week = day.startOfWeek
    guard let last = lastVisitWeek else { return purchase ? 1 : 0 }
    if last == week { return visitStreak }
    if last == week.adding(days: -7) { return purchase ? visitStreak + 1 : visitStreak }
    return purchase ? 1 : 0
  }
}

extension EvaluationContext {
  package func birthdayWithin(days: Int64) -> Bool { birthday?.occurs(within: days, of: today) ?? false }
  package func anniversaryWithin(days: Int64) -> Bool { signupDate?.occurs(within: days, of: today) ?? false }
  package var isFirstPurchase: Bool { isPurchase && purchaseCount == 0 }
  package var visitStreakWeeks: Int64 { triggers.streak(on: today, purchase: isPurchase) }

  /// Whether this event adds a visit: a purchase on a day without one yet.
  var addsVisit: Bool {
    guard isPurchase else { return false }
    if let frozen { return !frozen.visitedToday }
    if let last = ledger.last(where: { $0.date == today }), last.purchases > 0 { return false }
    return true
  }

  package func visitsAfterEvent(window: Int) -> Int64 { visits(window: window) + (addsVisit ? 1 : 0) }
  package func spendAfterEvent(window: Int) -> Int64 {
    isPurchase ? spend(window: window) &+ basketTotal(filter: nil) : spend(window: window)
  }
  package var purchasesSoFarAfterEvent: Int64 { purchasesSoFar + (isPurchase ? 1 : 0) }
}

extension EvaluationRun {
  /// Phase 8 (before the ledger update): cards that collect spend fill with the net amount
  /// paid for their lines; each full threshold gives the card's reward, the remainder stays.
  mutating func collectSpendCards() throws(EvaluationError) {
    for (cardIndex, card) in program.cards.enumerated() {
      guard case .spend(let filter) = card.collect, card.every > 0 else { continue }
      var spent: Int64 = 0
      for line in lines where line.matches(filter) {
        let (sum, overflow) = spent.addingReportingOverflow(line.netMinor)
        guard !overflow else { throw EvaluationError("spend on card `\(card.name)` overflows") }
        spent = sum
      }
      guard spent > 0 else { continue }
      let (total, overflow) = working.stamps[cardIndex].addingReportingOverflow(spent)
      guard !overflow else { throw EvaluationError("spend on card `\(card.name)` overflows") }
      let completed = total / card.every
      // One award per voucher: refuse an absurd count rather than build millions of awards.
      guard completed <= EvaluationRun.maximumCardRewardsPerEvent else {
        throw EvaluationError("card `\(card.name)` would give \(completed) rewards in one event (at most \(EvaluationRun.maximumCardRewardsPerEvent))")
      }
      working.stamps[cardIndex] = total % card.every
      let remainder = money(working.stamps[cardIndex])
      awards.append(Award(kind: .stamps(card: card.name, count: spent), source: card.name, location: card.location,
                          explanation: explain("\(money(spent)) collected; \(money(total)) on the card of \(money(card.every))"
                            + (completed > 0 ? ", \(completed) card\(completed == 1 ? "" : "s") completed, \(remainder) carried over" : ""))))
      guard completed > 0 else { continue }
      switch card.reward {
      case .voucher: giveCardVouchers(completed, card: cardIndex, filled: "\(money(card.every)) spent")
      case .reward(let index):
        let reward = program.rewards[index]
        for _ in 0..<completed {
          awards.append(Award(kind: .reward(name: reward.name, value: money(reward.worthMinor)), source: card.name,
                              location: card.location, explanation: explain("\(money(card.every)) spent")))
        }
      case .cheapestItemFree, .mostExpensiveItemFree:
        break  // the checker allows only vouchers and rewards on cards that collect spend
      }
    }
  }

  /// The most rewards a card that collects spend gives in one event (`every $1 spent` and a
  /// $10,000 basket is 10,000; a bigger count is an input mistake, reported as an error).
  static let maximumCardRewardsPerEvent: Int64 = 100_000

  /// One voucher per completed card.
  mutating func giveCardVouchers(_ completed: Int64, card: Int, filled: String) {
    EvaluationRun.giveCardVouchers(completed, card: card, program: program, filled: filled, today: today,
                                   explaining: options.explanations, awards: &awards)
  }

  /// The last day a voucher given today is valid (`valid for N days` or `N months`; nil: no end).
  static func voucherValidUntil(today: LocalDate, days: Int64?, months: Int?) -> LocalDate? {
    var until: LocalDate?
    if let days { until = today.adding(days: days) }
    if let months { until = today.adding(months: months) }
    return until
  }

  /// One voucher per completed card, explained (`filled` says how the card filled) when `explaining`.
  static func giveCardVouchers<Sink: AwardSink>(_ completed: Int64, card cardIndex: Int, program: Program,
                                                filled: @autoclosure () -> String, today: LocalDate, explaining: Bool,
                                                awards: inout Sink) {
    let card = program.cards[cardIndex]
    guard case .voucher(let name, let worth, let days, let months) = card.reward else { return }
    let until = voucherValidUntil(today: today, days: days, months: months)
    let value = Money(minorUnits: worth, currency: program.currency)
    for _ in 0..<completed {
      awards.add(Award(kind: .voucher(name: name, value: value, validUntil: until), source: card.name, location: card.location,
                       explanation: explaining ? "\(filled()): voucher \"\(name)\" worth \(value)" + (until.map { ", valid until \($0)" } ?? "") : ""),
                 filed: .voucher(source: program.rules.count + cardIndex, value: worth))
    }
  }


  /// `at most N per birthday` / `per signup anniversary`: earlier awards count when their
  /// nearest occurrence is the same as today's, so a window across 1 January is one period.
  static func withinDateLimit(_ limit: LimitSpec, awards: [LocalDate], today: LocalDate, customer: Customer) -> Bool {
    let anchor = limit.period == .birthday ? customer.birthday : customer.signupDate
    guard let anchor else { return true }
    let current = anchor.nearestOccurrence(to: today)
    let used = awards.filter { anchor.nearestOccurrence(to: $0) == current }.count
    return used < limit.count
  }
}

extension EvaluationRun {
  /// `on signup anniversary` and `on birthday` rules fire at the period end that starts the
  /// anniversary (birthday) day, after the period's settlements: their conditions see the
  /// account at that moment and no basket; their limits count like any rule's.
  mutating func fireDateRules(on day: LocalDate) throws(EvaluationError) {
    let year = day.components.year
    var kinds: [TriggerSpec] = []
    if let signup = customer.signupDate, signup < day, signup.occurrence(inYear: year) == day { kinds.append(.signupAnniversary) }
    if let birthday = customer.birthday, birthday < day, birthday.occurrence(inYear: year) == day { kinds.append(.birthday) }
    // Contact rules (Messages.swift) fire on the days their own timing gives.
    guard program.hasTimedContactRules || (!kinds.isEmpty && program.rules.contains(where: { kinds.contains($0.trigger) })) else { return }
    let context = EvaluationContext(
      program: program, lines: [], today: day, date: day.components, minuteOfDay: 0, weekday: day.weekday,
      customer: customer, store: nil, channel: nil, working: working, tierIndex: heldTier, isPurchase: false)
    var firing: [Int] = []
    for (index, rule) in program.rules.enumerated() where kinds.contains(rule.trigger) || firesByTime(rule, on: day) {
      if let condition = rule.condition, !condition(context) { continue }
      if !withinLimits(rule.limits, awards: working.ruleAwards[index]) { continue }
      if options.trace { trace.fired.insert(index) }
      firing.append(index)
    }
    guard !firing.isEmpty else { return }
    let balancesBefore = working.balances
    // Groups, budgets and caps apply as for any event (Stacking.swift); there is no basket to discount.
    try applyRules(firing)
    settleEarnedLots(since: balancesBefore)
    sendQueuedMessages(atPeriodEnd: true)
  }
}

extension AccountView {
  /// The visit streak as of the view's day, without an event (the REPL's probes).
  package var visitStreakWeeks: Int64 { working.triggers.streak(on: today, purchase: false) }
}
