/// What promotions, stacking, caps and budgets track during one evaluation.
struct PromotionRun {
  /// Rules whose price effects took something off (for their `at most` limits).
  var priceGave: Set<Int> = []
  /// Points earned in this event under each cap key, for `per transaction` caps.
  var capThisEvent: [String: Int64] = [:]
  /// The budgets shared by all customers; the caller's ledger, or an unspent one.
  var budgets = BudgetLedger()
  /// Rules refused because their budget could not pay.
  var shortfalls: [BudgetShortfall] = []
}

/// Phase 2 of a purchase: promotions change the price of the lines before anything is earned.
///
/// Rules with price effects apply in stacking order (priority, then file order); each works
/// on the amounts left by the ones before it, so `discount 10%` after `discount 10%` takes 19%.
extension EvaluationRun {
  mutating func applyPromotions(_ firing: [Int]) throws(EvaluationError) {
    guard event.kind == .purchase, program.hasPriceRules else { return }
    for index in firing {
      let rule = program.rules[index]
      for case .price(let effect) in rule.effects {
        let before = awards.count
        switch effect {
        case .percentOff(let fraction, let target, let rounding):
          try percentOff(fraction, target: target, rounding: rounding, rule: rule)
        case .amountOff(let minor, let target):
          try amountOff(minor, target: target, rule: rule)
        case .deal(let buy, let payFor, let filter, let acrossBasket):
          deal(buy: buy, payFor: payFor, filter: filter, acrossBasket: acrossBasket, rule: rule)
        case .freeItem(let cheapest, let filter):
          freeOne(cheapest: cheapest, filter: filter, rule: rule)
        }
        if awards.count > before { promotions.priceGave.insert(index) }
      }
    }
  }

  /// The lines a target covers, in basket order.
  func targetLines(_ target: DiscountTargetSpec) -> [Int] {
    let filter: Int?
    switch target {
    case .basket: filter = nil
    case .lines(let f): filter = f
    case .perItem(let f): filter = f
    }
    return lines.indices.filter { lines[$0].matches(filter) && lines[$0].netMinor > 0 }
  }

  /// `discount P% …`: each line loses P% of what is left of it, rounded on its own.
  mutating func percentOff(_ fraction: ExactDecimal, target: DiscountTargetSpec, rounding: MoneyRounding,
                           rule: RuleSpec) throws(EvaluationError) {
    var total: Int64 = 0
    var base: Int64 = 0
    var count = 0
    for i in targetLines(target) {
      let net = lines[i].netMinor
      guard let cut = rounding.divide(Int128(net) * Int128(fraction.significand), by: fraction.denominator) else {
        throw EvaluationError("the discount of rule `\(rule.name)` overflows")
      }
      let taken = min(max(cut, 0), net)
      lines[i].netMinor -= taken
      total += taken
      base += net
      count += 1
    }
    guard total > 0 else { return }
    let percent = ExactDecimal(significand: fraction.significand, scale: fraction.scale - 2)
    let percentText = !options.explanations ? "" : fraction.scale >= 2 ? "\(percent)" : "\(Int128(fraction.significand) * 100 / fraction.denominator)"
    awards.append(Award(kind: .discount(value: money(total)), source: rule.name, location: rule.location,
                        explanation: explain("\(percentText)% off \(money(base)) on \(count) line\(count == 1 ? "" : "s") = \(money(total))"
                          + " (each line rounded \(roundingText(rounding)))")))
  }

  /// `half even`, or `half up to $1.00` when a discount or rebate rounds to more than the minor unit.
  func roundingText(_ rounding: MoneyRounding) -> String {
    rounding.unitMinor == 1 ? rounding.mode.rawValue : "\(rounding.mode.rawValue) to \(money(rounding.unitMinor))"
  }

