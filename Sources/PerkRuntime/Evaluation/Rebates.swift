import PerkSource

// Volume rebates: accrual on purchases and returns, statements and settlement at period ends.
//
// Every amount is computed exactly as a fraction of minor units (volume × rate, `Int128`)
// and rounded once, as the rebate's `round` clause says (half even to the minor unit by default),
// on the period's total (brackets plus growth).

/// The figures of one rebate for one measure period's volume.
struct RebateFigures {
  var volume: Int64
  /// The exact amount is `numerator / denominator` minor units.
  var numerator: Int128
  var denominator: Int128
  /// The amount rounded as the rebate says (`rounding`).
  var amount: Int64
  /// The bracket reached (retroactive) or the marginal bracket (incremental).
  var bracket: Int?
  /// The next bracket above the volume.
  var next: Int?
  /// Growth: the previous period's volume, or nil when there is no previous period.
  var baseline: Int64?
  var growthNumerator: Int128 = 0
  var bracketNumerator: Int128 = 0
}

extension RebateSpec {
  /// Computes the rebate on `volume` (negative volume counts as zero), with growth against `baseline`.
  func figures(volume: Int64, baseline: Int64?) throws(EvaluationError) -> RebateFigures {
    let counted = max(0, volume)
    // One common denominator 10^scale for every rate, so brackets and growth add exactly.
    var scale = growthRate?.scale ?? 0
    for bracket in brackets { scale = max(scale, bracket.rate.scale) }
    guard scale <= 30 else { throw EvaluationError("rates of rebate `\(name)` have too many decimals") }
    var denominator: Int128 = 1
    for _ in 0..<scale { denominator *= 10 }
    func scaled(_ rate: ExactDecimal) throws(EvaluationError) -> Int128 {
      var value = Int128(rate.significand)
      for _ in 0..<(scale - rate.scale) {
        let (m, o) = value.multipliedReportingOverflow(by: 10)
        guard !o else { throw EvaluationError("rates of rebate `\(name)` overflow") }
        value = m
      }
      return value
    }
    func product(_ amount: Int64, _ rate: Int128) throws(EvaluationError) -> Int128 {
      let (m, o) = Int128(amount).multipliedReportingOverflow(by: rate)
      guard !o else { throw EvaluationError("rebate `\(name)` overflows") }
      return m
    }
    func sum(_ a: Int128, _ b: Int128) throws(EvaluationError) -> Int128 {
      let (s, o) = a.addingReportingOverflow(b)
      guard !o else { throw EvaluationError("rebate `\(name)` overflows") }
      return s
    }

    var reached: Int?
    for (index, bracket) in brackets.enumerated() where counted >= bracket.fromMinor { reached = index }
    let next = brackets.indices.first { brackets[$0].fromMinor > counted }
    var bracketPart: Int128 = 0
    if let reached {
      switch mode {
      case .retroactive:
        bracketPart = try product(counted, scaled(brackets[reached].rate))
      case .incremental:
        for index in 0...reached {
          let top = index < reached ? brackets[index + 1].fromMinor : counted
          bracketPart = try sum(bracketPart, product(top - brackets[index].fromMinor, scaled(brackets[index].rate)))
        }
      }
    }
    var growthPart: Int128 = 0
    if let rate = growthRate, let baseline, counted > baseline {
      let (above, o) = counted.subtractingReportingOverflow(max(0, baseline))
      guard !o else { throw EvaluationError("rebate `\(name)` overflows") }
      growthPart = try product(above, scaled(rate))
    }
    let total = try sum(bracketPart, growthPart)
    guard let amount = rounding.divide(total, by: denominator) else {
      throw EvaluationError("rebate `\(name)` overflows")
    }
    return RebateFigures(volume: volume, numerator: total, denominator: denominator, amount: amount, bracket: reached,
                         next: next, baseline: growthRate == nil ? nil : baseline, growthNumerator: growthPart,
                         bracketNumerator: bracketPart)
  }

