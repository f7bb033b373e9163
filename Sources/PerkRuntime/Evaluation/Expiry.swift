/// Points lots: creating them when points are earned, their expiry, and taking points out
/// of them in the program's spending order.
///
/// Invariant kept after every event: for each currency, the spendable (not pending) lots sum
/// to the balance when the balance is zero or more; a negative balance (a clawback the program
/// allows) has no spendable lots, and later earning pays that debt first.
extension PointsSpec {
  /// The fixed expiry day of points earned on `earned` (nil without a fixed lifetime).
  func expiresOn(earned: LocalDate) -> LocalDate? {
    switch expiry {
    case .afterDays(let n)?: return earned.adding(days: n)
    case .afterMonths(let n)?: return earned.adding(months: n)
    case .endOfMonthAfter(let n)?: return earned.startOfMonth.adding(months: n + 1)
    case .inactivityMonths?, .inactivityDays?, nil: return nil
    }
  }

  /// The day a lot is gone: its fixed expiry, or the inactivity limit counted from the later
  /// of the last purchase and the day it was earned, whichever comes first.
  func effectiveExpiry(of lot: PointsLot, lastPurchase: LocalDate?) -> LocalDate? {
    effectiveExpiry(expiresOn: lot.expiresOn, earned: lot.earned, lastPurchase: lastPurchase)
  }

  /// ``effectiveExpiry(of:lastPurchase:)`` from a lot's two days: scans of every lot pass them
  /// read in place, as passing the lot itself copied it (and retained its strings).
  func effectiveExpiry(expiresOn: LocalDate?, earned: LocalDate, lastPurchase: LocalDate?) -> LocalDate? {
    var inactive: LocalDate?
    let active = max(lastPurchase ?? earned, earned)
    switch expiry {
    case .inactivityMonths(let n)?: inactive = active.adding(months: n)
    case .inactivityDays(let n)?: inactive = active.adding(days: n)
    default: break
    }
    switch (expiresOn, inactive) {
    case (let a?, let b?): return min(a, b)
    case (let a?, nil): return a
    case (nil, let b): return b
    }
  }
}

extension EvaluationRun {
  func pointsIndex(named name: String) -> Int? { program.points.firstIndex { $0.name == name } }

  /// Turns what this event added to each balance into lots: the points of rules with a `hold`
  /// (held the longer of the rule's and the currency's hold), then the rest (held when the
  /// currency holds points).
  mutating func settleEarnedLots(since before: [Int64]) {
    earnedDelta.removeAll(keepingCapacity: true)
    for index in working.balances.indices { earnedDelta.append(working.balances[index] - before[index]) }
    for index in program.points.indices where program.keepsLots[index] {
      let spec = program.points[index]
      var delta = working.balances[index] - before[index]
      guard delta > 0 else {
        if delta < 0 { _ = takeFromLots(-delta, currency: index, preferring: nil) }
        continue
      }
      var heldByDays: [Int64: Int64] = [:]
      for held in heldEarnings where held.currency == index { heldByDays[max(held.days, spec.holdDays), default: 0] += held.amount }
      for days in heldByDays.keys.sorted() where delta > 0 {
        // A cap may have trimmed the event's points: never hold more than the event added.
        let amount = min(heldByDays[days] ?? 0, delta)
        delta -= amount
        working.balances[index] -= amount
        working.lots.append(PointsLot(currency: spec.name, amount: amount, earned: today, expiresOn: spec.expiresOn(earned: today),
                                      pendingUntil: today.adding(days: days), source: event.id))
      }
      guard delta > 0 else { continue }
      var lot = PointsLot(currency: spec.name, amount: delta, earned: today, expiresOn: spec.expiresOn(earned: today),
                          source: event.id)
      if spec.holdDays > 0 {
        // Held points are not spendable: they leave the balance until a period end releases them.
        working.balances[index] -= delta
        lot.pendingUntil = today.adding(days: spec.holdDays)
        working.lots.append(lot)
        continue
      }
      // A negative balance (allowed clawback) is a debt the new points pay first.
      if before[index] < 0 { lot.amount = max(0, min(delta, working.balances[index])) }
      if lot.amount > 0 { working.lots.append(lot) }
    }
  }

