import Foundation
@testable import PerkCompiler
import PerkRuntime
import PerkSource
import Testing

/// Rule-set analysis (W0117–W0124): what is reported, and the near cases that are not.
@Suite struct RuleAnalysisTests {
  static let header = """
    program "Test"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    rule base earn
      on purchase
      earn 1 stars per $1 spent

    """

  func messages(_ body: String, asOf: String? = nil) -> [String] {
    var diagnostics = Diagnostics()
    _ = checkSources([SourceFile(id: 0, path: "test.perk", text: Self.header + body)],
                     asOf: asOf.flatMap { LocalDate(iso: $0) }, diagnostics: &diagnostics)
    return diagnostics.sorted().map { "\($0.code.rawValue) \($0.message)" }
  }

  static let spring = "rule spring\n  on purchase\n  when date in 2026-03-01 to 2026-03-31\n  earn 50 stars\n"

  @Test func aWindowBeforeTheAsOfDateIsClosed() {
    #expect(messages(Self.spring, asOf: "2026-04-01")
            == ["W0117 rule `spring` can no longer fire: its dates end before 2026-04-01"])
    #expect(messages(Self.spring, asOf: "2026-03-31") == [])
    #expect(messages(Self.spring) == [])
    #expect(messages("rule once\n  on purchase\n  when date < 2026-03-01\n  earn 5 stars\n", asOf: "2026-03-01")
            == ["W0117 rule `once` can no longer fire: its dates end before 2026-03-01"])
    #expect(messages("rule later\n  on purchase\n  when date >= 2026-03-01\n  earn 5 stars\n", asOf: "2030-01-01") == [])
  }

  @Test func identicalRulesIgnoreOrderSpacingAndComments() {
    #expect(messages("rule again\n  earn 1 stars  per $1 spent   # the same\n  on purchase\n")
            == ["W0118 rule `again` is identical to rule `base earn`"])
    #expect(messages("rule more\n  on purchase\n  earn 2 stars per $1 spent\n") == [])
  }

  @Test func aRuleReplacedOnEveryLineNeverPays() {
    #expect(messages("rule double\n  on purchase\n  earn 2 stars per $1 spent\n  replaces base earn for those items\n")
            == ["W0119 rule `base earn` never pays: `double` replaces all of it"])
    // A condition, or fewer lines, leaves the replaced rule something.
    #expect(messages("rule tuesday\n  on purchase\n  when weekday is Tuesday\n  earn 2 stars per $1 spent\n  replaces base earn for those items\n") == [])
    #expect(messages("rule coffee\n  on purchase\n  earn 2 stars per $1 spent on category coffee\n  replaces base earn for those items\n") == [])
  }

  @Test func overlappingPromotionsNeedAStatedStacking() {
    let two = "rule a\n  on purchase\n  discount 10% on category coffee\n\nrule b\n  on purchase\n  cheapest item in category coffee, pastry is free\n"
    #expect(messages(two) == ["W0120 promotions `a` and `b` can discount the same items"])
    #expect(messages(two.replacingOccurrences(of: "coffee, pastry", with: "pastry")) == [])
    #expect(messages(two + "  priority 2\n") == [])
    #expect(messages(two.replacingOccurrences(of: "coffee\n", with: "coffee\n  best of deals\n") + "  best of deals\n") == [])
    // Conditions that exclude each other never let both fire.
    #expect(messages("rule a\n  on purchase\n  when weekday is Monday\n  discount 5% on basket\n\n"
                     + "rule b\n  on purchase\n  when weekday is Sunday\n  discount 5% on basket\n") == [])
  }

  @Test func aBalanceNobodyCanHoldIsNeverReached() {
    let bounded = Self.header.replacingOccurrences(of: "  earn 1 stars per $1 spent\n", with: "  earn 20 stars\n  at most once\n")
    func found(_ threshold: String) -> [String] {
      var diagnostics = Diagnostics()
      let text = bounded + "rule loyal\n  on purchase\n  when stars balance >= \(threshold)\n  earn 10 stars\n  at most 3 times\n"
      _ = checkSources([SourceFile(id: 0, path: "test.perk", text: text)], diagnostics: &diagnostics)
      return diagnostics.sorted().map { "\($0.code.rawValue) \($0.message)" }
    }
    #expect(found("51") == ["W0121 rule `loyal` never fires: no customer can ever hold more than 50 stars"])
    #expect(found("50") == [])
    // Unlimited earning bounds nothing.
    #expect(messages("rule loyal\n  on purchase\n  when stars balance >= 100000\n  earn 10 stars\n") == [])
  }

  @Test func aRuleThatPaysOnlyOnItemsItsConditionExcludesGivesNothing() {
    #expect(messages("rule deal\n  on purchase\n  when basket items in category coffee = 0\n  discount 10% on category coffee\n")
            == ["W0122 rule `deal` never gives anything: it pays on the items its condition excludes"])
    #expect(messages("rule deal\n  on purchase\n  when basket items in category coffee, tea < 1\n  earn 2 stars per item in category tea\n")
            == ["W0122 rule `deal` never gives anything: it pays on the items its condition excludes"])
    // Other items, some of the items, or a flat bonus beside them: it can give something.
    #expect(messages("rule deal\n  on purchase\n  when basket items in category coffee = 0\n  discount 10% on category tea\n") == [])
    #expect(messages("rule deal\n  on purchase\n  when basket items in category coffee = 0\n  earn 2 stars per item in category coffee, tea\n") == [])
    #expect(messages("rule deal\n  on purchase\n  when basket items in category coffee = 0\n  earn 2 stars per item in category coffee\n  earn 5 stars\n") == [])
  }

  @Test func aWindowHoldsAtMostAVisitADay() {
    #expect(messages("rule regulars\n  on purchase\n  when visits in last 30 days >= 31\n  earn 100 stars\n")
            == ["W0123 rule `regulars` never fires: its window has at most 30 days, so at most 30 visits"])
    #expect(messages("rule regulars\n  on purchase\n  when visits this week > 7\n  earn 100 stars\n")
            == ["W0123 rule `regulars` never fires: its window has at most 7 days, so at most 7 visits"])
    #expect(messages("rule regulars\n  on purchase\n  when visits in last 30 days >= 30\n  earn 100 stars\n") == [])
    #expect(messages("rule regulars\n  on purchase\n  when visits over last 2 calendar quarters >= 184\n  earn 100 stars\n") == [])
  }

  @Test func aVisitsTierBeyondItsWindowIsNeverReached() {
    func tiers(_ gold: String) -> [String] {
      messages("tiers by visits over last 30 days\n  regular from 0 visits earn x1\n  gold from \(gold) visits earn x2\n")
    }
    #expect(tiers("31") == ["W0124 tier `gold` can never be reached: its window has at most 30 days, so at most 30 visits"])
    #expect(tiers("30") == [])
  }
}
