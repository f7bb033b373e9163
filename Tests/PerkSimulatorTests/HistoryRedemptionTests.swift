import Perk
import PerkSimulator
import PerkTestSupport
import Testing

/// Redemptions recorded in a history are counted as rewards redeemed, a `redeem` row with a
/// quantity is refused, and the transactions are the history's (issue 15, items 12–14).
@Suite struct HistoryRedemptionTests {
  static let history = """
    customer,txn,time,sku,category,qty,unit_price,type,reward
    ana,a1,2026-03-02T10:00:00,beans,retail,11,7.00,purchase,
    ana,a2,2026-03-03T10:00:00,,,,,redeem,free drink
    ana,a3,2026-03-04T10:00:00,,,2,,redeem,free drink
    """

  @Test func historyRedemptionsCountAsRewardsRedeemedAndAQuantityIsRefused() throws {
    var customers = CustomerTable()
    customers.customers["ana"] = Customer(id: "ana", signupDate: Fixture.date("2026-03-02"))
    let result = try Fixture.simulate(Fixture.bytes(Self.history), customers: customers)
    let f = result.figures
    #expect(f.historyRedemptions == 1)
    #expect(f.rewardsRedeemed == ["free drink": 1])
    #expect(f.rewardsRedeemedWorth == ["free drink": 500])
    #expect(result.rowsRejected == 1)
    #expect(result.badRows.first?.hasSuffix("a `redeem` row redeems one `free drink`, but its qty is `2`: write one row per reward") == true)
    // The customers file's signup is counted apart: transactions are the history's purchase
    // and redemption, as the monthly series says.
    #expect(f.signups == 1)
    #expect(f.transactions == 2)
    #expect(f.months.values.reduce(0) { $0 + $1.transactions } == 2)
  }
}
