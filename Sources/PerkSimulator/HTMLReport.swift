import PerkRuntime

/// A self-contained HTML report: inline CSS, inline SVG charts, no network. It says everything
/// the text report says, table for table (the same ``TextTable``s render both), with charts.
///
/// A small inline script counts the charts the browser actually laid out and writes the count to
/// `data-charts-rendered` on `<html>`, which scripts/check-html-report.sh reads from headless Chromium.
package enum HTMLReport {
  /// The charts every single-program report has (a program with points or tiers adds one per
  /// currency or the tier chart; rewards redeemed add two).
  package static let chartNames = ["cost-per-month", "revenue-per-month", "cost-share-per-month", "refunds", "redemptions",
                                   "cost-distribution"]
  /// The charts the `--compare` section adds.
  package static let compareChartNames = ["compare-cost-per-month", "compare-differences"]

  /// The report; `sides` names the programs of a comparison (``CompareReport/Sides``).
  package static func render(_ result: SimulationResult, settings: ReportSettings, compare: SimulationResult?, sweep: [SimulationResult],
                             policyNote: String? = nil, sides: CompareReport.Sides? = nil) -> String {
    let r = ReportFigures(result, settings: settings)
    let f = result.figures
    var body = ""
    body += "<h1>Perk simulation: \(escape(result.programName))</h1>\n"
    body += section("run", "Run", pairs(TextReport.headerLines(result, policyNote: policyNote)))
    body += section("summary", "Summary", table(TextReport.summaryTable(r)) + pairs(TextReport.summaryNotes(r)))
    body += section("cost", "Cost by kind and rule", table(TextReport.kindsTable(r)) + table(TextReport.rulesTable(r)))

    let months = r.months
    let labels = months.map(ReportFigures.monthName)
    let money = { (minor: Int64) in r.money(minor) }
    body += section("monthly", "Monthly revenue, cost and cost share",
      chart(name: "cost-per-month", labels: labels, series: [("cost", months.map { f.months[$0]!.cost }, "#c0392b")],
            xTitle: "month", yTitle: "reward cost (\(result.currency.code))", format: money)
        + chart(name: "revenue-per-month", labels: labels, series: [("revenue", months.map { f.months[$0]!.revenue }, "#2980b9")],
                xTitle: "month", yTitle: "revenue (\(result.currency.code))", format: money)
        + chart(name: "cost-share-per-month", labels: labels,
                series: [("cost share", months.map { basisPoints(f.months[$0]!.cost, of: f.months[$0]!.revenue) }, "#8e44ad")],
                xTitle: "month", yTitle: "cost share of revenue", format: { Percent.of($0, 10_000, digits: 0) })
        + table(TextReport.monthlyTable(r)))

    body += section("refunds", "Refunds",
      chart(name: "refunds", labels: ["sales before refunds", "refunds", "revenue"],
            series: [("money", [f.revenue &+ f.refunds, f.refunds, f.revenue], "#16a085")],
            xTitle: "", yTitle: "money (\(result.currency.code))", format: money)
        + table(["Refunds", ""], [["returns", Percent.grouped(f.returns)], ["refunds", r.money(f.refunds)],
                                  ["revenue after refunds", r.money(f.revenue)]]))

    let rewards = f.rewardsRedeemed.keys.sorted()
    var redemptions = chart(name: "redemptions", labels: ["in the history", "modelled"],
                            series: [("redemptions", [f.historyRedemptions, f.modelledRedemptions], "#27ae60")],
                            xTitle: "", yTitle: "redemptions", format: { Percent.grouped($0) })
      + table(["Redemptions", ""], [["redemptions in the history", Percent.grouped(f.historyRedemptions)],
                                    ["modelled redemptions (\(result.policy))", Percent.grouped(f.modelledRedemptions)]])
    if !rewards.isEmpty {
      redemptions += chart(name: "rewards-redeemed-count", labels: rewards, series: [("count", rewards.map { f.rewardsRedeemed[$0]! }, "#27ae60")],
                           xTitle: "reward", yTitle: "rewards redeemed", format: { Percent.grouped($0) })
        + chart(name: "rewards-redeemed-value", labels: rewards,
                series: [("worth", rewards.map { f.rewardsRedeemedWorth[$0] ?? 0 }, "#d35400")],
                xTitle: "reward", yTitle: "worth redeemed (\(result.currency.code))", format: money)
    }
    redemptions += table(TextReport.rewardsTable(r) ?? TextTable(["Rewards redeemed", "count", "worth"]))
    body += section("redemptions", "Redemptions and rewards redeemed", redemptions)

    for (index, name) in r.currencies.enumerated() {
      var opening: Int64 = 0
      var issued: [Int64] = [], redeemed: [Int64] = [], expired: [Int64] = [], outstanding: [Int64] = []
      for month in months {
        let m = f.months[month]!
        let flow = m.points[name] ?? PointsFlow()
        issued.append(flow.issued); redeemed.append(flow.redeemed); expired.append(flow.expired)
        outstanding.append(m.closing[name] ?? opening)
        opening = m.closing[name] ?? 0
      }
      body += section("points-\(index + 1)", "Points flow: \(name)",
        chart(name: "points-flow", labels: labels, series: [("issued", issued, "#2980b9"), ("redeemed", redeemed, "#27ae60"),
                                                            ("expired", expired, "#8e44ad"), ("outstanding", outstanding, "#d35400")],
              lines: true, xTitle: "month", yTitle: "points (\(name))", format: { Percent.grouped($0) })
          + table(TextReport.pointsTable(r, currency: name))
          + "<h3>\(escape(TextReport.rollForwardTitle(r, currency: name)))</h3>\n" + table(TextReport.rollForwardTable(r, currency: name)))
    }
    if let tiers = TextReport.tiersTable(r) {
      let colors = ["#27ae60", "#f1c40f", "#34495e", "#e67e22", "#9b59b6", "#16a085", "#7f8c8d"]
      let series = TextReport.tierColumns(r).enumerated().map { (i, tier) in
        (tier, months.map { f.months[$0]!.tiers[tier] ?? 0 }, colors[i % colors.count])
      }
      body += section("tiers", "Tiers at month end",
        chart(name: "tier-populations", labels: labels, series: series, stacked: true, xTitle: "month", yTitle: "customers",
              format: { Percent.grouped($0) }) + table(tiers))
    }
    if !f.messages.isEmpty {
      let channels = MessageChannel.allCases.map(\.rawValue).filter { channel in f.messages.rows.contains { $0.channel == channel } }
      let colors = ["#2980b9", "#27ae60", "#8e44ad", "#7f8c8d"]
      let series = channels.enumerated().map { (i, channel) in
        (channel, months.map { month in f.months[month]!.messages.sent.values.reduce(Int64(0)) { $0 &+ ($1[channel] ?? 0) } }, colors[i % colors.count])
      }
      body += section("messages", "Messages sent per month",
        chart(name: "messages-per-month", labels: labels, series: series, stacked: true, xTitle: "month", yTitle: "messages sent",
              format: { Percent.grouped($0) })
          + table(MessageReport.table(f, result))
          + "<p>Deferred by quiet hours: \(Percent.grouped(f.messages.deferred)).</p>\n"
          + table(MessageReport.monthlyTable(f)))
    }
    let histogram = r.histogram(bins: 20)
    body += section("distribution", "Reward cost per customer",
      chart(name: "cost-distribution", labels: histogram.map { r.money($0.low) }, series: [("customers", histogram.map(\.count), "#2c3e50")],
            xTitle: "reward cost per customer (\(result.currency.code), bin from)", yTitle: "customers", format: { Percent.grouped($0) })
        + table(TextReport.distributionTable(r)) + table(TextReport.topTable(r)))
    if let budgets = TextReport.budgetsTable(r) {
      body += section("budgets", "Budgets (all customers in time order)", table(budgets))
    }
    if let budget = TextReport.budgetSentence(r) {
      body += section("budget", "Budget", "<p>\(escape(budget)).</p>\n")
    }
    if let compare {
      body += comparison(result, compare, settings: settings, sides: sides ?? CompareReport.Sides(result, compare))
    }
    if !sweep.isEmpty {
      body += section("sweep", "Sweep", table(SweepReport.table(sweep, settings: settings)))
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
      td.sub { padding-left: 2em; }
      td.none { color: #777; font-style: italic; }
      table.pairs td { text-align: left; }
      section { margin-bottom: 2em; }
      svg { display: block; margin: .5em 0; }
      svg text { font: 10px sans-serif; fill: #333; }
      svg text.axis-title { font: 11px sans-serif; fill: #555; }
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
        /* Where each section was laid out (id:top:height, CSS pixels): the check crops its screenshot by these. */
        var boxes = [];
        document.querySelectorAll('section[id]').forEach(function (section) {
          var box = section.getBoundingClientRect();
          boxes.push(section.id + ':' + Math.round(box.top + window.scrollY) + ':' + Math.round(box.height));
        });
        document.documentElement.setAttribute('data-sections', boxes.join(' '));
        document.documentElement.setAttribute('data-page-height', String(Math.ceil(document.documentElement.scrollHeight)));
      })();
      </script>
      </body>
      </html>

      """
  }

  /// The `--compare` section: the text comparison's tables, both programs' monthly cost on one
  /// chart and the distribution of per-customer differences.
  static func comparison(_ a: SimulationResult, _ b: SimulationResult, settings: ReportSettings, sides: CompareReport.Sides) -> String {
    let ra = ReportFigures(a, settings: settings)
    let months = Set(a.figures.months.keys).union(b.figures.months.keys).sorted()
    let money = { (minor: Int64) in ra.money(minor) }
    let differences = CompareReport.differenceHistogram(a, b, bins: 20)
    return section("compare", "Comparison: A = \(sides.a), B = \(sides.b)",
      table(CompareReport.table(a, b, settings: settings))
        + chart(name: "compare-cost-per-month", labels: months.map(ReportFigures.monthName),
                series: [("A: \(sides.a)", months.map { a.figures.months[$0]?.cost ?? 0 }, "#2980b9"),
                         ("B: \(sides.b)", months.map { b.figures.months[$0]?.cost ?? 0 }, "#c0392b")],
                xTitle: "month", yTitle: "reward cost (\(a.currency.code))", format: money)
        + chart(name: "compare-differences", labels: differences.map { ra.money($0.low) },
                series: [("customers", differences.map(\.count), "#2c3e50")],
                xTitle: "reward cost difference per customer, B − A (\(a.currency.code), bin from)", yTitle: "customers",
                format: { Percent.grouped($0) })
        + "<p>\(escape(CompareReport.customersSentence(a, b, settings: settings))).</p>\n"
        + table(CompareReport.gainersTable(a, b, settings: settings)) + table(CompareReport.losersTable(a, b, settings: settings)))
  }

  /// `part / whole` in basis points (0 when `whole` is 0), for the cost-share chart only: the
  /// table beside it shows the exact percentage.
  static func basisPoints(_ part: Int64, of whole: Int64) -> Int64 {
    whole == 0 ? 0 : Int64(clamping: Int128(part) * 10_000 / Int128(whole))
  }

  static func section(_ id: String, _ title: String, _ content: String) -> String {
    "<section id=\"\(id)\"><h2>\(escape(title))</h2>\n\(content)</section>\n"
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

  /// A table of the text report's; an empty one says "none".
  static func table(_ text: TextTable) -> String { table(text.header, text.rows) }

  static func table(_ header: [String], _ rows: [[String]]) -> String {
    var out = "<table><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
    for row in rows {
      // The text report indents the parts of a figure: the HTML indents them by style.
      out += "<tr>" + row.enumerated().map { (i, cell) in
        i == 0 && cell.hasPrefix("  ") ? "<td class=\"sub\">\(escape(String(cell.drop { $0 == " " })))</td>" : "<td>\(escape(cell))</td>"
      }.joined() + "</tr>"
    }
    if rows.isEmpty { out += "<tr><td class=\"none\" colspan=\"\(max(1, header.count))\">none</td></tr>" }
    return out + "</tbody></table>\n"
  }

  /// (label, text) lines as a two-column table.
  static func pairs(_ lines: [(String, String)]) -> String {
    guard !lines.isEmpty else { return "" }
    return "<table class=\"pairs\"><tbody>" + lines.map { "<tr><td>\(escape($0.0))</td><td>\(escape($0.1))</td></tr>" }.joined()
      + "</tbody></table>\n"
  }

  static let width: Int128 = 900, height: Int128 = 290, left: Int128 = 90, right: Int128 = 10, bottom: Int128 = 56, top: Int128 = 28

  static func legend(_ series: [(String, [Int64], String)]) -> String {
    var out = ""
    var x = left
    for s in series {
      out += "<rect x=\"\(x)\" y=\"6\" width=\"10\" height=\"10\" fill=\"\(s.2)\"/><text x=\"\(x + 14)\" y=\"15\">\(escape(s.0))</text>"
      x += 40 + Int128(s.0.count) * 6
    }
    return out
  }

  /// The y of `value` on an axis from the first tick (bottom) to the last (top).
  static func y(_ value: Int64, _ ticks: [Int64]) -> Int128 {
    let lo = Int128(ticks.first ?? 0), hi = Int128(ticks.last ?? 1)
    let v = min(hi, max(lo, Int128(value)))
    return height - bottom - (v - lo) * (height - bottom - top) / max(1, hi - lo)
  }

  /// Axes with their titles, the y ticks (round 1-2-5 values, ``NiceTicks``) with grid lines,
  /// and the category labels (every one, or every few when they would crowd).
  static func axes(ticks: [Int64], labels: [String], xTitle: String, yTitle: String, format: (Int64) -> String) -> String {
    var out = ""
    for tick in ticks {
      let y = y(tick, ticks)
      out += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - right)\" y2=\"\(y)\" stroke=\"\(tick == 0 ? "#999" : "#eee")\"/>"
      out += "<text class=\"tick\" x=\"\(left - 4)\" y=\"\(y + 3)\" text-anchor=\"end\">\(escape(format(tick)))</text>"
    }
    out += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"#999\"/>"
    let slot = (width - left - right) / Int128(max(1, labels.count))
    let longest = Int128(labels.map(\.count).max() ?? 1)
    let every = max(1, (longest * 6 + 8 + slot - 1) / max(1, slot))
    for (i, label) in labels.enumerated() where Int128(i) % every == 0 {
      out += "<text x=\"\(left + slot * Int128(i) + slot / 2)\" y=\"\(height - bottom + 14)\" text-anchor=\"middle\">\(escape(label))</text>"
    }
    if !xTitle.isEmpty {
      out += "<text class=\"axis-title\" x=\"\((left + width - right) / 2)\" y=\"\(height - 8)\" text-anchor=\"middle\">\(escape(xTitle))</text>"
    }
    out += "<text class=\"axis-title\" transform=\"translate(14,\((top + height - bottom) / 2)) rotate(-90)\" text-anchor=\"middle\">\(escape(yTitle))</text>"
    return out
  }

  /// A bar chart (side by side, or `stacked`), or a line chart (`lines`), over categories, with
  /// integer coordinates; bars grow from zero, down for negative values.
  static func chart(name: String, labels: [String], series: [(String, [Int64], String)], stacked: Bool = false, lines: Bool = false,
                    xTitle: String, yTitle: String, format: (Int64) -> String) -> String {
    let count = labels.count
    var low: Int64 = 0, high: Int64 = 0
    for i in 0..<count {
      if stacked { high = max(high, series.reduce(Int64(0)) { $0 &+ max(0, $1.1[i]) }) }
      else { for s in series { low = min(low, s.1[i]); high = max(high, s.1[i]) } }
    }
    let ticks = NiceTicks.ticks(low: low, high: high)
    let slot = (width - left - right) / Int128(max(1, count))
    var out = "<svg data-chart=\"\(name)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\">"
    out += legend(series) + axes(ticks: ticks, labels: labels, xTitle: xTitle, yTitle: yTitle, format: format)
    if lines {
      for s in series {
        let points = s.1.enumerated().map { (i, v) in "\(left + slot * Int128(i) + slot / 2),\(y(v, ticks))" }
        out += "<polyline class=\"mark\" fill=\"none\" stroke=\"\(s.2)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"><title>\(escape(s.0))</title></polyline>"
      }
      return out + "</svg>\n"
    }
    for i in 0..<count {
      var base: Int64 = 0
      for (k, s) in series.enumerated() {
        let value = stacked ? max(0, s.1[i]) : s.1[i]
        let (from, to) = (y(base, ticks), y(stacked ? base &+ value : value, ticks))
        let barWidth = stacked ? max(1, slot * 7 / 10) : max(1, slot * 7 / 10 / Int128(series.count))
        let x = left + slot * Int128(i) + slot * 15 / 100 + (stacked ? 0 : barWidth * Int128(k))
        out += "<rect class=\"mark\" x=\"\(x)\" y=\"\(min(from, to))\" width=\"\(barWidth)\" height=\"\(abs(to - from))\" fill=\"\(s.2)\"><title>\(escape(labels[i])) \(escape(s.0)): \(escape(format(s.1[i])))</title></rect>"
        if stacked { base &+= value }
      }
    }
    return out + "</svg>\n"
  }
}
