import PerkSource

/// A program's purchases compiled into a straight sequence of steps over the account's working
/// values (issue 17, point 3): the form bulk callers (`perk sim`, batch jobs) evaluate most
/// events in.
///
/// The general evaluation (`EvaluationRun`) is built for every feature at once: each purchase
/// makes a run of some forty fields, moves the account's values into it and back, walks the
/// phases of promotions, budgets, caps, holds, rebates, referrals and messages whether the
/// program has them or not, and builds a condition context of a dozen references. The plan is
/// decided once, when the program is made, from the same lowered specs: a program that uses
/// only what the plan covers has one, and its purchases then run as the steps below, in place.
///
/// What it covers: points (any rounding, worth and expiry, no holds or caps), tiers without a
/// filter or scheduled review, stamp cards collected per item or per visit with any completion
/// reward, and rules that run on purchases (or on signups and custom events, which a purchase
/// does not trigger) with any condition and limit, `replaces`, and `earn`, `multiply`, `voucher`
/// and `reward` effects; earning is never negative. Period ends due before a purchase (lots
/// expiring, a kept tier lapsing) run first, as the general evaluation runs them. An event it
/// cannot take as it is — not a purchase, or with explanations, till facts, a trace or records
/// for returns asked for, or held referral transfers in the account — goes to the general
/// evaluation instead, before anything is changed: the account's values are the same in both,
/// so the two mix freely from event to event.
///
/// The differential test (Tests/PerkDifferentialTests) runs both over generated programs and
/// histories and compares every outcome and state.
struct PurchasePlan: Sendable {
  /// The rules a purchase triggers, in file order (stacking order: no rule has a priority).
  let purchaseRules: [Rule]
  /// Whether any purchase rule `replaces` another (its lines then leave the other's spend).
  let replaces: Bool
  /// Whether any purchase rule has a `multiply` effect.
  let multiplies: Bool
  /// Whether any purchase rule has a `when`: the condition context is built only then.
  let conditions: Bool
  /// The tiers, when the program has levels: boxed, since binding a `TierSpec` copies (and
  /// retains) each of its fields, several times a purchase.
  let tiers: Tiers?

  /// What a purchase reads of one rule, in a class: reading fields of a `RuleSpec` in an array
  /// copied the whole spec (each of its fields retained) several times a purchase.
  final class Rule: Sendable {
    /// The rule's index in the program (its limits' and counters' slot).
    let index: Int
    let name: String
    let location: SourceLocation?
    let condition: Condition?
    let limits: [LimitSpec]
    let replaces: Int?
    let effects: [EffectSpec]
    let rounding: RoundingMode?

    init(index: Int, spec: RuleSpec) {
      self.index = index
      name = spec.name
      location = spec.location
      condition = spec.condition
      limits = spec.limits
      replaces = spec.replaces
      effects = spec.effects
      rounding = spec.pointsRounding
    }
  }

  /// The tiers of a plan and the window they are measured on.
  final class Tiers: Sendable {
    let spec: TierSpec
    let window: WindowSpec

    init(spec: TierSpec, window: WindowSpec) {
      self.spec = spec
      self.window = window
    }
  }

