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
    var inactive: LocalDate?
    let active = max(lastPurchase ?? lot.earned, lot.earned)
    switch expiry {
    case .inactivityMonths(let n)?: inactive = active.adding(months: n)
    case .inactivityDays(let n)?: inactive = active.adding(days: n)
    default: break
    }
    switch (lot.expiresOn, inactive) {
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
    earnedDelta = zip(working.balances, before).map { $0 - $1 }
    for (index, spec) in program.points.enumerated() {
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
    let spec = program.points[currency]
    let indexes = working.lots.indices.filter { working.lots[$0].currency == spec.name && !working.lots[$0].isPending }
    switch spec.spendOrder {
    case .oldestFirst:
      return indexes.sorted { (working.lots[$0].earned, $0) < (working.lots[$1].earned, $1) }
    case .closestToExpiryFirst:
      let far = LocalDate(dayNumber: Int64.max / 2)
      func key(_ i: Int) -> (Int64, Int64, Int) {
        let lot = working.lots[i]
        return ((spec.effectiveExpiry(of: lot, lastPurchase: working.lastPurchase) ?? far).dayNumber, lot.earned.dayNumber, i)
      }
      return indexes.sorted { key($0) < key($1) }
    }
  }

  /// Takes up to `amount` spendable points out of lots (the lot from `preferring` first, then the
  /// spending order); returns how many it took. Balances are not touched.
  mutating func takeFromLots(_ amount: Int64, currency: Int, preferring source: String?) -> Int64 {
    var order = spendingOrder(currency: currency)
    if let source {
      order = order.filter { working.lots[$0].source == source } + order.filter { working.lots[$0].source != source }
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

  /// Repairs lots that disagree with the balance (a state written before lots existed, or a
  /// phase that changed a balance directly): extra lot points go, missing ones become a lot
  /// earned today with no expiry.
  mutating func reconcileLots() {
    for (index, spec) in program.points.enumerated() {
      let spendable = working.lots.reduce(Int64(0)) { $1.currency == spec.name && !$1.isPending ? $0 + $1.amount : $0 }
      let target = max(0, working.balances[index])
      if spendable > target {
        // Newest first: the excess is most likely what was just trimmed.
        var excess = spendable - target
        for i in working.lots.indices.reversed() where excess > 0 && working.lots[i].currency == spec.name
          && !working.lots[i].isPending {
          let take = min(excess, working.lots[i].amount)
          working.lots[i].amount -= take
          excess -= take
        }
        working.lots.removeAll { $0.amount <= 0 }
      } else if spendable < target {
        working.lots.append(PointsLot(currency: spec.name, amount: target - spendable, earned: today))
      }
    }
  }
}

extension EvaluationRun {
  /// Merges lots that no longer need to be told apart, so the state stays small for a customer
  /// with years of purchases: neighbours in earning order, same currency and expiry, both
  /// spendable, earned no later than the last purchase (same inactivity date), whose purchases
  /// can no longer be returned. The merged lot keeps the earlier earning day: spending order,
  /// expiry and balances are unchanged.
  mutating func compactLots() {
    guard working.lots.count > 1 else { return }
    let returnable = ReturnableSources(records: working.records)
    let lastPurchase = working.lastPurchase
    let lots = working.lots
    // Runs after every event and nearly always finds nothing to merge, so the check reads the
    // lots by index, field by field: passing lots around would copy them and retain their strings.
    func mergeable(_ i: Int) -> Bool {
      guard lots[i].pendingUntil == nil, let lastPurchase, lots[i].earned <= lastPurchase else { return false }
      guard let source = lots[i].source else { return true }
      return !returnable.contains(source, earned: lots[i].earned)
    }
    func merges(_ i: Int, _ j: Int) -> Bool {
      lots[i].currency == lots[j].currency && lots[i].expiresOn == lots[j].expiresOn && mergeable(i) && mergeable(j)
    }
    let currency = lots[0].currency
    if !lots.indices.contains(where: { lots[$0].currency != currency }),
       !(1..<lots.count).contains(where: { lots[$0 - 1].earned > lots[$0].earned || merges($0 - 1, $0) }) {
      return
    }
    func mergeable(_ lot: PointsLot) -> Bool {
      guard !lot.isPending, let lastPurchase, lot.earned <= lastPurchase else { return false }
      guard let source = lot.source else { return true }
      return !returnable.contains(source, earned: lot.earned)
    }
    func merges(_ a: PointsLot, _ b: PointsLot) -> Bool {
      a.currency == b.currency && a.expiresOn == b.expiresOn && mergeable(a) && mergeable(b)
    }
    var result: [PointsLot] = []
    result.reserveCapacity(lots.count)
    for spec in program.points {
      var ofCurrency = lots.filter { $0.currency == spec.name }
      if zip(ofCurrency, ofCurrency.dropFirst()).contains(where: { $0.earned > $1.earned }) {
        // A stable sort by earning day: ties keep their order.
        ofCurrency = ofCurrency.enumerated().sorted { ($0.element.earned, $0.offset) < ($1.element.earned, $1.offset) }.map(\.element)
      }
      for lot in ofCurrency {
        if let last = result.last, merges(last, lot) {
          result[result.count - 1].amount += lot.amount
          result[result.count - 1].source = nil
        } else {
          result.append(lot)
        }
      }
    }
    // Lots of currencies the program no longer declares are kept as they were.
    let known = Set(program.points.map(\.name))
    working.lots = result + lots.filter { !known.contains($0.currency) }
  }
}

/// The purchases that can still be returned, looked up by a lot's source and earning day.
///
/// A purchase's record and its lot share the day, and records are kept in the order their
/// purchases were evaluated, which is nearly always day order: then a binary search on the day
/// finds the candidates without hashing every id on every event.
struct ReturnableSources {
  let records: [TransactionRecord]
  let inDayOrder: Bool
  var byID: Set<String>?

  init(records: [TransactionRecord]) {
    self.records = records
    inDayOrder = records.isEmpty || !(1..<records.count).contains { records[$0 - 1].day > records[$0].day }
    if !inDayOrder { byID = Set(records.map(\.id)) }
  }

  func contains(_ id: String, earned: LocalDate) -> Bool {
    if let byID { return byID.contains(id) }
    var low = 0
    var high = records.count
    while low < high {
      let middle = (low + high) / 2
      if records[middle].day < earned { low = middle + 1 } else { high = middle }
    }
    while low < records.count, records[low].day == earned {
      if records[low].id == id { return true }
      low += 1
    }
    return false
  }
}