  /// The order in which lots of one currency are spent: indexes into `working.lots`.
  func spendingOrder(currency: Int) -> [Int] {
    // The lots and days the closures read are bound first: a closure reading `working` captured
    // a copy of the whole run (retaining each of its collections), some 20,000 instructions a call.
    let lots = working.lots
    let lastPurchase = working.lastPurchase
    let spec = program.points[currency]
    let indexes = lots.indices.filter { lots[$0].currency == spec.name && !lots[$0].isPending }
    switch spec.spendOrder {
    case .oldestFirst:
      return indexes.sorted { (lots[$0].earned, $0) < (lots[$1].earned, $1) }
    case .closestToExpiryFirst:
      let far = LocalDate(dayNumber: Int64.max / 2)
      func key(_ i: Int) -> (Int64, Int64, Int) {
        ((spec.effectiveExpiry(expiresOn: lots[i].expiresOn, earned: lots[i].earned, lastPurchase: lastPurchase) ?? far).dayNumber,
         lots[i].earned.dayNumber, i)
      }
      return indexes.sorted { key($0) < key($1) }
    }
  }

  /// Takes up to `amount` spendable points out of lots (the lot from `preferring` first, then the
  /// spending order); returns how many it took. Balances are not touched. A currency without
  /// lots (see ``Program/keepsLots``) gives all of `amount`: callers ask for no more than the balance.
  mutating func takeFromLots(_ amount: Int64, currency: Int, preferring source: String?) -> Int64 {
    guard program.keepsLots[currency] else { return amount }
    var order = spendingOrder(currency: currency)
    if let source {
      let lots = working.lots
      order = order.filter { lots[$0].source == source } + order.filter { lots[$0].source != source }
    }
    var left = amount
    for i in order where left > 0 {
      let take = min(left, working.lots[i].amount)
      working.lots[i].amount -= take
      left -= take
    }
    working.lots.removeAll { $0.amount <= 0 }
    return amount - left
  }

  /// Repairs the lots against the balances (``WorkingState/reconcileLots(_:today:)``).
  mutating func reconcileLots() { working.reconcileLots(program, today: today) }

  /// Merges lots no longer told apart (``WorkingState/compactLots(_:)``).
  mutating func compactLots() { working.compactLots(program) }
}

extension WorkingState {
  /// Repairs lots that disagree with the balance (a state written before lots existed, or a
  /// phase that changed a balance directly): extra lot points go, missing ones become a lot
  /// earned today with no expiry.
  mutating func reconcileLots(_ program: Program, today: LocalDate) {
    // A currency without lots has none (a state written when every currency kept lots).
    if !lots.isEmpty, !program.lotlessCurrencies.isEmpty,
       lots.contains(where: { program.lotlessCurrencies.contains($0.currency) }) {
      lots.removeAll { program.lotlessCurrencies.contains($0.currency) }
    }
    for index in program.points.indices where program.keepsLots[index] {
      // The name alone: copying the spec retained each of its fields, after every purchase.
      let name = program.points[index].name
      var spendable: Int64 = 0
      for i in lots.indices where lots[i].currency == name && !lots[i].isPending { spendable += lots[i].amount }
      let target = max(0, balances[index])
      if spendable > target {
        // Newest first: the excess is most likely what was just trimmed.
        var excess = spendable - target
        for i in lots.indices.reversed() where excess > 0 && lots[i].currency == name
          && !lots[i].isPending {
          let take = min(excess, lots[i].amount)
          lots[i].amount -= take
          excess -= take
        }
        lots.removeAll { $0.amount <= 0 }
      } else if spendable < target {
        lots.append(PointsLot(currency: name, amount: target - spendable, earned: today))
      }
    }
  }
}