  /// The plan of a program, or nil when the program uses something it does not cover.
  init?(points: [PointsSpec], tiers: TierSpec?, cards: [CardSpec], rules: [RuleSpec], windows: [WindowSpec],
        rebates: [RebateSpec], budget: BudgetSpec?) {
    guard rebates.isEmpty, budget == nil else { return nil }
    for spec in points {
      guard spec.holdDays == 0, spec.caps.isEmpty, spec.worthMinor.significand >= 0 else { return nil }
    }
    if let tiers {
      guard tiers.filter == nil, tiers.review == nil, windows.indices.contains(tiers.window),
            windows[tiers.window].reviewPeriod == nil else { return nil }
      // Multipliers below zero would make a purchase take points (lots would be spent).
      guard tiers.levels.allSatisfy({ $0.multiplier.significand >= 0 }) else { return nil }
    }
    for card in cards {
      if case .spend = card.collect { return nil }
    }
    var purchaseRules: [Rule] = []
    var replaces = false, multiplies = false, conditions = false
    let priority = rules.first?.stacking.priority
    for (index, rule) in rules.enumerated() {
      switch rule.trigger {
      case .purchase: purchaseRules.append(Rule(index: index, spec: rule))
      case .signup, .custom: break
      case .signupAnniversary, .birthday, .afterPurchase, .beforeExpiry, .tierReached, .tierLost: return nil
      }
      guard rule.holdDays == 0, rule.stacking.caps.isEmpty, rule.stacking.budget == nil, rule.stacking.group == nil,
            rule.stacking.priority == priority else { return nil }
      for effect in rule.effects {
        switch effect {
        case .earn(let rate, _, _): guard rate.significand >= 0 else { return nil }
        case .multiply(_, let factor):
          guard factor.significand >= 0 else { return nil }
          multiplies = true
        case .voucher, .reward: break
        case .price, .earnForReferrer, .message: return nil
        }
      }
      if case .purchase = rule.trigger {
        if rule.replaces != nil { replaces = true }
        if rule.condition != nil { conditions = true }
      }
    }
    self.purchaseRules = purchaseRules
    self.replaces = replaces
    self.multiplies = multiplies
    self.conditions = conditions
    self.tiers = tiers.flatMap { $0.levels.isEmpty ? nil : Tiers(spec: $0, window: windows[$0.window]) }
  }
}

/// What a planned purchase gave besides the account's new values and its awards (which stay in
/// the account's buffers: the simulator files them without an ``Outcome`` made, copied and
/// dropped per purchase).
package struct PlannedPurchase {
  /// The amount paid after free items.
  package var paid: Int64
  /// The tier held when the purchase started (the one earning used).
  package var tierBefore: String?
  /// The tier held after it.
  package var tierAfter: String?
}

/// How ``Program/purchasePlanned(_:customer:account:options:restoresOnError:)`` took an event.
package enum PlannedResult {
  /// The plan does not take the event: nothing was changed, the general evaluation runs it.
  case notPlanned
  /// The transaction id was seen before: nothing changed.
  case duplicate
  /// The purchase ran as the plan.
  case purchased(PlannedPurchase)
}

extension Program {
  /// The outcome of a purchase the plan ran, for the public evaluation: its awards and earned
  /// points, and the account's balances and tier after it.
  func plannedOutcome(_ event: Event, _ purchase: consuming PlannedPurchase, awards: [Award], account: Account) -> Outcome {
    var earned = NamedAmounts()
    let sums = account.buffers.plannedEarned
    for index in sums.indices where sums[index] != 0 { earned[points[index].name] = sums[index] }
    // The tier names are moved out, not copied.
    return Outcome(eventID: event.id, awards: awards, duplicate: false, balances: balancesByName(account.working.balances),
                   amountPaid: Money(minorUnits: purchase.paid, currency: currency), tierBefore: purchase.tierBefore.take(),
                   tierAfter: purchase.tierAfter.take(), earned: earned, budgetShortfalls: [])
  }

  /// Runs a purchase as the plan when the plan takes it (see ``PurchasePlan``), leaving what it
  /// gave in ``Account/plannedAwards`` until the account's next evaluation: the simulator's
  /// form, which files awards by number.
  package func purchasePlanned(_ event: Event, customer: Customer, account: inout Account, options: EvaluationOptions,
                               restoresOnError: Bool) throws(EvaluationError) -> PlannedResult {
    var awards = PlannedAwards()
    swap(&awards, &account.buffers.plannedAwards)
    awards.removeAll()
    defer { swap(&awards, &account.buffers.plannedAwards) }
    return try purchasePlanned(event, customer: customer, account: &account, options: options, restoresOnError: restoresOnError,
                               awards: &awards)
  }

  /// ``purchasePlanned(_:customer:account:options:restoresOnError:)`` of a purchase already in
  /// the plan's form, as a bulk caller fills it (no ``Event`` made). Its lines are lent to the
  /// plan, which changes them (free items); the caller refills the basket for its next purchase.
  package func purchasePlanned(_ basket: inout PlannedBasket, customer: Customer, account: inout Account,
                               options: EvaluationOptions, restoresOnError: Bool) throws(EvaluationError) -> PlannedResult {
    guard takesPlannedPurchases(options: options, account: account) else { return .notPlanned }
    var awards = PlannedAwards()
    swap(&awards, &account.buffers.plannedAwards)
    awards.removeAll()
    defer { swap(&awards, &account.buffers.plannedAwards) }
    return try purchasePlanned(&basket, customer: customer, account: &account, options: options, restoresOnError: restoresOnError,
                               awards: &awards)
  }

