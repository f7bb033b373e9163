import PerkSource
import PerkSyntax

/// Warnings about programs that compile but probably do not do what was meant (W01xx).
struct Warnings {
  var program: CheckedProgram
  var symbols: SymbolTable
  var conditions: [Int: [TypedExpression]]
  /// Whether to report W0101, W0103 and W0104, which only make sense for an error-free program.
  var usage: Bool

  func report(into diagnostics: inout Diagnostics) {
    var earned = Set<Int>()
    var costed = Set<Int>()
    var tiersRead = false
    for rule in program.rules {
      for effect in rule.effects {
        switch effect {
        case .earn(_, let c, _): earned.insert(c)
        case .multiply(let c, _): earned.insert(c)
        case .earnForReferrer(_, let c, _): earned.insert(c)
        default: break
        }
      }
      if let condition = rule.condition, Self.readsTier(condition) { tiersRead = true }
    }
    for reward in program.rewards { costed.insert(reward.currency) }
    if usage { reportUsage(earned: earned, costed: costed, tiersRead: tiersRead, into: &diagnostics) }
    reportConditions(into: &diagnostics)
  }

  private func reportUsage(earned: Set<Int>, costed: Set<Int>, tiersRead: Bool, into diagnostics: inout Diagnostics) {
    for points in program.pointsCurrencies where !earned.contains(points.id) && !costed.contains(points.id) {
      diagnostics.append(Diagnostic(
        .unusedPointsCurrency, "points currency `\(points.name)` is never earned or spent", at: points.range,
        help: "add a rule that earns `\(points.name)` or a reward that costs them, or remove the declaration"))
    }
    for reward in program.rewards where program.pointsCurrencies.indices.contains(reward.currency)
      && !earned.contains(reward.currency)
    {
      let name = program.pointsCurrencies[reward.currency].name
      diagnostics.append(Diagnostic(
        .unusedReward, "reward `\(reward.name)` costs `\(name)`, which nothing earns", at: reward.range,
        help: "add a rule such as `earn 1 \(name) per $1 spent`"))
    }
    if let tiers = program.tiers, !tiers.levels.isEmpty {
      let one = Exact(significand: 1, scale: 0).scaledKey
      let multiplies = tiers.levels.contains { $0.multiplier.scaledKey != one }
      if !multiplies && !tiersRead {
        diagnostics.append(Diagnostic(
          .unusedTiers, "tiers are declared but nothing reads them", at: tiers.range,
          help: "give a tier a multiplier such as `earn x1.5`, or use `tier is …` in a rule"))
      }
    }
  }

  private func reportConditions(into diagnostics: inout Diagnostics) {
    for rule in program.rules {
      let clauses = conditions[rule.id] ?? []
      var decided = false
      defer {
        // Separate `when` clauses can contradict each other only together.
        if !decided, clauses.count > 1, let whole = rule.condition, let last = clauses.last, Truth.of(whole) == false {
          diagnostics.append(Diagnostic(
            .ruleNeverFires, "rule `\(rule.name)` never fires", at: last.range,
            label: "this contradicts an earlier `when`", help: "check the dates, amounts and values in the conditions"))
        }
      }
      for condition in clauses {
        let truth = Truth.of(condition)
        if truth != nil { decided = true }
        switch truth {
        case false?:
          diagnostics.append(Diagnostic(
            .ruleNeverFires, "rule `\(rule.name)` never fires", at: condition.range,
            label: "this condition is never true", help: "check the dates, amounts and values in the condition"))
        case true?:
          diagnostics.append(Diagnostic(
            .redundantCondition, "condition is always true", at: condition.range,
            label: "this never stops `\(rule.name)`", help: "remove the `when` clause or fix its comparison"))
        case nil: break
        }
      }
    }
  }

  static func readsTier(_ e: TypedExpression) -> Bool {
    switch e.kind {
    case .quantity(.tier): return true
    case .constant, .quantity: return false
    case .not(let x), .negate(let x): return readsTier(x)
    case .and(let l, let r), .or(let l, let r), .compare(_, let l, let r), .arithmetic(_, let l, let r):
      return readsTier(l) || readsTier(r)
    case .between(let x, let lo, let hi, _): return readsTier(x) || readsTier(lo) || readsTier(hi)
    case .member(let x, let list, _): return readsTier(x) || list.contains(where: readsTier)
    }
  }
}

/// A small interval and constant analysis that decides some conditions at compile time.
enum Truth {
  /// Allowed values of one quantity: an interval for ordered values, plus equality facts.
  struct Facts {
    var low: Int128?
    var lowInclusive = true
    var high: Int128?
    var highInclusive = true
    var equal: Constant?
    var notEqual: Set<Constant> = []
    var contradiction = false

    mutating func raiseLow(_ v: Int128, inclusive: Bool) {
      if let l = low, l > v || (l == v && !lowInclusive) { return }
      if let l = low, l == v { lowInclusive = lowInclusive && inclusive; return }
      low = v; lowInclusive = inclusive
    }
    mutating func lowerHigh(_ v: Int128, inclusive: Bool) {
      if let h = high, h < v || (h == v && !highInclusive) { return }
      if let h = high, h == v { highInclusive = highInclusive && inclusive; return }
      high = v; highInclusive = inclusive
    }
    var isEmpty: Bool {
      if contradiction { return true }
      if let l = low, let h = high, l > h || (l == h && !(lowInclusive && highInclusive)) { return true }
      if let e = equal, notEqual.contains(e) { return true }
      return false
    }
  }