  /// The rebate's state of affairs as an award of the given phase.
  /// `toDate`: a true-up, whose text says what the volume to date earns rather than what is paid.
  /// `explaining: false` leaves the explanation empty (an accrual on every purchase of a bulk run).
  func award(_ phase: RebateAward.Phase, periodStart: LocalDate, figures: RebateFigures, currency: Currency,
             lead: @autoclosure () -> String, toDate: Bool = false, explaining: Bool = true) -> Award {
    func money(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: currency) }
    let end = periodEnd(startingAt: periodStart, months: periodMonths).adding(days: -1)
    let rate = figures.bracket.map { brackets[$0].rate }
    let kind = Award.Kind.rebate(RebateAward(phase: phase, rebate: name, periodStart: periodStart, periodEnd: end,
                                             volume: money(figures.volume), amount: money(figures.amount), rate: rate,
                                             nextThreshold: figures.next.map { money(brackets[$0].fromMinor) }))
    guard explaining else { return Award(kind: kind, source: name, location: location, explanation: "") }
    let label = periodLabel(startingAt: periodStart, months: periodMonths)
    // Terms that add up to the amount, and notes that explain a zero.
    var parts: [String] = []
    var notes: [String] = []
    let counted = max(0, figures.volume)
    if !brackets.isEmpty {
      if let index = figures.bracket {
        let bracket = brackets[index]
        let from = bracket.fromMinor > 0 ? ", from \(money(bracket.fromMinor))" : ""
        switch mode {
        case .retroactive:
          parts.append("\(percent(bracket.rate)) of \(money(counted)) (retroactive\(from))")
        case .incremental:
          parts.append("\(exactMoney(figures.bracketNumerator, figures.denominator, currency)) (incremental, \(percent(bracket.rate)) above \(money(bracket.fromMinor)))")
        }
      } else {
        notes.append("below \(money(brackets[0].fromMinor)) nothing is paid")
      }
    }
    if let growth = growthRate {
      if let baseline = figures.baseline {
        let above = max(0, counted - max(0, baseline))
        let previous = periodLabel(startingAt: self.periodStart(of: periodStart.adding(days: -1), months: periodMonths), months: periodMonths)
        parts.append("growth \(percent(growth)) of \(money(above)) above \(money(max(0, baseline))) in \(previous)")
      } else {
        notes.append("no growth rebate in a first period (nothing to compare with)")
      }
    }
    var text = "\(lead())\(money(figures.volume)) net spend in \(label): "
    switch phase {
    case .accrual, .statement: text += "accrued \(money(figures.amount)) so far"
    case .settlement: text += toDate ? "earns \(money(figures.amount)) to date" : "rebate \(money(figures.amount))"
    }
    if !parts.isEmpty { text += " = " + parts.joined(separator: " + ") }
    if figures.numerator % (figures.denominator * Int128(rounding.unitMinor)) != 0 {
      let unit = rounding.unitMinor > 1 ? " to \(money(rounding.unitMinor))" : ""
      text += " = \(exactMoney(figures.numerator, figures.denominator, currency)) rounded \(rounding.mode.rawValue)\(unit)"
    }
    for note in notes { text += "; " + note }
    if phase != .settlement, let next = figures.next {
      text += "; \(money(brackets[next].fromMinor - max(0, figures.volume))) more to reach \(percent(brackets[next].rate))"
    }
    return Award(kind: kind, source: name, location: location, explanation: text)
  }

  func percent(_ rate: ExactDecimal) -> String {
    guard rate.scale < 2 else { return ExactDecimal(significand: rate.significand, scale: rate.scale - 2).description + "%" }
    var significand = rate.significand
    for _ in rate.scale..<2 { significand = significand.multipliedReportingOverflow(by: 10).partialValue }
    return ExactDecimal(significand: significand, scale: 0).description + "%"
  }

  /// An exact amount of `numerator / denominator` minor units, with as many decimals as it needs (up to 6 more).
  private func exactMoney(_ numerator: Int128, _ denominator: Int128, _ currency: Currency) -> String {
    if numerator % denominator == 0, let minor = Int64(exactly: numerator / denominator) {
      return Money(minorUnits: minor, currency: currency).description
    }
    var scaled = denominator
    for _ in 0..<currency.minorDigits { scaled *= 10 }
    let text = EvaluationRun.decimalText(numerator, scaled)
    return text.hasPrefix("-") ? "-" + currency.symbol + text.dropFirst() : currency.symbol + text
  }
}

extension RebateAccount {
  /// The total volume of the slices in `[start, end)`.
  func volume(from start: LocalDate, to end: LocalDate) -> Int64 {
    // Each slice fits in Int64; their sum is clamped rather than wrapped (unreachable with real money).
    var total: Int128 = 0
    for slice in slices where slice.start >= start && slice.start < end { total += Int128(slice.volume) }
    return Int64(clamping: total)
  }

