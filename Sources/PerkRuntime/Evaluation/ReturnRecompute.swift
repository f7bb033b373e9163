/// Returns by recomputation: what the customer would have earned had they bought only what they
/// kept, minus what they did earn.
///
/// A purchase's record keeps its context (``PurchaseContext``: its time, store and channel, the
/// tier held, the rules that could fire, balances, stamps, history figures and cap usage before
/// it). A return evaluates the purchase's rules again, in that context, on the basket as it was
/// before this return and on the basket now kept; each award is reversed by the difference and
/// attributed to the rule (or card) that made it, as that rule's return policy says:
/// - `recompute awards` (the default): the whole difference;
/// - `keep awards`: nothing (the award survives any return);
/// - `reverse awards by share`: the award's share of what came back of the lines it was earned
///   on (a bonus earned on no line, a voucher or a reward: only when the whole basket is back).
/// Money follows the same evaluations: the customer ends up having paid what the kept basket
/// costs (when every rule and card that changed the price keeps its awards or reverses them by
/// share, returned units come back at the price paid for them instead). A return never charges
/// the customer. Limits and caps are read as they stood at the purchase and a reversal gives
/// back no room under them.
extension EvaluationRun {
  /// The purchase's awards and prices on one version of its basket.
  struct BasketVersion {
    var totals = AwardTotals()
    /// Net amount paid per record line, in minor units.
    var lineNet: [Int64]
    var paid: Int64 { lineNet.reduce(0, &+) }
  }

  /// Records what a purchase's rules read besides its basket, before its stamps and rules run:
  /// limits are read now, as they stand before this purchase uses any.
  func capturedPurchaseContext() -> PurchaseContextBox {
    var stamps = NamedAmounts()
    for k in program.cards.indices where working.stamps[k] != 0 { stamps[program.cards[k].name] = working.stamps[k] }
    var balances = NamedAmounts()
    for c in program.points.indices where working.balances[c] != 0 { balances[program.points[c].name] = working.balances[c] }
    var windows: [PurchaseContext.WindowFigures] = []
    if !program.conditionWindows.isEmpty {
      windows.reserveCapacity(program.conditionWindows.count)
      for id in program.conditionWindows {
        let (spend, visits) = working.sum(program.windows[id], today: today)
        windows.append(PurchaseContext.WindowFigures(window: program.windowKeys[id], spend: spend, visits: visits))
      }
    }
    var capsUsed = NamedAmounts()
    for (key, period) in program.calendarCaps {
      let used = capUsed(key, period: period)
      if used != 0 { capsUsed[key] = used }
    }
    // Usually none: the shared list of purchase rules is then stored as it is.
    var excluded: [String] = []
    for index in program.limitedPurchaseRules where !withinLimits(program.rules[index].limits, awards: working.ruleAwards[index]) {
      excluded.append(program.rules[index].name)
    }
    let visited = working.ledger.last(where: { $0.date == today }).map { $0.purchases > 0 } ?? false
    return PurchaseContextBox(PurchaseContext(
      time: event.time, store: event.store, channel: event.channel, tier: heldTier.flatMap { program.tiers?.levels[$0].name },
      eligibleRules: program.purchaseRuleNames, excludedRules: excluded, balances: balances, stamps: stamps,
      lastPurchase: working.lastPurchase, purchaseCount: working.purchaseCount, visitedToday: visited,
      lastVisitWeek: working.triggers.lastVisitWeek, visitStreak: working.triggers.visitStreak, windows: windows,
      capsUsed: capsUsed))
  }

  /// Adds the rules a budget refused to the recorded ones that could not fire.
  mutating func noteBudgetRefusals() {
    guard let box = purchaseContext, !promotions.shortfalls.isEmpty else { return }
    var context = box.value
    for shortfall in promotions.shortfalls where !context.excludedRules.contains(shortfall.rule) {
      context.excludedRules.append(shortfall.rule)
    }
    purchaseContext = PurchaseContextBox(context)
  }

