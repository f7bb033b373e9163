import Foundation
import Perk
import Testing

@testable import PerkRuntime

/// A state an evaluation returns carries the working form it was written from
/// (`WorkingFormCache`), so that evaluating it again skips resolving names. The cache must be
/// invisible: the same answers as a state resolved by name, never shared mutably, dropped by any
/// change, ignored by equality, hashing and encoding.
@Suite struct WorkingFormCacheTests {
  static let source = """
    program "Till"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    tiers by spend over last 12 months
      green    from $0
      gold     from $20     earn x2
      keep for 6 months

    stamps coffee card
      collect 1 per item in category coffee
      every 50 stamps: cheapest item in category coffee is free

    rule base earn
      on purchase
      earn 2 stars per $1 spent

    rule welcome
      on purchase
      earn 10 stars
      at most once per 365 days

    reward free drink costs 150 stars, worth $5
    """

  /// The same currency under another index: a working form of `till` read by it would put
  /// stars under gems.
  static let otherSource = """
    program "Other"
      currency USD
      timezone America/New_York

    points gems
    points stars

    rule base earn
      on purchase
      earn 2 stars per $1 spent
    """

  static func program(_ source: String) throws -> Program {
    try #require(compile(source: source, path: "till.perk").program)
  }

  static let alice = Customer(id: "alice")
  static let usd = Currency.named("USD")!

  /// Coffee bought at noon in New York on 2026-03-`day`.
  static func latte(_ id: String, day: Int, quantity: Int64 = 1) -> Event {
    let noon = LocalDate(year: 2026, month: 3, day: day)!.dayNumber * 86_400 + 17 * 3600
    return Event(kind: .purchase, id: id, time: Instant(secondsSince1970: noon),
                 lines: [LineItem(sku: "latte", category: "coffee", quantity: quantity,
                                  unitPrice: Money(minorUnits: 450, currency: usd))])
  }

