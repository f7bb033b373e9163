import Perk
import Testing

private func messages(_ points: String, rules: String = "rule base earn\n  on purchase\n  earn 1 stars per $1 spent\n") -> [String] {
  let source = "program \"P\"\n  currency USD\n  timezone America/New_York\n\npoints stars\n  worth $0.01\n" + points + "\n" + rules
  return compile(source: source).diagnostics.map { "\($0.code.rawValue) \($0.message)" }
}

@Test func pointsLifeClausesCompile() {
  #expect(messages("  expire at end of month 12 months after earning\n  spend closest to expiry first\n  hold 14 days\n"
                   + "  on return take back points, allow negative balance\n") == [])
}

@Test func pointsLifeClausesGivenTwice() {
  #expect(messages("  expire 12 months after earning\n  expire 6 months after earning\n") == ["E0502 `expire` given twice"])
  #expect(messages("  spend oldest first\n  spend closest to expiry first\n") == ["E0502 `spend` given twice"])
}

@Test func pointsLifeValuesOutOfRange() {
  #expect(messages("  hold 1 month\n") == ["E0508 `hold` is given in days or weeks"])
  #expect(messages("  expire at end of month 2 weeks after earning\n") == ["E0508 `expire at end of month` needs months or years"])
  #expect(messages("  expire 0 days after earning\n") == ["E0508 `expire` after 0 days is out of range"])
}

@Test func expiryShorterThanHoldIsProvedOnTheShortestMonth() {
  // A month can be 28 days (January 31 → February 28): a 28-day hold ends the day the points go.
  #expect(messages("  expire 1 month after earning\n  hold 28 days\n") == ["E0511 points of `stars` can expire before their hold ends"])
  #expect(messages("  expire 1 month after earning\n  hold 27 days\n") == [])
  // End of the month after: earned January 31 of a common year, gone March 1, 29 days later.
  #expect(messages("  expire at end of month 1 month after earning\n  hold 4 weeks\n") == [])
  #expect(messages("  expire at end of month 1 month after earning\n  hold 29 days\n")
          == ["E0511 points of `stars` can expire before their hold ends"])
  #expect(messages("  expire after 2 weeks without activity\n  hold 14 days\n")
          == ["E0511 points of `stars` can expire before their hold ends"])
}

@Test func holdNotCountingTheEarningDayHoldsOneDayLongerAgainstExpiry() {
  // Released on the earning day + 28 (27 days + the day after earning): the day the points go.
  #expect(messages("  expire 1 month after earning\n  hold 27 days not counting the earning day\n")
          == ["E0511 points of `stars` can expire before their hold ends"])
  #expect(messages("  expire 1 month after earning\n  hold 27 days counting the earning day\n") == [])
  #expect(messages("  expire 1 month after earning\n  hold 26 days not counting the earning day\n") == [])
  let held = "rule base earn\n  on purchase\n  earn 1 stars per $1 spent\n  hold 27 days not counting the earning day\n"
  #expect(messages("  expire 1 month after earning\n", rules: held)
          == ["E0511 points of `stars` earned by rule `base earn` can expire before their hold ends"])
}

@Test func holdLengthsLowerToReleaseDayOffsets() throws {
  let source = "program \"P\"\n  currency USD\n  timezone UTC\n\npoints stars\n  worth $0.01\n  hold 14 days not counting the earning day\n\n"
    + "rule base earn\n  on purchase\n  earn 1 stars per $1 spent\n  hold 2 weeks\n\n"
    + "rule referral\n  on purchase\n  when referred\n  earn 5 stars for referrer held 1 week not counting the earning day\n"
  let program = try #require(compile(source: source).program)
  #expect(program.points.map(\.holdDays) == [15])
  #expect(program.rules.map(\.holdDays) == [14, 0])
  guard case .earnForReferrer(_, _, let days) = program.rules[1].effects.first else {
    Issue.record("expected a referrer earn, got \(program.rules[1].effects)")
    return
  }
  #expect(days == 8)
}

@Test func unaffordableRewardOnlyWhenProvable() {
  let once = "rule welcome\n  on signup\n  earn 200 stars\n  at most once\n\nrule review\n  on event review written\n  earn 50 stars\n  at most 2 times\n"
  #expect(messages("", rules: once + "\nreward mug costs 300 stars\n") == [])
  #expect(messages("", rules: once + "\nreward mug costs 301 stars\n")
          == ["E0512 reward `mug` costs 301 stars but no customer can ever hold more than 300"])
  // Any earning per purchase makes every cost reachable.
  let open = once + "\nrule base earn\n  on purchase\n  earn 1 stars per $1 spent\n"
  #expect(messages("", rules: open + "\nreward mug costs 100000 stars\n") == [])
  // A yearly limit is no bound either: years add up.
  let yearly = "rule gift\n  on signup\n  earn 200 stars\n  at most once per year\n"
  #expect(messages("", rules: yearly + "\nreward mug costs 5000 stars\n") == [])
}

