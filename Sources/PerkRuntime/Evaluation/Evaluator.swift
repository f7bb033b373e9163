import PerkSource

extension Program {
  /// Evaluates one event for one customer and returns the awards and the new state.
  ///
  /// A pure function of its arguments: the same program, customer, state and event
  /// always give the same outcome. The phases run in a fixed order: stamp cards and
  /// free items, net amounts, rule conditions and limits, earning (with replacements
  /// and multipliers), flat bonuses and gifts, then the state update and tier review.
  /// An event whose transaction id the state has already seen is a duplicate: it
  /// awards nothing and leaves the state unchanged.
  /// - Throws: ``EvaluationError`` when an amount overflows or the basket is invalid.
  /// - Complexity: O(lines × filters + rules + ledger days).
  public func evaluate(_ event: Event, customer: Customer, state: AccountState) throws(EvaluationError) -> Outcome {
    // Budgets shared by all customers need the caller's ledger; alone, an event sees them unspent.
    var unspent = BudgetLedger()
    return try evaluate(event, customer: customer, state: state, budgets: &unspent)
  }

  /// Evaluates one event against budgets shared by all customers.
  ///
  /// Like ``evaluate(_:customer:state:)``, and also: a rule with a `budget` (or any rule when the
  /// program has one) fires only if what it gives — money off, free items, points at their worth,
  /// vouchers and rewards — fits in what the budget has left in its period; otherwise it does not
  /// fire at all and the outcome lists it in ``Outcome/budgetShortfalls``. What fires is charged
  /// to `budgets`. A duplicate or rejected event charges nothing.
  /// - Throws: ``EvaluationError`` when an amount overflows or the basket is invalid.
  public func evaluate(_ event: Event, customer: Customer, state: AccountState,
                       budgets: inout BudgetLedger) throws(EvaluationError) -> Outcome {
    try evaluate(event, customer: customer, state: state, budgets: &budgets, options: .full)
  }

  /// Evaluates one event against shared budgets, computing only what `options` asks for.
  ///
  /// Like ``evaluate(_:customer:state:budgets:)``; with ``EvaluationOptions/amountsOnly`` the
  /// awards have no explanations and the outcome no till facts, while every amount, balance and
  /// the new state are the same. Bulk callers (the simulator) use it to skip the texts.
  /// - Throws: ``EvaluationError`` when an amount overflows or the basket is invalid.
  public func evaluate(_ event: Event, customer: Customer, state: AccountState, budgets: inout BudgetLedger,
                       options: EvaluationOptions) throws(EvaluationError) -> Outcome {
    // One implementation: the account form, on an account made for this one event (thrown
    // away on an error, so it need not be restored).
    var account = Account(state, program: self)
    account.indexesRecentIDs = false
    var outcome = try evaluate(event, customer: customer, account: &account, budgets: &budgets, options: options,
                               restoresOnError: false, withState: true)
    if outcome.duplicate || outcome.rejection != nil { outcome.state = state }
    return outcome
  }
}

/// The mutable work of one evaluation.
struct EvaluationRun {
  let program: Program
  let event: Event
  let customer: Customer
  var working: WorkingState
  /// The event's local day; period ends walk it forward day by day before the event.
  var today: LocalDate
  let minuteOfDay: Int
  var lines: [BasketLine] = []
  var awards: [Award] = []
  var heldTier: Int?
  /// Why the event is refused, if it is (see Redemption.swift, Returns.swift).
  var rejection: String?
  /// Points each basket line earned, by currency index (for the transaction record).
  var linePoints = LineAmounts()
  /// Flat bonuses earned, by currency index.
  var flatPoints: [Int64] = []
  /// Points a return could not take back, by currency index.
  var shortfall: [Int64] = []
  /// Points earned by rules with a `hold`: (currency index, amount, days).
  var heldEarnings: [(currency: Int, amount: Int64, days: Int64)] = []
  /// What the event added to each balance (held points included), by currency index.
  var earnedDelta: [Int64] = []
  /// The balances before the rules ran (for `earnedDelta`).
  var balancesBefore: [Int64] = []
  /// Storage for the firing rules, kept between events with the other buffers.
  var firingStorage: [Int] = []
  /// Money a return gives back, in minor units.
  var refunded: Int64 = 0
  /// Promotions, stacking, caps and budgets of this evaluation.
  var promotions = PromotionRun()
  /// Transfers released, held and cancelled by this event (Referral.swift).
  var transfers = TransferChanges()
  /// Whether to write explanations and till facts.
  var options = EvaluationOptions.full
  /// What the run exercised, filled only when `options.trace` asks.
  var trace = EvaluationTrace()
  /// Counters of what each rule's evaluations decided, added to only when `options.tallies` asks.
  var tally = RuleTally()
  /// What the purchase's rules read besides its basket, kept in its record for returns (boxed:
  /// the run is moved and copied whole, and the context is a dozen references).
  var purchaseContext: PurchaseContextBox?
  /// The history as a purchase's record kept it, when a return evaluates that purchase again.
  var frozenHistory: FrozenHistory?
  /// `send message` effects of the rules that fired, rendered once the event is applied.
  var queuedMessages: [QueuedMessage] = []
  /// The messages this run made due (Messages.swift).
  var messages: [DueMessage] = []
  /// The messages the program's contact policy kept from being sent.
  var suppressedMessages: [DueMessage] = []

