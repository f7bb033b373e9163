import PerkRuntime
import PerkSource
import PerkSyntax

/// Rule-set analysis (W0117–W0124): rules that compile but can never pay, or that pay twice.
///
/// Conservative by design: each warning is given only when the rules prove it, so a shipped
/// program checks clean unless it really has the problem. Contradictions inside one rule's
/// conditions are W0102 (Warnings.swift).
struct RuleAnalysis {
  var program: CheckedProgram
  var conditions: [Int: [TypedExpression]]
  var files: [SourceFileSyntax]
  var sources: [SourceFile]
  /// `perk check --as-of DATE`: the day from which a rule's dates are judged; nil judges none.
  var asOf: LocalDate?

  func report(into diagnostics: inout Diagnostics) {
    reportClosedWindows(into: &diagnostics)
    reportIdenticalRules(into: &diagnostics)
    reportReplacedRules(into: &diagnostics)
    reportOverlappingPromotions(into: &diagnostics)
    reportUnreachableBalances(into: &diagnostics)
    reportExcludedItems(into: &diagnostics)
    reportUnreachableVisits(into: &diagnostics)
    reportUnreachableTiers(into: &diagnostics)
  }

  // MARK: W0117

  /// A rule whose `when` clauses bound `date` to days before the as-of date.
  private func reportClosedWindows(into diagnostics: inout Diagnostics) {
    guard let asOf else { return }
    let (year, month, day) = asOf.components
    guard let today = Constant.date(DateLiteral(year: year, month: month, day: day)).orderKey else { return }
    for rule in program.rules {
      var dates = Truth.domain(.date)
      var last: TypedExpression?
      for clause in conditions[rule.id] ?? [] {
        for part in Truth.conjuncts(clause) {
          guard let (q, facts) = Truth.atom(part), q == .date else { continue }
          Truth.apply(facts, to: &dates)
          if facts.high != nil || facts.equal != nil { last = clause }
        }
      }
      guard let high = dates.high, let last, high < today || (high == today && !dates.highInclusive) else { continue }
      diagnostics.append(Diagnostic(
        .ruleWindowClosed, "rule `\(rule.name)` can no longer fire: its dates end before \(asOf)", at: last.range,
        label: "no day from \(asOf) on is in this window",
        help: "move the dates, or remove the rule if the promotion is over"))
    }
  }

  // MARK: W0118

  /// Two rules with the same clauses, in any order (comments and spacing aside): both fire on
  /// the same events, so the customer gets the award twice.
  private func reportIdenticalRules(into diagnostics: inout Diagnostics) {
    var seen: [[String]: (name: String, range: SourceRange)] = [:]
    // By the range of the rule's name: a scan of the rules for each rule made checking quadratic.
    let rulesByName = Dictionary(program.rules.map { ($0.range, $0) }, uniquingKeysWith: { first, _ in first })
    for file in files {
      for case .rule(let r) in file.declarations {
        guard let body = clauseLines(of: r), !body.isEmpty,
              let rule = rulesByName[r.name.range], rule.stacking.group == nil else { continue }
        if let first = seen[body] {
          diagnostics.append(Diagnostic(
            .identicalRules, "rule `\(rule.name)` is identical to rule `\(first.name)`", at: r.name.range,
            label: "same clauses", labels: [.init("`\(first.name)` declared here", at: first.range)],
            help: "both fire on the same events and pay twice; remove one, or put them in a `group`"))
        } else {
          seen[body] = (rule.name, r.name.range)
        }
      }
    }
  }

  /// The rule's clause lines, trimmed, with runs of spaces and comments removed, sorted.
  private func clauseLines(of r: RuleDeclaration) -> [String]? {
    guard sources.indices.contains(r.range.file) else { return nil }
    let source = sources[r.range.file]
    var line = source.location(of: r.range.start).line + 1
    var lines: [String] = []
    while line <= source.lineStarts.count {
      let text = source.lineText(line)
      let code = text.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
      if !code.allSatisfy(\.isWhitespace) {
        if code.first.map({ !$0.isWhitespace }) == true { break }  // the next declaration
        lines.append(code.split(whereSeparator: \.isWhitespace).joined(separator: " "))
      }
      line += 1
    }
    return lines.sorted()
  }

  // MARK: W0119

