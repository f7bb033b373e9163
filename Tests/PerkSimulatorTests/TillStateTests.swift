import Foundation
import Perk
import Testing
@testable import PerkRuntime

/// The state form keeps its recent ids and purchase records in chunks shared between the state
/// it was given and the one it returns: the states must still read, compare, encode and honour
/// edits exactly as arrays did.
@Suite struct TillStateTests {
  static let program = Fixture.program("cafe")
  static let customer = Customer(id: "alice", signupDate: LocalDate(year: 2026, month: 1, day: 10))
  static let usd = Currency.named("USD")!

  /// A latte on day `n` after 2026-03-01, noon UTC.
  static func purchase(_ n: Int) -> Event {
    Event(kind: .purchase, id: "T\(n)", time: Instant(secondsSince1970: 1_772_366_400 + Int64(n) * 86_400),
          lines: [LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: Money(minorUnits: 450, currency: usd))])
  }

  /// The states after each of `count` purchases through the state form.
  static func states(_ count: Int) throws -> [AccountState] {
    var state = AccountState()
    var states: [AccountState] = []
    for n in 0..<count {
      state = try program.evaluate(purchase(n), customer: customer, state: state).state
      states.append(state)
    }
    return states
  }

  @Test func statesReadCompareAndEncodeAsTheirArrays() throws {
    let states = try Self.states(40)
    let last = try #require(states.last)
    #expect(last.recentTransactions == (0..<40).map { "T\($0)" })
    #expect(last.records.map(\.id) == (0..<40).map { "T\($0)" })
    // The same fields set from plain arrays: equal, same hash, same JSON.
    var rebuilt = last
    rebuilt.recentTransactions = Array(last.recentTransactions)
    rebuilt.records = Array(last.records)
    #expect(rebuilt == last && rebuilt.hashValue == last.hashValue)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let json = try encoder.encode(last)
    #expect(json == (try encoder.encode(rebuilt)))
    let decoded = try JSONDecoder().decode(AccountState.self, from: json)
    #expect(decoded == last && decoded.hashValue == last.hashValue)
    // An earlier state is unchanged by the evaluations after it.
    #expect(states[9].recentTransactions == (0..<10).map { "T\($0)" } && states[9].records.count == 10)
    #expect(states[9] != last)
  }

  @Test func idsEditedBetweenEvaluationsAreHonoured() throws {
    let state = try #require(try Self.states(20).last)
    #expect(try Self.program.evaluate(Self.purchase(3), customer: Self.customer, state: state).duplicate)
    var edited = state
    edited.recentTransactions.removeAll { $0 == "T3" }
    let again = try Self.program.evaluate(Self.purchase(3), customer: Self.customer, state: edited)
    #expect(!again.duplicate && again.earned["stars"] == 9)
    #expect(again.state.recentTransactions == (0..<20).filter { $0 != 3 }.map { "T\($0)" } + ["T3"])
    // The state it was edited from still knows the id.
    #expect(state.recentTransactions.contains("T3"))
  }

  @Test func recordsEditedBetweenEvaluationsAreHonoured() throws {
    let state = try #require(try Self.states(20).last)
    let back = Event(kind: .return(original: "T18"), id: "R18", time: Instant(secondsSince1970: 1_772_366_400 + 19 * 86_400 + 3_600),
                     lines: [LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: Money(minorUnits: 450, currency: Self.usd))])
    // 18 paid lattes (the 10th and 20th were free) at 9 stars; the return takes 9 back.
    let returned = try Self.program.evaluate(back, customer: Self.customer, state: state)
    #expect(returned.rejection == nil && returned.balances["stars"] == 153)
    #expect(returned.awards.map(\.kind) == [.points(currency: "stars", amount: -9, value: Money(minorUnits: -9, currency: Self.usd))])
    var edited = state
    edited.records.removeAll { $0.id == "T18" }
    #expect(edited.records.count == 19)
    let unknown = try Self.program.evaluate(back, customer: Self.customer, state: edited)
    #expect(unknown.rejection == "the original transaction `T18` is unknown or older than 366 days")
    #expect(unknown.awards.isEmpty && unknown.balances["stars"] == 162)
    #expect(unknown.state == edited)
  }
}
