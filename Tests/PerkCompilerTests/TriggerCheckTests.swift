import Perk
import PerkCompiler
import Testing

/// The checker and parser on the retention-trigger constructs.
@Suite struct TriggerCheckTests {
  static let header = """
    program "P"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    stamps drink card
      collect 1 per item in category coffee
      every 10 stamps: cheapest item is free


    """

  func codes(_ body: String) -> [String] {
    compile(source: Self.header + body).diagnostics.map(\.code.rawValue)
  }

  func messages(_ body: String) -> [String] {
    compile(source: Self.header + body).diagnostics.map(\.message)
  }

  @Test func everyTriggerQuantityChecks() {
    #expect(codes("""
      rule r
        on purchase
        when birthday within 1 week or signup anniversary within 10 days
        when first purchase and referred and visit streak >= 2 weeks
        when visits this month reaches 5 or spend over last 30 days reaches $200 or purchases so far reaches 10
        earn 5 stars
        at most once per birthday
      """) == [])
  }

  @Test func reachesNeedsAQuantityThatGrowsAndAComparableTarget() {
    #expect(codes("rule r\n  on purchase\n  when basket total reaches $5\n  earn 1 stars\n") == ["E0520"])
    #expect(codes("rule r\n  on purchase\n  when drink card stamps reaches 5\n  earn 1 stars\n") == ["E0520"])
    #expect(codes("rule r\n  on purchase\n  when visits this month reaches $5\n  earn 1 stars\n") == ["E0402"])
    // `reaches 0` can never hold: nothing is below zero before the event.
    #expect(codes("rule r\n  on purchase\n  when visits this month reaches 0\n  earn 1 stars\n") == ["W0102"])
  }

  @Test func streaksCompareWithDaysOrWeeks() {
    #expect(codes("rule r\n  on purchase\n  when visit streak >= 2 months\n  earn 1 stars\n") == ["E0521"])
    #expect(codes("rule r\n  on purchase\n  when visit streak >= 4\n  earn 1 stars\n") == ["E0402"])
    #expect(messages("rule r\n  on purchase\n  when signup anniversary within 2 years\n  earn 1 stars\n")
      == ["`signup anniversary within` needs days or weeks, found `2 years`"])
  }

  @Test func referrerEffectChecks() {
    #expect(codes("rule r\n  on purchase\n  when referred\n  earn 10 stars for referrer held 2 months\n") == ["E0521"])
    #expect(codes("rule r\n  on purchase\n  when referred\n  earn 10 stars per item for referrer\n") == ["E0522"])
    #expect(codes("rule r\n  on purchase\n  when referred\n  earn 10 starz for referrer\n") == ["E0302"])
    #expect(codes("rule r\n  on event referral\n  when referred\n  earn 10 stars for referrer\n") == [])
    #expect(messages("rule r\n  on purchase\n  when referred\n  earn 10 stars for referer\n") == ["unknown recipient `referer`"])
    #expect(compile(source: Self.header + "rule r\n  on purchase\n  when referred\n  earn 10 stars for referer\n")
      .diagnostics.first?.help == "did you mean `referrer`?")
  }

  @Test func spendCardsNeedMoneyAndNoFreeItems() {
    #expect(codes("stamps fuel\n  collect spend\n  every $100 spent: voucher \"Fuel\" worth $0.10 valid for 30 days\n") == ["W0101"])
    #expect(codes("stamps fuel\n  collect spend\n  every $100 spent: cheapest item is free\n") == ["E0524"])
    #expect(codes("stamps fuel\n  collect 1 per visit\n  every $100 spent: voucher \"Fuel\" worth $0.10\n") == ["E0524"])
    #expect(codes("stamps fuel\n  collect spend\n  every $0 spent: voucher \"Fuel\" worth $0.10\n") == ["E0508"])
    #expect(codes("stamps fuel\n  collect spend\n  every $100 spent: voucher \"Fuel\" worth $0.10\n\nrule r\n  on purchase\n  when fuel stamps >= $50\n  earn 1 stars\n") == [])
    #expect(codes("stamps fuel\n  collect spend\n  every $100 spent: voucher \"Fuel\" worth $0.10\n\nrule r\n  on purchase\n  when fuel stamps >= 50\n  earn 1 stars\n") == ["E0402"])
  }

  @Test func negatedFiltersAndRangesStayApart() {
    // `not in $1 to $5` is still a range; `not in category …` is a filter.
    #expect(codes("rule r\n  on purchase\n  when basket total not in $1 to $5\n  earn 1 stars\n") == [])
    #expect(codes("rule r\n  on purchase\n  when basket total not in category giftcard >= $5\n  earn 1 stars\n") == [])
  }

  @Test func keepFromReachingParses() {
    #expect(codes("tiers by spend over last 12 months\n  blue from $0\n  gold from $100 earn x2\n  keep for 12 months from reaching\n\nrule r\n  on purchase\n  earn 1 stars per $1 spent\n") == [])
    #expect(codes("tiers by spend over last 12 months\n  blue from $0\n  gold from $100 earn x2\n  keep for 12 months from now\n\nrule r\n  on purchase\n  earn 1 stars per $1 spent\n") == ["E0201"])
  }

  @Test func dateWindowWarnings() {
    #expect(codes("rule r\n  on purchase\n  when signup anniversary within 3 days\n  earn 1 stars\n  at most once per year\n") == ["W0110"])
    #expect(codes("rule r\n  on purchase\n  when birthday within 3 days\n  earn 1 stars\n  at most once per signup anniversary\n") == [])
  }
}

/// Evaluation of negated filters and spend cards outside the catalog files.
@Suite struct TriggerEvaluationTests {
  @Test func negatedFilterEarnsOnEveryOtherCategory() throws {
    var r = try TriggerRun(source: """
      program "P"
        currency USD
        timezone America/New_York

      points stars
        worth $0.01

      rule base
        on purchase
        earn 1 stars per $1 spent not in category giftcard, tobacco
      """, customer: Customer(id: "c1"))
    let outcome = try r.run(.purchase, "2026-03-02T12:00", [("a", "grocery", 1, "10.00"), ("b", "giftcard", 1, "50.00"),
                                                           ("c", "tobacco", 1, "9.00"), ("d", "dairy", 2, "2.50")])
    #expect(pointAwards(outcome) == [15])
  }
}

/// The REPL's probes read the trigger quantities of an account without an event.
@Suite struct TriggerProbeTests {
  @Test func probesReadDateWindowsReferredAndStreaks() throws {
    let source = """
      program "P"
        currency USD
        timezone America/New_York

      points points
        worth $0.01

      rule base
        on purchase
        earn 1 points per $1 spent
      """
    let file = SourceFile(path: "p.perk", text: source)
    let program = try #require(compile([file]).program)
    let customer = Customer(id: "c1", birthday: LocalDate(iso: "1990-11-14"), referredBy: "c0")
    var state = AccountState()
    for (id, day) in [("T1", "2026-10-20"), ("T2", "2026-10-27")] {
      let time = program.timeZone.instant(of: LocalDate(iso: day)!, secondOfDay: 43_200)
      state = try program.evaluate(Event(kind: .purchase, id: id, time: time,
                                         lines: [LineItem(sku: "a", category: "a", quantity: 1, unitPrice: Money(minorUnits: 100, currency: program.currency))]),
                                   customer: customer, state: state).state
    }
    let now = program.timeZone.instant(of: LocalDate(iso: "2026-11-03")!, secondOfDay: 43_200)
    func probe(_ text: String) throws -> String {
      let compiled = ExpressionProbe.compile(text, program: [file])
      return try #require(compiled.probe).evaluate(program, customer: customer, state: state, at: now)
    }
    #expect(try probe("birthday within 11 days") == "true")
    #expect(try probe("birthday within 10 days") == "false")
    #expect(try probe("referred") == "true")
    #expect(try probe("first purchase") == "false")
    // Visits in the weeks of 10-19 and 10-26; the week of 11-02 has none yet but is not over.
    #expect(try probe("visit streak >= 2 weeks") == "true")
    #expect(try probe("visit streak >= 3 weeks") == "false")
  }
}
