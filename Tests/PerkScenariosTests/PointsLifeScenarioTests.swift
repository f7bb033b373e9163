import Perk
import PerkSource
import Testing

@testable import PerkScenarios

/// Returns, holds, period ends, expiry, redemptions and rejections through `test` declarations.
private let lifeFile = """
  program "Life"
    currency USD
    timezone America/New_York

  points stars
    worth $0.01
    expire at end of month 12 months after earning
    spend closest to expiry first
    hold 14 days

  stamps coffee card
    collect 1 per item in category coffee
    every 10 stamps: cheapest item in category coffee is free

  rule base earn
    on purchase
    earn 10 stars per $1 spent

  reward free drink costs 150 stars, worth $5

  test the life of points
    customer alice
    on 2026-03-15 alice buys 2 latte at $4.50 (coffee) as T1
    expect alice earns 90 stars
    expect alice has 90 stars pending, 0 stars
    on 2026-03-20 alice returns 1 latte from T1
    expect alice loses 45 stars
    expect alice loses 1 stamp
    expect alice is refunded $4.50
    expect alice has 45 stars pending
    on 2026-03-29 time passes
    expect alice gets 45 stars released
    expect alice has 45 stars, 0 stars pending
    expect alice has 45 stars expiring on 2027-04-01
    on 2026-04-01 alice redeems free drink
    expect rejected "needs 150 stars"
    expect alice has 45 stars
    on 2026-04-02 alice buys 2 latte at $5.00 (coffee)
    on 2026-04-20 time passes
    expect alice has 145 stars
    on 2027-04-01 time passes
    expect alice loses 45 stars to expiry
    expect alice has 100 stars

  test redeeming and what the till says
    customer bob, with 200 stars
    on 2026-03-15 bob redeems free drink
    expect bob spends 150 stars on free drink
    expect bob has 50 stars
    expect bob is told "100 stars to free drink"
    on 2026-03-16 bob redeems free drink
    expect bob is rejected
    on 2026-03-17 bob redeems free drink
    expect bob spends 1 stars
    expect bob is told "x"
    expect bob has 51 stars expiring on 2027-04-01
    expect bob has 3 stars pending

  """

@Test func pointsLifeClaimsPassAndFailWithExactTexts() {
  let result = ScenarioFiles.run(SourceFile(path: "life.perk", text: lifeFile))
  #expect(result.diagnostics.map(\.message) == [])
  #expect(result.results.map(\.passed) == [true, false])
  guard result.results.count == 2 else { return }
  #expect(result.results[0].failures == [])
  #expect(result.results[0].expectationCount == 16)
  let failures = result.results[1].failures
  // An unexpected rejection is reported at its event's line, in source order.
  #expect(failures.map(\.location.line) == [53, 54, 55, 56, 57])
  #expect(failures.map(\.expected) == [
    "the event is accepted", "bob spends 1 stars", "bob is told \"x\"", "bob has 51 stars expiring on 2027-04-01",
    "bob has 3 stars pending",
  ])
  #expect(failures.map(\.actual) == [
    "rejected: free drink needs 150 stars, has 50", "rejected: free drink needs 150 stars, has 50",
    "bob is told \"100 stars to free drink\", \"10 more coffee items to a free one (coffee card)\"",
    "bob has no stars expiring", "bob has 0 stars pending",
  ])
}
