import Foundation
import Perk
import PerkTestSupport
import Testing
@testable import PerkRuntime

/// The purchase plan (PurchasePlan.swift): which programs have one, that its purchases give
/// what the general evaluation gives, and that an event it cannot take goes to the general
/// evaluation with the same account.
@Suite struct PurchasePlanTests {
  /// The options the plan runs under: amounts only, no records for returns, rules' decisions counted.
  static let bulk: EvaluationOptions = {
    var options = EvaluationOptions.amountsOnly
    options.keepsReturnRecords = false
    options.tallies = true
    return options
  }()
  /// The same with explanations, which the plan does not write: the general evaluation.
  static let general: EvaluationOptions = {
    var options = bulk
    options.explanations = true
    return options
  }()

  static let header = "program \"P\"\n  currency USD\n  timezone America/New_York\n\npoints stars\n  worth $0.01\n\n"

  @Test func theCafeAndTheCDClubHaveAPlan() throws {
    #expect(try BulkEvaluationTests.compiled(cafeProgram).purchasePlan != nil)
    let club = Self.header + """
      tiers by spend over last 365 days
        member from $0 earn x1
        gold from $300 earn x2

      stamps cd card
        collect 1 per item
        every 10 stamps: voucher "Free CD" worth $12

      rule base earn
        on purchase
        earn 1 stars per $1 spent

      rule win back
        on purchase
        when days since last purchase >= 180
        earn 50 stars

      """
    #expect(try BulkEvaluationTests.compiled(club).purchasePlan != nil)
  }

  /// One feature outside the plan each: the program runs in the general evaluation only.
  @Test(arguments: [
    "rule r\n  on purchase\n  discount 10% on basket\n",
    "rule r\n  on purchase\n  earn 1 stars per $1 spent\n  cap stars at 100 per day\n",
    "rule r\n  on purchase\n  earn 1 stars per $1 spent\n  hold 7 days\n",
    "rule r\n  on purchase\n  earn 1 stars per $1 spent\n  budget $100 per month\n",
    "rule r\n  on purchase\n  earn 1 stars per $1 spent\n  priority 5\n\nrule s\n  on purchase\n  earn 2 stars\n",
    "rule r\n  on birthday\n  earn 100 stars\n",
    "rule r\n  on purchase\n  earn 1 stars per $1 spent\n  send message \"Thanks, {customer}\" via email\n",
    "stamps spend card\n  collect spend\n  every $50 spent: voucher \"Treat\" worth $5\n\nrule r\n  on purchase\n  earn 1 stars\n",
    "rule r\n  on purchase\n  when referred and first purchase\n  earn 100 stars\n  earn 100 stars for referrer\n",
  ])
  func aProgramWithAnUncoveredFeatureHasNoPlan(body: String) throws {
    #expect(try BulkEvaluationTests.compiled(Self.header + body).purchasePlan == nil)
  }

  /// The café over seeded purchases (same-day ones and ones out of time order included): the
  /// plan and the general evaluation give the same outcomes but for explanations, the same
  /// states and the same counts of the rules' decisions.
  @Test func theCafesPurchasesGiveWhatTheGeneralEvaluationGives() throws {
    let program = try BulkEvaluationTests.compiled(cafeProgram)
    for seed in UInt64(11)...14 {
      let customer = Customer(id: "c\(seed)", birthday: LocalDate(year: 1990, month: 3, day: 15)!,
                              signupDate: LocalDate(year: 2025, month: 12, day: 1)!)
      var planned = program.account()
      var general = program.account()
      var budgets = BudgetLedger()
      for event in BulkEvaluationTests.purchases(count: 300, seed: seed, program: program) {
        let expected = try program.evaluate(event, customer: customer, account: &general, budgets: &budgets, options: Self.general)
        let actual = try program.evaluate(event, customer: customer, account: &planned, budgets: &budgets, options: Self.bulk)
        var unexplained = expected
        unexplained.awards = expected.awards.map { var award = $0; award.explanation = ""; return award }
        #expect(actual == unexplained, "seed \(seed), event \(event.id)")
      }
      #expect(program.state(of: planned) == program.state(of: general), "seed \(seed)")
      #expect(planned.takeRuleTally() == general.takeRuleTally(), "seed \(seed)")
    }
  }