  static func encoded(_ state: AccountState) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(state), as: UTF8.self)
  }

  /// The state after one latte (9 stars and 10 for the welcome, a stamp, green kept).
  func first(_ program: Program) throws -> AccountState {
    try program.evaluate(Self.latte("T1", day: 2), customer: Self.alice, state: AccountState()).state
  }

  @Test func anEvaluatedStateCarriesItsWorkingForm() throws {
    let program = try Self.program(Self.source)
    let state = try first(program)
    #expect(!state.workingForm.isEmpty)
    #expect(state.workingForm.working(for: program)?.balances == [19])
    #expect(state.balances == ["stars": 19])
    #expect(state.stamps == ["coffee card": 1])
  }

  @Test func theSameStateEvaluatedTwiceGivesTheSameOutcome() throws {
    let program = try Self.program(Self.source)
    let state = try first(program)
    let once = try program.evaluate(Self.latte("T2", day: 3, quantity: 2), customer: Self.alice, state: state)
    let twice = try program.evaluate(Self.latte("T2", day: 3, quantity: 2), customer: Self.alice, state: state)
    #expect(once == twice)
    #expect(once.state == twice.state)
    // 2 × $4.50 at ×1 (green: $4.50 spent before this purchase) = 18 stars.
    #expect(once.state.balances == ["stars": 37])
    #expect(once.state.stamps == ["coffee card": 3])
    #expect(try Self.encoded(once.state) == (try Self.encoded(twice.state)))
    // The evaluations changed nothing the first state shares with them.
    #expect(state.balances == ["stars": 19])
    #expect(state.workingForm.working(for: program)?.balances == [19])
    #expect(state.workingForm.working(for: program)?.recentTransactions.array == ["T1"])
    // The same id again is a duplicate, from the cache as from names.
    #expect(try program.evaluate(Self.latte("T1", day: 3), customer: Self.alice, state: state).duplicate)
  }

  @Test func aMutatedStateDropsItsWorkingForm() throws {
    let program = try Self.program(Self.source)
    let state = try first(program)
    var richer = state
    richer.balances["stars"] = 100
    #expect(richer.workingForm.isEmpty)
    let outcome = try program.evaluate(Self.latte("T2", day: 3), customer: Self.alice, state: richer)
    #expect(outcome.state.balances == ["stars": 109])

    var forgetful = state
    forgetful.recentTransactions = []
    #expect(forgetful.workingForm.isEmpty)
    // Without the remembered id, T1 is new again: 9 stars, the welcome already given this year.
    let again = try program.evaluate(Self.latte("T1", day: 3), customer: Self.alice, state: forgetful)
    #expect(!again.duplicate)
    #expect(again.state.balances == ["stars": 28])

    var stamped = state
    stamped.stamps["coffee card"] = 2
    #expect(stamped.workingForm.isEmpty)
    #expect(try program.evaluate(Self.latte("T2", day: 3), customer: Self.alice, state: stamped).state.stamps == ["coffee card": 3])

    var ledgerless = state
    ledgerless.ledger.removeAll()
    #expect(ledgerless.workingForm.isEmpty)
  }

  @Test func aStateFromAnotherProgramIsResolvedByName() throws {
    let program = try Self.program(Self.source)
    let other = try Self.program(Self.otherSource)
    let state = try first(program)
    #expect(state.workingForm.working(for: other) == nil)
    let outcome = try other.evaluate(Self.latte("T2", day: 3), customer: Self.alice, state: state)
    // Stars by name (19 + 9), gems new; the card `other` does not have is kept as it was.
    #expect(outcome.state.balances == ["gems": 0, "stars": 28])
    #expect(outcome.state.stamps == ["coffee card": 1])
    // The same source compiled again is another program too, with the same answers.
    let recompiled = try Self.program(Self.source)
    #expect(state.workingForm.working(for: recompiled) == nil)
    let fromNames = try recompiled.evaluate(Self.latte("T2", day: 3), customer: Self.alice, state: state)
    let fromCache = try program.evaluate(Self.latte("T2", day: 3), customer: Self.alice, state: state)
    #expect(fromNames == fromCache)
    #expect(try Self.encoded(fromNames.state) == (try Self.encoded(fromCache.state)))
  }

  @Test func aStateReadFromJSONGivesWhatTheCachedOneGives() throws {
    let program = try Self.program(Self.source)
    var state = try first(program)
    for day in 3...6 {
      state = try program.evaluate(Self.latte("T\(day)", day: day, quantity: 2), customer: Self.alice, state: state).state
    }
    let text = try Self.encoded(state)
    let read = try program.decodeState(JSONNode.parse(Array(text.utf8), path: "s.json"), path: "s.json")
    #expect(read.workingForm.isEmpty)
    #expect(read == state)
    let fromCache = try program.evaluate(Self.latte("T7", day: 7), customer: Self.alice, state: state)
    let fromJSON = try program.evaluate(Self.latte("T7", day: 7), customer: Self.alice, state: read)
    #expect(fromCache == fromJSON)
    #expect(try Self.encoded(fromCache.state) == (try Self.encoded(fromJSON.state)))
    // 19, then 18 and 18 while green; gold from $22.50 (×2): 36, 36, and 18 for this latte.
    #expect(fromCache.state.balances == ["stars": 145])
    #expect(fromCache.tierAfter == "gold")
    #expect(fromCache.nearMisses == fromJSON.nearMisses)
    #expect(fromCache.facts == fromJSON.facts)
  }

  @Test func equalityHashingAndEncodingIgnoreTheCache() throws {
    let program = try Self.program(Self.source)
    let state = try first(program)
    var plain = state
    plain.version = state.version  // any write drops the cache
    #expect(plain.workingForm.isEmpty)
    #expect(!state.workingForm.isEmpty)
    #expect(plain == state)
    #expect(plain.hashValue == state.hashValue)
    #expect(Set([plain, state]).count == 1)
    #expect(try Self.encoded(plain) == (try Self.encoded(state)))
  }

  @Test func theInPlaceFormAndAdvanceCarryItToo() throws {
    let program = try Self.program(Self.source)
    var state = try first(program)
    var budgets = BudgetLedger()
    _ = try program.evaluate(Self.latte("T2", day: 3), customer: Self.alice, updating: &state, budgets: &budgets, options: .full)
    #expect(!state.workingForm.isEmpty)
    #expect(state.balances == ["stars": 28])
    let pure = try program.evaluate(Self.latte("T3", day: 4), customer: Self.alice, state: state)
    var updated = state
    _ = try program.evaluate(Self.latte("T3", day: 4), customer: Self.alice, updating: &updated, budgets: &budgets, options: .full)
    #expect(updated == pure.state)
    #expect(state.balances == ["stars": 28])

    let advanced = try program.advance(to: Instant(secondsSince1970: LocalDate(year: 2026, month: 12, day: 1)!.dayNumber * 86_400 + 17 * 3600),
                                       customer: Self.alice, state: pure.state)
    #expect(!advanced.state.workingForm.isEmpty)
    #expect(advanced.state.processedThrough == LocalDate(year: 2026, month: 12, day: 1))
    #expect(advanced.state.balances == ["stars": 37])
  }
}