  /// A rule whose only effect is per-spend earning, replaced (`replaces … for those items`) by a
  /// rule that fires whenever it does, on at least the same lines: it never pays.
  private func reportReplacedRules(into diagnostics: inout Diagnostics) {
    for replacer in program.rules {
      guard let target = replacer.replaces, program.rules.indices.contains(target) else { continue }
      let replaced = program.rules[target]
      guard replacer.trigger == replaced.trigger, replacer.condition == nil, replacer.limits.isEmpty,
            replacer.stacking.group == nil, replacer.stacking.budget == nil, replacer.stacking.caps.isEmpty,
            let covered = Self.earningFilter(replacer) else { continue }
      let replacedFilters = replaced.effects.map { effect -> CheckedFilter?? in
        if case .earn(_, _, .perSpend(_, _, let filter, _)) = effect { return .some(filter) }
        return nil
      }
      guard !replacedFilters.isEmpty, replacedFilters.allSatisfy({ $0 != nil }),
            replacedFilters.allSatisfy({ Self.covers(covered, $0!) }) else { continue }
      diagnostics.append(Diagnostic(
        .ruleReplacedEntirely, "rule `\(replaced.name)` never pays: `\(replacer.name)` replaces all of it", at: replaced.range,
        label: "entirely replaced", labels: [.init("`\(replacer.name)` fires whenever this rule does, on the same lines", at: replacer.range)],
        help: "give `\(replacer.name)` a condition or narrower items, or remove `\(replaced.name)`"))
    }
  }

  /// The lines a rule earns on, when it earns per spend or per item with one basis: `.some(nil)` is every line.
  private static func earningFilter(_ rule: CheckedRule) -> CheckedFilter?? {
    var found: CheckedFilter??
    for effect in rule.effects {
      switch effect {
      case .earn(_, _, .perSpend(_, _, let filter, _)), .earn(_, _, .perItem(let filter, _)):
        if found != nil { return nil }
        found = .some(filter)
      default: break
      }
    }
    return found
  }

  /// Whether every line `inner` matches, `outer` matches too (as far as the names show).
  private static func covers(_ outer: CheckedFilter?, _ inner: CheckedFilter?) -> Bool {
    guard let outer else { return true }
    guard let inner, outer.field == inner.field, !outer.negated, !inner.negated else { return false }
    return Set(inner.values).isSubset(of: outer.values)
  }

  // MARK: W0120

  /// Two price promotions that can discount the same lines, neither in a `group` or `best of` and
  /// both at the default priority: nothing says whether they stack, so the order of the file decides.
  private func reportOverlappingPromotions(into diagnostics: inout Diagnostics) {
    let promotions = program.rules.compactMap { rule -> (CheckedRule, [CheckedFilter?])? in
      let filters = rule.effects.compactMap { effect -> CheckedFilter?? in
        guard case .price(let price) = effect else { return nil }
        return .some(Self.lines(of: price))
      }
      return filters.isEmpty ? nil : (rule, filters)
    }
    var reported = Set<Int>()
    for (i, (first, firstLines)) in promotions.enumerated() {
      for (second, secondLines) in promotions[(i + 1)...] where !reported.contains(second.id) {
        guard first.trigger == second.trigger, first.stacking.priority == 0, second.stacking.priority == 0,
              first.stacking.group == nil, second.stacking.group == nil,
              firstLines.contains(where: { a in secondLines.contains { b in Self.overlap(a, b) } }),
              Self.compatible(first.condition, second.condition) else { continue }
        reported.insert(second.id)
        diagnostics.append(Diagnostic(
          .overlappingPromotions, "promotions `\(first.name)` and `\(second.name)` can discount the same items",
          at: second.range, label: "overlaps `\(first.name)`",
          labels: [.init("`\(first.name)` declared here", at: first.range)],
          help: "say how they combine: put both in `group NAME` (one fires) or `best of NAME` (the better one fires), or give one a `priority`"))
      }
    }
  }

  /// The lines a price effect discounts; nil for every line.
  private static func lines(of price: CheckedPriceEffect) -> CheckedFilter? {
    switch price {
    case .percentOff(_, let target, _), .amountOff(_, let target):
      switch target {
      case .basket: return nil
      case .lines(let filter): return filter
      case .perItem(let filter): return filter
      }
    case .deal(_, _, let filter, _), .freeItem(_, let filter): return filter
    }
  }

  /// Whether two filters can match one line; a negated filter or different fields may always.
  private static func overlap(_ a: CheckedFilter?, _ b: CheckedFilter?) -> Bool {
    guard let a, let b, a.field == b.field, !a.negated, !b.negated else { return true }
    return !Set(a.values).isDisjoint(with: b.values)
  }

  /// Whether two conditions may hold on one event (W0102's analysis on their conjunction).
  private static func compatible(_ a: TypedExpression?, _ b: TypedExpression?) -> Bool {
    guard let a, let b else { return true }
    return Truth.of(TypedExpression(.and(a, b), unit: .bool, range: a.range)) != false
  }

  // MARK: W0121

  /// A rule that needs a points balance above the most any customer can hold (E0512's bound).
  private func reportUnreachableBalances(into diagnostics: inout Diagnostics) {
    var most: [Int: Int128?] = [:]
    for rule in program.rules {
      for clause in conditions[rule.id] ?? [] {
        for part in Truth.conjuncts(clause) {
          guard let (q, facts) = Truth.atom(part), case .balance(let id) = q, let low = facts.low,
                program.pointsCurrencies.indices.contains(id) else { continue }
          let points = program.pointsCurrencies[id]
          if most[id] == nil { most[id] = mostHeld(points, in: program) }
          // Facts hold decimals × 10^18 (`scaledKey`).
          guard let bound = most[id] ?? nil else { continue }
          let (key, overflow) = bound.multipliedReportingOverflow(by: 1_000_000_000_000_000_000)
          guard !overflow, low > key || (low == key && !facts.lowInclusive) else { continue }
          diagnostics.append(Diagnostic(
            .balanceOutOfReach, "rule `\(rule.name)` never fires: no customer can ever hold more than \(bound) \(points.name)",
            at: part.range, label: "never true",
            help: "lower the threshold, or let customers earn or keep more `\(points.name)`"))
        }
      }
    }
  }

