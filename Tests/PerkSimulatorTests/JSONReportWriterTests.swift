import Perk
import PerkRuntime
import Testing
@testable import PerkSimulator

/// `JSONReport.render` writes the customers straight as bytes: the report must be, byte for
/// byte, the one rendered from the values `JSONReport.encode` builds (as it was before).
@Suite struct JSONReportWriterTests {
  /// The report as it was rendered before: every member a value, the whole tree rendered.
  static func renderedFromValues(_ result: SimulationResult, settings: ReportSettings, compare: SimulationResult?,
                                 sweep: [SimulationResult]) -> String {
    var root = JSONReport.encode(result, settings: settings)
    if let compare {
      root["compare"] = .object([
        "other": .object(JSONReport.encode(compare, settings: settings)),
        "customers": CompareReport.json(result, compare, settings: settings),
      ])
    }
    if !sweep.isEmpty { root["sweep"] = .array(sweep.map { .object(SweepReport.row($0, settings: settings)) }) }
    return JSONOutput.object(root).rendered()
  }

  @Test func theWrittenReportIsTheRenderedOne() throws {
    let history = Fixture.bytes(String(decoding: HistoryGenerator(customers: 120, months: 4, seed: 9, shape: .cafe).bytes(), as: UTF8.self))
    let settings = ReportSettings(budget: 20_000, breakage: (1, 4), top: 3)
    let asap = try Fixture.simulate(history, policy: .asap)
    let none = try Fixture.simulate(history, program: Fixture.load("p9-expiring-points"), policy: .none)
    #expect(asap.customers.count > 100)
    #expect(asap.customers.contains { $0.cost != 0 && $0.revenue != 0 })
    let cases: [(SimulationResult, SimulationResult?, [SimulationResult])] = [
      (asap, nil, []), (asap, none, []), (none, asap, [asap, none]), (asap, nil, [none]),
    ]
    for (result, compare, sweep) in cases {
      let written = JSONReport.render(result, settings: settings, compare: compare, sweep: sweep)
      #expect(written == Self.renderedFromValues(result, settings: settings, compare: compare, sweep: sweep))
    }
    // Customers whose ids need escaping, negative and zero figures, and none at all.
    var odd = asap
    odd.customers = [CustomerFigure(id: "a \"quoted\"\tid", cost: -5, revenue: 0), CustomerFigure(id: "é", cost: .max, revenue: .min)]
    #expect(JSONReport.render(odd, settings: settings, compare: nil, sweep: [])
              == Self.renderedFromValues(odd, settings: settings, compare: nil, sweep: []))
    odd.customers = []
    let noCustomers = JSONReport.render(odd, settings: settings, compare: odd, sweep: [])
    #expect(noCustomers == Self.renderedFromValues(odd, settings: settings, compare: odd, sweep: []))
    #expect(noCustomers.contains("\"customers\": []"))
  }
}
