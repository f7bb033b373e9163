import PerkRuntime

/// The terminal report: every figure finance asks for, in aligned tables.
package enum TextReport {
  /// Said under the redemption line of `perk sim` with no program file and no `--redeem`: the
  /// built-in example models redemptions, where a program file's run assumes none.
  package static let builtInPolicyNote =
    "the built-in example's default; with a program file the default is none (--redeem sets the policy)"

  /// The report; `policyNote`, when given, is printed under the redemption line.
  package static func render(_ result: SimulationResult, settings: ReportSettings, policyNote: String? = nil) -> String {
    let r = ReportFigures(result, settings: settings)
    var out = "Perk simulation: \(result.programName)\n"
    out += "\n"
    for (label, value) in headerLines(result, policyNote: policyNote) {
      out += "  " + label + String(repeating: " ", count: max(1, 15 - label.count)) + value + "\n"
    }
    out += "\n"

    out += summaryTable(r).rendered()
    for (label, value) in summaryNotes(r) { out += "  \(label): \(value)\n" }
    out += "\n"

    out += kindsTable(r).rendered() + "\n"
    out += rulesTable(r).rendered() + "\n"

    for name in r.currencies {
      out += pointsTable(r, currency: name).rendered()
      if let rewards = rewardsTable(r) { out += "\n" + rewards.rendered() }
      out += "\n"
      out += "  " + rollForwardTitle(r, currency: name) + "\n"
      out += rollForwardTable(r, currency: name).rendered() + "\n"
    }

    if let tiers = tiersTable(r) { out += tiers.rendered() + "\n" }
    // Only programs that send messages have the section.
    let messages = MessageReport.text(r.figures, r.result)
    if !messages.isEmpty { out += messages + "\n" }
    out += monthlyTable(r).rendered() + "\n"
    out += distributionTable(r).rendered() + "\n"
    out += topTable(r).rendered()

    if let budgets = budgetsTable(r) {
      out += "\n"
      out += budgets.rendered()
    }

    if let budget = budgetSentence(r) {
      out += "\n"
      out += "  " + budget + "\n"
    }
    return out
  }

  /// The lines under the title: history, period, redemption and what the run did not model,
  /// as (label, text); a continuation line has an empty label.
  static func headerLines(_ result: SimulationResult, policyNote: String?) -> [(String, String)] {
    var lines: [(String, String)] = []
    lines.append(("history", "\(result.history): \(Percent.grouped(result.rowsRead)) rows read, "
      + "\(Percent.grouped(result.rowsRead - result.rowsRejected)) used, \(Percent.grouped(result.rowsRejected)) rejected"
      + (result.rowsOutside > 0 ? ", \(Percent.grouped(result.rowsOutside)) outside the period" : "")))
    for bad in result.badRows { lines.append(("", "rejected \(bad)")) }
    if result.rowsRejected > Int64(result.badRows.count) {
      lines.append(("", "… \(Percent.grouped(result.rowsRejected - Int64(result.badRows.count))) more rejected rows not shown"))
    }
    lines.append(("period", "\(result.from) to \(result.to) (\(result.timeZone))"))
    lines.append(("redemption", "\(result.policy): \(RedemptionPolicy(result.policy)?.explanation ?? result.policy)"
      + (result.policy.hasPrefix("rate:") ? " (seed \(result.seed))" : "")))
    if let policyNote { lines.append(("", policyNote)) }
    if result.shardCount > 1 { lines.append(("shard", "\(result.shardIndex + 1) of \(result.shardCount) (customers by stable hash)")) }
    if !result.unappliedBudgets.isEmpty {
      lines.append(("budgets", "not applied (\(result.unappliedBudgets.joined(separator: ", "))): the cost is before budgets; "
        + "budgets are shared by all customers in time order and the simulation runs customers one at a time"))
    }
    return lines
  }

  static func summaryTable(_ r: ReportFigures) -> TextTable {
    let result = r.result, f = r.figures
    var summary = TextTable(["Summary", ""])
    summary.add(["customers", Percent.grouped(Int64(result.customers.count))])
    summary.add(["transactions", Percent.grouped(f.transactions)])
    summary.add(["  purchases", Percent.grouped(f.purchases)])
    if f.returns > 0 { summary.add(["  returns", Percent.grouped(f.returns)]) }
    if f.historyRedemptions > 0 { summary.add(["  redemptions in the history", Percent.grouped(f.historyRedemptions)]) }
    if f.customEvents > 0 { summary.add(["  other events", Percent.grouped(f.customEvents)]) }
    if f.signups > 0 { summary.add(["  signups (customers file)", Percent.grouped(f.signups)]) }
    if f.rejectedEvents > 0 { summary.add(["events the program refused", Percent.grouped(f.rejectedEvents)]) }
    if f.duplicateEvents > 0 { summary.add(["duplicate transactions", Percent.grouped(f.duplicateEvents)]) }
    if f.referralCredits > 0 { summary.add(["referral credits to referrers", Percent.grouped(f.referralCredits)]) }
    summary.add(["revenue", r.money(f.revenue)])
    if f.refunds > 0 { summary.add(["  of which refunds", r.money(-f.refunds)]) }
    summary.add(["reward cost", r.money(f.cost)])
    if f.returnsCost != 0 { summary.add(["  of which taken back by returns", r.money(f.returnsCost)]) }
    if !f.rebatesAccrued.isEmpty {
      summary.add(["rebates accrued, not yet settled", r.money(f.rebatesAccrued.values.reduce(0, &+))])
    }
    summary.add(["cost share of revenue", Percent.of(f.cost, f.revenue)])
    summary.add(["modelled redemptions", Percent.grouped(f.modelledRedemptions)])
    return summary
  }

  /// What is said under the summary, as (label, text): refused events, the unknown-value note, warnings.
  static func summaryNotes(_ r: ReportFigures) -> [(String, String)] {
    r.figures.eventProblems.map { ("refused", $0) } + (r.unvaluedNote.map { [("note", $0)] } ?? [])
      + r.result.warnings.map { ("warning", $0) }
  }

  static func kindsTable(_ r: ReportFigures) -> TextTable {
    let f = r.figures
    var kinds = TextTable(["Cost by kind", "cost", "share"])
    for kind in r.costKinds {
      let value = f.costByKind[kind] ?? 0
      kinds.add([kind + (kind == "points" ? " (at stated value)" : ""), r.money(value), Percent.of(value, f.cost)])
    }
    for row in r.unvaluedByKind { kinds.add([row.label, row.points, ""]) }
    kinds.add(["total" + (r.unvaluedNote == nil ? "" : " (points of unknown value excluded)"), r.money(f.cost), Percent.of(f.cost, f.cost)])
    return kinds
  }

  static func rulesTable(_ r: ReportFigures) -> TextTable {
    var rules = TextTable(["Cost by rule", "cost", "share"])
    for (rule, value) in r.rulesByCost { rules.add([rule, r.money(value), Percent.of(value, r.figures.cost)]) }
    for row in r.unvaluedByRule { rules.add([row.label, row.points, ""]) }
    return rules
  }

  static func pointsTable(_ r: ReportFigures, currency name: String) -> TextTable {
    let result = r.result, f = r.figures
    let flow = f.points[name] ?? PointsFlow()
    let outstanding = f.outstanding[name] ?? 0
    let worth = result.pointsWorth[name].map { " (worth \(result.currency.symbol)\(Self.worthText($0, result.currency)) each)" }
      ?? " (no worth stated: \(ReportFigures.valueUnknown))"
    var points = TextTable(["Points: \(name)\(worth)", "points", "value"])
    points.add(["issued", Percent.grouped(flow.issued), r.pointsMoney(flow.issued, currency: name)])
    points.add(["redeemed", Percent.grouped(flow.redeemed), r.pointsMoney(flow.redeemed, currency: name)])
    points.add(["expired", Percent.grouped(flow.expired), r.pointsMoney(flow.expired, currency: name)])
    if flow.clawedBack != 0 { points.add(["taken back by returns", Percent.grouped(flow.clawedBack), r.pointsMoney(flow.clawedBack, currency: name)]) }
    points.add(["outstanding (liability)", Percent.grouped(outstanding), r.pointsMoney(outstanding, currency: name)])
    points.add(["breakage (expired ÷ issued)", Percent.of(flow.expired, flow.issued), ""])
    points.add(["redemption rate (redeemed ÷ issued)", Percent.of(flow.redeemed, flow.issued), ""])
    return points
  }

  /// Rewards redeemed by name, or nil when none was.
  static func rewardsTable(_ r: ReportFigures) -> TextTable? {
    let f = r.figures
    guard !f.rewardsRedeemed.isEmpty else { return nil }
    var rewards = TextTable(["Rewards redeemed", "count", "worth"])
    for reward in f.rewardsRedeemed.keys.sorted() {
      rewards.add([reward, Percent.grouped(f.rewardsRedeemed[reward]!), r.money(f.rewardsRedeemedWorth[reward] ?? 0)])
    }
    return rewards
  }

  static func rollForwardTitle(_ r: ReportFigures, currency name: String) -> String {
    "Liability roll-forward: \(name) (deferred revenue at stated value, breakage assumption "
      + Percent.of(r.settings.breakage.numerator, r.settings.breakage.denominator) + ")"
  }

  static func rollForwardTable(_ r: ReportFigures, currency name: String) -> TextTable {
    var roll = TextTable(["month", "opening", "issued", "redeemed", "expired", "returned", "closing", "deferred revenue"])
    for row in r.rollForward(name) {
      roll.add([ReportFigures.monthName(row.month), Percent.grouped(row.opening), Percent.grouped(row.flow.issued),
                Percent.grouped(row.flow.redeemed), Percent.grouped(row.flow.expired), Percent.grouped(row.flow.clawedBack),
                Percent.grouped(row.closing), r.deferredMoney(row.closing, currency: name)])
    }
    return roll
  }

  /// The tiers held at each month end, or nil for a program without tiers.
  static func tiersTable(_ r: ReportFigures) -> TextTable? {
    let result = r.result, f = r.figures
    guard !result.tierNames.isEmpty else { return nil }
    // Worked out once: each month reading them again looked at every month (quadratic in the
    // months of the period).
    let columns = tierColumns(r)
    var tiers = TextTable(["Tiers at month end"] + columns)
    for month in r.months {
      let m = f.months[month]!
      tiers.add([ReportFigures.monthName(month)] + columns.map { Percent.grouped(m.tiers[$0] ?? 0) })
    }
    return tiers
  }

  /// The program's tiers, then `(none)` when some month end has customers holding none.
  static func tierColumns(_ r: ReportFigures) -> [String] {
    r.result.tierNames + (r.figures.months.values.contains { $0.tiers["(none)"] != nil } ? ["(none)"] : [])
  }

  static func monthlyTable(_ r: ReportFigures) -> TextTable {
    var monthly = TextTable(["Monthly", "revenue", "txns", "active", "cost", "cost share"])
    for month in r.months {
      let m = r.figures.months[month]!
      monthly.add([ReportFigures.monthName(month), r.money(m.revenue), Percent.grouped(m.transactions), Percent.grouped(m.activeCustomers),
                   r.money(m.cost), Percent.of(m.cost, m.revenue)])
    }
    return monthly
  }

  static func distributionTable(_ r: ReportFigures) -> TextTable {
    let d = r.distribution
    var distribution = TextTable(["Cost per customer", ""])
    distribution.add(["mean", r.money(d.mean)])
    distribution.add(["median", r.money(d.median)])
    distribution.add(["p90", r.money(d.p90)])
    distribution.add(["p99", r.money(d.p99)])
    distribution.add(["max", r.money(d.max)])
    return distribution
  }

  static func topTable(_ r: ReportFigures) -> TextTable {
    var top = TextTable(["Top customers", "cost", "revenue", "cost share"])
    for c in r.topCustomers { top.add([c.id, r.money(c.cost), r.money(c.revenue), Percent.of(c.cost, c.revenue)]) }
    return top
  }

  /// The applied budgets, or nil when the run applied none.
  static func budgetsTable(_ r: ReportFigures) -> TextTable? {
    guard !r.result.appliedBudgets.isEmpty else { return nil }
    var budgets = TextTable(["Budgets (all customers in time order)", "limit", "refused", "ran short on"])
    for line in BudgetLine.lines(r.result.appliedBudgets, figures: r.figures) {
      budgets.add([line.name, "\(r.money(line.limitMinor)) \(line.period)", Percent.grouped(line.refused),
                   line.ranShort.isEmpty ? "never" : line.ranShort.map(\.description).joined(separator: ", ")])
    }
    return budgets
  }

  /// When `--budget` runs out, or nil without one.
  static func budgetSentence(_ r: ReportFigures) -> String? {
    guard let budget = r.settings.budget else { return nil }
    if let day = r.budgetExhausted { return "Budget \(r.money(budget)) runs out on \(day)" }
    return "Budget \(r.money(budget)) is not exhausted: \(Percent.of(r.figures.cost, budget)) used by \(r.result.to)"
  }

  /// `0.01` for a worth of one cent: the minor-unit worth shown in major units.
  static func worthText(_ worth: ExactDecimal, _ currency: Currency) -> String {
    Percent.decimal(worth.significand, Int64(clamping: worth.denominator) * currency.minorScale, digits: max(2, worth.scale + currency.minorDigits), trim: true)
  }
}