  /// The purchase's rules on `kept` units of each line of `record`, in the purchase's context.
  func evaluateAgain(_ record: TransactionRecord, context: PurchaseContext, kept: [Int64]) throws(EvaluationError) -> BasketVersion {
    var version = BasketVersion(lineNet: Array(repeating: 0, count: record.lines.count))
    // Nothing kept is nothing bought: no visit, no stamp, no bonus.
    guard kept.contains(where: { $0 > 0 }) else { return version }
    var items: [LineItem] = []
    var recordLine: [Int] = []
    for (i, line) in record.lines.enumerated() where kept[i] > 0 {
      items.append(LineItem(sku: line.sku, category: line.category, quantity: kept[i],
                            unitPrice: Money(minorUnits: line.unitMinor, currency: currency)))
      recordLine.append(i)
    }
    let basket = Event(kind: .purchase, id: record.id, time: context.time, lines: items, store: context.store,
                       channel: context.channel)
    var history = WorkingState.empty
    history.balances = program.points.map { context.balances[$0.name] ?? 0 }
    history.stamps = program.cards.map { context.stamps[$0.name] ?? 0 }
    history.keptUntil = (program.tiers?.levels ?? []).map { _ in nil }
    history.ruleAwards = program.rules.map { _ in [] }
    history.rebates = program.rebates.map { _ in RebateAccount() }
    history.ledger = working.ledger  // read only for a window the record did not keep
    history.lastPurchase = context.lastPurchase
    history.purchaseCount = context.purchaseCount
    history.triggers.lastVisitWeek = context.lastVisitWeek
    history.triggers.visitStreak = context.visitStreak
    var again = EvaluationRun(program: program, event: basket, customer: customer, working: history)
    again.options = options
    for (key, used) in context.capsUsed.entries { again.working.capUsage[key] = [AccountState.CapUsage(date: again.today, amount: used)] }
    again.heldTier = program.tiers.map { tiers in context.tier.flatMap { name in tiers.levels.firstIndex { $0.name == name } } ?? 0 }
    var figures: [(spend: Int64, visits: Int64)?] = Array(repeating: nil, count: program.windows.count)
    for window in context.windows {
      if let id = program.windowKeys.firstIndex(of: window.window) { figures[id] = (window.spend, window.visits) }
    }
    again.frozenHistory = FrozenHistory(windows: figures, visitedToday: context.visitedToday)
    // The rules are bound first: a closure reading `program` captured a copy of the whole run.
    let rules = program.rules
    let eligible = rules.indices.filter { index in
      guard case .purchase = rules[index].trigger else { return false }
      let name = rules[index].name
      return context.eligibleRules.contains(name) && !context.excludedRules.contains(name)
    }
    try again.evaluateKeptBasket(eligible: eligible)
    for (j, line) in again.lines.enumerated() { version.lineNet[recordLine[j]] = line.netMinor }
    version.totals = AwardTotals(again.awards)
    return version
  }

  /// The purchase phases (stamps, conditions, promotions, earning, spend cards) on the basket
  /// alone: no period ends, no ledger, no record, no rebate accrual, no tier review.
  mutating func evaluateKeptBasket(eligible: [Int]) throws(EvaluationError) {
    flatPoints = Array(repeating: 0, count: program.points.count)
    try buildLines()
    linePoints.reset(lines: lines.count, currencies: program.points.count)
    try collectStamps()
    balancesBefore = working.balances
    let context = conditionContext()
    let firing = eligible.filter { program.rules[$0].condition.map { condition in condition(context) } ?? true }
    try applyRules(firing)
    try collectSpendCards()
  }

