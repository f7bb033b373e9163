import Foundation
import Perk
import Testing
@testable import PerkRuntime

/// Amounts near the largest a till could ever send are refused with an error, never a trap:
/// found by the differential tests (a basket of three lines of $40,000,000,000,000,000.00 under a
/// discount, and two such baskets on one day, ended the process).
@Suite struct HugeAmountTests {
  static let source = """
    program "Huge"
      currency USD
      timezone UTC

    points pts
      worth $0.01

    tiers by spend over last 30 days
      member  from $0
      gold    from $500   earn x2

    rule ten off
      on purchase
      discount 10% on basket

    rule base earn
      on purchase
      earn 1 pts per $1 spent

    """

  let program: Program
  let customer = Customer(id: "c")
  let huge: Money

  init() throws {
    program = try BulkEvaluationTests.compiled(Self.source)
    huge = Money(minorUnits: 4_000_000_000_000_000_000, currency: program.currency)
  }

  func basket(_ id: String, lines: Int, hour: Int64) -> Event {
    Event(kind: .purchase, id: id, time: Instant(secondsSince1970: 1_772_000_000 + hour * 3_600),
          lines: (0..<lines).map { LineItem(sku: "gold\($0)", category: "misc", quantity: 1, unitPrice: huge) })
  }

  @Test func aBasketWhoseTotalOverflowsIsRefusedInEveryForm() throws {
    let event = basket("T1", lines: 3, hour: 0)
    #expect(throws: EvaluationError.self) { try program.evaluate(event, customer: customer, state: AccountState()) }
    var account = program.account()
    var budgets = BudgetLedger()
    do {
      _ = try program.evaluate(event, customer: customer, account: &account, budgets: &budgets, options: .amountsOnly)
      Issue.record("a basket of three $40,000,000,000,000,000.00 lines was accepted")
    } catch {
      #expect(error.message == "the basket's total overflows: its lines add up to more than $92,233,720,368,547,758.07")
    }
    #expect(program.state(of: account) == program.state(of: program.account()))
  }

  @Test func twoHugeBasketsOnOneDayRefuseTheSecondAndKeepTheFirst() throws {
    var account = program.account()
    var budgets = BudgetLedger()
    let first = try program.evaluate(basket("T1", lines: 2, hour: 1), customer: customer, account: &account, budgets: &budgets,
                                     options: .amountsOnly)
    #expect(first.rejection == nil)
    let kept = program.state(of: account)
    do {
      _ = try program.evaluate(basket("T2", lines: 2, hour: 2), customer: customer, account: &account, budgets: &budgets,
                               options: .amountsOnly)
      Issue.record("the day's spend overflowed without an error")
    } catch {
      #expect(error.message.hasPrefix("the spend of 2026-02-25 overflows"))
    }
    #expect(program.state(of: account) == kept)
  }
}
