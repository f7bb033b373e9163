import PerkRuntime

/// Two programs over the same history, side by side, down to the customer.
package enum CompareReport {
  /// Per-customer differences (B − A), joined on customer id.
  package static func differences(_ a: SimulationResult, _ b: SimulationResult) -> [(id: String, a: Int64, b: Int64)] {
    var rows: [(String, Int64, Int64)] = []
    var i = 0, j = 0
    let x = a.customers, y = b.customers
    while i < x.count || j < y.count {
      if j >= y.count || (i < x.count && x[i].id < y[j].id) { rows.append((x[i].id, x[i].cost, 0)); i += 1 }
      else if i >= x.count || y[j].id < x[i].id { rows.append((y[j].id, 0, y[j].cost)); j += 1 }
      else { rows.append((x[i].id, x[i].cost, y[j].cost)); i += 1; j += 1 }
    }
    return rows
  }

  struct Summary {
    var gain: Int64 = 0, lose: Int64 = 0, same: Int64 = 0
    var gainers: [(id: String, a: Int64, b: Int64)] = []
    var losers: [(id: String, a: Int64, b: Int64)] = []
  }

  static func summary(_ a: SimulationResult, _ b: SimulationResult, top: Int) -> Summary {
    let diffs = differences(a, b)
    var s = Summary()
    for d in diffs {
      if d.b > d.a { s.gain += 1 } else if d.b < d.a { s.lose += 1 } else { s.same += 1 }
    }
    s.gainers = Array(diffs.filter { $0.b > $0.a }.sorted { ($0.b - $0.a) != ($1.b - $1.a) ? ($0.b - $0.a) > ($1.b - $1.a) : $0.id < $1.id }.prefix(top))
    s.losers = Array(diffs.filter { $0.b < $0.a }.sorted { ($0.a - $0.b) != ($1.a - $1.b) ? ($0.a - $0.b) > ($1.a - $1.b) : $0.id < $1.id }.prefix(top))
    return s
  }

  /// What the two sides are called: the program names, or the files' names when the programs
  /// have the same name (comparing two versions of one program is the usual case).
  package struct Sides: Sendable, Equatable {
    package var a: String
    package var b: String

    /// `files` are the programs' paths, when they came from files.
    package init(_ a: SimulationResult, _ b: SimulationResult, files: (a: String, b: String)? = nil) {
      self.a = a.programName
      self.b = b.programName
      guard a.programName == b.programName, let files else { return }
      let (nameA, nameB) = (Self.lastComponent(files.a), Self.lastComponent(files.b))
      // Two files of one name in different folders are told apart by their whole paths.
      (self.a, self.b) = nameA == nameB ? (files.a, files.b) : (nameA, nameB)
    }

    static func lastComponent(_ path: String) -> String {
      path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }
  }

  package static func text(_ a: SimulationResult, _ b: SimulationResult, settings: ReportSettings, sides: Sides? = nil) -> String {
    let sides = sides ?? Sides(a, b)
    var out = "Comparison: A = \(sides.a), B = \(sides.b)\n\n"
    out += table(a, b, settings: settings).rendered() + "\n"
    out += "  " + customersSentence(a, b, settings: settings) + "\n\n"
    out += gainersTable(a, b, settings: settings).rendered() + "\n"
    out += losersTable(a, b, settings: settings).rendered()
    return out
  }

  /// The figures of both programs and their difference.
  static func table(_ a: SimulationResult, _ b: SimulationResult, settings: ReportSettings) -> TextTable {
    let ra = ReportFigures(a, settings: settings)
    let rb = ReportFigures(b, settings: settings)
    let fa = a.figures, fb = b.figures
    var table = TextTable(["", "A", "B", "B − A"])
    func money(_ x: Int64, _ y: Int64) -> [String] { [ra.money(x), ra.money(y), ra.money(y &- x)] }
    table.add(["revenue"] + money(fa.revenue, fb.revenue))
    table.add(["reward cost"] + money(fa.cost, fb.cost))
    table.add(["cost share of revenue", Percent.of(fa.cost, fa.revenue), Percent.of(fb.cost, fb.revenue), ""])
    let kinds = Array(Set(ra.costKinds).union(rb.costKinds)).sorted {
      (AwardCost.kindOrder.firstIndex(of: $0) ?? 99, $0) < (AwardCost.kindOrder.firstIndex(of: $1) ?? 99, $1)
    }
    for kind in kinds { table.add(["  " + kind] + money(fa.costByKind[kind] ?? 0, fb.costByKind[kind] ?? 0)) }
    for name in Set(ra.currencies).union(rb.currencies).sorted() {
      let pa = fa.points[name] ?? PointsFlow(), pb = fb.points[name] ?? PointsFlow()
      table.add(["\(name) issued", Percent.grouped(pa.issued), Percent.grouped(pb.issued), Percent.grouped(pb.issued - pa.issued)])
      let oa = fa.outstanding[name] ?? 0, ob = fb.outstanding[name] ?? 0
      table.add(["\(name) outstanding", Percent.grouped(oa), Percent.grouped(ob), Percent.grouped(ob - oa)])
      if a.pointsWorth[name] == nil || b.pointsWorth[name] == nil {
        table.add(["\(name) liability", ra.pointsMoney(oa, currency: name), rb.pointsMoney(ob, currency: name), ReportFigures.valueUnknown])
      } else {
        table.add(["\(name) liability"] + money(ra.pointsValue(oa, currency: name), rb.pointsValue(ob, currency: name)))
      }
    }
    let da = ra.distribution, db = rb.distribution
    table.add(["cost per customer, median"] + money(da.median, db.median))
    table.add(["cost per customer, p90"] + money(da.p90, db.p90))
    table.add(["cost per customer, max"] + money(da.max, db.max))
    return table
  }

  static func customersSentence(_ a: SimulationResult, _ b: SimulationResult, settings: ReportSettings) -> String {
    let s = summary(a, b, top: min(10, settings.top))
    return "Customers: \(Percent.grouped(s.gain)) get more under B, \(Percent.grouped(s.lose)) get less, \(Percent.grouped(s.same)) the same"
  }

  static func gainersTable(_ a: SimulationResult, _ b: SimulationResult, settings: ReportSettings) -> TextTable {
    let ra = ReportFigures(a, settings: settings)
    var gainers = TextTable(["Gain most under B", "A", "B", "B − A"])
    for g in summary(a, b, top: min(10, settings.top)).gainers { gainers.add([g.id, ra.money(g.a), ra.money(g.b), ra.money(g.b &- g.a)]) }
    return gainers
  }

  static func losersTable(_ a: SimulationResult, _ b: SimulationResult, settings: ReportSettings) -> TextTable {
    let ra = ReportFigures(a, settings: settings)
    var losers = TextTable(["Lose most under B", "A", "B", "B − A"])
    for l in summary(a, b, top: min(10, settings.top)).losers { losers.add([l.id, ra.money(l.a), ra.money(l.b), ra.money(l.b &- l.a)]) }
    return losers
  }

  /// Histogram of per-customer differences (B − A) in round bins, at most `bins` of them.
  package static func differenceHistogram(_ a: SimulationResult, _ b: SimulationResult, bins: Int) -> [(low: Int64, high: Int64, count: Int64)] {
    Histogram.bins(differences(a, b).map { $0.b &- $0.a }, maxBins: bins)
  }

  package static func json(_ a: SimulationResult, _ b: SimulationResult, settings: ReportSettings) -> JSONOutput {
    let s = summary(a, b, top: settings.top)
    func rows(_ list: [(id: String, a: Int64, b: Int64)]) -> JSONOutput {
      .array(list.map { .object(["id": .string($0.id), "a_cost_minor": .integer($0.a), "b_cost_minor": .integer($0.b), "difference_minor": .integer($0.b - $0.a)]) })
    }
    return .object([
      "gain": .integer(s.gain), "lose": .integer(s.lose), "same": .integer(s.same),
      "cost_difference_minor": .integer(b.figures.cost - a.figures.cost),
      "top_gainers": rows(s.gainers), "top_losers": rows(s.losers),
    ])
  }
}

