import PerkRuntime

/// The JSON report: stable sorted keys (documented in docs/simulator.md). It carries every
/// summed figure and every customer's cost exactly, so `perk sim merge` can rebuild the
/// single-run report from shard reports; derived figures (distribution, top customers,
/// budget day) are written too but recomputed on merge.
package enum JSONReport {
  package static let formatName = "perk-sim-report/1"

  package static func render(_ result: SimulationResult, settings: ReportSettings, compare: SimulationResult?, sweep: [SimulationResult]) -> String {
    var root = encode(result, settings: settings, customers: false)
    // The customers are written straight as bytes (`writeCustomers`), each where `encode`'s
    // value would have put them.
    var written: [String: JSONWriter.Member] = ["customers": { writeCustomers(result.customers, into: &$0, indent: $1) }]
    if let compare {
      let other = encode(compare, settings: settings, customers: false)
      written["compare"] = { writer, indent in
        writer.writeObject(["customers": CompareReport.json(result, compare, settings: settings)], written: [
          "other": { writer, indent in
            writer.writeObject(other, written: ["customers": { writeCustomers(compare.customers, into: &$0, indent: $1) }],
                               indent: indent)
          },
        ], indent: indent)
      }
    }
    if !sweep.isEmpty {
      root["sweep"] = .array(sweep.map { .object(SweepReport.row($0, settings: settings)) })
    }
    var writer = JSONWriter()
    writer.writeObject(root, written: written, indent: 0)
    return writer.rendered()
  }

  /// The keys of a customer's object, sorted.
  static let customerKeys = JSONKeys(["cost_minor", "id", "revenue_minor"])

  /// The `customers` array, as ``customersJSON(_:)`` renders: written as it goes, where building
  /// a dictionary per customer, sorting its keys to write it and freeing it cost about 12,000
  /// instructions a customer (a report of a sparse history of 73,000 customers: nine tenths of
  /// the report, a tenth of the run).
  static func writeCustomers(_ customers: [CustomerFigure], into writer: inout JSONWriter, indent: Int) {
    writer.writeArray(count: customers.count, indent: indent) { writer, index, indent in
      let customer = customers[index]
      writer.writeObject(keys: customerKeys, indent: indent) { writer, key, _ in
        switch key {
        case 0: writer.write(integer: customer.cost)
        case 1: writer.write(string: customer.id)
        default: writer.write(integer: customer.revenue)
        }
      }
    }
  }

  /// The `customers` array as a value (what ``writeCustomers(_:into:indent:)`` writes).
  static func customersJSON(_ customers: [CustomerFigure]) -> JSONOutput {
    .array(customers.map { .object(["id": .string($0.id), "cost_minor": .integer($0.cost), "revenue_minor": .integer($0.revenue)]) })
  }

  static func flow(_ f: PointsFlow) -> [String: JSONOutput] {
    ["issued": .integer(f.issued), "redeemed": .integer(f.redeemed), "expired": .integer(f.expired), "taken_back": .integer(f.clawedBack)]
  }

  static func intMap(_ map: [String: Int64]) -> JSONOutput { .object(map.mapValues { .integer($0) }) }

  /// The report's members; without `customers` when `customers` is false (``render`` writes them).
  package static func encode(_ result: SimulationResult, settings: ReportSettings, customers: Bool = true) -> [String: JSONOutput] {
    let r = ReportFigures(result, settings: settings)
    let f = result.figures
    var points: [String: JSONOutput] = [:]
    for name in r.currencies {
      var entry = flow(f.points[name] ?? PointsFlow())
      let outstanding = f.outstanding[name] ?? 0
      entry["outstanding"] = .integer(outstanding)
      // Without a stated worth the money value is unknown: null, never 0.
      let valued = result.pointsWorth[name] != nil
      entry["worth_known"] = .bool(valued)
      entry["outstanding_value_minor"] = valued ? .integer(r.pointsValue(outstanding, currency: name)) : .null
      entry["deferred_revenue_minor"] = valued ? .integer(r.deferredValue(outstanding, currency: name)) : .null
      entry["breakage_percent"] = .string(Percent.of(f.points[name]?.expired ?? 0, f.points[name]?.issued ?? 0))
      if let worth = result.pointsWorth[name] {
        entry["worth_minor_significand"] = .integer(worth.significand)
        entry["worth_minor_scale"] = .integer(Int64(worth.scale))
      }
      points[name] = .object(entry)
    }
    var months: [JSONOutput] = []
    var opening: [String: Int64] = [:]
    for month in r.months {
      let m = f.months[month]!
      var monthPoints: [String: JSONOutput] = [:]
      for name in Set(m.points.keys).union(m.closing.keys).union(opening.keys).sorted() {
        var entry = flow(m.points[name] ?? PointsFlow())
        entry["opening"] = .integer(opening[name] ?? 0)
        entry["closing"] = .integer(m.closing[name] ?? 0)
        entry["deferred_revenue_minor"] = result.pointsWorth[name] == nil ? .null : .integer(r.deferredValue(m.closing[name] ?? 0, currency: name))
        monthPoints[name] = .object(entry)
      }
      opening = m.closing
      var monthObject: [String: JSONOutput] = [
        "month": .string(ReportFigures.monthName(month)),
        "revenue_minor": .integer(m.revenue), "transactions": .integer(m.transactions),
        "active_customers": .integer(m.activeCustomers), "known_customers": .integer(m.knownCustomers),
        "cost_minor": .integer(m.cost), "cost_by_kind": intMap(m.costByKind), "points": .object(monthPoints),
        "tiers": intMap(m.tiers),
      ]
      // Only months with messages carry the key, so reports of programs without contact are unchanged.
      if !m.messages.isEmpty { monthObject["messages"] = MessageReport.json(m.messages) }
      months.append(.object(monthObject))
    }
    var daily: [String: JSONOutput] = [:]
    for (day, cost) in f.dailyCost { daily[LocalDate(dayNumber: day).description] = .integer(cost) }
    var rewards: [String: JSONOutput] = [:]
    for (name, count) in f.rewardsRedeemed {
      rewards[name] = .object(["count": .integer(count), "worth_minor": .integer(f.rewardsRedeemedWorth[name] ?? 0)])
    }
    var worth: [String: JSONOutput] = [:]
    for (name, w) in result.pointsWorth { worth[name] = .object(["significand": .integer(w.significand), "scale": .integer(Int64(w.scale))]) }
    let d = r.distribution
    var root: [String: JSONOutput] = [
      "format": .string(formatName),
      "program": .object([
        "name": .string(result.programName), "currency": .string(result.currency.code), "time_zone": .string(result.timeZone),
        "points_worth_minor": .object(worth), "tiers": .array(result.tierNames.map { .string($0) }),
        "rules": .array(result.ruleNames.map { .string($0) }),
        "filtered_categories": .array(result.filteredCategories.map { .string($0) }),
        "filtered_skus": .array(result.filteredSkus.map { .string($0) }),
        "rule_triggers": .array(result.ruleTriggers.map { .string($0) }),
        "multiplying_rules": .array(result.multiplyingRules.map { .string($0) }),
      ]),
      "input": .object([
        "history": .string(result.history), "rows_read": .integer(result.rowsRead),
        "rows_used": .integer(result.rowsRead - result.rowsRejected), "rows_rejected": .integer(result.rowsRejected),
        "rows_outside_period": .integer(result.rowsOutside), "bad_rows": .array(result.badRows.map { .string($0) }),
      ]),
      "period": .object(["from": .string(result.from.description), "to": .string(result.to.description)]),
      // Always true since period ends run in the runtime; kept so that readers of the format do not break.
      "period_ends_modelled": .bool(true),
      "budgets_not_applied": .array(result.unappliedBudgets.map { .string($0) }),
      "assumptions": .object([
        "redeem": .string(result.policy), "redeem_explained": .string(RedemptionPolicy(result.policy)?.explanation ?? ""),
        "seed": .integer(Int64(bitPattern: result.seed)),
        "breakage_numerator": .integer(settings.breakage.numerator), "breakage_denominator": .integer(settings.breakage.denominator),
        "budget_minor": settings.budget.map { .integer($0) } ?? .null, "top": .integer(Int64(settings.top)),
      ]),
      "shard": .object(["index": .integer(Int64(result.shardIndex + 1)), "count": .integer(Int64(result.shardCount))]),
      "totals": .object([
        "customers": .integer(Int64(result.customers.count)), "transactions": .integer(f.transactions),
        "purchases": .integer(f.purchases), "returns": .integer(f.returns), "history_redemptions": .integer(f.historyRedemptions),
        "modelled_redemptions": .integer(f.modelledRedemptions), "custom_events": .integer(f.customEvents),
        "signups": .integer(f.signups), "rejected_events": .integer(f.rejectedEvents), "duplicate_events": .integer(f.duplicateEvents),
        "referral_credits": .integer(f.referralCredits),
        "revenue_minor": .integer(f.revenue), "refunds_minor": .integer(f.refunds), "cost_minor": .integer(f.cost),
        "returns_cost_minor": .integer(f.returnsCost),
        "rebates_accrued_unsettled_minor": .object(f.rebatesAccrued.mapValues { .integer($0) }),
        "cost_share_percent": .string(Percent.of(f.cost, f.revenue)),
      ]),
      "cost_by_kind": intMap(f.costByKind),
      "cost_by_rule": intMap(f.costByRule),
      "awards_by_source": intMap(f.awardsBySource),
      "categories_seen": .array(f.categoriesSeen.sorted().map { .string($0) }),
      "skus_seen": .array(f.skusSeen.sorted().map { .string($0) }),
      "rules_never_fired": .array(result.rulesNeverFired.map { .string($0) }),
      "rules_never_fired_reasons": .object(result.neverFiredReasons.mapValues { reason in
        .object(["reason": .string(reason.key), "count": reason.count.map { .integer($0) } ?? .null, "text": .string(reason.text)])
      }),
      "rule_tallies": .object(f.ruleTallies.mapValues { intMap($0) }),
      "filter_names_never_seen": .array(result.filterNamesNeverSeen.map { .string($0) }),
      "points_of_unknown_value": .array(r.unvaluedCurrencies.map { .string($0) }),
      "unvalued_points_by_rule": .object(f.unvaluedPointsByRule.mapValues { intMap($0) }),
      "points": .object(points),
      "rewards_redeemed": .object(rewards),
      "months": .array(months),
      "daily_cost_minor": .object(daily),
      "event_problems": .array(f.eventProblems.map { .string($0) }),
      "cost_per_customer": .object([
        "mean_minor": .integer(d.mean), "median_minor": .integer(d.median), "p90_minor": .integer(d.p90),
        "p99_minor": .integer(d.p99), "max_minor": .integer(d.max),
      ]),
      "top_customers": .array(r.topCustomers.map {
        .object(["id": .string($0.id), "cost_minor": .integer($0.cost), "revenue_minor": .integer($0.revenue)])
      }),
    ]
    root["program_budgets"] = .array(BudgetLine.lines(result.appliedBudgets, figures: f).map { line in
      var ranShort: [String: JSONOutput] = [:]
      for (key, day) in f.budgetRanShort where BudgetPeriods.split(key).budget == line.name {
        ranShort[BudgetPeriods.split(key).period] = .string(LocalDate(dayNumber: day).description)
      }
      return .object(["budget": .string(line.name), "limit_minor": .integer(line.limitMinor), "period": .string(line.period),
                      "refused_firings": .integer(line.refused), "ran_short": .object(ranShort)])
    })
    if customers { root["customers"] = customersJSON(result.customers) }
    if !f.messages.isEmpty { root["messages"] = MessageReport.json(f.messages) }
    if let budget = settings.budget {
      root["budget"] = .object([
        "budget_minor": .integer(budget), "exhausted_on": r.budgetExhausted.map { .string($0.description) } ?? .null,
        "used_percent": .string(Percent.of(f.cost, budget)),
      ])
    }
    return root
  }

  // MARK: - Reading a report back (for merging)

  package static func decode(_ bytes: [UInt8], path: String) throws -> (SimulationResult, ReportSettings) {
    let root: JSONNode
    do {
      root = try JSONNode.parse(bytes, path: path)
    } catch {
      throw SimulationInputError("\(path): not a JSON report: \(error.message)")
    }
    let reader = NodeReader(path: path)
    guard try reader.string(root, "format") == formatName else {
      throw SimulationInputError("\(path): not a `perk sim --format json` report (format \(formatName))")
    }
    let program = try reader.object(root, "program")
    let input = try reader.object(root, "input")
    let period = try reader.object(root, "period")
    let assumptions = try reader.object(root, "assumptions")
    let shard = try reader.object(root, "shard")
    let totals = try reader.object(root, "totals")
    guard let currency = Currency.named(try reader.string(program, "currency")) else { throw reader.fail(program, "unknown currency") }
    var worth: [String: ExactDecimal] = [:]
    for (name, node) in try reader.members(program, "points_worth_minor") {
      worth[name] = ExactDecimal(significand: try reader.int(node, "significand"), scale: Int(try reader.int(node, "scale")))
    }
    var f = Figures()
    f.purchases = try reader.int(totals, "purchases")
    f.returns = try reader.int(totals, "returns")
    f.historyRedemptions = try reader.int(totals, "history_redemptions")
    f.modelledRedemptions = try reader.int(totals, "modelled_redemptions")
    f.customEvents = try reader.int(totals, "custom_events")
    f.signups = try reader.int(totals, "signups")
    f.rejectedEvents = try reader.int(totals, "rejected_events")
    f.duplicateEvents = try reader.int(totals, "duplicate_events")
    // Absent from reports written before unsettled rebates were reported.
    if totals["rebates_accrued_unsettled_minor"] != nil { f.rebatesAccrued = try reader.intMap(totals, "rebates_accrued_unsettled_minor") }
    // Absent from reports written before referral transfers were credited.
    f.referralCredits = (try? reader.int(totals, "referral_credits")) ?? 0
    f.revenue = try reader.int(totals, "revenue_minor")
    f.refunds = try reader.int(totals, "refunds_minor")
    // Absent from reports written before returns were recomputed.
    f.returnsCost = (try? reader.int(totals, "returns_cost_minor")) ?? 0
    f.costByKind = try reader.intMap(root, "cost_by_kind")
    f.costByRule = try reader.intMap(root, "cost_by_rule")
    // Absent from reports written before never-fired rules were reported.
    if root["awards_by_source"] != nil { f.awardsBySource = try reader.intMap(root, "awards_by_source") }
    // Absent from reports written before never-fired rules were given a reason.
    if root["rule_tallies"] != nil {
      for (rule, _) in try reader.members(root, "rule_tallies") {
        f.ruleTallies[rule] = try reader.intMap(try reader.object(root, "rule_tallies"), rule)
      }
    }
    f.categoriesSeen = Set(try reader.strings(root, "categories_seen"))
    f.skusSeen = Set(try reader.strings(root, "skus_seen"))
    // Absent from reports written before points without a worth were reported.
    if root["unvalued_points_by_rule"] != nil {
      for (rule, _) in try reader.members(root, "unvalued_points_by_rule") {
        f.unvaluedPointsByRule[rule] = try reader.intMap(try reader.object(root, "unvalued_points_by_rule"), rule)
      }
    }
    for (name, node) in try reader.members(root, "points") {
      f.points[name] = try reader.flow(node)
      let outstanding = try reader.int(node, "outstanding")
      if outstanding != 0 { f.outstanding[name] = outstanding }
    }
    for (name, node) in try reader.members(root, "rewards_redeemed") {
      f.rewardsRedeemed[name] = try reader.int(node, "count")
      f.rewardsRedeemedWorth[name] = try reader.int(node, "worth_minor")
    }
    for node in try reader.array(root, "months") {
      let monthText = try reader.string(node, "month")
      guard let first = LocalDate(iso: monthText + "-01") else { throw reader.fail(node, "bad month `\(monthText)`") }
      var m = MonthFigures()
      m.revenue = try reader.int(node, "revenue_minor")
      m.transactions = try reader.int(node, "transactions")
      m.activeCustomers = try reader.int(node, "active_customers")
      m.knownCustomers = try reader.int(node, "known_customers")
      m.costByKind = try reader.intMap(node, "cost_by_kind")
      m.tiers = try reader.intMap(node, "tiers")
      if let messages = node["messages"] { m.messages = try MessageReport.decode(messages, reader: reader) }
      for (name, p) in try reader.members(node, "points") {
        let flow = try reader.flow(p)
        if flow != PointsFlow() { m.points[name] = flow }
        let closing = try reader.int(p, "closing")
        if closing != 0 { m.closing[name] = closing }
      }
      f.months[CustomerRun.monthIndex(first)] = m
    }
    for (day, node) in try reader.members(root, "daily_cost_minor") {
      guard let date = LocalDate(iso: day) else { throw reader.fail(node, "bad day `\(day)`") }
      f.dailyCost[date.dayNumber] = try reader.integer(node)
    }
    f.eventProblems = try reader.array(root, "event_problems").map { try reader.stringValue($0) }
    if let messages = root["messages"] { f.messages = try MessageReport.decode(messages, reader: reader) }
    // Absent from reports written before budgets were applied.
    var applied: [AppliedBudget] = []
    if root["program_budgets"] != nil {
      for node in try reader.array(root, "program_budgets") {
        let name = try reader.string(node, "budget")
        applied.append(AppliedBudget(name: name, limitMinor: try reader.int(node, "limit_minor"), period: try reader.string(node, "period")))
        let refused = try reader.int(node, "refused_firings")
        if refused != 0 { f.budgetRefusals[name] = refused }
        for (period, day) in try reader.members(node, "ran_short") {
          guard let date = LocalDate(iso: try reader.stringValue(day)) else { throw reader.fail(day, "bad day") }
          f.budgetRanShort[BudgetPeriods.key(budget: name, periodStart: LocalDate(iso: period))] = date.dayNumber
        }
      }
    }
    let customers = try reader.array(root, "customers").map {
      CustomerFigure(id: try reader.string($0, "id"), cost: try reader.int($0, "cost_minor"), revenue: try reader.int($0, "revenue_minor"))
    }
    guard let from = LocalDate(iso: try reader.string(period, "from")), let to = LocalDate(iso: try reader.string(period, "to")) else {
      throw reader.fail(period, "bad period")
    }
    guard case .bool? = root["period_ends_modelled"]?.value else { throw reader.fail(root, "missing `period_ends_modelled`") }
    let result = SimulationResult(
      programName: try reader.string(program, "name"), currency: currency, timeZone: try reader.string(program, "time_zone"),
      pointsWorth: worth, tierNames: try reader.array(program, "tiers").map { try reader.stringValue($0) },
      policy: try reader.string(assumptions, "redeem"), seed: UInt64(bitPattern: try reader.int(assumptions, "seed")),
      history: try reader.string(input, "history"), rowsRead: try reader.int(input, "rows_read"),
      rowsRejected: try reader.int(input, "rows_rejected"), rowsOutside: try reader.int(input, "rows_outside_period"),
      badRows: try reader.array(input, "bad_rows").map { try reader.stringValue($0) }, from: from, to: to,
      shardIndex: Int(try reader.int(shard, "index")) - 1, shardCount: Int(try reader.int(shard, "count")),
      figures: f, customers: customers,
      // Absent from reports written before it was reported.
      unappliedBudgets: root["budgets_not_applied"] == nil ? [] : try reader.array(root, "budgets_not_applied").map { try reader.stringValue($0) },
      appliedBudgets: applied,
      ruleNames: try reader.strings(program, "rules"), filteredCategories: try reader.strings(program, "filtered_categories"),
      filteredSkus: try reader.strings(program, "filtered_skus"),
      // Absent from reports written before never-fired rules were given a reason.
      ruleTriggers: program["rule_triggers"] == nil ? [] : try reader.strings(program, "rule_triggers"),
      multiplyingRules: program["multiplying_rules"] == nil ? [] : try reader.strings(program, "multiplying_rules"))
    var settings = ReportSettings()
    settings.breakage = (try reader.int(assumptions, "breakage_numerator"), try reader.int(assumptions, "breakage_denominator"))
    if let budget = assumptions["budget_minor"], case .number = budget.value { settings.budget = try reader.integer(budget) }
    settings.top = Int(try reader.int(assumptions, "top"))
    return (result, settings)
  }

  struct NodeReader {
    let path: String
    func fail(_ node: JSONNode, _ message: String) -> SimulationInputError {
      SimulationInputError("\(path):\(node.line):\(node.column): \(message)")
    }
    func member(_ node: JSONNode, _ key: String) throws -> JSONNode {
      guard let value = node[key] else { throw fail(node, "missing `\(key)`") }
      return value
    }
    func object(_ node: JSONNode, _ key: String) throws -> JSONNode {
      let value = try member(node, key)
      guard case .object = value.value else { throw fail(value, "`\(key)` should be an object") }
      return value
    }
    func members(_ node: JSONNode, _ key: String) throws -> [(String, JSONNode)] {
      guard case .object(let members) = try object(node, key).value else { return [] }
      return members.map { ($0.key, $0.value) }
    }
    func array(_ node: JSONNode, _ key: String) throws -> [JSONNode] {
      let value = try member(node, key)
      guard case .array(let items) = value.value else { throw fail(value, "`\(key)` should be an array") }
      return items
    }
    func stringValue(_ node: JSONNode) throws -> String {
      guard case .string(let s) = node.value else { throw fail(node, "expected a string") }
      return s
    }
    func string(_ node: JSONNode, _ key: String) throws -> String { try stringValue(try member(node, key)) }
    /// An array of strings; empty when absent (reports written before the key existed).
    func strings(_ node: JSONNode, _ key: String) throws -> [String] {
      node[key] == nil ? [] : try array(node, key).map { try stringValue($0) }
    }
    func integer(_ node: JSONNode) throws -> Int64 {
      guard case .number(let text) = node.value, let value = Int64(text) else { throw fail(node, "expected a whole number") }
      return value
    }
    func int(_ node: JSONNode, _ key: String) throws -> Int64 { try integer(try member(node, key)) }
    func intMap(_ node: JSONNode, _ key: String) throws -> [String: Int64] {
      var map: [String: Int64] = [:]
      for (name, value) in try members(node, key) { map[name] = try integer(value) }
      return map
    }
    func flow(_ node: JSONNode) throws -> PointsFlow {
      var flow = PointsFlow()
      flow.issued = try int(node, "issued")
      flow.redeemed = try int(node, "redeemed")
      flow.expired = try int(node, "expired")
      flow.clawedBack = try int(node, "taken_back")
      return flow
    }
  }
}

