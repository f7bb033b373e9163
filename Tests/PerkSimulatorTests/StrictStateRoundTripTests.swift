import Foundation
import Perk
import Testing
@testable import PerkRuntime
@testable import PerkSimulator

/// Whatever a program writes as a state, the strict reader takes back unchanged: every key it
/// writes is one it knows, every name one the program declares (lots, records, promotions,
/// rebates, caps and held referral transfers included). And every object of those states is
/// checked against its type's keys: only dictionaries (names from the data) are read unchecked.
@Suite struct StrictStateRoundTripTests {
  @Test(arguments: [("cafe", HistoryGenerator.Shape.cafe), ("p9-expiring-points", .grocery), ("p2-bakery-points", .cafe),
                    ("p10-snacks-buy-3-pay-2", .grocery), ("p3-fashion-tiers", .grocery), ("p4-wholesale-rebates", .wholesale),
                    ("p7-referral", .cafe), ("p12-dual-tiers", .grocery), ("p1-corner-cafe-punch-card", .cafe)])
  func everyWrittenStateReadsBackStrictly(program name: String, shape: HistoryGenerator.Shape) throws {
    let program = Fixture.program(name)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    var compared = 0
    let audit = JSONTreeDecoder.Audit()
    for (customer, events) in try InPlaceEvaluationTests.customers(program, shape: shape, customers: 8) {
      var state = AccountState()
      for (index, event) in events.enumerated() {
        var budgets = BudgetLedger()
        state = try program.evaluate(event, customer: customer, state: state, budgets: &budgets, options: .full).state
        // Every fifth state and the last: the check costs a JSON round trip.
        guard index % 5 == 0 || index == events.count - 1 else { continue }
        let bytes = Array(try encoder.encode(state))
        let read = try program.decodeState(JSONNode.parse(bytes, path: "state.json"), path: "state.json")
        #expect(read == state, "\(name) \(customer.id) after \(event.id)")
        let node = try JSONNode.parse(bytes, path: "state.json")
        _ = try JSONTreeDecoder.decode(AccountState.self, from: node, path: "state.json", what: "the state", audit: audit)
        compared += 1
      }
    }
    #expect(compared > 20)
    #expect(audit.uncheckedKeyTypes.allSatisfy { $0.contains("_DictionaryCodingKey") }, "\(audit.uncheckedKeyTypes)")
  }
}
