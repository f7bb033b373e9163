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
    // dan's return takes back what his purchase earned, from the rules that gave it.
    #expect(result.figures.costByRule["referral welcome"] == 1_200)
    #expect(result.figures.returnsCost == -325)
    #expect(result.figures.costByRule["return"] == nil)
    #expect(result.figures.points["points"]?.issued == 1_610)  // 325 + 325 + 330 + 30 + 300 + 300
    #expect(result.customers.map(\.id) == ["bob", "carol", "dan", "erin", "frank"])
    #expect(result.customers.first { $0.id == "carol" }?.cost == 330)
    #expect(result.customers.first { $0.id == "frank" }?.cost == 300)
    // Released at the start of March 16, before carol's purchase that morning.
    // (A line's own customer is followed by `duplicate` in the sorted keys; transfers name other customers.)
    let carol = trace.filter { $0.contains("\"customer\":\"carol\",\"duplicate\"") }
    #expect(carol.count == 4)
    #expect(carol[1].contains("\"type\":\"referral_credit\"") && carol[1].contains("\"time\":\"2026-03-16T00:00:00-04:00\""))
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

  /// The referral rule on a budget of one welcome a month: dan's, the second in March, is
  /// refused, so carol is credited for bob's referral only — not for the two that a run with
  /// budgets unspent would find.
  @Test func underABudgetOnlyTheReferralsThatFiredAreCredited() throws {
    let program = compile(source: """
      program "Refer on a budget"
        currency USD
        timezone America/New_York

      points points
        worth $0.01

      rule base earn
        on purchase
        earn 1 points per $1 spent

      rule referral welcome
        on purchase
        when referred and first purchase and basket total >= $20
        earn 300 points
        earn 300 points for referrer held 14 days
        budget $3 per month

      """, path: "referral-budget.perk").program!
    let history = Fixture.bytes("""
      customer,txn,time,sku,category,qty,unit_price
      bob,b1,2026-03-02T10:00:00,jacket,clothing,1,25.00
      dan,d1,2026-03-03T10:00:00,jacket,clothing,1,25.00
      carol,c1,2026-04-20T09:00:00,scarf,clothing,1,10.00

      """)
    var trace: [String] = []
    let result = try Fixture.simulate(history, program: program, trace: { trace.append($0) }, customers: Self.customers)
    #expect(result.appliedBudgets.map(\.name) == ["referral welcome"])
    #expect(result.figures.budgetRefusals == ["referral welcome": 1])
    #expect(result.figures.referralCredits == 1)
    #expect(result.figures.costByRule["referral welcome"] == 600)  // bob's welcome and carol's credit
    #expect(result.customers.map(\.id) == ["bob", "carol", "dan"])
    #expect(result.customers.map(\.cost) == [325, 310, 25])
    let credits = trace.filter { $0.contains("\"type\":\"referral_credit\"") }
    #expect(credits.count == 1 && credits[0].contains("\"customer\":\"carol\",\"duplicate\"")
            && credits[0].contains("\"time\":\"2026-03-16T00:00:00-04:00\""))
    // The trace is written once, by the run that is kept.
    #expect(trace.filter { $0.contains("\"txn\":\"b1\"") }.count == 1)
    #expect(try Fixture.simulate(history, program: program, customers: Self.customers) == result)
    #expect(try Fixture.simulate(history, program: program, threads: 2, partitions: 3, customers: Self.customers) == result)
  }

  @Test func withoutACustomersFileNobodyIsReferred() throws {
    let result = try Fixture.simulate(Fixture.bytes(Self.history), program: Self.program)
    #expect(result.figures.referralCredits == 0)
    #expect(result.figures.costByRule["referral welcome"] == nil)
  }
}
