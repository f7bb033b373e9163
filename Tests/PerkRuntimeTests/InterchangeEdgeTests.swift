import Testing
@testable import PerkRuntime

private func newYorkProgram() -> Program {
  Program(name: "NY", currency: Currency.named("USD")!, timeZone: ProgramTimeZone(identifier: "America/New_York")!,
          points: [], tiers: nil, cards: [], rules: [], rewards: [], filters: [], windows: [])
}
private func node(_ text: String, _ path: String = "in.json") throws -> JSONNode {
  try JSONNode.parse(Array(text.utf8), path: path)
}
private func failure(_ body: () throws -> Void) -> String {
  do { try body(); return "no error" } catch { return "\(error)" }
}

@Test func timeFormsAgreeOnTheInstant() throws {
  let program = newYorkProgram()
  func time(_ text: String) throws -> Int64 {
    try program.decodeEvent(node(#"{"type":"signup","id":"S","time":"\#(text)"}"#), path: "e.json").time.secondsSince1970
  }
  let utc = try time("2026-03-03T13:15:00Z")
  #expect(try time("2026-03-03T08:15:00-05:00") == utc)
  #expect(try time("2026-03-03T08:15:00") == utc)
  // After the spring-forward change New York is UTC-4: local 08:15 is 12:15Z.
  #expect(try time("2026-03-09T08:15:00") == (try time("2026-03-09T12:15:00Z")))
  // Date only = local midnight; on 2026-11-01 midnight is still EDT (04:00Z).
  #expect(try time("2026-11-01") == (try time("2026-11-01T04:00:00Z")))
}

@Test func jsonErrorsOnLaterLinesSayLineAndColumn() {
  let text = "{\n  \"type\": \"purchase\",\n  \"id\": tru\n}"
  #expect(failure { _ = try node(text, "bad.json") }.hasPrefix("bad.json:3:9: "))
}

@Test func customerErrorsNameTheField() {
  #expect(failure { _ = try Customer.decode(node(#"{"id":"alice","birthday":"1990-02-30"}"#, "c.json"), path: "c.json")
  }.hasPrefix("c.json:1:26: "))
  #expect(failure { _ = try Customer.decode(node(#"{"birthday":"1990-02-03"}"#, "c.json"), path: "c.json") }
          == "c.json:1:1: missing `id`")
  let alice = try? Customer.decode(node(#"{"id":"alice","birthday":"1990-03-14","signup_date":"2025-01-10","segment":"student","referred_by":"bob","attributes":{"store":"downtown"}}"#), path: "c.json")
  #expect(alice == Customer(id: "alice", birthday: LocalDate(year: 1990, month: 3, day: 14),
                            signupDate: LocalDate(year: 2025, month: 1, day: 10), segment: "student",
                            referredBy: "bob", attributes: ["store": "downtown"]))
}

@Test func lineAmountMustSplitIntoWholeUnits() {
  let program = newYorkProgram()
  let message = failure {
    _ = try program.decodeEvent(node(#"{"type":"purchase","id":"T","time":"2026-03-03","lines":[{"sku":"a","qty":3,"amount":"10.00"}]}"#), path: "e.json")
  }
  #expect(message.contains("does not divide evenly into 3 units"))
}
