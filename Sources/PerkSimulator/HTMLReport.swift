import PerkRuntime

/// A self-contained HTML report: inline CSS, inline SVG charts, no network.
///
/// A small inline script counts the charts the browser actually laid out and writes the count to
/// `data-charts-rendered` on `<html>`, which scripts/check-html-report.sh reads from headless Chromium.
package enum HTMLReport {
  package static let chartNames = ["cost-per-month", "points-flow", "tier-populations", "cost-distribution"]

  package static func render(_ result: SimulationResult, settings: ReportSettings, compare: SimulationResult?, sweep: [SimulationResult]) -> String {
    let r = ReportFigures(result, settings: settings)
    let f = result.figures
    var body = ""
    body += "<h1>Perk simulation: \(escape(result.programName))</h1>\n"
    body += "<p class=\"meta\">History \(escape(result.history)): \(Percent.grouped(result.rowsRead)) rows read, "
      + "\(Percent.grouped(result.rowsRead - result.rowsRejected)) used, \(Percent.grouped(result.rowsRejected)) rejected. "
      + "Period \(result.from) to \(result.to) (\(escape(result.timeZone))). Redemption <code>\(escape(result.policy))</code>: "
      + escape(RedemptionPolicy(result.policy)?.explanation ?? "") + ".</p>\n"
    if !result.unappliedBudgets.isEmpty {
      body += "<p class=\"meta\">Budgets not applied (\(escape(result.unappliedBudgets.joined(separator: ", ")))): the cost is before "
        + "budgets, which are shared by all customers in time order while the simulation runs customers one at a time.</p>\n"
    }
    body += "<section><h2>Summary</h2>" + table(["", ""], [
      ["customers", Percent.grouped(Int64(result.customers.count))],
      ["transactions", Percent.grouped(f.transactions)],
      ["revenue", r.money(f.revenue)],
      ["reward cost", r.money(f.cost)],
    ] + (f.returnsCost == 0 ? [] : [["of which taken back by returns", r.money(f.returnsCost)]])
      + (f.rebatesAccrued.isEmpty ? [] : [["rebates accrued, not yet settled", r.money(f.rebatesAccrued.values.reduce(0, &+))]]) + [
      ["cost share of revenue", Percent.of(f.cost, f.revenue)],
    ] + (r.unvaluedNote.map { [["note", $0]] } ?? [])) + "</section>\n"
    body += "<section><h2>Cost by kind</h2>" + table(["kind", "cost", "share"], r.costKinds.map {
      [$0, r.money(f.costByKind[$0] ?? 0), Percent.of(f.costByKind[$0] ?? 0, f.cost)]
    } + r.unvaluedByKind.map { [$0.label, $0.points, ""] }) + "<h2>Cost by rule</h2>"
      + table(["rule", "cost", "share"], r.rulesByCost.map { [$0.0, r.money($0.1), Percent.of($0.1, f.cost)] }
        + r.unvaluedByRule.map { [$0.label, $0.points, ""] }) + "</section>\n"

    let months = r.months
    let labels = months.map(ReportFigures.monthName)
    body += "<section><h2>Cost per month</h2>\n"
      + barChart(name: "cost-per-month", labels: labels, series: [("cost", months.map { f.months[$0]!.cost }, "#c0392b")], stacked: false,
                 format: { r.money($0) }) + "</section>\n"
    for name in r.currencies {
      var opening: Int64 = 0
      var issued: [Int64] = [], redeemed: [Int64] = [], expired: [Int64] = [], outstanding: [Int64] = []
      for month in months {
        let m = f.months[month]!
        let flow = m.points[name] ?? PointsFlow()
        issued.append(flow.issued); redeemed.append(flow.redeemed); expired.append(flow.expired)
        outstanding.append(m.closing[name] ?? opening)
        opening = m.closing[name] ?? 0
      }
      body += "<section><h2>Points flow: \(escape(name))</h2>\n"
        + lineChart(name: "points-flow", labels: labels, series: [("issued", issued, "#2980b9"), ("redeemed", redeemed, "#27ae60"),
                                                                   ("expired", expired, "#8e44ad"), ("outstanding", outstanding, "#d35400")])
      let flow = f.points[name] ?? PointsFlow()
      body += table(["", "points", "value"], [
        ["issued", Percent.grouped(flow.issued), r.pointsMoney(flow.issued, currency: name)],
        ["redeemed", Percent.grouped(flow.redeemed), r.pointsMoney(flow.redeemed, currency: name)],
        ["expired", Percent.grouped(flow.expired), r.pointsMoney(flow.expired, currency: name)],
        ["outstanding (liability)", Percent.grouped(f.outstanding[name] ?? 0), r.pointsMoney(f.outstanding[name] ?? 0, currency: name)],
      ])
      body += "<h3>Liability roll-forward (breakage assumption \(Percent.of(settings.breakage.numerator, settings.breakage.denominator)))</h3>"
        + table(["month", "opening", "issued", "redeemed", "expired", "returned", "closing", "deferred revenue"], r.rollForward(name).map {
          [ReportFigures.monthName($0.month), Percent.grouped($0.opening), Percent.grouped($0.flow.issued), Percent.grouped($0.flow.redeemed),
           Percent.grouped($0.flow.expired), Percent.grouped($0.flow.clawedBack), Percent.grouped($0.closing),
           r.deferredMoney($0.closing, currency: name)]
        }) + "</section>\n"
    }
    if !result.tierNames.isEmpty {
      let colors = ["#27ae60", "#f1c40f", "#34495e", "#e67e22", "#9b59b6", "#16a085"]
      let series = result.tierNames.enumerated().map { (i, tier) in
        (tier, months.map { f.months[$0]!.tiers[tier] ?? 0 }, colors[i % colors.count])
      }
      body += "<section><h2>Tier populations at month end</h2>\n"
        + barChart(name: "tier-populations", labels: labels, series: series, stacked: true, format: { Percent.grouped($0) }) + "</section>\n"
    }
    if !f.messages.isEmpty {
      let channels = MessageChannel.allCases.map(\.rawValue).filter { channel in f.messages.rows.contains { $0.channel == channel } }
      let colors = ["#2980b9", "#27ae60", "#8e44ad", "#7f8c8d"]
      let series = channels.enumerated().map { (i, channel) in
        (channel, months.map { month in f.months[month]!.messages.sent.values.reduce(Int64(0)) { $0 &+ ($1[channel] ?? 0) } }, colors[i % colors.count])
      }
      body += "<section><h2>Messages sent per month</h2>\n"
        + barChart(name: "messages-per-month", labels: labels, series: series, stacked: true, format: { Percent.grouped($0) })
        + table(["rule", "channel", "sent", "suppressed", "cost"], MessageReport.rows(f, result).map { [escape($0[0])] + $0.dropFirst() })
        + "<p>Deferred by quiet hours: \(Percent.grouped(f.messages.deferred)).</p></section>\n"
    }
    let histogram = r.histogram(bins: 20)
    let d = r.distribution
    body += "<section><h2>Reward cost per customer</h2>\n"
      + barChart(name: "cost-distribution", labels: histogram.map { r.money($0.low) }, series: [("customers", histogram.map(\.count), "#2c3e50")],
                 stacked: false, format: { Percent.grouped($0) })
      + table(["mean", "median", "p90", "p99", "max"], [[r.money(d.mean), r.money(d.median), r.money(d.p90), r.money(d.p99), r.money(d.max)]])
      + "<h3>Top customers</h3>" + table(["customer", "cost", "revenue"], r.topCustomers.map { [$0.id, r.money($0.cost), r.money($0.revenue)] })
      + "</section>\n"
    if !result.appliedBudgets.isEmpty {
      body += "<section><h2>Budgets (all customers in time order)</h2>" + table(["budget", "limit", "refused", "ran short on"],
        BudgetLine.lines(result.appliedBudgets, figures: f).map { line in
          [escape(line.name), "\(r.money(line.limitMinor)) \(line.period)", Percent.grouped(line.refused),
           line.ranShort.isEmpty ? "never" : line.ranShort.map(\.description).joined(separator: ", ")]
        }) + "</section>\n"
    }
    if let budget = settings.budget {
      body += "<section><h2>Budget</h2><p>" + (r.budgetExhausted.map { "The budget of \(r.money(budget)) runs out on \($0)." }
        ?? "The budget of \(r.money(budget)) is not exhausted: \(Percent.of(f.cost, budget)) used.") + "</p></section>\n"
    }
    if let compare {
      body += "<section><h2>Comparison</h2><pre>" + escape(CompareReport.text(result, compare, settings: settings)) + "</pre></section>\n"
    }
    if !sweep.isEmpty {
      body += "<section><h2>Sweep</h2><pre>" + escape(SweepReport.text(sweep, settings: settings)) + "</pre></section>\n"
    }
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>Perk simulation: \(escape(result.programName))</title>
      <style>
      body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
      table { border-collapse: collapse; margin: .5em 0 1em; }
      th, td { padding: 2px 10px; border-bottom: 1px solid #ddd; text-align: right; }
      th:first-child, td:first-child { text-align: left; }
      .meta { color: #555; }
      svg { display: block; margin: .5em 0; }
      svg text { font: 10px sans-serif; fill: #333; }
      </style>
      </head>
      <body>
      \(body)<script>
      (function () {
        var rendered = 0;
        document.querySelectorAll('svg[data-chart]').forEach(function (svg) {
          var box = svg.getBBox();
          if (box.width > 0 && box.height > 0 && svg.querySelectorAll('rect.mark, polyline.mark').length > 0) { rendered++; }
        });
        document.documentElement.setAttribute('data-charts-rendered', String(rendered));
      })();
      </script>
      </body>
      </html>

      """
  }

  static func escape(_ text: String) -> String {
    var out = ""
    for c in text {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(c)
      }
    }
    return out
  }

  static func table(_ header: [String], _ rows: [[String]]) -> String {
    var out = "<table><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
    for row in rows { out += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }
    return out + "</tbody></table>\n"
  }

  static let width: Int64 = 900, height: Int64 = 260, left: Int64 = 70, bottom: Int64 = 40, top: Int64 = 20

  static func legend(_ series: [(String, [Int64], String)]) -> String {
    var out = ""
    for (i, s) in series.enumerated() {
      let x = left + Int64(i) * 130
      out += "<rect x=\"\(x)\" y=\"4\" width=\"10\" height=\"10\" fill=\"\(s.2)\"/><text x=\"\(x + 14)\" y=\"13\">\(escape(s.0))</text>"
    }
    return out
  }

  static func axis(maxValue: Int64, labels: [String], format: (Int64) -> String) -> String {
    let plotHeight = height - bottom - top
    var out = "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"#999\"/>"
    out += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width)\" y2=\"\(height - bottom)\" stroke=\"#999\"/>"
    for step in 0...4 {
      let value = maxValue * Int64(step) / 4
      let y = height - bottom - plotHeight * Int64(step) / 4
      out += "<text x=\"\(left - 4)\" y=\"\(y + 3)\" text-anchor=\"end\">\(escape(format(value)))</text>"
    }
    let slot = (width - left) / Int64(max(1, labels.count))
    let every = max(1, labels.count / 12)
    for (i, label) in labels.enumerated() where i % every == 0 {
      out += "<text x=\"\(left + slot * Int64(i) + slot / 2)\" y=\"\(height - bottom + 14)\" text-anchor=\"middle\">\(escape(label))</text>"
    }
    return out
  }

  /// Bars (side by side or stacked) with integer coordinates.
  static func barChart(name: String, labels: [String], series: [(String, [Int64], String)], stacked: Bool, format: (Int64) -> String) -> String {
    let count = labels.count
    var maxValue: Int64 = 1
    for i in 0..<count {
      if stacked { maxValue = max(maxValue, series.reduce(0) { $0 + max(0, $1.1[i]) }) }
      else { for s in series { maxValue = max(maxValue, s.1[i]) } }
    }
    let plotHeight = height - bottom - top
    let slot = (width - left) / Int64(max(1, count))
    var out = "<svg data-chart=\"\(name)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\">"
    out += legend(series) + axis(maxValue: maxValue, labels: labels, format: format)
    for i in 0..<count {
      var base: Int64 = 0
      for (k, s) in series.enumerated() {
        let value = max(0, s.1[i])
        let h = plotHeight * value / maxValue
        let barWidth = stacked ? max(1, slot * 7 / 10) : max(1, slot * 7 / 10 / Int64(series.count))
        let x = left + slot * Int64(i) + slot * 15 / 100 + (stacked ? 0 : barWidth * Int64(k))
        let y = height - bottom - base - h
        out += "<rect class=\"mark\" x=\"\(x)\" y=\"\(y)\" width=\"\(barWidth)\" height=\"\(max(h, 0))\" fill=\"\(s.2)\"><title>\(escape(labels[i])) \(escape(s.0)): \(escape(format(s.1[i])))</title></rect>"
        if stacked { base += h }
      }
    }
    return out + "</svg>\n"
  }

  static func lineChart(name: String, labels: [String], series: [(String, [Int64], String)]) -> String {
    var maxValue: Int64 = 1
    for s in series { maxValue = max(maxValue, s.1.max() ?? 0) }
    let plotHeight = height - bottom - top
    let slot = (width - left) / Int64(max(1, labels.count))
    var out = "<svg data-chart=\"\(name)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\">"
    out += legend(series) + axis(maxValue: maxValue, labels: labels, format: { Percent.grouped($0) })
    for s in series {
      let points = s.1.enumerated().map { (i, v) in "\(left + slot * Int64(i) + slot / 2),\(height - bottom - plotHeight * max(0, v) / maxValue)" }
      out += "<polyline class=\"mark\" fill=\"none\" stroke=\"\(s.2)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"><title>\(escape(s.0))</title></polyline>"
    }
    return out + "</svg>\n"
  }
}
