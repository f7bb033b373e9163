import Foundation
import Perk
import PerkTestSupport
import Testing
@testable import PerkRuntime

/// What the bulk form of evaluation (`perk sim`, the batch benchmark) skips must change nothing
/// it reports: a purchase that keeps no record for a return, and a tier measure brought up to
/// date by the purchase instead of read from the ledger again.
@Suite struct BulkEvaluationTests {
  static func compiled(_ source: String) throws -> Program {
    let compilation = compile([SourceFile(path: "test.perk", bytes: Array(source.utf8))])
    guard let program = compilation.program else {
      throw EvaluationError("does not compile: \(compilation.diagnostics.map(\.message))")
    }
    return program
  }

  /// Seeded purchases of the café's categories, some on the same day, some out of time order.
  static func purchases(count: Int, seed: UInt64, program: Program) -> [Event] {
    var random = SeededGenerator(state: seed)
    let categories = ["coffee", "tea", "pastry", "retail"]
    var time = Instant(secondsSince1970: 1_767_000_000)
    var events: [Event] = []
    for index in 0..<count {
      switch Int.random(in: 0..<10, using: &random) {
      case 0: time = Instant(secondsSince1970: time.secondsSince1970 - 86_400 * Int64.random(in: 1...20, using: &random))
      case 1...3: time = Instant(secondsSince1970: time.secondsSince1970 + 3_600)
      default: time = Instant(secondsSince1970: time.secondsSince1970 + 86_400 * Int64.random(in: 1...40, using: &random))
      }
      let lines = (0..<Int.random(in: 1...3, using: &random)).map { line in
        LineItem(sku: "sku\(line)", category: categories.randomElement(using: &random)!, quantity: Int64.random(in: 1...3, using: &random),
                 unitPrice: Money(minorUnits: Int64.random(in: 50...40_000, using: &random), currency: program.currency))
      }
      events.append(Event(kind: .purchase, id: "P\(index)", time: time, lines: lines))
    }
    return events
  }

  @Test func purchasesWithoutReturnRecordsGiveTheSameAwardsBalancesAndTiers() throws {
    let program = try Self.compiled(cafeProgram)
    var withoutRecords = EvaluationOptions.amountsOnly
    withoutRecords.keepsReturnRecords = false
    for seed in UInt64(1)...4 {
      let customer = Customer(id: "c\(seed)", birthday: LocalDate(year: 1990, month: 3, day: 15)!,
                              signupDate: LocalDate(year: 2025, month: 12, day: 1)!)
      var kept = program.account()
      var skipped = program.account()
      var budgets = BudgetLedger()
      for event in Self.purchases(count: 300, seed: seed, program: program) {
        let expected = try program.evaluate(event, customer: customer, account: &kept, budgets: &budgets, options: .amountsOnly)
        let actual = try program.evaluate(event, customer: customer, account: &skipped, budgets: &budgets, options: withoutRecords)
        #expect(actual == expected, "seed \(seed), event \(event.id)")
      }
      var keptState = program.state(of: kept)
      #expect(!keptState.records.isEmpty)
      keptState.records = []
      #expect(program.state(of: skipped) == keptState, "seed \(seed)")
    }
  }

