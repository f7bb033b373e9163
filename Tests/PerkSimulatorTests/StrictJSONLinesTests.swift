import Foundation
import Perk
import Testing
@testable import PerkSimulator

/// JSON Lines histories and customers files are read as strictly as `perk eval`'s JSON: a key
/// the row does not have rejects the row, naming the file, the line and the key.
@Suite struct StrictJSONLinesTests {
  @Test func aHistoryRowWithAnUnknownKeyIsRejectedWithDidYouMean() throws {
    let (rows, bad, counts) = try Fixture.read(Fixture.bytes("""
      {"customer": "a", "time": "2026-01-01T10:00:00-05:00", "sku": "latte", "qty": 1, "unit_price": "4.50"}
      {"customer": "a", "time": "2026-01-02T10:00:00-05:00", "sku": "latte", "qty": 1, "unit_prize": "4.50"}
      {"customer": "a", "time": "2026-01-03T10:00:00-05:00", "sku": "latte", "qty": 1, "unit_price": "4.50", "colour": "red"}
      {"customer": "a", "Customer": "b", "time": "2026-01-04", "amount": "1.00"}
      {"customer": "a", "time": "2026-01-05", "amount": "1.00", "store": ["x"]}

      """, name: "h.jsonl"))
    #expect(rows.count == 1)
    #expect(counts.read == 5)
    #expect(counts.rejected == 4)
    #expect(bad.map(\.description) == [
      "h.jsonl:2: unknown key `unit_prize` in a history row; did you mean `unit_price`?",
      "h.jsonl:3: unknown key `colour` in a history row; the keys are `customer`, `txn`, `time`, `sku`, `category`, `qty`, "
        + "`unit_price`, `amount`, `store`, `channel`, `type`, `orig_txn`, `reward`",
      "h.jsonl:4: `Customer` is given twice in a history row (as `customer`)",
      "h.jsonl:5: `store` must be a string or a number, not an array or object",
    ])
    // The rejected row is kept whole for `--rejects`.
    #expect(String(decoding: bad[0].raw, as: UTF8.self).contains("unit_prize"))
  }

  @Test func historyKeysFollowTheColumnMap() throws {
    var options = HistoryReadOptions()
    options.columns = try ColumnMap(parsing: "customer=member")
    let (rows, bad, _) = try Fixture.read(Fixture.bytes("""
      {"member": "a", "time": "2026-01-01", "amount": "1.00"}
      {"customer": "a", "time": "2026-01-01", "amount": "1.00"}

      """, name: "h.jsonl"), options)
    #expect(rows.map(\.customer) == ["a"])
    #expect(bad.map(\.reason) == ["unknown key `customer` in a history row; `--map customer=member` names it `member`"])
  }

  @Test func strictStopsAtAnUnknownKey() throws {
    #expect(throws: BadRow(path: "h.jsonl", line: 1, reason: "unknown key `tmie` in a history row; did you mean `time`?",
                           raw: Array(#"{"customer": "a", "tmie": "2026-01-01", "amount": "1.00"}"#.utf8))) {
      _ = try Fixture.read(Fixture.bytes(#"{"customer": "a", "tmie": "2026-01-01", "amount": "1.00"}"# + "\n", name: "h.jsonl"),
                           HistoryReadOptions(strict: true))
    }
  }

  @Test func aCustomerRowWithAnUnknownKeyIsRejectedAndAttributesAreExplicit() throws {
    let table = try CustomerTable.read(Fixture.bytes("""
      {"customer": "a", "birthday": "1990-03-15", "segment": "student", "attributes": {"home_store": "downtown"}}
      {"customer": "b", "birthdy": "1990-03-15"}
      {"customer": "c", "home_store": "uptown"}
      {"customer": "d", "attributes": {"home_store": 3}}
      {"customer": "e", "segment": true}

      """, name: "c.jsonl"), format: nil, columns: ColumnMap(), strict: false)
    #expect(table.customers.keys.sorted() == ["a"])
    let a = table.customer("a")
    #expect(a.birthday == Fixture.date("1990-03-15"))
    #expect(a.segment == "student")
    #expect(a.attributes == ["home_store": "downtown"])
    #expect(table.counts.rejected == 4)
    #expect(table.badRows.map(\.description) == [
      "c.jsonl:2: unknown key `birthdy` in a customer row; did you mean `birthday`?",
      "c.jsonl:3: unknown key `home_store` in a customer row; the keys are `customer`, `birthday`, `signup_date`, `segment`, "
        + "`referred_by`, `timezone`, `attributes`",
      "c.jsonl:4: attribute `home_store` must be a string",
      "c.jsonl:5: `segment` must be a string",
    ])
  }
}
