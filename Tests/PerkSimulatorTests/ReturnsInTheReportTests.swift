import Perk
import PerkSimulator
import PerkTestSupport
import Testing

/// Returns in the cost report (issue 14): over generated histories with returns, for every
/// catalog program, the liability roll-forward stays reconciled to the point, the cost by rule
/// adds up to the cost, and what returns took back is in it, never positive.
@Suite struct ReturnsInTheReportTests {
  @Test(arguments: [("cafe", HistoryGenerator.Shape.cafe), ("p1-corner-cafe-punch-card", .cafe), ("p5-win-back", .grocery),
                    ("p9-expiring-points", .grocery), ("p10-snacks-buy-3-pay-2", .grocery), ("p12-dual-tiers", .grocery)])
  func theRollForwardStaysReconciledWithReturns(program name: String, shape: HistoryGenerator.Shape) throws {
    var generator = HistoryGenerator(customers: 30, months: 12, seed: 2026, shape: shape)
    generator.returnChance = (1, 6)  // many returns
    let history = Fixture.bytes(String(decoding: generator.bytes(), as: UTF8.self))
    let result = try Fixture.simulate(history, program: Fixture.program(name), policy: .asap)
    let f = result.figures
    #expect(f.returns > 10, "\(name): \(f.returns) returns")
    for (currency, flow) in f.points {
      // issued − redeemed − expired − taken back = outstanding, from empty accounts.
      #expect(flow.issued - flow.redeemed - flow.expired - flow.clawedBack == (f.outstanding[currency] ?? 0), "\(name) \(currency)")
      // The months add up to the whole.
      var months = PointsFlow()
      for month in f.months.values { months.add(month.points[currency] ?? PointsFlow()) }
      #expect(months == flow, "\(name) \(currency)")
    }
    #expect(f.costByRule.values.reduce(0, +) == f.cost, "\(name)")
    #expect(f.costByKind.values.reduce(0, +) == f.cost, "\(name)")
    #expect(f.returnsCost <= 0, "\(name)")
    #expect(f.costByRule["return"] == nil, "\(name)")
    #expect(f.refunds >= 0, "\(name)")
    // The same figures on two threads.
    let twice = try Fixture.simulate(history, program: Fixture.program(name), policy: .asap, threads: 2)
    #expect(twice.figures == f, "\(name)")
  }
}