  /// A run on an account's working values (see ``Account``), handed back by ``takeWorking()``,
  /// with its buffers, handed back by ``takeBuffers()``.
  init(program: Program, event: Event, customer: Customer, working: WorkingState,
       buffers: consuming EvaluationBuffers = EvaluationBuffers()) {
    self.program = program
    self.event = event
    self.customer = customer
    self.working = working
    (today, minuteOfDay) = program.timeZone(for: customer).localTime(of: event.time)
    var lent = buffers
    exchangeBuffers(with: &lent)
    lines.removeAll(keepingCapacity: true)
  }

  /// Hands the buffers back to the account (the run is done with them).
  mutating func takeBuffers() -> EvaluationBuffers {
    var buffers = EvaluationBuffers()
    exchangeBuffers(with: &buffers)
    return buffers
  }

  /// Swaps the run's buffers with `buffers`: swapped, not copied, so that each array has one
  /// owner and is refilled in place.
  private mutating func exchangeBuffers(with buffers: inout EvaluationBuffers) {
    swap(&lines, &buffers.lines)
    swap(&firingStorage, &buffers.firing)
    swap(&balancesBefore, &buffers.balancesBefore)
    swap(&earnedDelta, &buffers.earnedDelta)
    swap(&flatPoints, &buffers.flatPoints)
    swap(&linePoints, &buffers.linePoints)
    swap(&tally, &buffers.tally)
  }

  /// Hands the working values back to the account (the run is done with them).
  mutating func takeWorking() -> WorkingState {
    var taken = WorkingState.empty
    swap(&taken, &working)
    return taken
  }

  var currency: Currency { program.currency }

