/// Returns: units of an earlier purchase brought back reverse exactly what those units earned.
///
/// Every purchase leaves a ``TransactionRecord``. A return names the original and lists the
/// returned units by SKU. For each returned unit of a line:
/// - paid units are returned before free ones; a free unit refunds no money and no points;
/// - per-$ and per-item points are reversed pro rata to the line's paid units, cumulatively
///   (after k of n paid units came back, exactly ⌊points × k / n⌋ have been reversed, so the
///   whole line reverses exactly what it earned however the returns are split);
/// - flat bonuses of the basket are reversed only when the whole basket has come back;
/// - stamps the unit collected are removed (never below zero), a free unit's too; the card a
///   free unit completed is not restored;
/// - the net amount paid leaves the tier spend ledger on the original's day; purchase and
///   visit counts do not change.
/// Points are taken back from the original's held lot first, then its spendable lot, then
/// the other lots in spending order. What the balance cannot cover goes negative when the
/// currency says `on return take back points, allow negative balance`, else it is the
/// outcome's `shortfall`.
extension EvaluationRun {
  /// How many days a purchase can still be returned (records older than this are dropped).
  static let recordDays: Int64 = 366
  /// At most this many purchase records are kept.
  static let recordLimit = 200

  /// Splits one earn award over the basket lines it was computed from (largest remainder,
  /// ties to the earlier line), or books it as a flat bonus.
  mutating func attribute(_ amount: Int64, currency: Int, basis: EarnBasisSpec, excluded: LineSet) {
    guard !lines.isEmpty, linePoints.lineCount == lines.count else {
      if flatPoints.indices.contains(currency) { flatPoints[currency] += amount }
      return
    }
    let filter: Int?
    switch basis {
    case .flat:
      flatPoints[currency] += amount
      return
    case .perSpend(_, _, let f, _), .perItem(let f, _):
      filter = f
    }
    // Each line's weight: what the rule earned on, its spend (per-$ earning) or its units
    // (per-item earning), before or after discounts as the rule says.
    let before = basis.beforeDiscounts
    func weight(_ i: Int) -> Int64 {
      guard lines[i].matches(filter), !excluded.contains(i) else { return 0 }
      if case .perItem = basis { return before ? lines[i].quantity : lines[i].quantity - lines[i].freeUnits }
      return max(0, before ? lines[i].grossMinor : lines[i].netMinor)
    }
    var total: Int128 = 0
    var weighted = 0
    var only = 0
    for i in lines.indices {
      let w = weight(i)
      guard w > 0 else { continue }
      total += Int128(w)
      weighted += 1
      only = i
    }
    guard total > 0 else {
      flatPoints[currency] += amount
      return
    }
    // Most earnings come from one line: it takes them all, with no shares to round.
    if weighted == 1 {
      linePoints[only, currency] += amount
      return
    }
    var given: Int64 = 0
    var remainders: [(Int128, Int)] = []
    for i in lines.indices where weight(i) > 0 {
      let exact = Int128(amount) * Int128(weight(i))
      let share = Int64(exact / total)
      linePoints[i, currency] += share
      given += share
      remainders.append((exact % total, i))
    }
    remainders.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
    var left = amount - given
    for (_, i) in remainders where left > 0 {
      linePoints[i, currency] += 1
      left -= 1
    }
  }

  /// When a cap kept part of what the rules computed, the record keeps only what was
  /// really added: flat bonuses give way first, then the lines in proportion (largest remainder).
  mutating func trimAttributionToEarned() {
    for c in program.points.indices where earnedDelta.indices.contains(c) {
      let actual = max(0, earnedDelta[c])
      let lineTotal = linePoints.total(currency: c)
      var excess = flatPoints[c] + lineTotal - actual
      guard excess > 0 else { continue }
      let cut = min(excess, flatPoints[c])
      flatPoints[c] -= cut
      excess -= cut
      guard excess > 0, lineTotal > 0 else { continue }
      let keep = lineTotal - excess
      var given: Int64 = 0
      var remainders: [(Int128, Int)] = []
      for i in 0..<linePoints.lineCount {
        let exact = Int128(linePoints[i, c]) * Int128(keep)
        linePoints[i, c] = Int64(exact / Int128(lineTotal))
        given += linePoints[i, c]
        remainders.append((exact % Int128(lineTotal), i))
      }
      remainders.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
      var left = keep - given
      for (_, i) in remainders where left > 0 {
        linePoints[i, c] += 1
        left -= 1
      }
    }
  }