  @Test func aReturnAfterPurchasesWithoutRecordsFindsItsPurchaseUnknown() throws {
    let program = try Self.compiled(cafeProgram)
    var options = EvaluationOptions.amountsOnly
    options.keepsReturnRecords = false
    var account = program.account()
    var budgets = BudgetLedger()
    let customer = Customer(id: "c")
    let time = Instant(secondsSince1970: 1_767_000_000)
    let latte = LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: Money(minorUnits: 450, currency: program.currency))
    _ = try program.evaluate(Event(kind: .purchase, id: "T1", time: time, lines: [latte]), customer: customer, account: &account,
                             budgets: &budgets, options: options)
    let back = try program.evaluate(Event(kind: .return(original: "T1"), id: "R1", time: Instant(secondsSince1970: time.secondsSince1970 + 60),
                                          lines: [latte]),
                                    customer: customer, account: &account, budgets: &budgets, options: options)
    #expect(back.rejection == "the original transaction `T1` is unknown or older than \(EvaluationRun.recordDays) days")
    #expect(program.balance("stars", of: account) == 9)
  }

  /// `perk sim` keeps records for the purchases a return of the history names, and for every
  /// purchase of a history with more purchases than records are kept.
  @Test func onlyThePurchasesAReturnNamesKeepTheirRecords() throws {
    let program = try Self.compiled(cafeProgram)
    let time = Instant(secondsSince1970: 1_767_000_000)
    let latte = LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: Money(minorUnits: 450, currency: program.currency))
    func purchase(_ id: String) -> Event { Event(kind: .purchase, id: id, time: time, lines: [latte]) }
    let returned = [purchase("T1"), purchase("T2"), Event(kind: .return(original: "T2"), id: "R1", time: time, lines: [latte]),
                    Event(kind: .return(original: "T9"), id: "R2", time: time, lines: [latte])]
    #expect(EvaluationOptions.purchasesKeepingRecords(in: returned) == ["T2", "T9"])
    #expect(EvaluationOptions.purchasesKeepingRecords(in: [purchase("T1")]) == [])
    let many = (0...EvaluationRun.recordLimit).map { purchase("T\($0)") }
    #expect(EvaluationOptions.purchasesKeepingRecords(in: many) == nil)
    #expect(EvaluationOptions.purchasesKeepingRecords(in: Array(many.dropLast())) == [])
  }

  /// A purchase that keeps no record still drops the records a return can no longer name: a
  /// return more than a year after its purchase is refused whether or not the purchases in
  /// between kept theirs (in both evaluation forms: the café has a purchase plan, the second
  /// program does not).
  @Test func purchasesWithoutRecordsStillDropTheOldOnes() throws {
    let planned = try Self.compiled(cafeProgram)
    let general = try Self.compiled(cafeProgram + "\nrule birthday voucher\n  on birthday\n  give voucher \"Treat\" worth $3 valid for 30 days\n")
    #expect(planned.purchasePlan != nil)
    #expect(general.purchasePlan == nil)
    for program in [planned, general] {
      let customer = Customer(id: "c")
      let latte = LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: Money(minorUnits: 450, currency: program.currency))
      let day: Int64 = 86_400
      let start = Instant(secondsSince1970: 1_767_000_000)
      let events = [Event(kind: .purchase, id: "T1", time: start, lines: [latte]),
                    Event(kind: .purchase, id: "T2", time: Instant(secondsSince1970: start.secondsSince1970 + 370 * day), lines: [latte]),
                    Event(kind: .return(original: "T1"), id: "R1", time: Instant(secondsSince1970: start.secondsSince1970 + 371 * day),
                          lines: [latte])]
      let recorded = try #require(EvaluationOptions.purchasesKeepingRecords(in: events))
      var account = program.account()
      var budgets = BudgetLedger()
      var last: Outcome?
      for event in events {
        var options = EvaluationOptions.amountsOnly
        options.keepsReturnRecords = recorded.contains(event.id)
        last = try program.evaluate(event, customer: customer, account: &account, budgets: &budgets, options: options)
      }
      #expect(last?.rejection == "the original transaction `T1` is unknown or older than \(EvaluationRun.recordDays) days")
      #expect(program.state(of: account).records.isEmpty)
    }
  }

  static let visitTiers = """
    program "Visits"
      currency USD
      timezone UTC

    points pts
      worth $0.01

    tiers by visits over last 30 days
      member  from 0 visits
      regular from 3 visits   earn x2

    rule base earn
      on purchase
      earn 1 pts per $1 spent

    """

  /// The measure after a purchase counts a second purchase the same day as no new visit, and
  /// a purchase dated before the last one (out of order) is measured on the ledger again.
  @Test func theTierMeasureCountsADayOnceAndFollowsPurchasesOutOfOrder() throws {
    let program = try Self.compiled(Self.visitTiers)
    var account = program.account()
    var budgets = BudgetLedger()
    let customer = Customer(id: "c")
    func buy(_ id: String, day: Int, hour: Int64 = 12) throws -> Outcome {
      let time = Instant(secondsSince1970: LocalDate(year: 2026, month: 3, day: day)!.dayNumber * 86_400 + hour * 3_600)
      let item = LineItem(sku: "x", category: "y", quantity: 1, unitPrice: Money(minorUnits: 1_000, currency: program.currency))
      return try program.evaluate(Event(kind: .purchase, id: id, time: time, lines: [item]), customer: customer, account: &account,
                                  budgets: &budgets, options: .full)
    }
    func change(_ outcome: Outcome) -> String? {
      outcome.awards.lazy.compactMap { if case .tierChange(let from, let to) = $0.kind { "\(from ?? "-") → \(to ?? "-")" } else { nil } }.first
    }
    #expect(change(try buy("A", day: 10)) == nil)
    #expect(try buy("B", day: 10, hour: 15).tierAfter == "member")  // the same day: still one visit
    #expect(change(try buy("C", day: 12)) == nil)  // two visits
    let early = try buy("D", day: 5)  // out of order: its window (ending March 5th) holds only itself
    #expect(early.tierAfter == "member")
    let third = try buy("E", day: 12, hour: 18)  // March 5, 10, 12: three visits, but the 12th already had one
    #expect(change(third) == "member → regular")
    #expect(third.awards.contains { $0.explanation.contains("3 visits in the tier window") })
  }
}