  /// Whether the plan takes purchases evaluated with `options` on `account` (a purchase is
  /// still declined when its day is over a century after the account's last one): the program
  /// has a plan, and no explanations, till facts, trace or records for returns are asked for.
  package func takesPlannedPurchases(options: EvaluationOptions, account: Account) -> Bool {
    purchasePlan != nil && !options.explanations && !options.tillFacts && !options.trace && !options.keepsReturnRecords
      && account.owner === self && account.working.triggers.heldTransfers.isEmpty
  }

  /// The planned purchase of an event, its awards put in `awards` (after those of period ends
  /// due before it), or `.notPlanned` — having changed nothing — when the program has no plan or
  /// the event needs the general evaluation. The event is made into a ``PlannedBasket`` in the
  /// account's line buffer.
  func purchasePlanned<Sink: AwardSink>(_ event: Event, customer: Customer, account: inout Account, options: EvaluationOptions,
                                        restoresOnError: Bool, awards: inout Sink) throws(EvaluationError) -> PlannedResult {
    guard case .purchase = event.kind, takesPlannedPurchases(options: options, account: account) else { return .notPlanned }
    // The basket's lines are the account's line buffer, lent to it and handed back.
    var basket = PlannedBasket()
    swap(&basket.lines, &account.buffers.lines)
    defer { swap(&basket.lines, &account.buffers.lines) }
    basket.fill(from: event, program: self)
    return try purchasePlanned(&basket, customer: customer, account: &account, options: options, restoresOnError: restoresOnError,
                               awards: &awards)
  }

  /// The planned purchase itself (``takesPlannedPurchases(options:account:)`` said yes).
  /// Duplicates, refused baskets and errors behave as in the general form.
  func purchasePlanned<Sink: AwardSink>(_ basket: inout PlannedBasket, customer: Customer, account: inout Account,
                                        options: EvaluationOptions, restoresOnError: Bool,
                                        awards: inout Sink) throws(EvaluationError) -> PlannedResult {
    guard let plan = purchasePlan else { return .notPlanned }
    let (today, minuteOfDay) = timeZone(for: customer).localTime(of: basket.time)
    // Period ends due by the event's day (lots expiring, a kept tier lapsing) run as in the
    // general evaluation (`advance`, before the purchase); with none due, advancing only moves
    // the processed day.
    var due = false
    if let last = account.working.processedThrough, last < today {
      guard today.dayNumber - last.dayNumber <= EvaluationRun.longestGapDays else { return .notPlanned }
      if let day = account.working.nextLotDay(self), day <= today { due = true }
      if !due, let lapse = account.working.nextKeepLapse(after: last, self), lapse <= today { due = true }
    }
    if !account.admit(basket.id) { return .duplicate }
    if let refusal = basket.refusal {
      account.recentIDs = nil  // admitted, but refused
      throw refusal
    }
    let kept: WorkingState? = restoresOnError ? account.working : nil
    let oldest = account.working.recentTransactions.first
    let tierBefore = account.working.tier
    // The plan fills its lines in the account's buffer: the basket's are lent to it.
    swap(&basket.lines, &account.buffers.lines)
    defer { swap(&basket.lines, &account.buffers.lines) }
    do throws(EvaluationError) {
      if due {
        var run = EvaluationRun(program: self, event: basket.eventWithoutLines, customer: customer, working: account.takeWorking())
        run.options = options
        do throws(EvaluationError) {
          try run.advance()
        } catch {
          account.working = run.takeWorking()
          throw error
        }
        awards.addPeriodEnds(run.awards)
        account.working = run.takeWorking()
      }
      let purchase = try plan.purchase(basket, customer: customer, today: today, minuteOfDay: minuteOfDay, program: self,
                                       working: &account.working, buffers: &account.buffers, tallies: options.tallies,
                                       tierBefore: tierBefore, awards: &awards)
      account.remember(basket.id, oldest: oldest)
      return .purchased(purchase)
    } catch {
      if let kept { account.working = kept }
      account.recentIDs = nil
      throw error
    }
  }
}