  /// Adds `amount` (negative for returns) to the slice starting on `start`.
  mutating func add(_ amount: Int64, toSliceStartingAt start: LocalDate, rebate: String) throws(EvaluationError) {
    if let index = slices.firstIndex(where: { $0.start == start }) {
      let (sum, overflow) = slices[index].volume.addingReportingOverflow(amount)
      guard !overflow else { throw EvaluationError("the volume of rebate `\(rebate)` overflows") }
      slices[index].volume = sum
    } else {
      slices.append(Slice(start: start, volume: amount))
      slices.sort { $0.start < $1.start }
    }
  }

  /// Whether the measure period starting on `start` has been settled.
  func isSettled(periodStartingAt start: LocalDate, spec: RebateSpec) -> Bool {
    guard let processed = processedThrough else { return false }
    return spec.settlementDay(ofPeriodStartingAt: start) <= processed
  }

  /// The previous period's volume for the period starting on `start`; nil when the customer
  /// had no activity before that period (a first period has no growth baseline).
  func baseline(forPeriodStartingAt start: LocalDate, spec: RebateSpec) -> Int64? {
    guard let first = firstActivity, first < start else { return nil }
    let previous = spec.periodStart(of: start.adding(days: -1), months: spec.periodMonths)
    if let settled = lastSettled, settled.start == previous { return settled.volume }
    return volume(from: previous, to: start)
  }

  /// The figures of the measure period starting on `start`, with the volume of slices before `cutoff` only.
  func figures(periodStartingAt start: LocalDate, before cutoff: LocalDate? = nil,
               spec: RebateSpec) throws(EvaluationError) -> RebateFigures {
    let end = spec.periodEnd(startingAt: start, months: spec.periodMonths)
    let volume = volume(from: start, to: min(end, cutoff ?? end))
    return try spec.figures(volume: volume, baseline: baseline(forPeriodStartingAt: start, spec: spec))
  }
}

// MARK: - Accrual on purchases and returns

extension EvaluationRun {
  /// Adds this purchase's net amount (after free items) to each rebate's volume and reports the accrual.
  ///
  /// A purchase dated in a period that is already settled counts in the first open period.
  mutating func accrueRebates() throws(EvaluationError) {
    for (index, spec) in program.rebates.enumerated() where spec.applies(to: customer) {
      var amount: Int64 = 0
      var matched = false
      for line in lines where line.matches(spec.filter) {
        matched = true
        let (sum, overflow) = amount.addingReportingOverflow(line.netMinor)
        guard !overflow else { throw EvaluationError("the volume of rebate `\(spec.name)` overflows") }
        amount = sum
      }
      guard matched else { continue }
      // Taken out of the working state while it changes, so its dictionaries are not copied.
      var account = working.rebates[index]
      working.rebates[index] = RebateAccount()
      let day = openDay(account, spec)
      let slice = spec.periodStart(of: day, months: spec.sliceMonths)
      try account.add(amount, toSliceStartingAt: slice, rebate: spec.name)
      if account.firstActivity.map({ day < $0 }) ?? true { account.firstActivity = day }
      account.purchases[event.id] = RebateAccount.Contribution(slice: slice, amount: amount)
      let period = spec.periodStart(of: day, months: spec.periodMonths)
      let figures = try account.figures(periodStartingAt: period, spec: spec)
      working.rebates[index] = account
      awards.append(spec.award(.accrual, periodStart: period, figures: figures, currency: currency, lead: "",
                               explaining: options.explanations))
    }
  }