/// Combining shard reports into the report one run over every customer gives.
package enum ShardMerge {
  package static func merge(_ parts: [SimulationResult]) throws -> SimulationResult {
    guard var merged = parts.first else { throw SimulationInputError("no reports to merge") }
    let count = merged.shardCount
    var seen = Set<Int>()
    for part in parts {
      guard part.programName == merged.programName, part.currency == merged.currency, part.timeZone == merged.timeZone,
            part.policy == merged.policy, part.seed == merged.seed, part.history == merged.history, part.from == merged.from,
            part.to == merged.to, part.rowsRead == merged.rowsRead, part.rowsRejected == merged.rowsRejected,
            part.badRows == merged.badRows, part.pointsWorth == merged.pointsWorth, part.tierNames == merged.tierNames,
            part.unappliedBudgets == merged.unappliedBudgets, part.appliedBudgets == merged.appliedBudgets else {
        throw SimulationInputError("the reports are not shards of one run (program, history, period, policy and seed must match)")
      }
      guard part.shardCount == count else { throw SimulationInputError("the reports come from different shard counts") }
      guard seen.insert(part.shardIndex).inserted else { throw SimulationInputError("shard \(part.shardIndex + 1)/\(count) is given twice") }
    }
    guard seen.count == count else {
      let missing = (0..<count).filter { !seen.contains($0) }.map { "\($0 + 1)/\(count)" }
      throw SimulationInputError("missing shard report" + (missing.count == 1 ? " " : "s ") + missing.joined(separator: ", "))
    }
    var figures = Figures()
    var customers: [CustomerFigure] = []
    var outside: Int64 = 0
    for part in parts.sorted(by: { $0.shardIndex < $1.shardIndex }) {
      figures.add(part.figures)
      customers.append(contentsOf: part.customers)
      outside += part.rowsOutside
    }
    customers.sort { $0.id < $1.id }
    merged.figures = figures
    merged.customers = customers
    merged.rowsOutside = outside
    merged.shardIndex = 0
    merged.shardCount = 1
    return merged
  }
}