  // MARK: W0122

  /// A rule whose every effect applies to items of a filter (`discount 10% on category coffee`,
  /// `earn 2 stars per item in category coffee`) while a `when` requires the basket to hold none
  /// of them (`basket items in category coffee = 0`): it can never give anything.
  private func reportExcludedItems(into diagnostics: inout Diagnostics) {
    let one = Int128(1_000_000_000_000_000_000)  // a count of 1 as a `scaledKey`
    for rule in program.rules {
      let targets = rule.effects.map(Self.itemsPaidOn)
      guard !targets.isEmpty, targets.allSatisfy({ $0 != nil }) else { continue }
      for clause in conditions[rule.id] ?? [] {
        for part in Truth.conjuncts(clause) {
          guard let (q, facts) = Truth.atom(part), case .basketItems(let excluded?) = q else { continue }
          var count = Truth.domain(q)
          Truth.apply(facts, to: &count)
          guard let high = count.high, high < one || (high == one && !count.highInclusive),
                targets.allSatisfy({ Self.covers(excluded, $0!) }) else { continue }
          diagnostics.append(Diagnostic(
            .excludedItems, "rule `\(rule.name)` never gives anything: it pays on the items its condition excludes",
            at: part.range, label: "no such item is in the basket when this holds",
            help: "check the categories and SKUs of the condition and of the effects"))
        }
      }
    }
  }

  /// The items an effect pays on, when it pays only on some: nil for an effect that pays on the
  /// whole basket or regardless of items (a flat bonus, a voucher, a reward, a multiplier).
  private static func itemsPaidOn(_ effect: CheckedEffect) -> CheckedFilter? {
    switch effect {
    case .earn(_, _, .perSpend(_, _, let filter, _)), .earn(_, _, .perItem(let filter, _)): return filter
    case .price(let price): return lines(of: price)
    default: return nil
    }
  }

  // MARK: W0123

  /// A rule that needs more visits in a window than the window has days: a visit is a local day
  /// with a purchase, so `visits in last 30 days >= 31` is never true.
  private func reportUnreachableVisits(into diagnostics: inout Diagnostics) {
    for rule in program.rules {
      for clause in conditions[rule.id] ?? [] {
        for part in Truth.conjuncts(clause) {
          guard let (q, facts) = Truth.atom(part), case .visits(let window) = q, let low = facts.low,
                let days = Self.mostDays(in: window) else { continue }
          let (key, overflow) = days.multipliedReportingOverflow(by: 1_000_000_000_000_000_000)
          guard !overflow, low > key || (low == key && !facts.lowInclusive) else { continue }
          diagnostics.append(Diagnostic(
            .visitsOutOfReach, "rule `\(rule.name)` never fires: its window has at most \(days) days, so at most \(days) visits",
            at: part.range, label: "never true",
            help: "a visit is a day with a purchase; lower the count or widen the window"))
        }
      }
    }
  }

  // MARK: W0124

  /// A tier level of `tiers by visits` whose threshold is more visits than the window has days:
  /// no customer ever reaches it, so every rule that needs it never fires.
  private func reportUnreachableTiers(into diagnostics: inout Diagnostics) {
    guard let tiers = program.tiers, tiers.measure == .visits, let days = Self.mostDays(in: tiers.window) else { return }
    for level in tiers.levels {
      guard let visits = level.visitThreshold, Int128(visits) > days else { continue }
      diagnostics.append(Diagnostic(
        .tierOutOfReach, "tier `\(level.name)` can never be reached: its window has at most \(days) days, so at most \(days) visits",
        at: level.range, label: "needs \(visits) visits",
        help: "a visit is a day with a purchase; lower the threshold or widen the window"))
    }
  }

  /// The most local days a window can cover (a month counts 31, a quarter 92, a year 366).
  private static func mostDays(in window: WindowSyntax) -> Int128? {
    func days(_ unit: DurationUnit) -> Int128 {
      switch unit {
      case .day: return 1
      case .week: return 7
      case .month: return 31
      case .year: return 366
      }
    }
    switch window {
    case .last(let d): return Int128(d.count) * days(d.unit)
    case .calendar(let unit): return days(unit)
    case .lastCalendar(let count, let unit):
      let each: Int128
      switch unit {
      case .day: each = 1
      case .week: each = 7
      case .month: each = 31
      case .quarter: each = 92
      case .year: each = 366
      }
      return Int128(count) * each
    }
  }
}