  /// Points earned on 1 March expire 30 days later: the purchase of 5 April has a period end
  /// due before it, which runs first (the expired points are the first award of its outcome).
  @Test func aPurchaseWithPointsExpiringBeforeItExpiresThemFirst() throws {
    let program = try BulkEvaluationTests.compiled("""
      program "P"
        currency USD
        timezone America/New_York

      points stars
        worth $0.01
        expire 30 days after earning

      rule base earn
        on purchase
        earn 1 stars per $1 spent

      """)
    #expect(program.purchasePlan != nil)
    let customer = Customer(id: "c")
    var account = program.account()
    var budgets = BudgetLedger()
    func purchase(_ id: String, _ day: Int, _ month: Int, dollars: Int64) -> Event {
      let time = program.timeZone.instant(of: LocalDate(year: 2026, month: month, day: day)!, secondOfDay: 36_000)
      return Event(kind: .purchase, id: id, time: time,
                   lines: [LineItem(sku: "cd", category: "music", quantity: 1, unitPrice: Money(minorUnits: dollars * 100, currency: program.currency))])
    }
    let first = try program.evaluate(purchase("A", 1, 3, dollars: 12), customer: customer, account: &account, budgets: &budgets, options: Self.bulk)
    #expect(first.earned["stars"] == 12)
    let second = try program.evaluate(purchase("B", 5, 4, dollars: 20), customer: customer, account: &account, budgets: &budgets, options: Self.bulk)
    let expired = second.awards.compactMap { award -> Int64? in
      if case .expired(let currency, let amount, let date) = award.kind, currency == "stars", date == LocalDate(year: 2026, month: 3, day: 31)! {
        return amount
      }
      return nil
    }
    #expect(expired == [12])
    #expect(second.earned["stars"] == 20)
    #expect(second.balances["stars"] == 20)
    // A purchase the same day has nothing due.
    let third = try program.evaluate(purchase("C", 5, 4, dollars: 3), customer: customer, account: &account, budgets: &budgets, options: Self.bulk)
    #expect(third.awards.map(\.kind) == [.points(currency: "stars", amount: 3, value: Money(minorUnits: 3, currency: program.currency))])
    // Earned the same day with the same expiry, and never returnable (no records): one lot.
    #expect(program.state(of: account).lots.map(\.amount) == [23])
    // A repeated id is a duplicate in the plan as in the general evaluation.
    let repeated = try program.evaluate(purchase("C", 6, 4, dollars: 3), customer: customer, account: &account, budgets: &budgets, options: Self.bulk)
    #expect(repeated.duplicate)
    #expect(repeated.balances["stars"] == 23)
  }

  /// An account scans its recent ids while it has fewer than `Account.idsScannedUpTo` of them
  /// and looks them up in a set after: a repeated id is a duplicate either way, in the plan and
  /// in the general evaluation.
  @Test(arguments: [bulk, general])
  func repeatedIdsAreDuplicatesBeforeAndAfterTheSetIsBuilt(options: EvaluationOptions) throws {
    let program = try BulkEvaluationTests.compiled(cafeProgram)
    let customer = Customer(id: "c")
    var account = program.account()
    var budgets = BudgetLedger()
    let events = BulkEvaluationTests.purchases(count: 40, seed: 3, program: program)
    for (index, event) in events.enumerated() {
      let outcome = try program.evaluate(event, customer: customer, account: &account, budgets: &budgets, options: options)
      #expect(!outcome.duplicate, "event \(index)")
      // Each earlier id again, while the account holds fewer ids than the set threshold and after.
      if index == 5 || index == 30 {
        for earlier in [events[0], events[index - 1], event] {
          let again = try program.evaluate(earlier, customer: customer, account: &account, budgets: &budgets, options: options)
          #expect(again.duplicate, "\(earlier.id) again after event \(index)")
        }
      }
    }
    #expect(program.state(of: account).recentTransactions == events.map(\.id))
  }

  /// `program.account()` builds a new account's values directly; they are what the empty
  /// state's account holds, for a program with currencies, cards, tiers, limits and rebates.
  @Test func aNewAccountIsTheEmptyStatesAccount() throws {
    let source = Self.header + """
      points miles
        worth $0.02

      tiers by spend over last 12 months
        member from $0
        gold from $500 earn x2

      stamps coffee card
        collect 1 per item
        every 10 stamps: voucher "Coffee" worth $3

      rule base earn
        on purchase
        earn 1 stars per $1 spent
        at most once per day

      rebate volume bonus
        measure net spend per calendar quarter
        retroactive
          from $1,000 2%

      """
    for program in [try BulkEvaluationTests.compiled(source), try BulkEvaluationTests.compiled(cafeProgram)] {
      let fresh = program.account()
      let fromState = program.account(AccountState())
      #expect(program.state(of: fresh) == program.state(of: fromState))
      #expect(fresh.working.balances == fromState.working.balances)
      #expect(fresh.working.stamps == fromState.working.stamps)
      #expect(fresh.working.keptUntil == fromState.working.keptUntil)
      #expect(fresh.working.ruleAwards == fromState.working.ruleAwards)
      #expect(fresh.working.rebates == fromState.working.rebates)
      #expect(fresh.working.recordsOutOfOrder == fromState.working.recordsOutOfOrder)
    }
  }
}