  /// `discount $A on …` (spread over the lines in proportion to their amounts) or `discount $A per item …`.
  mutating func amountOff(_ amount: Int64, target: DiscountTargetSpec, rule: RuleSpec) throws(EvaluationError) {
    let chosen = targetLines(target)
    var total: Int64 = 0
    var text: String
    if case .perItem = target {
      var units: Int64 = 0
      for i in chosen {
        let payable = lines[i].quantity - lines[i].freeUnits
        guard payable > 0 else { continue }
        let (wanted, overflow) = amount.multipliedReportingOverflow(by: payable)
        let taken = overflow ? lines[i].netMinor : min(wanted, lines[i].netMinor)
        lines[i].netMinor -= taken
        total += taken
        units += payable
      }
      text = !options.explanations ? "" : "\(money(amount)) off each of \(units) item\(units == 1 ? "" : "s") = \(money(total))"
    } else {
      var base: Int64 = 0
      for i in chosen { base += lines[i].netMinor }
      guard base > 0 else { return }
      let off = min(amount, base)
      // Largest remainder: each line gets its floor share; the cents left go to the largest remainders.
      var shares: [(line: Int, share: Int64, remainder: Int128)] = []
      var given: Int64 = 0
      for i in chosen {
        let exact = Int128(off) * Int128(lines[i].netMinor)
        let share = Int64(exact / Int128(base))
        shares.append((i, share, exact % Int128(base)))
        given += share
      }
      var left = off - given
      for k in shares.indices.sorted(by: { shares[$0].remainder > shares[$1].remainder || (shares[$0].remainder == shares[$1].remainder && $0 < $1) }) where left > 0 {
        shares[k].share += 1
        left -= 1
      }
      for share in shares {
        lines[share.line].netMinor -= share.share
        total += share.share
      }
      text = !options.explanations ? "" : "\(money(amount)) off \(money(base))" + (off < amount ? ", no more than the lines cost" : "")
        + " = \(money(total)), spread over \(chosen.count) line\(chosen.count == 1 ? "" : "s") in proportion to their amounts"
    }
    guard total > 0 else { return }
    awards.append(Award(kind: .discount(value: money(total)), source: rule.name, location: rule.location, explanation: explain(text)))
  }

  /// Makes `count` units of a line free: each takes off its price, never more than what is left of
  /// the line. One award per unit; past 1,000 units of one line the rest share one award, so a
  /// huge quantity cannot flood the outcome.
  mutating func makeUnitsFree(_ i: Int, count: Int64, rule: RuleSpec, explanation: String) {
    var remaining = count
    while remaining > 0 {
      let units = count - remaining >= 1_000 ? remaining : 1
      let (wanted, overflow) = lines[i].unitMinor.multipliedReportingOverflow(by: units)
      let value = overflow ? lines[i].netMinor : min(wanted, lines[i].netMinor)
      lines[i].freeUnits += units
      lines[i].netMinor -= value
      remaining -= units
      awards.append(Award(kind: .freeItem(sku: lines[i].sku, value: money(value)), source: rule.name,
                          location: rule.location, explanation: explain(units == 1 ? explanation : "\(explanation) (\(units) units)")))
    }
  }