  /// Takes back what the original purchase added to each rebate's volume: the money refunded
  /// for the returned units of matching lines, at most what the purchase still counts for.
  ///
  /// The reduction goes to the original purchase's period while it is open; once that period is
  /// settled, to the period of the return (settled rebates are not reopened). A return of a purchase
  /// the account has no record of changes no volume.
  /// - Parameter returned: for each returned line, its SKU, category and the amount refunded for it.
  mutating func reverseRebates(original: String,
                               returned: [(sku: String, category: String, refundMinor: Int64)]) throws(EvaluationError) {
    for (index, spec) in program.rebates.enumerated() {
      var account = working.rebates[index]
      guard var record = account.purchases[original], record.amount > 0 else { continue }
      var value: Int64 = 0
      // The one "does this line match" function, negated filters included (as purchases use).
      for line in returned where program.filterBits(category: line.category, sku: line.sku).contains(spec.filter) {
        let (sum, overflow) = value.addingReportingOverflow(line.refundMinor)
        guard !overflow else { throw EvaluationError("the returned amount of `\(line.sku)` overflows") }
        value = sum
      }
      let taken = min(max(0, value), record.amount)
      guard taken > 0 else { continue }
      working.rebates[index] = RebateAccount()
      record.amount -= taken
      account.purchases[original] = record
      var slice = record.slice
      var period = spec.periodStart(of: slice, months: spec.periodMonths)
      if account.isSettled(periodStartingAt: period, spec: spec) {
        let day = openDay(account, spec)
        slice = spec.periodStart(of: day, months: spec.sliceMonths)
        period = spec.periodStart(of: day, months: spec.periodMonths)
      }
      try account.add(-taken, toSliceStartingAt: slice, rebate: spec.name)
      let figures = try account.figures(periodStartingAt: period, spec: spec)
      working.rebates[index] = account
      awards.append(spec.award(.accrual, periodStart: period, figures: figures, currency: currency,
                               lead: "return of \(money(taken)) of \(original): ", explaining: options.explanations))
    }
  }

  /// The returned lines' refunds made to add up to the refund the promotions recomputed (a deal
  /// undone by a return): each line keeps its share of the total, the last one the remainder;
  /// with no per-line refund at all, the whole amount is basket-level (counted by unfiltered rebates).
  static func rebateRefunds(_ lines: [(sku: String, category: String, refundMinor: Int64)],
                            recomputedTotal total: Int64) -> [(sku: String, category: String, refundMinor: Int64)] {
    let perLine = lines.reduce(Int128(0)) { $0 + Int128($1.refundMinor) }
    guard Int128(total) != perLine else { return lines }
    guard perLine != 0 else { return lines + [("", "", total)] }
    var result = lines
    var assigned: Int128 = 0
    for index in result.indices {
      let share = index == result.count - 1 ? Int128(total) - assigned : Int128(total) * Int128(result[index].refundMinor) / perLine
      result[index].refundMinor = Int64(clamping: share)
      assigned += share
    }
    return result
  }

  /// The period-end hook for rebates: statements and settlements of every rebate period end on or
  /// before `day` (the first day of the period after the one that ended) not yet processed.
  mutating func settleRebates(through day: LocalDate) throws(EvaluationError) {
    for (index, spec) in program.rebates.enumerated() where !working.rebates[index].slices.isEmpty
      || working.rebates[index].processedThrough != nil {
      awards += try program.settle(spec, account: &working.rebates[index], through: day, explaining: options.explanations)
    }
  }

  /// Today, or the first day not yet settled when today falls in a settled period (a late event).
  private func openDay(_ account: RebateAccount, _ spec: RebateSpec) -> LocalDate {
    guard let processed = account.processedThrough,
          account.isSettled(periodStartingAt: spec.periodStart(of: today, months: spec.periodMonths), spec: spec)
    else { return today }
    return processed
  }
}

extension Program {
  // MARK: - Statements and settlement

  /// Issues the statements and settlements of every rebate period end up to `instant`, and
  /// updates the account.
  ///
  /// A period end is the local midnight that starts the next period in the program's time zone;
  /// it is processed once `instant` is at or after it. Each measure period with volume gets one
  /// statement per statement period end inside it (the figures for the volume before that end)
  /// and one settlement at the end of the settlement period holding its last day; a statement
  /// that falls on the settlement day is replaced by the settlement. With true-ups, each true-up
  /// period end inside it (from its first volume) also settles the difference to date. Running it again for the
  /// same or an earlier instant issues nothing. `advance(to:customer:state:)` runs the same work
  /// day by day through its period-end hook; this entry point runs the rebates alone.
  /// - Complexity: O(periods with volume × statements per period).
  package func settleRebates(upTo instant: Instant, customer: Customer,
                             state: inout AccountState) throws(EvaluationError) -> [Award] {
    let today = timeZone(for: customer).localTime(of: instant).date
    var awards: [Award] = []
    for spec in rebates {
      guard var account = state.rebates[spec.name] else { continue }
      awards += try settle(spec, account: &account, through: today)
      state.rebates[spec.name] = account
    }
    return awards
  }

