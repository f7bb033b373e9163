import PerkRuntime

/// The messages section of the reports (text, HTML, JSON, CSV): what `send message` rules made
/// due, by rule and channel, with what sending them cost.
package enum MessageReport {
  /// Rows `rule, channel, sent, suppressed, cost` (money as the report writes it).
  static func rows(_ f: Figures, _ result: SimulationResult) -> [[String]] {
    f.messages.rows.map { row in
      [row.rule, row.channel, Percent.grouped(row.sent), Percent.grouped(row.suppressed),
       Money(minorUnits: row.cost, currency: result.currency).description]
    }
  }

  /// The text section; empty when no message fell due.
  static func text(_ f: Figures, _ result: SimulationResult) -> String {
    guard !f.messages.isEmpty else { return "" }
    return table(f, result).rendered() + deferredSentence(f) + "\n" + monthlyTable(f).rendered()
  }

  /// Messages by rule and channel: sent, suppressed, cost (the text and HTML reports' table).
  static func table(_ f: Figures, _ result: SimulationResult) -> TextTable {
    var table = TextTable(["Messages", "channel", "sent", "suppressed", "cost"])
    for row in rows(f, result) { table.add(row) }
    return table
  }

  /// The line under the table: how many messages quiet hours deferred.
  static func deferredSentence(_ f: Figures) -> String {
    "  deferred by quiet hours: \(Percent.grouped(f.messages.deferred))\n"
  }

  /// Messages per month with any: sent, suppressed, deferred.
  static func monthlyTable(_ f: Figures) -> TextTable {
    var monthly = TextTable(["month", "sent", "suppressed", "deferred"])
    for month in f.months.keys.sorted() {
      let m = f.months[month]!.messages
      guard !m.isEmpty else { continue }
      monthly.add([ReportFigures.monthName(month), Percent.grouped(m.sentTotal), Percent.grouped(m.suppressedTotal), Percent.grouped(m.deferred)])
    }
    return monthly
  }

  /// `{"by_rule": [{rule, channel, sent, suppressed, cost_minor}], "deferred": N}` for the JSON report.
  static func json(_ counts: MessageCounts) -> JSONOutput {
    .object([
      "by_rule": .array(counts.rows.map {
        .object(["rule": .string($0.rule), "channel": .string($0.channel), "sent": .integer($0.sent),
                 "suppressed": .integer($0.suppressed), "cost_minor": .integer($0.cost)])
      }),
      "deferred": .integer(counts.deferred),
    ])
  }

  /// Reads ``json(_:)`` back (merging shards).
  static func decode(_ node: JSONNode, reader: JSONReport.NodeReader) throws -> MessageCounts {
    var counts = MessageCounts()
    counts.deferred = try reader.int(node, "deferred")
    for row in try reader.array(node, "by_rule") {
      let (rule, channel) = (try reader.string(row, "rule"), try reader.string(row, "channel"))
      let (sent, suppressed, cost) = (try reader.int(row, "sent"), try reader.int(row, "suppressed"), try reader.int(row, "cost_minor"))
      if sent != 0 { counts.sent[rule, default: [:]][channel] = sent }
      if suppressed != 0 { counts.suppressed[rule, default: [:]][channel] = suppressed }
      if cost != 0 { counts.cost[rule, default: [:]][channel] = cost }
    }
    return counts
  }
}
