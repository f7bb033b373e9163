import Foundation
import Perk
import Testing
@testable import PerkSimulator

/// What a history row means is never guessed: amounts, fields, records and dates.
@Suite struct HistoryInputTests {
  @Test func aDecimalCommaIsRefusedNotReadAsAHundredTimesTheAmount() throws {
    let text = "customer,time,sku,unit_price\na,2026-01-01,latte,\"4,50\"\na,2026-01-02,latte,\"1.234,50\"\na,2026-01-03,latte,$$4\n"
    let (rows, bad, counts) = try Fixture.read(Fixture.bytes(text))
    #expect(rows.isEmpty)
    #expect(counts.rejected == 3)
    #expect(bad.map(\.description) == [
      "<test>:2: unit price `4,50` is not an amount in USD: `,` is not the decimal mark here; write `4.50`, "
        + "or, if the file writes decimals with a comma, read it with `--decimal-comma`",
      "<test>:3: unit price `1.234,50` is not an amount in USD: `,` is not the decimal mark here; write `1234.50`, "
        + "or, if the file writes decimals with a comma, read it with `--decimal-comma`",
      "<test>:4: unit price `$$4` is not an amount in USD: write digits with `.` before the decimals, such as `4.50`, optionally with `$` or `USD`",
    ])
  }

  @Test func strictStopsAtADecimalComma() throws {
    #expect(throws: BadRow.self) {
      _ = try Fixture.read(Fixture.bytes("customer,time,amount\na,2026-01-01,\"4,50\"\n"), HistoryReadOptions(strict: true))
    }
  }

  @Test func decimalCommaReadsEuropeanExports() throws {
    let text = "customer,time,sku,qty,unit_price\na,2026-01-01,latte,2,\"4,50\"\na,2026-01-02,beans,1,\"1.234,50 $\"\na,2026-01-03,latte,1,\"4.50\"\n"
    let (rows, bad, _) = try Fixture.read(Fixture.bytes(text), HistoryReadOptions(decimalMark: .comma))
    #expect(rows.map(\.unitMinor) == [450, 123_450])
    #expect(rows.map(\.totalMinor) == [900, 123_450])
    #expect(bad.map(\.reason) == ["unit price `4.50` is not an amount in USD: `.` is not the decimal mark here; write `4,50`, "
      + "or read the file without `--decimal-comma`"])
  }

  @Test func groupingIsReadOnlyBeforeADecimalPoint() throws {
    let text = "customer,time,amount\na,2026-01-01,\"1,234.50\"\na,2026-01-02,\"1,234\"\na,2026-01-03,4.500\n"
    let (rows, bad, _) = try Fixture.read(Fixture.bytes(text))
    #expect(rows.map(\.totalMinor) == [123_450])
    #expect(bad.map(\.line) == [3, 4])
    #expect(bad.allSatisfy { $0.reason.contains("could group thousands or mark the decimals") })
  }

  @Test func jsonLinesStringsFollowTheMarkNumbersDoNot() throws {
    let text = """
      {"customer": "a", "time": "2026-01-01", "unit_price": "4,50"}
      {"customer": "a", "time": "2026-01-02", "unit_price": 4.5}
      {"customer": "a", "time": "2026-01-03", "amount": 4.500}

      """
    let point = try Fixture.read(Fixture.bytes(text, name: "h.jsonl"))
    #expect(point.0.map(\.totalMinor) == [450, 450])
    #expect(point.1.map(\.line) == [1])
    let comma = try Fixture.read(Fixture.bytes(text, name: "h.jsonl"), HistoryReadOptions(decimalMark: .comma))
    #expect(comma.0.map(\.totalMinor) == [450, 450, 450])
    #expect(comma.1.isEmpty)
  }
}