  /// Reverses what a return of `returning` units (per record line) changes, by recomputation.
  mutating func recomputeReturn(_ r: Int, returning: [Int64], context: PurchaseContext, described: String) throws(EvaluationError) {
    var record = working.records[r]
    let returnedBefore = record.lines.map(\.returned)
    let returnedAfter = record.lines.indices.map { returnedBefore[$0] + returning[$0] }
    let full = try evaluateAgain(record, context: context, kept: record.lines.map(\.quantity))
    let before = returnedBefore.allSatisfy({ $0 == 0 })
      ? full : try evaluateAgain(record, context: context, kept: record.lines.indices.map { record.lines[$0].quantity - returnedBefore[$0] })
    let after = try evaluateAgain(record, context: context, kept: record.lines.indices.map { record.lines[$0].quantity - returnedAfter[$0] })
    let wholeBasketBack = returnedAfter.indices.allSatisfy { returnedAfter[$0] >= record.lines[$0].quantity }
    // Explanation texts are written only when explanations are asked for.
    let what = options.explanations ? "return of \(described) from \(record.id)" : ""
    // Every award the purchase ever had: a `share` award may be gone from both baskets and still
    // have its last share to reverse.
    for key in full.totals.keys(with: before.totals).union(after.totals) {
      let policy = returnPolicy(of: key.source)
      let was = before.totals[key]
      let now = after.totals[key]
      let reversed: AwardTotals.Amounts
      switch policy {
      case .recompute: reversed = was - now
      case .keep: reversed = AwardTotals.Amounts()
      case .share:
        let original = full.totals[key]
        let share = shareBasis(of: key.source, record: record)
        reversed = original.sharedKept(returned: returnedBefore, basis: share, whole: false, record: record)
          - original.sharedKept(returned: returnedAfter, basis: share, whole: wholeBasketBack, record: record)
      }
      try reverse(key, by: reversed, policy: policy, was: was, now: now, keptPaid: after.paid, original: record.id, what: what)
      giveBackRoom(key, reversed: reversed, day: record.day)
    }
    for index in program.limitedPurchaseRules {
      let name = program.rules[index].name
      let gave = before.totals.hasAwards(from: name)
      let gives = after.totals.hasAwards(from: name)
      if !gave, gives, returnPolicy(of: name) == .recompute {
        // A rule the kept basket fires and the purchase did not uses its limit on the purchase
        // day, as the kept purchase would have.
        working.ruleAwards[index].append(record.day)
      } else if gave, !gives, program.rules[index].reopensLimitsOnReturn,
                let used = working.ruleAwards[index].lastIndex(of: record.day) {
        // `on return reopen limits and caps`: the use of the purchase day is given back.
        working.ruleAwards[index].remove(at: used)
      }
    }

    // Money: what the kept basket costs when any promotion or card that changed the price
    // recomputes; else (all keep their awards or reverse by share) returned units come back at
    // the price paid for them. Never more than was paid, never a charge: what the refunds add up
    // to is tracked, so a return that would charge gives nothing and the next one makes up for it.
    let repriced = full.totals.moneyKeys.isEmpty || full.totals.moneyKeys.contains { returnPolicy(of: $0.source) == .recompute }
    var context = context
    let owed: Int64
    var perLine: [(sku: String, category: String, refundMinor: Int64)] = []
    if repriced {
      owed = full.paid - after.paid
      for i in record.lines.indices where before.lineNet[i] != after.lineNet[i] {
        perLine.append((record.lines[i].sku, record.lines[i].category, before.lineNet[i] - after.lineNet[i]))
      }
    } else {
      var total: Int64 = 0
      for (i, line) in record.lines.enumerated() {
        let share = { (returned: Int64) in EvaluationRun.share(line.netMinor, min(returned, line.paidUnits), of: line.paidUnits) }
        total += share(returnedAfter[i])
        if returning[i] > 0 { perLine.append((line.sku, line.category, share(returnedAfter[i]) - share(returnedBefore[i]))) }
      }
      owed = total
    }
    let refund = max(0, owed - context.refundedMinor)
    context.refundedMinor += refund
    try reverseRebates(original: record.id, returned: EvaluationRun.rebateRefunds(perLine, recomputedTotal: refund))
    for i in record.lines.indices { record.lines[i].returned = returnedAfter[i] }
    record.context = context
    working.records[r] = record
    // Tier spend: the refund leaves the ledger on the purchase's day; visits and purchase counts stay.
    takeBackSpend(refund, lines: perLine, day: record.day)
    refunded = refund
  }

  /// What a reversal gives back besides the award: the points it took back leave the caps that
  /// counted them on the purchase day (`on return reopen limits and caps`), and a free item a
  /// card gave fills the card again (`on return restore free items`).
  mutating func giveBackRoom(_ key: AwardTotals.Key, reversed: AwardTotals.Amounts, day: LocalDate) {
    switch key.kind {
    case .points(let currency):
      guard reversed.amount > 0, let rule = program.rules.first(where: { $0.name == key.source }), rule.reopensLimitsOnReturn else { return }
      for capKey in ["points \(currency)", "rule \(rule.name)/\(currency)"] {
        guard var entries = working.capUsage[capKey], let d = entries.firstIndex(where: { $0.date == day }) else { continue }
        entries[d].amount = max(0, entries[d].amount - reversed.amount)
        working.capUsage[capKey] = entries
      }
    case .freeItem:
      guard reversed.amount > 0, let k = program.cards.firstIndex(where: { $0.name == key.source }),
            program.cards[k].restoresFreeItemsOnReturn else { return }
      let (stamps, overflow) = program.cards[k].every.multipliedReportingOverflow(by: reversed.amount)
      guard !overflow else { return }
      working.stamps[k] &+= stamps
      awards.append(Award(kind: .stamps(card: key.source, count: stamps), source: key.source, location: program.cards[k].location,
                          explanation: explain("\(reversed.amount) free item\(reversed.amount == 1 ? "" : "s") restored: "
                            + "\(stamps) stamps back on the card, \(working.stamps[k]) on it")))
    case .stamps, .discount, .voucher, .reward:
      return
    }
  }

