import Foundation
import Testing

@testable import PerkRuntime

@Suite struct PointsInterchangeTests {
  let program = pointsProgram()

  func event(_ text: String) throws -> Event { try program.decodeEvent(json(text), path: "e.json") }

  @Test func returnEventNamesTheOriginalAndListsUnitsWithoutPrices() throws {
    let e = try event(#"{"type": "return", "id": "R1", "original": "T1", "time": "2026-03-05", "lines": [{"sku": "mug", "qty": 2}]}"#)
    #expect(e.kind == .return(original: "T1"))
    #expect(e.lines.map(\.sku) == ["mug"])
    #expect(e.lines.map(\.quantity) == [2])
  }

  @Test func redeemEventNamesTheReward() throws {
    let e = try event(#"{"type": "redeem", "id": "X1", "reward": "free drink", "time": "2026-03-05"}"#)
    #expect(e.kind == .redemption(reward: "free drink"))
    #expect(e.lines.isEmpty)
  }

  @Test func returnAndRedeemSayWhatIsMissing() throws {
    func message(_ text: String) -> String {
      do { _ = try event(text); return "" } catch { return "\(error)" }
    }
    #expect(message(#"{"type": "return", "id": "R1", "time": "2026-03-05", "lines": []}"#)
            == "e.json:1:1: missing `original`")
    #expect(message(#"{"type": "return", "id": "R1", "original": "T1", "time": "2026-03-05"}"#)
            == "e.json:1:1: a return needs `lines`, the returned items")
    #expect(message(#"{"type": "redeem", "id": "X1", "time": "2026-03-05"}"#) == "e.json:1:1: missing `reward`")
  }

  @Test func outcomeJSONCarriesTheTillFacts() throws {
    var till = Till(pointsProgram(hold: 14))
    let outcome = try till.buy("T1", "2026-03-15", [till.line("latte", "coffee", 2, cents: 450)])
    let text = outcome.json.rendered()
    #expect(text.contains(#""pending": {"# + "\n" + #"    "stars": 9"#))
    #expect(text.contains(#""text": "9 stars become spendable on 2026-03-29""#))
    #expect(text.contains(#""text": "150 stars to free drink""#))
    #expect(text.contains(#""text": "6 more coffee or tea items to a free one (coffee card)""#))
    #expect(!text.contains("rejection"))
    let refused = try till.run(.redemption(reward: "free drink"), "X1", "2026-03-16")
    #expect(refused.json.rendered().contains(#""rejection": "free drink needs 150 stars, has 0 (9 more held until the return window clears)""#))
  }

  @Test func newAwardKindsAsJSON() {
    let usd = program.currency
    let expired = Award(kind: .expired(currency: "stars", amount: 120, date: LocalDate(iso: "2027-01-01")!), source: "stars",
                        location: nil, explanation: "e")
    #expect(expired.json.rendered() == """
      {
        "currency": "stars",
        "date": "2027-01-01",
        "explanation": "e",
        "kind": "expired",
        "points": 120,
        "rule": "stars"
      }

      """)
    let redeemed = Award(kind: .redeemed(reward: "free drink", currency: "stars", cost: 150, value: Money(minorUnits: 500, currency: usd)),
                         source: "free drink", location: nil, explanation: "r")
    #expect(redeemed.json.rendered().contains(#""points": 150"#))
    #expect(redeemed.json.rendered().contains(#""kind": "redeemed""#))
  }
}