  func money(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: currency) }

  /// An award's explanation, written only when the caller asked for explanations.
  func explain(_ text: @autoclosure () -> String) -> String { options.explanations ? text() : "" }

  mutating func evaluate() throws(EvaluationError) {
    let tierAtStart = working.tier
    // Read once: the purchase brings it up to date for the review (`recordPurchase`).
    var measure = runningTierMeasure()
    heldTier = effectiveTier(qualified: qualifiedTier(measure: measure))
    releaseHeldTransfers()
    if case .return(let original) = event.kind { cancelHeldTransfers(original: original) }
    linePoints.reset(lines: 0, currencies: 0)
    flatPoints.removeAll(keepingCapacity: true)
    flatPoints.append(contentsOf: repeatElement(0, count: program.points.count))
    shortfall = []  // sized by a return, the only event that can fall short
    switch event.kind {
    case .purchase:
      // Room for the usual awards (stamps, free items, points, a bonus) without regrowing.
      awards.reserveCapacity(min(8, program.cards.count + program.rules.count + 2))
      try buildLines()
      if options.keepsReturnRecords {
        linePoints.reset(lines: lines.count, currencies: program.points.count)
        purchaseContext = capturedPurchaseContext()
      }
      try collectStamps()
    case .redemption(let reward):
      try redeem(reward)
      finishTransaction()
      return
    case .return(let original):
      // Returns reduce tier spend but never downgrade before the review (see PeriodEnd.swift).
      shortfall = Array(repeating: 0, count: program.points.count)
      try processReturn(original)
      finishTransaction()
      return
    case .signup, .custom: break
    }
    // Copied element by element: sharing the balances' storage would copy it at the first award.
    balancesBefore.removeAll(keepingCapacity: true)
    balancesBefore.append(contentsOf: working.balances)
    var firing: [Int] = []
    swap(&firing, &firingStorage)
    firing.removeAll(keepingCapacity: true)
    collectFiringRules(conditionContext(), into: &firing)
    // Groups, budgets and promotions (Stacking.swift), then earning on the discounted lines.
    try applyRules(firing)
    noteBudgetRefusals()
    swap(&firing, &firingStorage)
    settleEarnedLots(since: balancesBefore)
    if event.kind == .purchase {
      try collectSpendCards()
      notePurchaseForContact()
      measure = try recordPurchase(updating: measure)
      if options.keepsReturnRecords { recordTransaction() } else { working.pruneRecords(today: today) }
      try accrueRebates()
    }
    reviewTier(measure: measure)
    try fireTierRules(from: tierAtStart, atPeriodEnd: false)
    sendQueuedMessages(atPeriodEnd: false)
    finishTransaction()
  }

  /// Remembers the transaction id (duplicates) and the last processed day.
  mutating func finishTransaction() {
    working.recentTransactions.append(event.id)
    if working.recentTransactions.count > AccountState.recentTransactionLimit {
      working.recentTransactions.removeFirst(working.recentTransactions.count - AccountState.recentTransactionLimit)
    }
    if working.processedThrough.map({ $0 < today }) ?? true { working.processedThrough = today }
    reconcileLots()
    compactLots()
  }

  /// The outcome with every figure but its `state` (left empty), from the run's working values;
  /// `base` is the account's stored state, read for till facts only (taken from the account only
  /// then: a copy of a state retains each of its collections).
  func summary(tierBefore: String?, base: @autoclosure () -> AccountBase) -> Outcome {
    summary(tierBefore: tierBefore, balances: program.balancesByName(working.balances), tierAfter: working.tier,
            state: options.tillFacts ? working.accountState(base: base(), program: program) : nil)
  }

  /// The outcome from the balances and tier after the event; `state` is read for till facts only.
  func summary(tierBefore: String?, balances: NamedAmounts, tierAfter: String?, state: AccountState?) -> Outcome {
    let paid = lines.reduce(Int64(0)) { $0 &+ $1.netMinor }
    var earned = NamedAmounts()
    for award in awards {
      // Awards were already summed into balances with overflow checks, so these sums fit.
      if case .points(let name, let amount, _) = award.kind { earned[name] = (earned[name] ?? 0) &+ amount }
    }
    // The held tier's name read in place: binding the program's `TierSpec` copies it.
    var heldName: String?
    if tierBefore == nil, let heldTier, let levels = program.tiers?.levels { heldName = levels[heldTier].name }
    // One variable, returned as it is: an outcome copied to add what follows cost about 1,800
    // instructions a till event.
    var outcome = Outcome(eventID: event.id, awards: awards, duplicate: false, balances: balances, amountPaid: money(paid),
                          tierBefore: tierBefore ?? heldName, tierAfter: tierAfter, earned: earned,
                          budgetShortfalls: promotions.shortfalls)
    // Most events have none of what follows.
    let isReturn = if case .return = event.kind { true } else { false }
    guard isReturn || options.tillFacts || options.trace || shortfall.contains(where: { $0 > 0 }) || !transfers.released.isEmpty
            || !transfers.held.isEmpty || !transfers.cancelled.isEmpty || !messages.isEmpty
            || !suppressedMessages.isEmpty else { return outcome }
    for index in shortfall.indices where shortfall[index] > 0 { outcome.shortfall[program.points[index].name] = shortfall[index] }
    if case .return = event.kind {
      // The customer is paid back: a return's amount paid is minus its refund.
      outcome.refunded = money(refunded)
      outcome.amountPaid = money(-refunded)
    }
    if options.tillFacts, let state { program.addTillFacts(to: &outcome, state: state, customer: customer, today: today) }
    // (Set only when there are some: the first change to the extras copies them.)
    if !transfers.released.isEmpty { outcome.transfers = transfers.released }
    if !transfers.held.isEmpty { outcome.transfersHeld = transfers.held }
    if !transfers.cancelled.isEmpty { outcome.transfersCancelled = transfers.cancelled }
    if !messages.isEmpty { outcome.messages = messages }
    if !suppressedMessages.isEmpty { outcome.suppressedMessages = suppressedMessages }
    if options.trace { outcome.trace = trace }
    return outcome
  }

  // MARK: - Basket

  /// The basket's lines with their filter bits. The basket was validated before the run began.
  mutating func buildLines() throws(EvaluationError) {
    for item in event.lines {
      let gross = item.unitPrice.minorUnits &* item.quantity
      let bits = program.filterBits(category: item.category, sku: item.sku)
      lines.append(BasketLine(sku: item.sku, unitMinor: item.unitPrice.minorUnits, quantity: item.quantity,
                              grossMinor: gross, netMinor: gross, filterBits: bits))
    }
  }

  // MARK: - Phase 1: stamp cards

  mutating func collectStamps() throws(EvaluationError) {
    EvaluationRun.collectStamps(program: program, lines: &lines, stamps: &working.stamps, awards: &awards, today: today,
                                explaining: options.explanations)
  }

  /// Collects the stamps of the cards filled per item or per visit and gives what completed
  /// cards give (free items off `lines`): the general evaluation and the purchase plan.
  static func collectStamps<Sink: AwardSink>(program: Program, lines: inout [BasketLine], stamps: inout [Int64], awards: inout Sink,
                                             today: LocalDate, explaining: Bool) {
    let currency = program.currency
    // Cards are read in place by index; one is copied (each field retained) only when completed.
    for cardIndex in program.cards.indices {
      // Spend cards fill with net spend in collectSpendCards, after free items and promotions.
      guard let earned = program.cards[cardIndex].collect.stamps(on: lines), earned > 0 else { continue }
      let every = program.cards[cardIndex].every
      let total = stamps[cardIndex] + earned
      let completed = total / every
      stamps[cardIndex] = total % every
      let name = program.cards[cardIndex].name
      awards.add(Award(kind: .stamps(card: name, count: earned), source: name, location: program.cards[cardIndex].location,
                       explanation: !explaining ? "" : TextWriter.assemble { text in
                         text.write(earned)
                         text.write(earned == 1 ? " stamp collected; " : " stamps collected; ")
                         text.write(total)
                         text.write(" on the card of ")
                         text.write(every)
                         guard completed > 0 else { return }
                         text.write(", ")
                         text.write(completed)
                         text.write(completed == 1 ? " card completed" : " cards completed")
                       }), filed: .stamps(card: cardIndex, program: program))
      guard completed > 0 else { continue }
      let card = program.cards[cardIndex]
      let filled = explaining ? "card of \(card.every) stamps completed" : ""
      switch card.reward {
      case .cheapestItemFree(let filter), .mostExpensiveItemFree(let filter):
        let cheapest = if case .cheapestItemFree = card.reward { true } else { false }
        makeFree(completed, filter: filter, cheapest: cheapest, card: cardIndex, program: program, lines: &lines, awards: &awards,
                 explanation: explaining ? "\(filled): the \(cheapest ? "cheapest" : "most expensive") qualifying item is free" : "")
      case .reward(let index):
        let reward = program.rewards[index]
        for _ in 0..<completed {
          awards.add(Award(kind: .reward(name: reward.name, value: Money(minorUnits: reward.worthMinor, currency: currency)),
                           source: card.name, location: card.location, explanation: filled),
                     filed: .reward(source: program.rules.count + cardIndex, value: reward.worthMinor))
        }
      case .voucher:
        giveCardVouchers(completed, card: cardIndex, program: program, filled: filled, today: today, explaining: explaining,
                         awards: &awards)
      }
    }
  }

  /// Refuses a purchase basket no till could ring up. Checked before anything else, so a
  /// refused basket changes nothing.
  static func validateBasket(_ event: Event, currency: Currency) throws(EvaluationError) {
    var units: Int64 = 0
    for item in event.lines { try countUnits(item.quantity, into: &units) }
    for item in event.lines {
      guard item.unitPrice.currency == currency else {
        throw EvaluationError("line `\(item.sku)` is priced in \(item.unitPrice.currency.code) but the program uses \(currency.code)")
      }
      try validateLine(sku: item.sku, quantity: item.quantity, unitMinor: item.unitPrice.minorUnits, currency: currency)
    }
    var total: Int64 = 0
    for item in event.lines { try addToTotal(item.unitPrice.minorUnits &* item.quantity, total: &total, currency: currency) }
  }

  /// ``validateBasket(_:currency:)`` of a planned basket's lines, whose prices are in the
  /// program's currency: the same checks in the same order, with the same messages.
  static func validateBasket(_ lines: [BasketLine], currency: Currency) throws(EvaluationError) {
    var units: Int64 = 0
    for line in lines { try countUnits(line.quantity, into: &units) }
    for line in lines { try validateLine(sku: line.sku, quantity: line.quantity, unitMinor: line.unitMinor, currency: currency) }
    var total: Int64 = 0
    for line in lines { try addToTotal(line.grossMinor, total: &total, currency: currency) }
  }

  /// Adds a line's units to the basket's: free items, deals and returns work unit by unit; a
  /// basket beyond any till's is refused rather than letting a mistyped quantity stall evaluation.
  private static func countUnits(_ quantity: Int64, into units: inout Int64) throws(EvaluationError) {
    let (sum, overflow) = units.addingReportingOverflow(max(quantity, 0))
    units = sum
    guard !overflow, units <= EvaluationRun.largestBasketUnits else {
      throw EvaluationError("the basket has more than \(EvaluationRun.largestBasketUnits) units; a purchase is at most a million items")
    }
  }

  /// Checks one line of a basket priced in the program's currency.
  private static func validateLine(sku: String, quantity: Int64, unitMinor: Int64, currency: Currency) throws(EvaluationError) {
    guard quantity > 0 else {
      throw EvaluationError("line `\(sku)` has quantity \(quantity); a purchase needs positive quantities")
    }
    // Refunds are not purchases: a negative price would earn negative points.
    guard unitMinor >= 0 else {
      throw EvaluationError("line `\(sku)` has a negative price \(Money(minorUnits: unitMinor, currency: currency)); refunds are not purchases")
    }
    let (_, overflow) = unitMinor.multipliedReportingOverflow(by: quantity)
    guard !overflow else {
      throw EvaluationError("line `\(sku)` overflows: \(quantity) × \(Money(minorUnits: unitMinor, currency: currency))")
    }
  }

  /// Adds a line's gross to the basket's total. Every phase adds lines up (discounts, earning,
  /// the ledger): a basket whose total does not fit is refused here rather than trapping in one of them.
  private static func addToTotal(_ gross: Int64, total: inout Int64, currency: Currency) throws(EvaluationError) {
    let (sum, overflow) = total.addingReportingOverflow(gross)
    guard !overflow else {
      throw EvaluationError("the basket's total overflows: its lines add up to more than \(Money(minorUnits: .max, currency: currency))")
    }
    total = sum
  }

  /// The most units one basket may hold.
  static let largestBasketUnits: Int64 = 1_000_000

  /// Makes `count` units of `lines` free, cheapest (or dearest) first, ties to the earlier
  /// line, and adds an award per unit (the general evaluation and the purchase plan).
  static func makeFree<Sink: AwardSink>(_ count: Int64, filter: Int?, cheapest: Bool, card cardIndex: Int, program: Program,
                                        lines: inout [BasketLine], awards: inout Sink, explanation: String) {
    var remaining = count
    while remaining > 0 {
      var best: Int?
      for index in lines.indices where lines[index].matches(filter) && lines[index].freeUnits < lines[index].quantity {
        guard let current = best else { best = index; continue }
        if cheapest ? lines[index].unitMinor < lines[current].unitMinor : lines[index].unitMinor > lines[current].unitMinor { best = index }
      }
      guard let index = best else { break }
      // Every unit of the chosen line stays the best choice until the line runs out.
      let taken = min(remaining, lines[index].quantity - lines[index].freeUnits)
      lines[index].freeUnits += taken
      lines[index].netMinor -= lines[index].unitMinor * taken
      remaining -= taken
      for _ in 0..<taken {
        awards.add(Award(kind: .freeItem(sku: lines[index].sku, value: Money(minorUnits: lines[index].unitMinor, currency: program.currency)),
                         source: program.cards[cardIndex].name, location: program.cards[cardIndex].location, explanation: explanation),
                   filed: .freeItem(card: cardIndex, value: lines[index].unitMinor, program: program))
      }
    }
  }

  // MARK: - Phase 3: conditions and limits

  /// Appends to `firing` the rules whose trigger, condition and limits let them fire, in file order.
  mutating func collectFiringRules(_ context: EvaluationContext, into firing: inout [Int]) {
    // Rules are read in place by index: copying a `RuleSpec` retains each of its fields.
    for index in program.rules.indices {
      switch (program.rules[index].trigger, event.kind) {
      case (.purchase, .purchase), (.signup, .signup): break
      case (.custom(let name), .custom(let happened)) where name == happened: break
      default: continue
      }
      if let condition = program.rules[index].condition {
        let holds = condition(context)
        if options.trace { _ = holds ? trace.conditionsTrue.insert(index) : trace.conditionsFalse.insert(index) }
        if !holds {
          if options.tallies { tally.note(.conditionFalse, rule: index, rules: program.rules.count) }
          continue
        }
      }
      if !program.rules[index].limits.isEmpty, !withinLimits(program.rules[index].limits, awards: working.ruleAwards[index]) {
        if options.trace { trace.limitsReached.insert(index) }
        if options.tallies { tally.note(.limitReached, rule: index, rules: program.rules.count) }
        continue
      }
      if options.trace { trace.fired.insert(index) }
      if options.tallies { tally.note(.fired, rule: index, rules: program.rules.count) }
      firing.append(index)
    }
  }

  func withinLimits(_ limits: [LimitSpec], awards: [LocalDate]) -> Bool {
    EvaluationRun.withinLimits(limits, awards: awards, today: today, customer: customer)
  }

  /// Whether a rule that gave on the days `awards` may give again today under `limits`.
  static func withinLimits(_ limits: [LimitSpec], awards: [LocalDate], today: LocalDate, customer: Customer) -> Bool {
    // A rule that never gave anything is within every limit (no period's start to work out).
    guard !awards.isEmpty else { return limits.allSatisfy { $0.count > 0 } }
    for limit in limits {
      let since: LocalDate?
      switch limit.period {
      case .ever: since = nil
      case .calendar(let unit): since = WorkingState.start(of: .calendar(unit), today: today)
      case .rollingDays(let n): since = today.adding(days: -(n - 1))
      case .rollingMonths(let n): since = today.adding(months: -n).adding(days: 1)
      case .birthday, .anniversary:
        if !withinDateLimit(limit, awards: awards, today: today, customer: customer) { return false }
        continue
      }
      var used = 0
      for day in awards where since.map({ day >= $0 }) ?? true { used += 1 }
      if used >= limit.count { return false }
    }
    return true
  }

  // MARK: - Phases 4-6: earning, multipliers, bonuses

  mutating func earn(_ firing: [Int]) throws(EvaluationError) {
    // Lines claimed by a replacing rule leave the replaced rule's spend.
    let replacing = firing.contains { program.rules[$0].replaces != nil }
    // Multipliers: the tier's (made once, with the program), then every firing `multiply`, per
    // currency (built only when one fires: most events earn at the tier's rate alone).
    let tierMultipliers = heldTier.map { program.tierMultipliers[$0] } ?? []
    var multipliers: [[Multiplier]] = []
    for index in firing {
      for case .multiply(let currency, let factor) in program.rules[index].effects {
        if multipliers.isEmpty { multipliers = Array(repeating: tierMultipliers, count: program.points.count) }
        multipliers[currency].append(Multiplier(factor: factor, source: program.rules[index].name,
                                                rounding: program.rules[index].pointsRounding))
      }
    }
    // The rule is read field by field in place: a copy of a `RuleSpec` retains each of its fields.
    for index in firing {
      var gave = false
      for effect in program.rules[index].effects {
        switch effect {
        case .earn(let rate, let currency, let basis):
          if try earnPoints(rule: index, rate: rate, currency: currency, basis: basis,
                            excluded: replacing ? excludedLines(of: index, firing: firing) : .none,
                            multipliers: multipliers.isEmpty ? tierMultipliers : multipliers[currency]) { gave = true }
        case .multiply:
          gave = true
        case .price:
          if promotions.priceGave.contains(index) { gave = true }
        case .voucher(let name, let worth, let days, let months):
          let until = EvaluationRun.voucherValidUntil(today: today, days: days, months: months)
          awards.append(Award(kind: .voucher(name: name, value: money(worth), validUntil: until), source: program.rules[index].name,
                              location: program.rules[index].location, explanation: explain("voucher \"\(name)\" worth \(money(worth))"
                                + (until.map { ", valid until \($0)" } ?? ""))))
          gave = true
        case .earnForReferrer(let amount, let currency, let holdDays):
          if holdForReferrer(rule: program.rules[index], amount: amount, currency: currency, holdDays: holdDays) { gave = true }
        case .reward(let rewardIndex):
          let reward = program.rewards[rewardIndex]
          awards.append(Award(kind: .reward(name: reward.name, value: money(reward.worthMinor)), source: program.rules[index].name,
                              location: program.rules[index].location, explanation: explain("\(reward.name) given free (worth \(money(reward.worthMinor)))")))
          gave = true
        case .message(let message):
          queuedMessages.append(QueuedMessage(rule: index, spec: message))
          gave = true
        }
      }
      if gave, !program.rules[index].limits.isEmpty { working.ruleAwards[index].append(today) }
    }
  }

  /// The lines that firing rules replacing rule `index` earn on: they leave its spend.
  func excludedLines(of index: Int, firing: [Int]) -> LineSet {
    var excluded = LineSet()
    for replacer in firing where program.rules[replacer].replaces == index {
      for case .earn(_, _, let basis) in program.rules[replacer].effects {
        let filter: Int?
        switch basis {
        case .perSpend(_, _, let f, _), .perItem(let f, _): filter = f
        case .flat: continue
        }
        for (lineIndex, line) in lines.enumerated() where line.matches(filter) { excluded.insert(lineIndex) }
      }
    }
    return excluded
  }

  /// Computes one earn award; returns whether it gave anything.
  /// The rule and the currency are read by index, in place (copying their specs retains each field).
  mutating func earnPoints(rule: Int, rate: ExactDecimal, currency: Int, basis: EarnBasisSpec,
                           excluded: LineSet, multipliers: [Multiplier]) throws(EvaluationError) -> Bool {
    let explaining = options.explanations
    var numerator = Int128(rate.significand)
    var denominator = rate.denominator
    // What the explanation's first part counts: spend (minor units) or units.
    var spend: Int64 = 0
    var units: Int64 = 0
    var applied = multipliers
    switch basis {
    case .flat:
      applied = []
    case .perSpend(let perMinor, let whole, let filter, let before):
      for (i, line) in lines.enumerated() where line.matches(filter) && !excluded.contains(i) {
        spend &+= before ? line.grossMinor : line.netMinor
      }
      guard spend > 0 else { return false }
      if whole {
        units = spend / perMinor
        guard units > 0 else { return false }
        numerator *= Int128(units)
      } else {
        numerator *= Int128(spend)
        denominator *= Int128(perMinor)
      }
    case .perItem(let filter, let before):
      for (i, line) in lines.enumerated() where line.matches(filter) && !excluded.contains(i) {
        units += before ? line.quantity : line.quantity - line.freeUnits
      }
      guard units > 0 else { return false }
      numerator *= Int128(units)
    }
    for multiplier in applied {
      let factor = multiplier.factor
      let (n, o1) = numerator.multipliedReportingOverflow(by: Int128(factor.significand))
      let (d, o2) = denominator.multipliedReportingOverflow(by: factor.denominator)
      guard !o1, !o2 else { throw EvaluationError("points of rule `\(program.rules[rule].name)` overflow") }
      numerator = n
      denominator = d
    }
    // The earning rule's own `round` wins, then a `multiply` rule's that was applied (the checker
    // refuses two that differ), then the currency's.
    let rounding = program.rules[rule].pointsRounding ?? applied.lazy.compactMap(\.rounding).first ?? program.points[currency].rounding
    guard var amount = rounding.divide(numerator, by: denominator) else {
      throw EvaluationError("points of rule `\(program.rules[rule].name)` overflow")
    }
    var text = !explaining ? "" : earnExplanation(rate: rate, currency: currency, basis: basis, spend: spend, units: units, applied: applied,
                                                  numerator: numerator, denominator: denominator, amount: amount, rounding: rounding)
    // Caps (Caps.swift) trim earning after multipliers; flat bonuses are not capped.
    var lost: Int64 = 0
    if case .flat = basis {} else { (amount, lost) = applyCaps(amount, rule: rule, currency: currency, text: &text) }
    guard amount != 0 || lost > 0 else { return false }
    if amount != 0 { attribute(amount, currency: currency, basis: basis, excluded: excluded) }
    if amount > 0, program.rules[rule].holdDays > 0 { heldEarnings.append((currency, amount, program.rules[rule].holdDays)) }
    let (balance, overflow) = working.balances[currency].addingReportingOverflow(amount)
    guard !overflow else { throw EvaluationError("the \(program.points[currency].name) balance overflows") }
    working.balances[currency] = balance
    let value = RoundingMode.halfEven.divide(Int128(amount) * Int128(program.points[currency].worthMinor.significand), by: program.points[currency].worthMinor.denominator) ?? 0
    if explaining, let note = program.amountBasis.explanationNote { text += " (\(note))" }
    awards.append(Award(kind: .points(currency: program.points[currency].name, amount: amount, value: money(value)), source: program.rules[rule].name,
                        location: program.rules[rule].location, explanation: explain(text)))
    return true
  }

  /// An earn award's explanation before caps: `$4.50 spent × 2 stars per $1 × 1.5 (gold) = 13.5 → 13 stars (round down)`.
  func earnExplanation(rate: ExactDecimal, currency: Int, basis: EarnBasisSpec, spend: Int64, units: Int64, applied: [Multiplier],
                       numerator: Int128, denominator: Int128, amount: Int64, rounding: RoundingMode) -> String {
    // Each number is turned into text once, outside the writer's two passes.
    let name = program.points[currency].name
    let rateText = rate.description
    var perText = "", spendText = ""
    if case .perSpend(let perMinor, _, _, _) = basis {
      perText = money(perMinor).description
      spendText = money(spend).description
    }
    let factors = applied.map { $0.factor.description }
    let exact = numerator % denominator == 0
    let quotient = exact ? "" : EvaluationRun.decimalText(numerator, denominator)
    return TextWriter.assemble { text in
      switch basis {
      case .flat:
        text.write(rateText)
        text.write(" ")
        text.write(name)
      case .perSpend(_, let whole, _, let before):
        if whole {
          text.write(units)
          text.write(" × ")
          text.write(perText)
          text.write(" of ")
        }
        text.write(spendText)
        text.write(before ? " spent before discounts × " : " spent × ")
        text.write(rateText)
        text.write(" ")
        text.write(name)
        text.write(" per ")
        text.write(perText)
      case .perItem(_, let before):
        text.write(units)
        text.write(units == 1 ? " item" : " items")
        if before { text.write(", free ones included,") }
        text.write(" × ")
        text.write(rateText)
        text.write(" ")
        text.write(name)
        text.write(" per item")
      }
      for index in applied.indices {
        text.write(" × ")
        text.write(factors[index])
        text.write(" (")
        text.write(applied[index].source)
        text.write(")")
      }
      text.write(" = ")
      if !exact {
        text.write(quotient)
        text.write(" → ")
      }
      text.write(amount)
      text.write(" ")
      text.write(name)
      if !exact {
        text.write(" (round ")
        text.write(rounding.rawValue)
        text.write(")")
      }
    }
  }

  /// An exact quotient for explanations: up to 6 decimals, then `…`.
  static func decimalText(_ numerator: Int128, _ denominator: Int128) -> String {
    let negative = (numerator < 0) != (denominator < 0)
    let n = numerator < 0 ? -numerator : numerator
    let d = denominator < 0 ? -denominator : denominator
    var text = String(n / d)
    var remainder = n % d
    if remainder != 0 {
      text += "."
      var digits = 0
      while remainder != 0, digits < 6 {
        remainder *= 10
        text += String(remainder / d)
        remainder %= d
        digits += 1
      }
      if remainder != 0 { text += "…" }
    }
    return (negative ? "-" : "") + text
  }

  // MARK: - Phase 8: state update and tier review

  /// Records the purchase in the ledgers and returns the tier measure `measure` (read before
  /// it) with the purchase added, or nil when it must be read from the ledger again.
  mutating func recordPurchase(updating measure: TierMeasure?) throws(EvaluationError) -> TierMeasure? {
    let paid = lines.reduce(Int64(0)) { $0 &+ $1.netMinor }
    let oldest = today.adding(days: -program.horizonDays)
    // The purchase adds its spend, and a visit on a day without one: every day it could drop
    // is older than any window (the horizon), so nothing else in the window changes. A filtered
    // tier ledger and a ledger holding later days (events out of order) are read again.
    var updated: TierMeasure?
    var visitedToday = false
    if let measure, program.tiers?.filter == nil {
      if let last = working.ledger.last, last.date > today {
        updated = nil
      } else {
        visitedToday = working.ledger.last.map { $0.date == today && $0.purchases > 0 } ?? false
        updated = TierMeasure(spend: WorkingState.saturatingSum(measure.spend, paid), visits: measure.visits + (visitedToday ? 0 : 1))
      }
    }
    // Recording drops the running sum of the tier window (the ledger changed): it is set again
    // with the purchase added, for the next event, as the purchase plan does.
    let running = updated == nil ? nil : working.tierWindow
    try WorkingState.record(paid, purchases: 1, on: today, oldest: oldest, in: &working.ledger)
    working.tierWindow = running?.recording(paid, visitedBefore: visitedToday, in: working.ledger)
    // Tiers that count only some lines: their spend, and a visit only when one of them was bought.
    if let spec = program.tiers, let filter = spec.filter {
      var counted: Int64 = 0
      var any = false
      for line in lines where line.matches(filter) {
        counted &+= line.netMinor
        any = true
      }
      if any { try WorkingState.record(counted, purchases: 1, on: today, oldest: oldest, in: &working.tierLedger) }
    }
    working.purchaseCount += 1
    if working.lastPurchase.map({ $0 < today }) ?? true { working.lastPurchase = today }
    working.triggers.recordVisit(on: today)
    return updated
  }

  /// Spend and visits in the tier window ending today, which the tier levels are measured on.

  /// ``tierMeasure()`` from the running sum of the tier window the account keeps between events
  /// (``TierWindowSum``, exact by construction) when the tiers count every line: an account
  /// kept between events (the account forms, a state handed back with its working form) then
  /// does not add up the window's days on every event.
  mutating func runningTierMeasure() -> TierMeasure? {
    guard let spec = program.tiers, !spec.levels.isEmpty else { return nil }
    guard spec.filter == nil, program.windows.indices.contains(spec.window) else { return tierMeasure() }
    let (spend, visits) = working.plannedTierSum(program.windows[spec.window], today: today)
    return TierMeasure(spend: spend, visits: visits)
  }

  /// The tier measure read from the ledger; nil without tiers.
  func tierMeasure() -> TierMeasure? {
    guard let spec = program.tiers, !spec.levels.isEmpty else { return nil }
    let (spend, visits) = working.tierSum(program, today: today)
    return TierMeasure(spend: spend, visits: visits)
  }

  /// The highest level the measure reaches in the tier window ending today.
  func qualifiedTier() -> Int? { qualifiedTier(measure: tierMeasure()) }

  /// The highest level `measure` reaches (nil without tiers).
  func qualifiedTier(measure: TierMeasure?) -> Int? {
    guard let spec = program.tiers, !spec.levels.isEmpty, let measure else { return nil }
    return spec.qualifiedLevel(measure)
  }

  /// The held tier: the qualified one, or a higher one still kept (the kept day itself
  /// included), or — with scheduled reviews — the tier stored until a review lowers it.
  func effectiveTier(qualified: Int?) -> Int? {
    guard let kept = keptTier(qualified: qualified) else { return nil }
    guard program.tiers?.review != nil, let stored = storedTier else { return kept }
    return max(kept, stored)
  }

  /// The qualified tier, or a higher one still kept on today.
  func keptTier(qualified: Int?) -> Int? {
    guard let qualified else { return nil }
    return working.keptTier(qualified: qualified, today: today)
  }

  /// Reviews the tier on the measure of today's tier window (`measure`, read from the ledger when nil).
  mutating func reviewTier(measure known: TierMeasure? = nil) {
    guard let measure = known ?? tierMeasure() else { return }
    guard let spec = program.tiers, let qualified = qualifiedTier(measure: measure) else { return }
    working.keepTier(qualified: qualified, spec: spec, today: today, customer: customer)
    let held = effectiveTier(qualified: qualified)
    let newName = held.map { spec.levels[$0].name }
    // The change is measured against the tier the customer last saw (the stored name), so
    // a lapsed gold reads gold → member; a fresh account has none stored and is measured
    // against the tier earning used, so reaching gold reads green → gold.
    let previous = working.tier ?? heldTier.map { spec.levels[$0].name }
    working.tier = newName
    if newName != previous {
      do {
        let (spend, visits) = (measure.spend, measure.visits)
        awards.append(Award(kind: .tierChange(from: previous, to: newName), source: "tiers", location: spec.location,
                            explanation: explain("\(previous ?? "no tier") → \(newName ?? "no tier"): \(money(spend)) spent and \(visits) visit\(visits == 1 ? "" : "s") in the tier window")))
      }
    }
  }
}

extension CardSpec.Collect {
  /// The stamps a basket collects on a card collected per item or per visit; nil for a spend
  /// card, which fills once free items and promotions have set the net spend.
  func stamps(on lines: [BasketLine]) -> Int64? {
    switch self {
    case .perItem(let count, let filter):
      var units: Int64 = 0
      for line in lines where line.matches(filter) { units += line.quantity }
      return units * count
    case .perVisit(let count): return count
    case .spend: return nil
    }
  }
}
