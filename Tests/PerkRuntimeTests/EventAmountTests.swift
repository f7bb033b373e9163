import Testing
@testable import PerkRuntime

/// Amounts in event JSON follow the history's rules: `"4,50"` is never 450.00.
@Suite struct EventAmountTests {
  let program = Program(name: "t", currency: Currency.named("USD")!, timeZone: ProgramTimeZone(identifier: "UTC")!,
                        points: [], tiers: nil, cards: [], rules: [], rewards: [], filters: [], windows: [])

  func event(_ price: String, mark: DecimalMark = .point) throws(InputError) -> Event {
    let text = #"{"type":"purchase","id":"T","time":"2026-03-03","lines":[{"sku":"latte","unit_price":\#(price)}]}"#
    return try program.decodeEvent(JSONNode.parse(Array(text.utf8), path: "e.json"), path: "e.json", decimalMark: mark)
  }

  func failure(_ price: String, mark: DecimalMark = .point) -> String {
    do { _ = try event(price, mark: mark); return "no error" } catch { return error.description }
  }

  @Test func aDecimalCommaIsALocatedError() {
    #expect(failure(#""4,50""#) == "e.json:1:86: `4,50` is not an amount in USD: `,` is not the decimal mark here; write `4.50`, "
      + "or, if the file writes decimals with a comma, read it with `--decimal-comma`")
    #expect(failure(#""$$4""#).hasPrefix("e.json:1:86: `$$4` is not an amount in USD: write digits"))
    #expect(failure(#""1,234""#).contains("could group thousands or mark the decimals"))
  }

  @Test func theMarkAppliesToStringsNotNumbers() throws {
    #expect(try event(#""4,50""#, mark: .comma).lines[0].unitPrice.minorUnits == 450)
    #expect(try event(#""1.234,50""#, mark: .comma).lines[0].unitPrice.minorUnits == 123_450)
    #expect(try event("4.5", mark: .comma).lines[0].unitPrice.minorUnits == 450)
    #expect(try event("4.500").lines[0].unitPrice.minorUnits == 450)
    #expect(try event(#""1,234.50""#).lines[0].unitPrice.minorUnits == 123_450)
  }

  @Test func eventTimesAndCustomerDatesHaveReadableYears() {
    func message(_ json: String, customer: Bool = false) -> String {
      do {
        let node = try JSONNode.parse(Array(json.utf8), path: "e.json")
        if customer { _ = try Customer.decode(node, path: "e.json") } else { _ = try program.decodeEvent(node, path: "e.json") }
        return "no error"
      } catch {
        return error.description
      }
    }
    #expect(message(#"{"type":"signup","id":"S","time":"0000-12-31T10:00:00Z"}"#) == "e.json:1:34: `0000-12-31T10:00:00Z` is outside the years 1900–2200")
    #expect(message(#"{"type":"signup","id":"S","time":"2200-12-31"}"#) == "no error")
    #expect(message(#"{"id":"a","birthday":"0990-03-14"}"#, customer: true) == "e.json:1:22: `0990-03-14` is outside the years 1900–2200")
  }
}
