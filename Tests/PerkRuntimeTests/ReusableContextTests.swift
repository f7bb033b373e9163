import Foundation
import Perk
import Testing

@testable import PerkRuntime

/// The plan lends each purchase's values into one condition context per account instead of
/// making a context per purchase. Nothing of one purchase may show through in the next (a store,
/// a channel, a customer's segment or referrer, the basket, the balances), and copies of an
/// account must not lend into the same context.
@Suite struct ReusableContextTests {
  static let source = """
    program "Context"
      currency USD
      timezone UTC

    points stars
      worth $0.01

    rule airport
      on purchase
      when store is "airport"
      earn 2 stars per $1 spent

    rule web
      on purchase
      when channel is "web"
      earn 3 stars per $1 spent

    rule vip
      on purchase
      when segment is "vip" and referred
      earn 5 stars per $1 spent

    rule big basket
      on purchase
      when basket total >= $50
      earn 7 stars per $1 spent

    rule rich
      on purchase
      when stars balance >= 500
      earn 11 stars per $1 spent
    """

  static func purchase(_ id: String, day: Int64, dollars: Int64, store: String? = nil, channel: String? = nil) -> Event {
    let price = Money(minorUnits: dollars * 100, currency: Currency.named("USD")!)
    let line = LineItem(sku: "item", category: "goods", quantity: 1, unitPrice: price)
    let seconds: Int64 = (20_000 + day) * 86_400 + 36_000
    return Event(kind: .purchase, id: id, time: Instant(secondsSince1970: seconds), lines: [line], store: store, channel: channel)
  }

  /// Amounts only, with no records kept for returns: the options the plan takes (`perk sim`'s
  /// for a history without returns).
  static var planned: EvaluationOptions {
    var options = EvaluationOptions.amountsOnly
    options.keepsReturnRecords = false
    return options
  }

  /// Each purchase's stars, through the plan (one account, its context reused) and through the
  /// general evaluation with explanations (a context made per event): they must agree.
  @Test func nothingOfOnePurchaseShowsInTheNext() throws {
    let program = try #require(compile(source: Self.source, path: "context.perk").program)
    let vip = Customer(id: "v", segment: "vip", referredBy: "r")
    let plain = Customer(id: "p")
    let events: [(Customer, Event)] = [
      (vip, Self.purchase("1", day: 0, dollars: 10, store: "airport", channel: "web")),
      (vip, Self.purchase("2", day: 1, dollars: 10)),
      (plain, Self.purchase("3", day: 2, dollars: 60, store: "airport")),
      (plain, Self.purchase("4", day: 3, dollars: 10, channel: "web")),
      (vip, Self.purchase("5", day: 4, dollars: 10)),
    ]
    var planned = program.account()
    var general = AccountState()
    var budgets = BudgetLedger()
    var plannedStars: [Int64] = []
    var generalStars: [Int64] = []
    for (customer, event) in events {
      #expect(program.takesPlannedPurchases(options: Self.planned, account: planned))
      let fast = try program.evaluate(event, customer: customer, account: &planned, budgets: &budgets, options: Self.planned)
      plannedStars.append(fast.earned["stars"] ?? 0)
      let slow = try program.evaluate(event, customer: customer, updating: &general, budgets: &budgets, options: .full)
      generalStars.append(slow.earned["stars"] ?? 0)
    }
    // 1: airport 20 + web 30 + vip 50; 2: vip 50 only; 3: airport 120 + big basket 420 (then 690 stars);
    // 4: web 30 + rich 110; 5: vip 50 + rich 110.
    #expect(plannedStars == [100, 50, 540, 140, 160])
    #expect(plannedStars == generalStars)
  }

  /// A copy of an account holds the same reused context: a copy that lends while the other
  /// still holds it takes a new one, so two copies evaluated at once never lend into one object.
  @Test func copiesOfAnAccountDoNotLendIntoOneContext() throws {
    let program = try #require(compile(source: Self.source, path: "context.perk").program)
    var account = program.account()
    var budgets = BudgetLedger()
    _ = try program.evaluate(Self.purchase("1", day: 0, dollars: 10), customer: Customer(id: "a"), account: &account,
                             budgets: &budgets, options: Self.planned)
    // Not retained here: the account must stay its only holder.
    let first = ObjectIdentifier(try #require(account.buffers.reusableContext))
    // Alone, the account keeps lending into the same context.
    do {
      let again = account.buffers.takeConditionContext(for: program)
      #expect(ObjectIdentifier(again) == first)
      account.buffers.reusableContext = again
    }
    // Copied, the copy that lends first takes a new one; the other keeps the first.
    var copy = account
    let copys = copy.buffers.takeConditionContext(for: program)
    let originals = account.buffers.takeConditionContext(for: program)
    #expect(ObjectIdentifier(copys) != first)
    #expect(ObjectIdentifier(originals) == first)
  }
}