extension WorkingState {
  /// Merges lots that no longer need to be told apart, so the state stays small for a customer
  /// with years of purchases: neighbours in earning order, same currency and expiry, both
  /// spendable, earned no later than the last purchase (same inactivity date), whose purchases
  /// can no longer be returned. The merged lot keeps the earlier earning day: spending order,
  /// expiry and balances are unchanged.
  mutating func compactLots(_ program: Program) {
    guard lots.count > 1 else { return }
    // Runs after every event. The usual account (one currency, lots in earning order, purchase
    // records in day order) is compacted in one pass over the lots in place, reading them by
    // index: copying lots around would retain their strings, and hashing the records' ids on
    // every event was once a third of evaluation.
    let currency = lots[0].currency
    // One scan: whether the lots are simple, and whether any neighbours share an expiry.
    var simple = true
    var neighboursShareExpiry = false
    for i in 1..<lots.count {
      guard lots[i].currency == currency, lots[i - 1].earned <= lots[i].earned else {
        simple = false
        break
      }
      if lots[i - 1].expiresOn == lots[i].expiresOn { neighboursShareExpiry = true }
    }
    guard simple, !recordsOutOfOrder, program.points.contains(where: { $0.name == currency }) else {
      compactLotsInGeneral(program)
      return
    }
    // Below, only a lot with the same expiry as the one before it merges: with none, nothing
    // changes (most accounts of an expiring currency: each earning day has its own expiry).
    guard neighboursShareExpiry else { return }
    let records = self.records
    let base = records.startIndex
    let lastPurchase = self.lastPurchase
    // Lots and records are both in day order: one pointer walks the records as the lots go by.
    var record = 0
    func mergeable(_ lot: PointsLot) -> Bool {
      guard lot.pendingUntil == nil, let lastPurchase, lot.earned <= lastPurchase else { return false }
      guard let source = lot.source else { return true }
      while record < records.count, records[base + record].day < lot.earned { record += 1 }
      var candidate = record
      while candidate < records.count, records[base + candidate].day == lot.earned {
        if records[base + candidate].id == source { return false }
        candidate += 1
      }
      return true
    }
    // The newest lots nearly always belong, one to one, to the newest purchase records: walking
    // both from the end finds that returnable tail by matching ids, so only the older lots
    // before it are looked at one by one.
    var tail = lots.count
    var newestRecord = records.count - 1
    while tail > 0, let source = lots[tail - 1].source {
      let earned = lots[tail - 1].earned
      var k = newestRecord
      while k >= 0, records[base + k].day > earned || (records[base + k].day == earned && records[base + k].id != source) { k -= 1 }
      guard k >= 0, records[base + k].day == earned, records[base + k].id == source else { break }
      newestRecord = k
      tail -= 1
    }
    var write = 0
    var writeMergeable = tail > 0 && mergeable(lots[0])
    var merged = false
    for read in 1..<lots.count {
      let readMergeable = read < tail && mergeable(lots[read])
      if readMergeable, writeMergeable, lots[read].expiresOn == lots[write].expiresOn {
        lots[write].amount += lots[read].amount
        lots[write].source = nil
        merged = true
      } else {
        write += 1
        if write != read { lots.swapAt(write, read) }
        writeMergeable = readMergeable
      }
    }
    if merged { lots.removeSubrange((write + 1)...) }
  }

  /// Compaction for any account: several currencies, lots out of earning order, or records out of day order.
  mutating func compactLotsInGeneral(_ program: Program) {
    let returnable = Set(records.map(\.id))
    let lastPurchase = self.lastPurchase
    func mergeable(_ lot: PointsLot) -> Bool {
      guard !lot.isPending, let lastPurchase, lot.earned <= lastPurchase else { return false }
      guard let source = lot.source else { return true }
      return !returnable.contains(source)
    }
    var result: [PointsLot] = []
    result.reserveCapacity(lots.count)
    for spec in program.points {
      var lots = lots.filter { $0.currency == spec.name }
      if zip(lots, lots.dropFirst()).contains(where: { $0.earned > $1.earned }) {
        // A stable sort by earning day: ties keep their order.
        lots = lots.enumerated().sorted { ($0.element.earned, $0.offset) < ($1.element.earned, $1.offset) }.map(\.element)
      }
      for lot in lots {
        if let last = result.last, last.currency == lot.currency, last.expiresOn == lot.expiresOn,
           mergeable(last), mergeable(lot) {
          result[result.count - 1].amount += lot.amount
          result[result.count - 1].source = nil
        } else {
          result.append(lot)
        }
      }
    }
    // Lots of currencies the program no longer declares are kept as they were.
    let known = Set(program.points.map(\.name))
    lots = result + lots.filter { !known.contains($0.currency) }
  }
}

