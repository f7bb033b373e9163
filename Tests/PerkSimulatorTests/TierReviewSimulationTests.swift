import Foundation
import Perk
import Testing
@testable import PerkSimulator

/// A scheduled tier review runs at month ends in `perk sim`: tier populations and traces show it.
@Suite struct TierReviewSimulationTests {
  @Test func quarterlyReviewMovesThePopulationOneLevelAQuarter() throws {
    let history = """
      customer,txn,time,sku,category,qty,unit_price,type,orig_txn
      dana,t1,2026-01-15T12:00:00,tent,camping,1,1000.00,,
      dana,t2,2027-08-10T12:00:00,map,books,1,10.00,,

      """
    var trace: [String] = []
    let result = try Fixture.simulate(Fixture.bytes(history), program: Fixture.load("status-quarterly-review"),
                                      trace: { trace.append($0) })
    let months = result.figures.months
    func tiers(_ year: Int, _ month: Int) -> [String: Int64]? { months[year * 12 + month - 1]?.tiers }
    // The tent leaves the rolling window on 2027-01-15; gold holds until the April review. A
    // month's end is the period end at the start of the next month, so the review of April 1
    // shows at the end of March.
    #expect(tiers(2027, 1) == ["gold": 1])
    #expect(tiers(2027, 2) == ["gold": 1])
    #expect(tiers(2027, 3) == ["silver": 1])
    #expect(tiers(2027, 5) == ["silver": 1])
    #expect(tiers(2027, 6) == ["bronze": 1])
    #expect(trace.joined(separator: "\n").contains("gold → silver at the review of 2027-04-01"))
  }
}
