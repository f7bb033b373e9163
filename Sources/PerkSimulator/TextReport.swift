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
    let f = result.figures
    var out = "Perk simulation: \(result.programName)\n"
    out += "\n"
    out += "  history        \(result.history): \(Percent.grouped(result.rowsRead)) rows read, "
      + "\(Percent.grouped(result.rowsRead - result.rowsRejected)) used, \(Percent.grouped(result.rowsRejected)) rejected"
      + (result.rowsOutside > 0 ? ", \(Percent.grouped(result.rowsOutside)) outside the period" : "") + "\n"
    for bad in result.badRows { out += "                 rejected \(bad)\n" }
    if result.rowsRejected > Int64(result.badRows.count) {
      out += "                 … \(Percent.grouped(result.rowsRejected - Int64(result.badRows.count))) more rejected rows not shown\n"
    }
    out += "  period         \(result.from) to \(result.to) (\(result.timeZone))\n"
    out += "  redemption     \(result.policy): \(RedemptionPolicy(result.policy)?.explanation ?? result.policy)"
      + (result.policy.hasPrefix("rate:") ? " (seed \(result.seed))" : "") + "\n"
    if let policyNote { out += "                 \(policyNote)\n" }
    if result.shardCount > 1 { out += "  shard          \(result.shardIndex + 1) of \(result.shardCount) (customers by stable hash)\n" }
    if !result.unappliedBudgets.isEmpty {
      out += "  budgets        not applied (\(result.unappliedBudgets.joined(separator: ", "))): the cost is before budgets; "
        + "budgets are shared by all customers in time order and the simulation runs customers one at a time\n"
    }
    out += "\n"

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
    out += summary.rendered()
    for problem in f.eventProblems { out += "  refused: \(problem)\n" }
    if let note = r.unvaluedNote { out += "  note: \(note)\n" }
    for warning in result.warnings { out += "  warning: \(warning)\n" }
    out += "\n"

    var kinds = TextTable(["Cost by kind", "cost", "share"])
    for kind in r.costKinds {
      let value = f.costByKind[kind] ?? 0
      kinds.add([kind + (kind == "points" ? " (at stated value)" : ""), r.money(value), Percent.of(value, f.cost)])
    }
    for row in r.unvaluedByKind { kinds.add([row.label, row.points, ""]) }
    kinds.add(["total" + (r.unvaluedNote == nil ? "" : " (points of unknown value excluded)"), r.money(f.cost), Percent.of(f.cost, f.cost)])
    out += kinds.rendered() + "\n"

    var rules = TextTable(["Cost by rule", "cost", "share"])
    for (rule, value) in r.rulesByCost { rules.add([rule, r.money(value), Percent.of(value, f.cost)]) }
    for row in r.unvaluedByRule { rules.add([row.label, row.points, ""]) }
    out += rules.rendered() + "\n"

    for name in r.currencies {
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
      out += points.rendered()
      var rewards = TextTable(["Rewards redeemed", "count", "worth"])
      for reward in f.rewardsRedeemed.keys.sorted() {
        rewards.add([reward, Percent.grouped(f.rewardsRedeemed[reward]!), r.money(f.rewardsRedeemedWorth[reward] ?? 0)])
      }
      if !f.rewardsRedeemed.isEmpty { out += "\n" + rewards.rendered() }
      out += "\n"
      out += "  Liability roll-forward: \(name) (deferred revenue at stated value, breakage assumption "
        + Percent.of(settings.breakage.numerator, settings.breakage.denominator) + ")\n"
      var roll = TextTable(["month", "opening", "issued", "redeemed", "expired", "returned", "closing", "deferred revenue"])
      for row in r.rollForward(name) {
        roll.add([ReportFigures.monthName(row.month), Percent.grouped(row.opening), Percent.grouped(row.flow.issued),
                  Percent.grouped(row.flow.redeemed), Percent.grouped(row.flow.expired), Percent.grouped(row.flow.clawedBack),
                  Percent.grouped(row.closing), r.deferredMoney(row.closing, currency: name)])
      }
      out += roll.rendered() + "\n"
    }

    if !result.tierNames.isEmpty {
      let names = result.tierNames + (f.months.values.contains { $0.tiers["(none)"] != nil } ? ["(none)"] : [])
      var tiers = TextTable(["Tiers at month end"] + names)
      for month in r.months {
        let m = f.months[month]!
        tiers.add([ReportFigures.monthName(month)] + names.map { Percent.grouped(m.tiers[$0] ?? 0) })
      }
      out += tiers.rendered() + "\n"
    }

    var monthly = TextTable(["Monthly", "revenue", "txns", "active", "cost", "cost share"])
    for month in r.months {
      let m = f.months[month]!
      monthly.add([ReportFigures.monthName(month), r.money(m.revenue), Percent.grouped(m.transactions), Percent.grouped(m.activeCustomers),
                   r.money(m.cost), Percent.of(m.cost, m.revenue)])
    }
    out += monthly.rendered() + "\n"

    let d = r.distribution
    var distribution = TextTable(["Cost per customer", ""])
    distribution.add(["mean", r.money(d.mean)])
    distribution.add(["median", r.money(d.median)])
    distribution.add(["p90", r.money(d.p90)])
    distribution.add(["p99", r.money(d.p99)])
    distribution.add(["max", r.money(d.max)])
    out += distribution.rendered() + "\n"

    var top = TextTable(["Top customers", "cost", "revenue", "cost share"])
    for c in r.topCustomers { top.add([c.id, r.money(c.cost), r.money(c.revenue), Percent.of(c.cost, c.revenue)]) }
    out += top.rendered()

    if !result.appliedBudgets.isEmpty {
      out += "\n"
      var budgets = TextTable(["Budgets (all customers in time order)", "limit", "refused", "ran short on"])
      for line in BudgetLine.lines(result.appliedBudgets, figures: f) {
        budgets.add([line.name, "\(r.money(line.limitMinor)) \(line.period)", Percent.grouped(line.refused),
                     line.ranShort.isEmpty ? "never" : line.ranShort.map(\.description).joined(separator: ", ")])
      }
      out += budgets.rendered()
    }

    if let budget = settings.budget {
      out += "\n"
      if let day = r.budgetExhausted {
        out += "  Budget \(r.money(budget)) runs out on \(day)\n"
      } else {
        out += "  Budget \(r.money(budget)) is not exhausted: \(Percent.of(f.cost, budget)) used by \(result.to)\n"
      }
    }
    return out
  }

  /// `0.01` for a worth of one cent: the minor-unit worth shown in major units.
  static func worthText(_ worth: ExactDecimal, _ currency: Currency) -> String {
    Percent.decimal(worth.significand, Int64(clamping: worth.denominator) * currency.minorScale, digits: max(2, worth.scale + currency.minorDigits), trim: true)
  }
}