  /// Writes the purchase's compact record for later returns.
  mutating func recordTransaction() {
    trimAttributionToEarned()
    var recordLines: [TransactionRecord.Line] = []
    recordLines.reserveCapacity(lines.count)
    // Specs are read in place by index: copying one retains each of its fields.
    for (i, line) in lines.enumerated() {
      var points = NamedAmounts()
      for c in program.points.indices where i < linePoints.lineCount && linePoints[i, c] != 0 {
        points[program.points[c].name] = linePoints[i, c]
      }
      var stamps = NamedAmounts()
      for k in program.cards.indices {
        switch program.cards[k].collect {
        case .perItem(let count, let filter) where line.matches(filter): stamps[program.cards[k].name] = line.quantity * count
        // A card that collects spend took the line's net amount (minor units); a return takes its share back.
        case .spend(let filter) where line.matches(filter) && line.netMinor > 0: stamps[program.cards[k].name] = line.netMinor
        default: break
        }
      }
      let item = event.lines.indices.contains(i) ? event.lines[i] : nil
      recordLines.append(TransactionRecord.Line(
        sku: line.sku, category: item?.category ?? "", quantity: line.quantity, unitMinor: line.unitMinor,
        freeUnits: line.freeUnits, discountMinor: line.grossMinor - line.netMinor - line.freeUnits * line.unitMinor,
        netMinor: line.netMinor, points: points, stamps: stamps))
    }
    var flat = NamedAmounts()
    for c in flatPoints.indices where flatPoints[c] != 0 { flat[program.points[c].name] = flatPoints[c] }
    if !working.records.isEmpty, working.records[working.records.count - 1].day > today { working.recordsOutOfOrder = true }
    // Returned by recomputation in its context (a promotion record is only read from states
    // stored before contexts were kept).
    working.records.append(TransactionRecord(id: event.id, day: today, lines: recordLines, flatPoints: flat, promotion: nil,
                                             contextBox: purchaseContext))
    pruneRecords()
  }

  mutating func pruneRecords() {
    working.pruneRecords(today: today)
  }

  /// ⌊total × part / whole⌋ without overflow (whole > 0).
  static func share(_ total: Int64, _ part: Int64, of whole: Int64) -> Int64 {
    guard whole > 0 else { return 0 }
    return Int64(Int128(total) * Int128(part) / Int128(whole))
  }

  mutating func processReturn(_ original: String) throws(EvaluationError) {
    guard let r = working.records.firstIndex(where: { $0.id == original }) else {
      rejection = "the original transaction `\(original)` is unknown or older than \(EvaluationRun.recordDays) days"
      return
    }
    guard !event.lines.isEmpty else {
      rejection = "a return needs the returned lines"
      return
    }
    let record = working.records[r]
    guard let returning = returnedUnits(of: record, original: original) else { return }
    if let context = record.context {
      // What came back, for the explanations only.
      let described: [String] = !options.explanations ? [] : record.lines.indices.filter { returning[$0] > 0 }.map { i in
        let line = record.lines[i]
        let free = (line.returned + returning[i] - min(line.returned + returning[i], line.paidUnits))
          - (line.returned - min(line.returned, line.paidUnits))
        return "\(returning[i]) × \(line.sku)" + (free > 0 ? " (\(free) free)" : "")
      }
      try recomputeReturn(r, returning: returning, context: context, described: described.joined(separator: ", "))
      return
    }
    // A record from before purchase contexts were kept: reversed by share (see above).
    try reverseByShare(r, returning: returning, original: original)
  }