@Test func ruleHoldKeepsOnlyThatRulesPointsPending() throws {
  let source = """
    program "P"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01
      expire 12 months after earning

    rule base earn
      on purchase
      earn 1 stars per $1 spent

    rule friend joined
      on event referral
      earn 500 stars
      hold 30 days

    """
  let compilation = compile(source: source)
  #expect(compilation.diagnostics.isEmpty)
  let program = try #require(compilation.program)
  let ana = Customer(id: "ana")
  func at(_ iso: String) -> Instant { program.timeZone.instant(of: LocalDate(iso: iso)!, secondOfDay: 12 * 3600) }
  let bought = try program.evaluate(
    Event(kind: .purchase, id: "T1", time: at("2026-03-01"),
          lines: [LineItem(sku: "a", category: "x", quantity: 1, unitPrice: Money(minorUnits: 2_000, currency: program.currency))]),
    customer: ana, state: AccountState())
  let referred = try program.evaluate(Event(kind: .custom("referral"), id: "REF", time: at("2026-03-01")), customer: ana,
                                      state: bought.state)
  #expect(referred.balances == ["stars": 20])
  #expect(referred.pending == ["stars": 500])
  #expect(referred.facts.map(\.text) == ["500 stars become spendable on 2026-03-31", "20 stars expire on 2027-03-01"])
  let before = try program.advance(to: at("2026-03-30"), customer: ana, state: referred.state)
  #expect(before.balances == ["stars": 20])
  let released = try program.advance(to: at("2026-03-31"), customer: ana, state: before.state)
  #expect(released.balances == ["stars": 520])
  #expect(released.nextExpiry.map(\.text) == ["520 stars expire on 2027-03-01"])
}

@Test func ruleHoldLongerThanTheExpiryIsRefused() {
  let rules = "rule base earn\n  on purchase\n  earn 1 stars per $1 spent\n  hold 2 weeks\n"
  #expect(messages("  expire 10 days after earning\n", rules: rules)
          == ["E0511 points of `stars` earned by rule `base earn` can expire before their hold ends"])
  #expect(messages("  expire 15 days after earning\n", rules: rules) == [])
  #expect(messages("", rules: rules + "  hold 3 days\n") == ["E0502 `hold` given twice"])
}

@Test func twoCurrenciesKeepSeparateLotsExpiriesAndPolicies() throws {
  // Qualifying points never expire and may go negative; spendable stars expire after 6 months.
  let source = """
    program "P"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01
      expire 6 months after earning

    points qualifying points
      worth $0
      on return take back points, allow negative balance

    rule base earn
      on purchase
      earn 1 stars per $1 spent

    rule qualify
      on purchase
      earn 1 qualifying points per $1 spent

    reward mug costs 50 stars, worth $5

    """
  let compilation = compile(source: source)
  #expect(compilation.diagnostics.map(\.message) == [])
  let program = try #require(compilation.program)
  let ana = Customer(id: "ana")
  func at(_ iso: String) -> Instant { program.timeZone.instant(of: LocalDate(iso: iso)!, secondOfDay: 12 * 3600) }
  func line(_ cents: Int64) -> [LineItem] {
    [LineItem(sku: "a", category: "x", quantity: 1, unitPrice: Money(minorUnits: cents, currency: program.currency))]
  }
  var state = AccountState()
  state = try program.evaluate(Event(kind: .purchase, id: "T1", time: at("2026-03-10"), lines: line(8_000)),
                               customer: ana, state: state).state
  let redeemed = try program.evaluate(Event(kind: .redemption(reward: "mug"), id: "X1", time: at("2026-03-11")),
                                      customer: ana, state: state)
  #expect(redeemed.balances == ["stars": 30, "qualifying points": 80])
  state = redeemed.state
  let back = try program.evaluate(Event(kind: .return(original: "T1"), id: "R1", time: at("2026-03-12"),
                                        lines: [LineItem(sku: "a", category: "", quantity: 1, unitPrice: .zero(program.currency))]),
                                  customer: ana, state: state)
  // Stars stop at zero (50 were spent on the mug); qualifying points may go below zero but nothing was spent.
  #expect(back.balances == ["stars": 0, "qualifying points": 0])
  #expect(back.shortfall == ["stars": 50])
  #expect(back.nextExpiry.isEmpty)
  let later = try program.evaluate(Event(kind: .purchase, id: "T2", time: at("2026-04-01"), lines: line(1_000)),
                                   customer: ana, state: back.state)
  #expect(later.nextExpiry.map(\.text) == ["10 stars expire on 2026-10-01"])
  #expect(later.facts.map(\.text) == ["10 stars expire on 2026-10-01"])
}

@Test func unaffordableRewardUnderACapAndAFixedLifetime() {
  // At most 10 stars a day, each kept 30 days: never more than 300 at once.
  let capped = "  expire 30 days after earning\n  cap at 10 per day\n"
  #expect(messages(capped, rules: "rule base earn\n  on purchase\n  earn 1 stars per $1 spent\n\nreward mug costs 300 stars\n") == [])
  #expect(messages(capped, rules: "rule base earn\n  on purchase\n  earn 1 stars per $1 spent\n\nreward mug costs 301 stars\n")
          == ["E0512 reward `mug` costs 301 stars but no customer can ever hold more than 300"])
  // Inactivity expiry is no bound: every purchase keeps the points alive.
  #expect(messages("  expire after 30 days without activity\n  cap at 10 per day\n",
                   rules: "rule base earn\n  on purchase\n  earn 1 stars per $1 spent\n\nreward mug costs 5000 stars\n") == [])
  // Points for referrers are no bound: a referrer can have any number of friends.
  let referral = "rule friend\n  on signup\n  earn 100 stars for referrer\n  at most once\n\nreward mug costs 5000 stars\n"
  #expect(messages("", rules: referral).filter { $0.hasPrefix("E") } == [])
}
