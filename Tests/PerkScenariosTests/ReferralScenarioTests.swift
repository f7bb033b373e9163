import Perk
import PerkSource
import Testing

@testable import PerkScenarios

/// A referral's transfer is credited to the referrer declared in the test, and is the referrer's
/// part of the event that released it.
@Test func releasedTransfersAreCreditedAndClaimableForTheReferrer() {
  let text = """
    # Catalog P7: Referral.
    # When a referred customer's first purchase is at least $20, the referred customer gets
    # 300 points at once and the referrer gets 300 points once that purchase has been kept
    # 14 days without a return. The referrer's points are held in the referred account;
    # a return of the purchase on or before the 14th day after it cancels them, and the
    # return takes back the referred customer's 300 like every other award of the purchase.
    # On the 15th day the hold has passed: the next event of the referred account (or a
    # period end) releases them as a transfer, which the till credits to the referrer.
    program "Refer a Friend"
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

    test the referrer's credit is part of the releasing event
      customer carol
      customer bob, referred by carol
      on 2026-03-02 10:00 bob buys 1 jacket at $25.00 (clothing) as T1
      expect carol gets nothing
      on 2026-03-20 bob buys 1 scarf at $10.00 (clothing)
      expect bob earns 10 points
      expect carol earns 300 points from referral welcome
      expect carol has 300 points
      on 2026-03-21 bob buys 1 scarf at $10.00 (clothing)
      expect carol gets nothing

    """
  let result = ScenarioFiles.run(SourceFile(path: "p7.perk", text: text))
  #expect(result.diagnostics.map(\.message) == [])
  #expect(result.status == .passed, "\(result.results.first?.failures ?? [])")
}