/// The same program under several redemption assumptions.
package enum SweepReport {
  package static func row(_ result: SimulationResult, settings: ReportSettings) -> [String: JSONOutput] {
    let r = ReportFigures(result, settings: settings)
    var points: [String: JSONOutput] = [:]
    for name in r.currencies {
      let flow = result.figures.points[name] ?? PointsFlow()
      let outstanding = result.figures.outstanding[name] ?? 0
      points[name] = .object([
        "issued": .integer(flow.issued), "redeemed": .integer(flow.redeemed), "expired": .integer(flow.expired),
        "outstanding": .integer(outstanding),
        "liability_minor": result.pointsWorth[name] == nil ? .null : .integer(r.pointsValue(outstanding, currency: name)),
      ])
    }
    return ["redeem": .string(result.policy), "cost_minor": .integer(result.figures.cost),
            "modelled_redemptions": .integer(result.figures.modelledRedemptions), "points": .object(points)]
  }

  package static func text(_ results: [SimulationResult], settings: ReportSettings) -> String {
    results.isEmpty ? "" : table(results, settings: settings).rendered()
  }

  static func table(_ results: [SimulationResult], settings: ReportSettings) -> TextTable {
    guard let first = results.first else { return TextTable([]) }
    let names = ReportFigures(first, settings: settings).currencies
    var header = ["Sweep: redeem", "cost", "redemptions"]
    for name in names { header += ["\(name) redeemed", "\(name) outstanding", "liability"] }
    var table = TextTable(header)
    for result in results {
      let r = ReportFigures(result, settings: settings)
      var row = [result.policy, r.money(result.figures.cost), Percent.grouped(result.figures.modelledRedemptions)]
      for name in names {
        let outstanding = result.figures.outstanding[name] ?? 0
        row += [Percent.grouped(result.figures.points[name]?.redeemed ?? 0), Percent.grouped(outstanding),
                r.pointsMoney(outstanding, currency: name)]
      }
      table.add(row)
    }
    return table
  }
}