extension PurchasePlan {
  /// The steps of one purchase after the period ends due before it (whose awards `awards` has),
  /// in the general evaluation's phase order: stamps and free items,
  /// conditions and limits, earning with replacements and multipliers, bonuses and gifts, lots,
  /// the ledgers, the tier review, and the transaction's bookkeeping. `event` is the purchase;
  /// its lines, with their filter bits, are lent in `buffers.lines`.
  func purchase<Sink: AwardSink>(_ event: PlannedBasket, customer: Customer, today: LocalDate, minuteOfDay: Int, program: Program,
                                 working: inout WorkingState, buffers: inout EvaluationBuffers, tallies: Bool, tierBefore: String?,
                                 awards: inout Sink) throws(EvaluationError) -> PlannedPurchase {
    if working.processedThrough.map({ $0 < today }) ?? true { working.processedThrough = today }
    var measure: TierMeasure?
    var heldTier: Int?
    if let tiers {
      let (spend, visits) = working.plannedTierSum(tiers.window, today: today)
      measure = TierMeasure(spend: spend, visits: visits)
      heldTier = working.keptTier(qualified: tiers.spec.qualifiedLevel(measure!), today: today)
    }
    let currency = program.currency
    // What the points awards add up to by currency, summed as they are given (reading the
    // awards back would copy each one). Earning is never negative in a plan: zero is none.
    buffers.plannedEarned.setAll(0, count: program.points.count)

    // The basket's lines, lent in the buffer with their filter bits (``PlannedBasket``).
    var lines: [BasketLine] = []
    swap(&lines, &buffers.lines)
    defer { swap(&lines, &buffers.lines) }
    var paid: Int64 = 0

    // Stamp cards, and what completing them gives.
    EvaluationRun.collectStamps(program: program, lines: &lines, stamps: &working.stamps, awards: &awards, today: today,
                                explaining: false)
    for line in lines { paid &+= line.netMinor }

    // Conditions and limits, in file order.
    var balancesBefore: [Int64] = []
    swap(&balancesBefore, &buffers.balancesBefore)
    defer { swap(&balancesBefore, &buffers.balancesBefore) }
    balancesBefore.setAll(to: working.balances)
    var firing: [Int] = []
    swap(&firing, &buffers.firing)
    defer { swap(&firing, &buffers.firing) }
    firing.removeAll(keepingCapacity: true)
    // The lines and the account's values are lent to the context, and given back below before
    // anything changes them.
    let context = conditions ? buffers.takeConditionContext(for: program) : nil
    context?.lend(lines: &lines, working: &working, customer: customer, store: event.store, channel: event.channel,
                  today: today, minuteOfDay: minuteOfDay, tierIndex: heldTier)
    let ruleCount = program.rules.count
    for position in purchaseRules.indices {
      let rule = purchaseRules[position]
      if let condition = rule.condition, let context, !condition(context) {
        if tallies { buffers.tally.note(.conditionFalse, rule: rule.index, rules: ruleCount) }
        continue
      }
      if !rule.limits.isEmpty,
         !EvaluationRun.withinLimits(rule.limits, awards: working.ruleAwards[rule.index], today: today, customer: customer) {
        if tallies { buffers.tally.note(.limitReached, rule: rule.index, rules: ruleCount) }
        continue
      }
      if tallies { buffers.tally.note(.fired, rule: rule.index, rules: ruleCount) }
      firing.append(position)
    }
    if let context {
      context.giveBack(lines: &lines, working: &working)
      buffers.reusableContext = context
    }

    // Earning, multipliers, bonuses and gifts.
    let replacing = replaces && firing.contains { purchaseRules[$0].replaces != nil }
    let tierMultipliers = heldTier.map { program.tierMultipliers[$0] } ?? []
    var multipliers: [[Multiplier]] = []
    if multiplies {
      for position in firing {
        let rule = purchaseRules[position]
        for case .multiply(let currency, let factor) in rule.effects {
          if multipliers.isEmpty { multipliers = Array(repeating: tierMultipliers, count: program.points.count) }
          multipliers[currency].append(Multiplier(factor: factor, source: rule.name, rounding: rule.rounding))
        }
      }
    }
    for position in firing {
      let rule = purchaseRules[position]
      var gave = false
      for effect in rule.effects {
        switch effect {
        case .earn(let rate, let points, let basis):
          let excluded = replacing ? excludedLines(of: rule.index, firing: firing, lines: lines) : .none
          let applied = multipliers.isEmpty ? tierMultipliers : multipliers[points]
          guard let amount = try PurchasePlan.earned(rule: rule, rate: rate, currency: points, basis: basis, excluded: excluded,
                                                     multipliers: applied, lines: lines, program: program) else { continue }
          let (balance, overflow) = working.balances[points].addingReportingOverflow(amount)
          guard !overflow else { throw EvaluationError("the \(program.points[points].name) balance overflows") }
          working.balances[points] = balance
          // Summed into the balance with an overflow check already, so the sum fits.
          buffers.plannedEarned[points] &+= amount
          let worth = program.points[points].worthMinor
          let value = RoundingMode.halfEven.divide(Int128(amount) * Int128(worth.significand), by: worth.denominator) ?? 0
          awards.add(Award(kind: .points(currency: program.points[points].name, amount: amount,
                                         value: Money(minorUnits: value, currency: currency)),
                           source: rule.name, location: rule.location, explanation: ""),
                     filed: .points(rule: rule.index, currency: points, amount: amount, value: value))
          gave = true
        case .multiply:
          gave = true
        case .voucher(let name, let worth, let days, let months):
          awards.add(Award(kind: .voucher(name: name, value: Money(minorUnits: worth, currency: currency),
                                          validUntil: EvaluationRun.voucherValidUntil(today: today, days: days, months: months)),
                           source: rule.name, location: rule.location, explanation: ""),
                     filed: .voucher(source: rule.index, value: worth))
          gave = true
        case .reward(let rewardIndex):
          let reward = program.rewards[rewardIndex]
          awards.add(Award(kind: .reward(name: reward.name, value: Money(minorUnits: reward.worthMinor, currency: currency)),
                           source: rule.name, location: rule.location, explanation: ""),
                     filed: .reward(source: rule.index, value: reward.worthMinor))
          gave = true
        case .price, .earnForReferrer, .message:
          continue  // not in a plan
        }
      }
      if gave, !rule.limits.isEmpty { working.ruleAwards[rule.index].append(today) }
    }

    // What the purchase earned becomes lots (earning is never negative in a plan).
    for index in program.points.indices where program.keepsLots[index] {
      let delta = working.balances[index] - balancesBefore[index]
      guard delta > 0 else { continue }
      // A negative balance (allowed clawback) is a debt the new points pay first.
      let amount = balancesBefore[index] < 0 ? max(0, min(delta, working.balances[index])) : delta
      guard amount > 0 else { continue }
      // Made in the append: a lot in a variable was copied in and destroyed.
      working.lots.append(PointsLot(currency: program.points[index].name, amount: amount, earned: today,
                                    expiresOn: program.points[index].expiresOn(earned: today), source: event.id))
    }

    // The ledgers: the purchase's spend, and a visit on a day without one.
    var visitedToday = false
    if let known = measure {
      if let last = working.ledger.last, last.date > today {
        measure = nil
      } else {
        visitedToday = working.ledger.last.map { $0.date == today && $0.purchases > 0 } ?? false
        measure = TierMeasure(spend: WorkingState.saturatingSum(known.spend, paid), visits: known.visits + (visitedToday ? 0 : 1))
      }
    }
    // Recording drops the running sum of the tier window (the ledger changed): it is set again
    // with the purchase added, for the next purchase.
    let running = measure == nil ? nil : working.tierWindow
    try WorkingState.record(paid, purchases: 1, on: today, oldest: today.adding(days: -program.horizonDays), in: &working.ledger)
    working.tierWindow = running?.recording(paid, visitedBefore: visitedToday, in: working.ledger)
    working.purchaseCount += 1
    if working.lastPurchase.map({ $0 < today }) ?? true { working.lastPurchase = today }
    working.triggers.recordVisit(on: today)
    // Kept for a return: other purchases' records (``EvaluationOptions/purchasesKeepingRecords(in:)``).
    working.pruneRecords(today: today)

    // The tier review.
    if let tiers {
      let reviewed: TierMeasure
      if let measure {
        reviewed = measure
      } else {
        let (spend, visits) = WorkingState.sum(working.ledger, tiers.window, today: today)
        reviewed = TierMeasure(spend: spend, visits: visits)
      }
      let qualified = tiers.spec.qualifiedLevel(reviewed)
      working.keepTier(qualified: qualified, spec: tiers.spec, today: today, customer: customer)
      let newName = tiers.spec.levels[working.keptTier(qualified: qualified, today: today)].name
      if working.tier != newName {
        let previous = working.tier ?? heldTier.map { tiers.spec.levels[$0].name }
        working.tier = newName
        if newName != previous {
          awards.add(Award(kind: .tierChange(from: previous, to: newName), source: "tiers", location: tiers.spec.location,
                           explanation: ""),
                     filed: .tierChange(program: program))
        }
      }
    }

    // The transaction's bookkeeping.
    working.recentTransactions.append(event.id)
    if working.recentTransactions.count > AccountState.recentTransactionLimit {
      working.recentTransactions.removeFirst(working.recentTransactions.count - AccountState.recentTransactionLimit)
    }
    working.reconcileLots(program, today: today)
    working.compactLots(program)

    return PlannedPurchase(paid: paid, tierBefore: tierBefore ?? heldTier.map { tiers!.spec.levels[$0].name }, tierAfter: working.tier)
  }

