import Foundation
import Testing

@testable import PerkRuntime

func json(_ text: String) throws -> JSONNode { try JSONNode.parse(Array(text.utf8), path: "e.json") }

@Test func jsonKeepsNumbersExact() throws {
  let node = try json(#"{"a": [1, 4.10, -2e3], "b": "x\"y", "c": null, "d": true}"#)
  guard case .array(let numbers) = node["a"]?.value else { Issue.record("expected an array"); return }
  #expect(numbers.map(\.value) == [.number("1"), .number("4.10"), .number("-2e3")])
  #expect(node["b"]?.value == .string("x\"y"))
  #expect(node["c"]?.value == .null)
}

struct BadJSON: Sendable, CustomTestStringConvertible {
  let text: String
  let expected: String
  var testDescription: String { expected }
}

let badJSON: [BadJSON] = [
  BadJSON(text: "{\n  \"a\": 1,\n  \"b\" 2\n}", expected: "e.json:3:7: expected `:` after the member name"),
  BadJSON(text: "{\"a\": [1, 2}", expected: "e.json:1:12: expected `,` or `]` in the array"),
  BadJSON(text: "{\"a\": \"open\n}", expected: "e.json:1:12: string is not closed before the end of the line"),
  BadJSON(text: "", expected: "e.json:1:1: expected a JSON value, found end of file"),
  BadJSON(text: "{} x", expected: "e.json:1:4: unexpected text after the JSON value"),
  BadJSON(text: "[tru]", expected: "e.json:1:2: expected `true`"),
]

@Test(arguments: badJSON)
func malformedJSONNamesLineAndColumn(_ c: BadJSON) {
  #expect(throws: InputError.self) { try json(c.text) }
  do {
    _ = try json(c.text)
  } catch {
    #expect("\(error)" == c.expected)
  }
}

@Test func deeplyNestedJSONIsAnErrorNotACrash() {
  let text = String(repeating: "[", count: 100_000)
  #expect(throws: InputError.self) { try json(text) }
}

func emptyProgram(_ zone: String = "America/New_York") -> Program {
  Program(name: "t", currency: usd, timeZone: ProgramTimeZone(identifier: zone)!, points: [], tiers: nil, cards: [],
          rules: [], rewards: [], filters: [], windows: [])
}

@Test func decodesPurchaseEvents() throws {
  let program = emptyProgram()
  let event = try program.decodeEvent(json("""
    {"type": "purchase", "id": "T1", "time": "2026-03-03T08:15:00-05:00", "store": "downtown",
     "lines": [{"sku": "latte", "category": "coffee", "qty": 2, "unit_price": "4.50"},
               {"sku": "bagel", "category": "bakery", "amount": 3.10}]}
    """), path: "e.json")
  #expect(event.kind == .purchase && event.id == "T1" && event.store == "downtown")
  #expect(event.lines.map(\.unitPrice.minorUnits) == [450, 310])
  #expect(event.lines[0].quantity == 2 && event.lines[1].quantity == 1)
  #expect(program.timeZone.localTime(of: event.time).minuteOfDay == 8 * 60 + 15)
  let local = try program.decodeEvent(json(#"{"type":"signup","id":"S","time":"2026-03-03T08:15"}"#), path: "e.json")
  #expect(program.timeZone.localTime(of: local.time).minuteOfDay == 8 * 60 + 15)
  let midnight = try program.decodeEvent(json(#"{"type":"event","name":"review written","id":"R","time":"2026-07-01"}"#), path: "e.json")
  #expect(midnight.kind == .custom("review written"))
  #expect(program.timeZone.localTime(of: midnight.time).minuteOfDay == 0)
}

@Test func eventErrorsSayWhere() throws {
  let program = emptyProgram()
  func message(_ text: String) -> String {
    do {
      _ = try program.decodeEvent(json(text), path: "e.json")
      return "no error"
    } catch {
      return "\(error)"
    }
  }
  #expect(message(#"{"type":"purchase","id":"T","time":"2026-03-03","lines":[{"sku":"a","unit_price":"4.505"}]}"#)
          == "e.json:1:82: `4.505` is not an amount in USD: USD has 2 decimals; more would need rounding")
  #expect(message(#"{"type":"refund","id":"T","time":"2026-03-03"}"#)
          == "e.json:1:9: unknown event type `refund`; expected `purchase`, `return`, `redeem`, `signup` or `event`")
  #expect(message(#"{"type":"purchase","id":"T","time":"March 3"}"#)
          == "e.json:1:36: `March 3` is not a date-time; write `2026-03-03T08:15:00-05:00` or `2026-03-03`")
  #expect(message(#"{"type":"purchase","time":"2026-03-03"}"#) == "e.json:1:1: missing `id`")
}

@Test func accountStateRoundTripsAndRefusesUnknownVersions() throws {
  var state = AccountState()
  state.balances["stars"] = 120
  state.stamps["coffee card"] = 3
  state.tier = "gold"
  state.tierKeptUntil["gold"] = LocalDate(iso: "2027-03-01")
  state.ledger = [AccountState.LedgerDay(date: LocalDate(iso: "2026-03-02")!, spend: 450, purchases: 1)]
  state.lastPurchase = LocalDate(iso: "2026-03-02")
  state.recentTransactions = ["T1"]
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  let data = try encoder.encode(state)
  #expect(try JSONDecoder().decode(AccountState.self, from: data) == state)
  let text = String(decoding: data, as: UTF8.self)
  #expect(text.contains(#""tier_kept_until":{"gold":"2027-03-01"}"#))
  let future = Data(text.replacingOccurrences(of: #""version":2"#, with: #""version":9"#).utf8)
  #expect(throws: DecodingError.self) { try JSONDecoder().decode(AccountState.self, from: future) }
}

@Test func outputIsSortedAndStable() {
  let output = JSONOutput.object(["b": .integer(1), "a": .array([.string("x\n"), .null]), "c": .object([:])])
  #expect(output.rendered() == "{\n  \"a\": [\n    \"x\\n\",\n    null\n  ],\n  \"b\": 1,\n  \"c\": {}\n}\n")
}