  /// `explaining: false` leaves the awards' explanations empty (``EvaluationOptions/explanations``).
  func settle(_ spec: RebateSpec, account: inout RebateAccount, through today: LocalDate,
              explaining: Bool = true) throws(EvaluationError) -> [Award] {
    let processed = account.processedThrough
    if let processed, today <= processed { return [] }
    func isNew(_ day: LocalDate) -> Bool { day <= today && processed.map { day > $0 } ?? true }
    var awards: [Award] = []
    var periods: [LocalDate] = []
    for slice in account.slices {
      let start = spec.periodStart(of: slice.start, months: spec.periodMonths)
      if periods.last != start { periods.append(start) }
    }
    var firstSettled: LocalDate?
    for start in periods {
      let settlement = spec.settlementDay(ofPeriodStartingAt: start)
      if let months = spec.statementMonths {
        var end = spec.periodEnd(startingAt: spec.periodStart(of: start, months: months), months: months)
        while end < settlement {
          // No statement before the period's first volume: processing late gives what processing on time gave.
          // A statement on a true-up day is replaced by the true-up, as one on the settlement day is.
          let onTrueUp = spec.trueUp.map { spec.periodStart(of: end, months: $0.months) == end } ?? false
          if end > start, !onTrueUp, isNew(end), account.slices.contains(where: { $0.start >= start && $0.start < end }) {
            let figures = try account.figures(periodStartingAt: start, before: end, spec: spec)
            awards.append(spec.award(.statement, periodStart: start, figures: figures, currency: currency,
                                     lead: "statement to \(end.adding(days: -1)): ", explaining: explaining))
          }
          end = spec.periodEnd(startingAt: end, months: months)
        }
      }
      if let trueUp = spec.trueUp {
        var end = spec.periodEnd(startingAt: spec.periodStart(of: start, months: trueUp.months), months: trueUp.months)
        while end < settlement {
          // Like statements: nothing before the period's first volume, so processing late gives what processing on time gave.
          if end > start, isNew(end), account.slices.contains(where: { $0.start >= start && $0.start < end }) {
            awards.append(try self.trueUp(spec, trueUp, account: &account, periodStart: start, before: end, explaining: explaining))
          }
          end = spec.periodEnd(startingAt: end, months: trueUp.months)
        }
      }
      guard isNew(settlement) else { continue }
      let figures = try account.figures(periodStartingAt: start, spec: spec)
      if let trueUp = spec.trueUp {
        awards.append(try self.trueUp(spec, trueUp, account: &account, periodStart: start, before: settlement, explaining: explaining))
        account.paidPeriod = nil
        account.paidToDate = 0
      } else {
        awards.append(spec.award(.settlement, periodStart: start, figures: figures, currency: currency, lead: "settled: ",
                                 explaining: explaining))
      }
      let periodEnd = spec.periodEnd(startingAt: start, months: spec.periodMonths)
      account.slices.removeAll { $0.start >= start && $0.start < periodEnd }
      if account.lastSettled.map({ $0.start < start }) ?? true {
        account.lastSettled = RebateAccount.Slice(start: start, volume: figures.volume)
      }
      if firstSettled == nil { firstSettled = start }
    }
    // Keep the records of the periods settled now (returns of them reduce the open period); drop older ones.
    if let firstSettled { account.purchases = account.purchases.filter { $0.value.slice >= firstSettled } }
    account.processedThrough = today
    return awards
  }