  /// The lines that firing rules (positions in `purchaseRules`) replacing rule `index` earn
  /// on: they leave its spend.
  func excludedLines(of index: Int, firing: [Int], lines: [BasketLine]) -> LineSet {
    var excluded = LineSet()
    for replacer in firing where purchaseRules[replacer].replaces == index {
      for case .earn(_, _, let basis) in purchaseRules[replacer].effects {
        let filter: Int?
        switch basis {
        case .perSpend(_, _, let f, _), .perItem(let f, _): filter = f
        case .flat: continue
        }
        for lineIndex in lines.indices where lines[lineIndex].matches(filter) { excluded.insert(lineIndex) }
      }
    }
    return excluded
  }

  /// The points one `earn` gives on the basket, or nil when it gives nothing.
  static func earned(rule: Rule, rate: ExactDecimal, currency: Int, basis: EarnBasisSpec, excluded: LineSet,
                     multipliers: [Multiplier], lines: [BasketLine], program: Program) throws(EvaluationError) -> Int64? {
    var numerator = Int128(rate.significand)
    var denominator = rate.denominator
    var applied = multipliers
    switch basis {
    case .flat:
      applied = []
    case .perSpend(let perMinor, let whole, let filter, let before):
      var spend: Int64 = 0
      for i in lines.indices where lines[i].matches(filter) && !excluded.contains(i) {
        spend &+= before ? lines[i].grossMinor : lines[i].netMinor
      }
      guard spend > 0 else { return nil }
      if whole {
        let units = spend / perMinor
        guard units > 0 else { return nil }
        numerator *= Int128(units)
      } else {
        numerator *= Int128(spend)
        denominator *= Int128(perMinor)
      }
    case .perItem(let filter, let before):
      var units: Int64 = 0
      for i in lines.indices where lines[i].matches(filter) && !excluded.contains(i) {
        units += before ? lines[i].quantity : lines[i].quantity - lines[i].freeUnits
      }
      guard units > 0 else { return nil }
      numerator *= Int128(units)
    }
    for multiplier in applied {
      let (n, o1) = numerator.multipliedReportingOverflow(by: Int128(multiplier.factor.significand))
      let (d, o2) = denominator.multipliedReportingOverflow(by: multiplier.factor.denominator)
      guard !o1, !o2 else { throw EvaluationError("points of rule `\(rule.name)` overflow") }
      numerator = n
      denominator = d
    }
    // The earning rule's own `round` wins, then a `multiply` rule's that was applied, then the currency's.
    let rounding = rule.rounding ?? applied.lazy.compactMap(\.rounding).first ?? program.points[currency].rounding
    guard let amount = rounding.divide(numerator, by: denominator) else {
      throw EvaluationError("points of rule `\(rule.name)` overflow")
    }
    return amount != 0 ? amount : nil
  }
}