  /// Which record lines the returned units come from: same SKU, lines with units left, in
  /// order. Nil, with the rejection set, when the return lists more than is left to return.
  mutating func returnedUnits(of record: TransactionRecord, original: String) -> [Int64]? {
    var returning = Array(repeating: Int64(0), count: record.lines.count)
    for item in event.lines {
      guard item.quantity > 0 else {
        rejection = "line `\(item.sku)` has quantity \(item.quantity); a return lists positive quantities"
        return nil
      }
      var left = item.quantity
      for i in record.lines.indices where record.lines[i].sku == item.sku && left > 0 {
        let available = record.lines[i].quantity - record.lines[i].returned - returning[i]
        let take = min(left, max(0, available))
        returning[i] += take
        left -= take
      }
      if left > 0 {
        let bought = record.lines.filter { $0.sku == item.sku }.reduce(Int64(0)) { $0 + $1.quantity }
        let back = record.lines.filter { $0.sku == item.sku }.reduce(Int64(0)) { $0 + $1.returned }
        rejection = bought == 0
          ? "`\(original)` has no `\(item.sku)`"
          : "returns \(item.quantity) × \(item.sku) but `\(original)` bought \(bought)"
            + (back > 0 ? " and \(back) already came back" : "")
        return nil
      }
    }
    return returning
  }

  /// Reverses a return of `returning` units of record `r` by share of what each line earned:
  /// the records kept before purchase contexts were, which cannot be evaluated again.
  mutating func reverseByShare(_ r: Int, returning: [Int64], original: String) throws(EvaluationError) {
    var record = working.records[r]
    var refund: Int64 = 0
    var reverse = Array(repeating: Int64(0), count: program.points.count)
    var stampsBack = Array(repeating: Int64(0), count: program.cards.count)
    var described: [String] = []
    var rebateRefunds: [(sku: String, category: String, refundMinor: Int64)] = []
    for i in record.lines.indices where returning[i] > 0 {
      let line = record.lines[i]
      let before = line.returned
      let after = before + returning[i]
      let paidBefore = min(before, line.paidUnits)
      let paidAfter = min(after, line.paidUnits)
      let lineRefund = EvaluationRun.share(line.netMinor, paidAfter, of: line.paidUnits)
        - EvaluationRun.share(line.netMinor, paidBefore, of: line.paidUnits)
      refund += lineRefund
      rebateRefunds.append((line.sku, line.category, lineRefund))
      for (c, spec) in program.points.enumerated() {
        guard let earned = line.points[spec.name] else { continue }
        reverse[c] += EvaluationRun.share(earned, paidAfter, of: line.paidUnits) - EvaluationRun.share(earned, paidBefore, of: line.paidUnits)
      }
      for (k, card) in program.cards.enumerated() {
        guard let stamps = line.stamps[card.name] else { continue }
        stampsBack[k] += EvaluationRun.share(stamps, after, of: line.quantity) - EvaluationRun.share(stamps, before, of: line.quantity)
      }
      let free = (after - paidAfter) - (before - paidBefore)
      described.append("\(returning[i]) × \(line.sku)" + (free > 0 ? " (\(free) free)" : ""))
      record.lines[i].returned = after
    }
    returnHook(record: &record, returning: returning, refund: &refund, reverse: &reverse)
    rebateRefunds = EvaluationRun.rebateRefunds(rebateRefunds, recomputedTotal: refund)
    try reverseRebates(original: original, returned: rebateRefunds)
    var flatReversed = false
    if record.fullyReturned, !record.flatReversed {
      record.flatReversed = true
      flatReversed = !record.flatPoints.isEmpty
      for (c, spec) in program.points.enumerated() { reverse[c] += record.flatPoints[spec.name] ?? 0 }
    }
    working.records[r] = record
    let what = "return of \(described.joined(separator: ", ")) from \(original)"

    takeBackStamps(stampsBack, what: what)
    takeBackPoints(reverse, original: original, what: what, flatBonuses: flatReversed ? record.flatPoints : NamedAmounts())
    // Tier spend: the refund leaves the ledger on the original's day; visits and purchase counts stay.
    takeBackSpend(refund, lines: rebateRefunds, day: record.day)
    refunded = refund
  }

  /// Takes returned stamps off the cards, never below zero.
  mutating func takeBackStamps(_ stampsBack: [Int64], what: String) {
    for (k, card) in program.cards.enumerated() where stampsBack[k] > 0 {
      let removed = min(stampsBack[k], working.stamps[k])
      // Stamps already spent on a completed card are not taken from the next one.
      guard removed > 0 else { continue }
      working.stamps[k] -= removed
      awards.append(Award(kind: .stamps(card: card.name, count: -removed), source: card.name, location: card.location,
                          explanation: explain("\(what): \(stampsBack[k]) stamp\(stampsBack[k] == 1 ? "" : "s") taken back"
                            + (removed < stampsBack[k] ? ", \(removed) left on the card to take" : "")
                            + "; \(working.stamps[k]) on the card")))
    }
  }