  /// `buy N … pay for M`: units sorted dearest first form groups of N; in each full group the N - M
  /// cheapest are free. `cheapest across the basket`: of the n eligible units, the
  /// ⌊n / N⌋ × (N - M) cheapest are free. Among equal prices, units of earlier lines are made free first.
  mutating func deal(buy: Int64, payFor: Int64, filter: Int?, acrossBasket: Bool, rule: RuleSpec) {
    guard buy > 0, payFor >= 0, payFor < buy else { return }
    if acrossBasket { return cheapestAcrossBasket(buy: buy, payFor: payFor, filter: filter, rule: rule) }
    // Runs of equal units: dearest first; among equal prices later lines first, so that
    // earlier lines' units end up last in a group, where the free ones are.
    var runs: [(line: Int, price: Int64, count: Int64)] = []
    for (i, line) in lines.enumerated() where line.matches(filter) && line.netMinor > 0 && line.quantity > line.freeUnits {
      runs.append((i, line.unitMinor, line.quantity - line.freeUnits))
    }
    runs.sort { $0.price > $1.price || ($0.price == $1.price && $0.line > $1.line) }
    var total: Int64 = 0
    for run in runs {
      let (sum, overflow) = total.addingReportingOverflow(run.count)
      total = overflow ? Int64.max : sum
    }
    let limit = total / buy * buy
    guard limit > 0 else { return }
    // Position p (0-based, in sorted order, p < limit) is free when p mod N >= M.
    func freeBefore(_ x: Int64) -> Int64 { x / buy * (buy - payFor) + max(0, x % buy - payFor) }
    let free = buy - payFor
    var position: Int64 = 0
    var plan: [(line: Int, count: Int64)] = []
    for run in runs {
      let start = min(position, limit)
      let (next, overflow) = position.addingReportingOverflow(run.count)
      let end = overflow ? limit : min(next, limit)
      let count = freeBefore(end) - freeBefore(start)
      if count > 0 { plan.append((run.line, count)) }
      position = overflow ? Int64.max : next
    }
    // Award in basket order of the free units' lines.
    for (line, count) in plan.sorted(by: { $0.line < $1.line }) {
      makeUnitsFree(line, count: count, rule: rule,
                    explanation: explain("buy \(buy) pay for \(payFor): in each group of \(buy) units, dearest first, the \(free == 1 ? "cheapest is" : "\(free) cheapest are") free"))
    }
  }

  /// `buy N … pay for M cheapest across the basket`: the ⌊n / N⌋ × (N - M) cheapest of the n
  /// eligible units are free, wherever they stand in the basket. Among equal prices, units of
  /// earlier lines are made free first.
  mutating func cheapestAcrossBasket(buy: Int64, payFor: Int64, filter: Int?, rule: RuleSpec) {
    var runs: [(line: Int, price: Int64, count: Int64)] = []
    var total: Int64 = 0
    for (i, line) in lines.enumerated() where line.matches(filter) && line.netMinor > 0 && line.quantity > line.freeUnits {
      runs.append((i, line.unitMinor, line.quantity - line.freeUnits))
      let (sum, overflow) = total.addingReportingOverflow(line.quantity - line.freeUnits)
      total = overflow ? Int64.max : sum
    }
    var left = total / buy * (buy - payFor)
    guard left > 0 else { return }
    let free = left
    runs.sort { $0.price < $1.price || ($0.price == $1.price && $0.line < $1.line) }
    var plan: [(line: Int, count: Int64)] = []
    for run in runs where left > 0 {
      let count = min(run.count, left)
      plan.append((run.line, count))
      left -= count
    }
    // Award in basket order of the free units' lines.
    for (line, count) in plan.sorted(by: { $0.line < $1.line }) {
      makeUnitsFree(line, count: count, rule: rule,
                    explanation: explain("buy \(buy) pay for \(payFor), cheapest across the basket: of \(total) units,"
                                         + " the \(free == 1 ? "cheapest is" : "\(free) cheapest are") free"))
    }
  }

  /// `cheapest item … is free` (or the most expensive): one unit. Ties go to the earlier line.
  mutating func freeOne(cheapest: Bool, filter: Int?, rule: RuleSpec) {
    var best: Int?
    for (i, line) in lines.enumerated() where line.matches(filter) && line.freeUnits < line.quantity && line.netMinor > 0 {
      guard let current = best else { best = i; continue }
      if cheapest ? line.unitMinor < lines[current].unitMinor : line.unitMinor > lines[current].unitMinor { best = i }
    }
    guard let i = best else { return }
    makeUnitsFree(i, count: 1, rule: rule, explanation: explain("the \(cheapest ? "cheapest" : "most expensive") qualifying item is free"))
  }
}
