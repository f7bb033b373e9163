import Foundation
import Perk
import Testing
@testable import PerkSimulator

/// The till's way of keeping a state: each outcome's state handed straight back to the next
/// event carries its working form (`WorkingFormCache`), and must give exactly what the same
/// state read back from its JSON gives, event after event: the whole outcome (explanations and
/// till facts included) and the state's bytes.
@Suite struct CachedStateEvaluationTests {
  static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return encoder
  }()

  @Test(arguments: [("cafe", HistoryGenerator.Shape.cafe), ("p9-expiring-points", .grocery), ("p4-wholesale-rebates", .wholesale),
                    ("status-calendar-months", .grocery)])
  func aCachedStateGivesWhatItsJSONGives(program name: String, shape: HistoryGenerator.Shape) throws {
    let program = Fixture.program(name)
    var compared = 0
    // A few customers, their first events: a debug evaluation with its JSON costs milliseconds.
    for (customer, events) in try InPlaceEvaluationTests.customers(program, shape: shape, customers: 25).prefix(4) {
      var cached = AccountState()
      var read = AccountState()
      for (index, event) in events.prefix(40).enumerated() {
        // A redemption now and then (refused or not) and, every so often, a month end.
        var steps = [event]
        if index % 5 == 2 {
          steps.append(Event(kind: .redemption(reward: program.rewards.first?.name ?? "none"), id: "\(event.id)-r", time: event.time))
        }
        for step in steps {
          var cachedBudgets = BudgetLedger()
          var readBudgets = BudgetLedger()
          let fromCache = try program.evaluate(step, customer: customer, state: cached, budgets: &cachedBudgets, options: .full)
          let fromJSON = try program.evaluate(step, customer: customer, state: read, budgets: &readBudgets, options: .full)
          #expect(fromCache == fromJSON, "\(name) \(customer.id) \(step.id)")
          let bytes = try Self.encoder.encode(fromCache.state)
          #expect(bytes == (try Self.encoder.encode(fromJSON.state)), "\(name) \(customer.id) state after \(step.id)")
          cached = fromCache.state
          read = try program.decodeState(JSONNode.parse(Array(bytes), path: "state.json"), path: "state.json")
          compared += 1
        }
        if index % 9 == 4 {
          let monthEnd = program.timeZone.instant(of: program.timeZone.localTime(of: event.time).date.startOfMonth.adding(months: 1),
                                                  secondOfDay: 0)
          let fromCache = try program.advance(to: monthEnd, customer: customer, state: cached)
          let fromJSON = try program.advance(to: monthEnd, customer: customer, state: read)
          #expect(fromCache == fromJSON, "\(name) \(customer.id) month end after \(event.id)")
          cached = fromCache.state
          read = try program.decodeState(JSONNode.parse(Array(try Self.encoder.encode(fromJSON.state)), path: "state.json"),
                                         path: "state.json")
        }
      }
    }
    #expect(compared > 50)
  }
}