/// The monthly series as CSV: one row per month, money in major units with exact decimals.
package enum CSVReport {
  package static func monthly(_ result: SimulationResult) -> String {
    let r = ReportFigures(result, settings: ReportSettings())
    let kinds = r.costKinds
    let currencies = r.currencies
    var header = ["month", "revenue", "transactions", "active_customers", "known_customers", "cost"]
    header += kinds.map { "cost_" + $0.replacingOccurrences(of: " ", with: "_") }
    let unvalued = Set(r.unvaluedCurrencies)
    for name in currencies {
      header += ["\(name)_opening", "\(name)_issued", "\(name)_redeemed", "\(name)_expired", "\(name)_taken_back", "\(name)_closing"]
      // Points without a stated worth are in no cost column: the row says their value is unknown.
      if unvalued.contains(name) { header.append("\(name)_value") }
    }
    header += result.tierNames.map { "tier_\($0)" }
    // Message columns only for programs that send messages, so other series keep their shape.
    let messageRows = result.figures.messages.rows
    let messageColumns = messageRows.map { "messages_\($0.rule)_\($0.channel)".replacingOccurrences(of: " ", with: "_") }
    if !result.figures.messages.isEmpty { header += messageColumns + ["messages_suppressed", "messages_deferred"] }
    var out = header.map(quote).joined(separator: ",") + "\n"
    var opening: [String: Int64] = [:]
    for month in r.months {
      let m = result.figures.months[month]!
      func money(_ minor: Int64) -> String { Money(minorUnits: minor, currency: result.currency).decimalString }
      var row = [ReportFigures.monthName(month), money(m.revenue), String(m.transactions), String(m.activeCustomers),
                 String(m.knownCustomers), money(m.cost)]
      row += kinds.map { money(m.costByKind[$0] ?? 0) }
      for name in currencies {
        let flow = m.points[name] ?? PointsFlow()
        row += [String(opening[name] ?? 0), String(flow.issued), String(flow.redeemed), String(flow.expired),
                String(flow.clawedBack), String(m.closing[name] ?? 0)]
        if unvalued.contains(name) { row.append("unknown") }
      }
      row += result.tierNames.map { String(m.tiers[$0] ?? 0) }
      if !result.figures.messages.isEmpty {
        row += messageRows.map { String(m.messages.sent[$0.rule]?[$0.channel] ?? 0) }
        row += [String(m.messages.suppressedTotal), String(m.messages.deferred)]
      }
      opening = m.closing
      out += row.map(quote).joined(separator: ",") + "\n"
    }
    return out
  }

  static func quote(_ field: String) -> String {
    field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
  }
}