  /// The natural range of a quantity, before any condition.
  static func domain(_ q: CheckedQuantity) -> Facts {
    var f = Facts()
    switch q {
    case .weekday: f.low = 1; f.high = 7
    case .month, .birthdayMonth: f.low = 1; f.high = 12
    case .dayOfMonth: f.low = 1; f.high = 31
    default:
      if q.isNonNegative { f.low = 0 }
    }
    return f
  }

  /// True or false when the analysis can decide; nil otherwise.
  static func of(_ e: TypedExpression) -> Bool? {
    if case .bool(let b)? = Folding.evaluate(e) { return b }
    switch e.kind {
    case .not(let x): return of(x).map { !$0 }
    case .or(let l, let r):
      let (a, b) = (of(l), of(r))
      if a == true || b == true { return true }
      if a == false, b == false { return false }
      return nil
    case .and(let l, let r):
      let (a, b) = (of(l), of(r))
      if a == false || b == false { return false }
      if a == true, b == true { return true }
      return satisfiable(conjuncts(e)) ? nil : false
    default:
      guard let (q, facts) = atom(e) else { return nil }
      var all = domain(q)
      let start = all
      apply(facts, to: &all)
      if all.isEmpty { return false }
      // Always true when the atom removes nothing from the domain.
      if facts.equal == nil, facts.notEqual.isEmpty, covers(facts, start) { return true }
      return nil
    }
  }

  private static func covers(_ a: Facts, _ domain: Facts) -> Bool {
    if let l = a.low {
      guard let dl = domain.low, dl > l || (dl == l && (a.lowInclusive || !domain.lowInclusive)) else { return false }
    }
    if let h = a.high {
      guard let dh = domain.high, dh < h || (dh == h && (a.highInclusive || !domain.highInclusive)) else { return false }
    }
    return true
  }

  static func apply(_ f: Facts, to all: inout Facts) {
    if let l = f.low { all.raiseLow(l, inclusive: f.lowInclusive) }
    if let h = f.high { all.lowerHigh(h, inclusive: f.highInclusive) }
    if let e = f.equal {
      if let old = all.equal, old != e { all.contradiction = true }
      all.equal = e
      if let k = e.orderKey { all.raiseLow(k, inclusive: true); all.lowerHigh(k, inclusive: true) }
    }
    all.notEqual.formUnion(f.notEqual)
    if f.contradiction { all.contradiction = true }
  }

  static func conjuncts(_ e: TypedExpression) -> [TypedExpression] {
    if case .and(let l, let r) = e.kind { return conjuncts(l) + conjuncts(r) }
    return [e]
  }

  private static func satisfiable(_ parts: [TypedExpression]) -> Bool {
    var byQuantity: [CheckedQuantity: Facts] = [:]
    for part in parts {
      guard let (q, facts) = atom(part) else { continue }
      var all = byQuantity[q] ?? domain(q)
      apply(facts, to: &all)
      if all.isEmpty { return false }
      byQuantity[q] = all
    }
    return true
  }

  /// `quantity op constant` (either order), `quantity in a to b`, `quantity in a` as facts.
  static func atom(_ e: TypedExpression) -> (CheckedQuantity, Facts)? {
    switch e.kind {
    case .compare(let op, let l, let r):
      if case .quantity(let q) = l.kind, let c = Folding.evaluate(r) { return (q, facts(op, c)) }
      if case .quantity(let q) = r.kind, let c = Folding.evaluate(l) { return (q, facts(flip(op), c)) }
      return nil
    case .between(let x, let low, let high, false):
      guard case .quantity(let q) = x.kind, let lo = Folding.evaluate(low)?.orderKey,
            let hi = Folding.evaluate(high)?.orderKey else { return nil }
      var f = Facts()
      f.low = lo; f.high = hi
      return (q, f)
    case .member(let x, let list, false) where list.count == 1:
      guard case .quantity(let q) = x.kind, let c = Folding.evaluate(list[0]) else { return nil }
      return (q, facts(.equal, c))
    default:
      return nil
    }
  }

  private static func flip(_ op: BinaryOperator) -> BinaryOperator {
    switch op {
    case .less: return .greater
    case .lessEqual: return .greaterEqual
    case .greater: return .less
    case .greaterEqual: return .lessEqual
    default: return op
    }
  }

  private static func facts(_ op: BinaryOperator, _ c: Constant) -> Facts {
    var f = Facts()
    let key = c.orderKey
    switch op {
    case .equal: f.equal = c
    case .notEqual: f.notEqual = [c]
    case .less: if let key { f.high = key; f.highInclusive = false } else { f.contradiction = false }
    case .lessEqual: if let key { f.high = key }
    case .greater: if let key { f.low = key; f.lowInclusive = false }
    case .greaterEqual: if let key { f.low = key }
    default: break
    }
    return f
  }
}