  /// A true-up settlement of the measure period starting on `start`, for the volume before `end`:
  /// what that volume earns less what earlier true-ups of the period paid, with a negative
  /// difference clawed back, carried forward (deducted from the next settlements) or forgiven.
  func trueUp(_ spec: RebateSpec, _ trueUp: RebateSpec.TrueUp, account: inout RebateAccount, periodStart start: LocalDate,
              before end: LocalDate, explaining: Bool) throws(EvaluationError) -> Award {
    let figures = try account.figures(periodStartingAt: start, before: end, spec: spec)
    let paid = account.paidPeriod == start ? account.paidToDate : 0
    let (difference, o1) = figures.amount.subtractingReportingOverflow(paid)
    guard !o1 else { throw EvaluationError("rebate `\(spec.name)` overflows") }
    var payment = difference
    var note: String
    func money(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: currency) }
    switch trueUp.negative {
    case .clawedBack:
      note = difference < 0 ? "; the negative difference is clawed back" : ""
    case .forgiven:
      payment = max(0, difference)
      note = difference < 0 ? "; the negative difference \(money(difference)) is forgiven" : ""
    case .carriedForward:
      let (net, o2) = difference.subtractingReportingOverflow(account.carried)
      guard !o2 else { throw EvaluationError("rebate `\(spec.name)` overflows") }
      note = account.carried > 0 ? "; less \(money(account.carried)) carried forward" : ""
      payment = max(0, net)
      account.carried = net < 0 ? -net : 0
      if net < 0 { note += "; \(money(-net)) carried forward to the next settlement" }
    }
    // What the volume to date earned is settled, whatever was paid: the next difference starts from it.
    account.paidPeriod = start
    account.paidToDate = figures.amount
    var award = spec.award(.settlement, periodStart: start, figures: figures, currency: currency,
                           lead: "true-up to \(end.adding(days: -1)): ", toDate: true, explaining: explaining)
    if case .rebate(var rebate) = award.kind {
      rebate.amount = money(payment)
      award.kind = .rebate(rebate)
    }
    if explaining { award.explanation += "; already paid \(money(paid)), difference \(money(difference))\(note); pays \(money(payment))" }
    return award
  }
}

// MARK: - What the till shows

extension Program {
  /// For each rebate period with volume not yet settled: the day it settles (or next trues up) and what has accrued.
  func rebateFacts(state: AccountState) -> [FutureFact] {
    var facts: [FutureFact] = []
    for spec in rebates {
      guard let account = state.rebates[spec.name] else { continue }
      var periods: [LocalDate] = []
      for slice in account.slices {
        let start = spec.periodStart(of: slice.start, months: spec.periodMonths)
        if periods.last != start { periods.append(start) }
      }
      for start in periods {
        guard let figures = try? account.figures(periodStartingAt: start, spec: spec) else { continue }
        var day = spec.settlementDay(ofPeriodStartingAt: start)
        let label = spec.periodLabel(startingAt: start, months: spec.periodMonths)
        if let trueUp = spec.trueUp {
          // The next true-up pays what the volume to date earns less what the period's true-ups paid.
          var end = spec.periodEnd(startingAt: spec.periodStart(of: start, months: trueUp.months), months: trueUp.months)
          while end < day, end <= max(start, account.processedThrough ?? start) {
            end = spec.periodEnd(startingAt: end, months: trueUp.months)
          }
          day = min(day, end)
          let paid = account.paidPeriod == start ? account.paidToDate : 0
          let money = { (minor: Int64) in Money(minorUnits: minor, currency: self.currency) }
          facts.append(FutureFact(kind: .rebateSettlement, date: day,
                                  text: "\(spec.name) for \(label) trues up on \(day): \(money(figures.amount)) earned so far, \(money(paid)) already paid"))
          continue
        }
        facts.append(FutureFact(kind: .rebateSettlement, date: day,
                                text: "\(spec.name) for \(label) settles on \(day): \(Money(minorUnits: figures.amount, currency: currency)) accrued so far"))
      }
    }
    return facts
  }

  /// For each rebate the customer takes part in: the volume missing to the next bracket in the open period.
  func rebateNearMisses(state: AccountState, customer: Customer, today: LocalDate) -> [NearMiss] {
    var misses: [NearMiss] = []
    for spec in rebates where spec.applies(to: customer) {
      guard let account = state.rebates[spec.name] else { continue }
      var day = today
      if let processed = account.processedThrough,
         account.isSettled(periodStartingAt: spec.periodStart(of: today, months: spec.periodMonths), spec: spec) {
        day = processed
      }
      let start = spec.periodStart(of: day, months: spec.periodMonths)
      guard let figures = try? account.figures(periodStartingAt: start, spec: spec), let next = figures.next else { continue }
      let bracket = spec.brackets[next]
      let missing = bracket.fromMinor - max(0, figures.volume)
      misses.append(NearMiss(
        kind: .rebateBracket, goal: spec.name, missing: missing,
        text: "\(Money(minorUnits: missing, currency: currency)) more net spend in \(spec.periodLabel(startingAt: start, months: spec.periodMonths)) to \(spec.percent(bracket.rate)) on \(spec.name)"))
    }
    return misses
  }
}