  /// A source's return policy: its rule's, or for a stamp card, whether it keeps its stamps.
  func returnPolicy(of source: String) -> ReturnPolicy {
    if let rule = program.rules.first(where: { $0.name == source }) { return rule.returnPolicy }
    if let card = program.cards.first(where: { $0.name == source }) { return card.keepsStampsOnReturn ? .keep : .recompute }
    return .recompute
  }

  /// What a `share` rule's awards are in proportion to: the filter and the measure of its first
  /// earning or price effect; nil for a rule earned on no line (a flat bonus, a voucher, a reward).
  func shareBasis(of source: String, record: TransactionRecord) -> ShareBasis? {
    guard let rule = program.rules.first(where: { $0.name == source }) else { return nil }
    for effect in rule.effects {
      switch effect {
      case .earn(_, _, .perSpend(_, _, let filter, let before)):
        return ShareBasis(filter: filter, byUnits: false, program: program, beforeDiscounts: before)
      case .earn(_, _, .perItem(let filter, let before)):
        return ShareBasis(filter: filter, byUnits: true, program: program, beforeDiscounts: before)
      case .price(let price):
        switch price {
        case .percentOff(_, let target, _), .amountOff(_, let target):
          switch target {
          case .basket: return ShareBasis(filter: nil, byUnits: false, program: program)
          case .lines(let filter): return ShareBasis(filter: filter, byUnits: false, program: program)
          case .perItem(let filter): return ShareBasis(filter: filter, byUnits: true, program: program)
          }
        case .deal(_, _, let filter, _), .freeItem(_, let filter): return ShareBasis(filter: filter, byUnits: true, program: program)
        }
      default: continue
      }
    }
    return nil
  }

  /// Applies one reversal to the account and lists it in the outcome.
  mutating func reverse(_ key: AwardTotals.Key, by reversed: AwardTotals.Amounts, policy: ReturnPolicy,
                        was: AwardTotals.Amounts, now: AwardTotals.Amounts, keptPaid: Int64, original: String,
                        what: String) throws(EvaluationError) {
    // Read in place: binding the rule or card copied each of its fields.
    let location = program.rules.firstIndex { $0.name == key.source }.flatMap { program.rules[$0].location }
      ?? program.cards.firstIndex { $0.name == key.source }.flatMap { program.cards[$0].location }
    // Only an explanation reads why (describing the amounts copied the whole run into a closure).
    var why = ""
    if options.explanations {
      switch policy {
      case .recompute:
        why = now == AwardTotals.Amounts() ? "the kept basket (\(money(keptPaid))) earns none of it"
          : "the kept basket (\(money(keptPaid))) earns \(now.describe(key, money: money)) instead of \(was.describe(key, money: money))"
      case .share: why = "its share of what came back"
      case .keep: why = "kept"
      }
    }
    switch key.kind {
    case .points(let name):
      guard reversed.amount != 0, let c = program.points.firstIndex(where: { $0.name == name }) else { return }
      if reversed.amount > 0 {
        let (taken, note) = takeBack(reversed.amount, currency: c, source: original)
        let spec = program.points[c]
        let value = RoundingMode.halfEven.divide(Int128(-taken) * Int128(spec.worthMinor.significand), by: spec.worthMinor.denominator) ?? 0
        awards.append(Award(kind: .points(currency: name, amount: -taken, value: money(value)), source: key.source, location: location,
                            explanation: explain("\(what): \(reversed.amount) \(name) reversed, \(why)\(note)")))
      } else {
        let given = -reversed.amount
        let (balance, overflow) = working.balances[c].addingReportingOverflow(given)
        guard !overflow else { throw EvaluationError("the \(name) balance overflows") }
        working.balances[c] = balance
        let spec = program.points[c]
        if program.keepsLots[c] {
          working.lots.append(PointsLot(currency: name, amount: given, earned: today, expiresOn: spec.expiresOn(earned: today),
                                        source: event.id))
        }
        let value = RoundingMode.halfEven.divide(Int128(given) * Int128(spec.worthMinor.significand), by: spec.worthMinor.denominator) ?? 0
        awards.append(Award(kind: .points(currency: name, amount: given, value: money(value)), source: key.source, location: location,
                            explanation: explain("\(what): \(given) \(name) more, \(why)")))
      }
    case .stamps(let card):
      guard reversed.amount > 0, let k = program.cards.firstIndex(where: { $0.name == card }) else { return }
      // Never below zero: stamps already spent on a completed card are not taken from the next one.
      let removed = min(reversed.amount, max(0, working.stamps[k]))
      guard removed > 0 else { return }
      working.stamps[k] -= removed
      awards.append(Award(kind: .stamps(card: card, count: -removed), source: key.source, location: location,
                          explanation: explain("\(what): \(reversed.amount) stamp\(reversed.amount == 1 ? "" : "s") taken back"
                            + (removed < reversed.amount ? ", \(removed) left on the card to take" : "")
                            + "; \(working.stamps[k]) on the card")))
    case .freeItem(let sku):
      guard reversed.value != 0 else { return }
      awards.append(Award(kind: .freeItem(sku: sku, value: money(-reversed.value)), source: key.source, location: location,
                          explanation: explain("\(what): \(money(reversed.value)) of free \(sku) withdrawn, \(why)")))
    case .discount:
      guard reversed.value != 0 else { return }
      awards.append(Award(kind: .discount(value: money(-reversed.value)), source: key.source, location: location,
                          explanation: explain("\(what): \(money(reversed.value)) of discount withdrawn, \(why)")))
    case .voucher(let name):
      guard reversed.amount > 0 else { return }
      let worth = was.amount > 0 ? was.value / was.amount : 0
      for _ in 0..<reversed.amount {
        awards.append(Award(kind: .voucher(name: name, value: money(-worth), validUntil: nil), source: key.source, location: location,
                            explanation: explain("\(what): voucher \"\(name)\" withdrawn, \(why)")))
      }
    case .reward(let name):
      guard reversed.amount > 0 else { return }
      let worth = was.amount > 0 ? was.value / was.amount : 0
      for _ in 0..<reversed.amount {
        awards.append(Award(kind: .reward(name: name, value: money(-worth)), source: key.source, location: location,
                            explanation: explain("\(what): \(name) withdrawn, \(why)")))
      }
    }
  }

