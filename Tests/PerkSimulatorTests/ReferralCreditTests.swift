import Foundation
import Perk
import Testing
@testable import PerkSimulator

/// `earn N points for referrer held D days`: the simulator credits the referrer's own account.
@Suite struct ReferralCreditTests {
  static let program = Fixture.program("p7-referral")

  /// bob (referred by carol) makes a $25 first purchase on March 2 and keeps it; dan (referred
  /// by carol) returns his within the hold; erin (referred by frank, who never buys) keeps hers.
  static let history = """
    customer,txn,time,sku,category,qty,unit_price,type,orig_txn
    carol,c1,2026-03-01T10:00:00,scarf,clothing,1,10.00,purchase,
    bob,b1,2026-03-02T10:00:00,jacket,clothing,1,25.00,purchase,
    dan,d1,2026-03-03T10:00:00,jacket,clothing,1,25.00,purchase,
    dan,d2,2026-03-05T10:00:00,jacket,clothing,1,25.00,return,d1
    erin,e1,2026-03-04T10:00:00,jacket,clothing,1,30.00,purchase,
    carol,c2,2026-03-16T09:00:00,scarf,clothing,1,10.00,purchase,
    carol,c3,2026-04-20T09:00:00,scarf,clothing,1,10.00,purchase,

    """

  static var customers: CustomerTable {
    var table = CustomerTable()
    for (id, referrer) in [("bob", "carol"), ("dan", "carol"), ("erin", "frank"), ("carol", nil), ("frank", nil)] {
      table.customers[id] = Customer(id: id, signupDate: Fixture.date("2026-01-01"), referredBy: referrer)
    }
    return table
  }

  @Test func referrersAreCreditedOnTheReleaseDayAndTheCostCounted() throws {
    var trace: [String] = []
    let result = try Fixture.simulate(Fixture.bytes(Self.history), program: Self.program, trace: { trace.append($0) },
                                      customers: Self.customers)
    // bob, dan and erin earn 300 each as referred customers (dan's return takes his back);
    // carol and frank get 300 each as referrers, none for dan's returned purchase.
    #expect(result.figures.referralCredits == 2)
    #expect(result.figures.costByRule["referral welcome"] == 1_500)
    #expect(result.figures.costByRule["return"] == -325)
    #expect(result.figures.points["points"]?.issued == 1_610)  // 325 + 325 + 330 + 30 + 300 + 300
    #expect(result.customers.map(\.id) == ["bob", "carol", "dan", "erin", "frank"])
    #expect(result.customers.first { $0.id == "carol" }?.cost == 330)
    #expect(result.customers.first { $0.id == "frank" }?.cost == 300)
    // Released at the start of March 16, before carol's purchase that morning.
    let carol = trace.filter { $0.contains("\"customer\":\"carol\"") }
    #expect(carol.count == 4)
    #expect(carol[1].contains("\"event\":\"referral credit\"") && carol[1].contains("\"local\":\"2026-03-16 00:00\""))
    #expect(carol[2].contains("\"txn\":\"c2\"") && carol[2].contains("\"points\":320"))
  }

  @Test func creditsAreTheSameForAnyThreadsAndShards() throws {
    let single = try Fixture.simulate(Fixture.bytes(Self.history), program: Self.program, customers: Self.customers)
    let threaded = try Fixture.simulate(Fixture.bytes(Self.history), program: Self.program, threads: 2, partitions: 3,
                                        customers: Self.customers)
    #expect(threaded == single)
    let settings = ReportSettings()
    var parts: [SimulationResult] = []
    for k in 0..<3 {
      let shard = try Fixture.simulate(Fixture.bytes(Self.history), program: Self.program, shard: (k, 3), customers: Self.customers)
      let json = JSONReport.render(shard, settings: settings, compare: nil, sweep: [])
      parts.append(try JSONReport.decode(Array(json.utf8), path: "s\(k).json").0)
    }
    let merged = try ShardMerge.merge(parts)
    #expect(JSONReport.render(merged, settings: settings, compare: nil, sweep: [])
              == JSONReport.render(single, settings: settings, compare: nil, sweep: []))
  }

  @Test func withoutACustomersFileNobodyIsReferred() throws {
    let result = try Fixture.simulate(Fixture.bytes(Self.history), program: Self.program)
    #expect(result.figures.referralCredits == 0)
    #expect(result.figures.costByRule["referral welcome"] == nil)
  }
}