  /// Takes returned points back: from the original's held lot first, then from the balance.
  /// `flatBonuses` is how much of each currency's reversal is the flat bonuses of a basket now all back.
  mutating func takeBackPoints(_ reverse: [Int64], original: String, what: String, flatBonuses: NamedAmounts) {
    for (c, spec) in program.points.enumerated() where reverse[c] > 0 {
      let amount = reverse[c]
      let fromPending = takePending(amount, currency: c, source: original)
      var left = amount - fromPending
      let balance = working.balances[c]
      reconcileLots()
      let fromLots = takeFromLots(min(left, max(0, balance)), currency: c, preferring: original)
      working.balances[c] -= fromLots
      left -= fromLots
      var note = ""
      if left > 0 {
        if spec.allowNegative {
          working.balances[c] -= left
          note = "; the balance goes to \(working.balances[c])"
        } else {
          shortfall[c] += left
          note = "; \(left) could not be taken back (the balance never goes below zero)"
        }
      }
      let taken = spec.allowNegative ? amount : amount - left
      let value = RoundingMode.halfEven.divide(Int128(-taken) * Int128(spec.worthMinor.significand),
                                               by: spec.worthMinor.denominator) ?? 0
      awards.append(Award(kind: .points(currency: spec.name, amount: -taken, value: money(value)), source: "return",
                          location: nil,
                          explanation: explain("\(what): \(amount) \(spec.name) reversed"
                            + ((flatBonuses[spec.name] ?? 0) > 0
                               ? " (including \(flatBonuses[spec.name] ?? 0) of flat bonuses, the whole basket is back)" : "")
                            + (fromPending > 0 ? ", \(fromPending) of them still held" : "") + note)))
    }
  }

  /// Takes a return's refund off the spend ledgers on the original's day: all of it off the
  /// ledger conditions read; off the tier ledger (tiers that count only some lines), the refund
  /// of the counted lines alone — the per-line refunds rebates use, made to add up to `refund`,
  /// matched by the one "does this line match" function.
  mutating func takeBackSpend(_ refund: Int64, lines: [(sku: String, category: String, refundMinor: Int64)], day: LocalDate) {
    WorkingState.takeBack(refund, on: day, from: &working.ledger)
    guard let filter = program.tiers?.filter, refund > 0 else { return }
    var counted: Int64 = 0
    for line in EvaluationRun.rebateRefunds(lines, recomputedTotal: refund)
    where program.filterBits(category: line.category, sku: line.sku).contains(filter) {
      counted &+= line.refundMinor
    }
    WorkingState.takeBack(counted, on: day, from: &working.tierLedger)
  }

  /// Takes points back from the original's held lot; returns how many.
  mutating func takePending(_ amount: Int64, currency: Int, source: String) -> Int64 {
    let name = program.points[currency].name
    var left = amount
    for i in working.lots.indices where left > 0 && working.lots[i].currency == name && working.lots[i].isPending
      && working.lots[i].source == source {
      let take = min(left, working.lots[i].amount)
      working.lots[i].amount -= take
      left -= take
    }
    working.lots.removeAll { $0.amount <= 0 }
    return amount - left
  }

}

extension WorkingState {
  /// Drops the purchase records a return on `today` can no longer name (older than
  /// ``EvaluationRun/recordDays``, or beyond ``EvaluationRun/recordLimit``). Every purchase
  /// prunes, whether or not it keeps a record itself (``EvaluationOptions/keepsReturnRecords``),
  /// so that which returns find their original does not depend on which purchases kept one.
  mutating func pruneRecords(today: LocalDate) {
    guard !records.isEmpty else { return }
    let oldest = today.adding(days: -EvaluationRun.recordDays)
    // Records are in day order unless events came out of order: the old ones are a prefix,
    // dropped without moving the rest.
    while let first = records.first, first.day < oldest { records.removeFirst() }
    if recordsOutOfOrder {
      records.removeAll { $0.day < oldest }
      recordsOutOfOrder = !WorkingState.inDayOrder(records)
    }
    if records.count > EvaluationRun.recordLimit {
      records.removeFirst(records.count - EvaluationRun.recordLimit)
    }
  }
}