  /// Takes points back: from the purchase's held lot first, then spendable lots; what the
  /// balance cannot cover goes negative or is the outcome's shortfall, as the currency says.
  /// Returns the points taken and a note for the explanation.
  mutating func takeBack(_ amount: Int64, currency c: Int, source original: String) -> (taken: Int64, note: String) {
    let spec = program.points[c]
    let fromPending = takePending(amount, currency: c, source: original)
    var left = amount - fromPending
    reconcileLots()
    let fromLots = takeFromLots(min(left, max(0, working.balances[c])), currency: c, preferring: original)
    working.balances[c] -= fromLots
    left -= fromLots
    var note = fromPending > 0 ? ", \(fromPending) of them still held" : ""
    guard left > 0 else { return (amount, note) }
    if spec.allowNegative {
      working.balances[c] -= left
      note += "; the balance goes to \(working.balances[c])"
      return (amount, note)
    }
    shortfall[c] += left
    note += "; \(left) could not be taken back (the balance never goes below zero)"
    return (amount - left, note)
  }
}

/// What a `share` reversal is in proportion to: the net amount (or the paid units) of the lines
/// a rule's filter matches.
struct ShareBasis {
  var filter: Int?
  var byUnits: Bool
  let program: Program
  /// A rule earning `before discounts` is in proportion to recorded prices and every unit, free ones too.
  var beforeDiscounts = false

  /// The measure of what came back (`returned` units per line) and of the whole purchase.
  func measure(returned: [Int64], record: TransactionRecord) -> (back: Int128, whole: Int128) {
    var back: Int128 = 0
    var whole: Int128 = 0
    for (i, line) in record.lines.enumerated() {
      // The one "does this line match" function, negated filters included.
      guard program.filterBits(category: line.category, sku: line.sku).contains(filter) else { continue }
      let paidBack = min(returned[i], line.paidUnits)
      if beforeDiscounts {
        let units = Int128(line.quantity)
        let unitsBack = Int128(min(returned[i], line.quantity))
        whole += byUnits ? units : Int128(line.unitMinor) * units
        back += byUnits ? unitsBack : Int128(line.unitMinor) * unitsBack
      } else if byUnits {
        whole += Int128(line.paidUnits)
        back += Int128(paidBack)
      } else {
        whole += Int128(max(0, line.netMinor))
        back += line.paidUnits > 0 ? Int128(max(0, line.netMinor)) * Int128(paidBack) / Int128(line.paidUnits) : 0
      }
    }
    return (back, whole)
  }
}

extension FilterBits {
  /// Whether a line with these bits matches `filter` (every line matches no filter).
  func contains(_ filter: Int?) -> Bool { filter.map { contains($0) } ?? true }
}
