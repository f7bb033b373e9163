import Foundation
import Perk
import Testing
@testable import PerkSimulator

/// Rebates accrue with every purchase and cost money only when settled: what is accrued and
/// not yet settled at the end of the run is reported as a liability beside the cost.
@Suite struct RebateAccrualTests {
  static let program = Fixture.program("p4-wholesale-rebates")

  @Test func anOpenYearIsAccruedNotCost() throws {
    let history = Fixture.bytes("customer,txn,time,sku,category,qty,unit_price\nacme,T1,2026-03-10T10:00:00,pallet,beverages,10,1000.00\n")
    let result = try Fixture.simulate(history, program: Self.program)
    #expect(result.figures.cost == 0)
    #expect(result.figures.rebatesAccrued == ["annual volume": 20_000])  // 2% of €10,000
    let text = TextReport.render(result, settings: ReportSettings())
    #expect(text.contains("  rebates accrued, not yet settled     €200.00\n"))
    let json = JSONReport.render(result, settings: ReportSettings(), compare: nil, sweep: [])
    #expect(json.filter { !$0.isWhitespace }.contains("\"rebates_accrued_unsettled_minor\":{\"annualvolume\":20000}"))
    #expect(try JSONReport.decode(Array(json.utf8), path: "r.json").0 == result)
  }

  @Test func aSettledYearIsCostAndNoLongerAccrued() throws {
    let history = Fixture.bytes("""
      customer,txn,time,sku,category,qty,unit_price
      acme,T1,2026-03-10T10:00:00,pallet,beverages,10,1000.00
      acme,T2,2027-01-05T10:00:00,pallet,beverages,1,1000.00

      """)
    let result = try Fixture.simulate(history, program: Self.program)
    #expect(result.figures.costByKind["rebates"] == 20_000)
    // 2027 has €1,000 so far: below the first bracket, nothing accrued.
    #expect(result.figures.rebatesAccrued.isEmpty)
    #expect(!TextReport.render(result, settings: ReportSettings()).contains("rebates accrued"))
  }
}
