import Foundation
import Perk
import Testing
@testable import PerkSimulator

@Suite struct HistoryReaderTests {
  @Test func csvWithQuotesBadRowsAndLineNumbers() throws {
    let (rows, bad, counts) = try Fixture.read(.file(Fixture.path("small.csv")))
    #expect(counts.read == 9)
    #expect(counts.rejected == 2)
    #expect(bad.map(\.description) == [
      "\(Fixture.path("small.csv")):8: time `not a date` does not match ISO 8601 (`2026-11-24`, `2026-11-24T08:30:00`, `2026-11-24T08:30:00-05:00`); use `--time-format` for other forms",
      "\(Fixture.path("small.csv")):9: unit price `abc` is not an amount in USD: write digits with `.` before the decimals, such as `4.50`, optionally with `$` or `USD`",
    ])
    #expect(rows.map(\.customer) == ["b", "a", "a", "a", "b", "a", "a"])
    let beans = rows[3]
    #expect(beans.unitMinor == 120_000)
    #expect(beans.seq == 5)
    let ret = rows[5]
    #expect(ret.kind == .return)
    #expect(ret.quantity == 1)
    #expect(ret.originalTxn == "t2")
    // A date without a time is midnight in the program's zone (America/New_York, UTC−5 in March).
    #expect(rows[4].time.secondsSince1970 == LocalDate(iso: "2026-03-03")!.dayNumber * 86_400 + 5 * 3600)
    // An explicit offset is honoured; no offset is New York wall time.
    #expect(rows[1].time.secondsSince1970 == LocalDate(iso: "2026-01-05")!.dayNumber * 86_400 + 13 * 3600)
  }

  /// Fields are read from their bytes when they are plain ASCII and as text otherwise; both
  /// trim what `trimmingSpaces` trims (spaces, tabs, a carriage return) and nothing more: a
  /// space before a combining mark belongs to the mark's character and stays, types are matched
  /// whatever their case, and the rejected rows quote their fields as written.
  @Test func fieldsReadAsBytesOrTextGiveTheSameRows() throws {
    let text = "customer,txn,time,sku,category,qty,unit_price,type,orig_txn\n"
      + " a ,t1, 2026-01-05T10:00:00 ,latte,coffee, 2 , 4.50 ,PURCHASE,\n"  // line 2: spaces around every field
      + "a,\"t2\",2026-01-06,\"la,tte\",coffee,\"3\",\"$4.50\",Sale,\n"  // line 3: quoted fields take the text
      + "b\u{E9},t3,2026-01-07,caf\u{E9},tea,1,4.50 ,ReFuNd,t1\n"  // line 4: non-ASCII fields take the text
      + "b,t4,2026-01-07,x,pastry,\u{20}\u{301}1,3.00,,\n"  // line 5: the space stays with the combining mark
      + "b,t5,2026-01-07\r,x,pastry,1,3.00,Sign Up,\n"  // line 6: a carriage return inside the line is trimmed
      + "c,t6,2026-01-08,x,pastry,1,3.00,REDEMPTION ,\n"  // line 7: a redemption needs a reward
      + "c,t7,2026-01-08,x,pastry,1,3.00,a custom Event,\n"  // line 8: a custom event keeps its name as written
      + "c,t8,2026-01-08,x,pastry,1, \u{20AC}3.00,,\n"  // line 9: another currency's symbol
    let (rows, bad, counts) = try Fixture.read(Fixture.bytes(text))
    #expect(counts.read == 8)
    #expect(bad.map(\.description) == [
      "<test>:5: quantity ` \u{301}1` is not a whole number",
      "<test>:7: a `redeem` row needs a `reward`",
      "<test>:9: unit price `\u{20AC}3.00` is not an amount in USD: write digits with `.` before the decimals, such as `4.50`, optionally with `$` or `USD`",
    ])
    #expect(rows.map(\.customer) == ["a", "a", "b\u{E9}", "b", "c"])
    #expect(rows.map(\.kind) == [.purchase, .purchase, .return, .signup, .custom])
    #expect(rows[0].txn == "t1")
    #expect(rows[0].quantity == 2)
    #expect(rows[0].totalMinor == 900)
    #expect(rows[0].time.secondsSince1970 == LocalDate(iso: "2026-01-05")!.dayNumber * 86_400 + 15 * 3600)
    #expect(rows[1].sku == "la,tte")
    #expect(rows[1].totalMinor == 1_350)
    #expect(rows[2].sku == "caf\u{E9}")
    #expect(rows[2].unitMinor == 450)
    #expect(rows[2].originalTxn == "t1")
    #expect(rows[3].time.secondsSince1970 == LocalDate(iso: "2026-01-07")!.dayNumber * 86_400 + 5 * 3600)
    #expect(rows[4].name == "a custom Event")
  }

  @Test func strictStopsAtTheFirstBadRow() throws {
    #expect(throws: BadRow(path: "<test>", line: 3, reason: "quantity `x` is not a whole number", raw: Array("a,2026-01-02,x,2.00".utf8))) {
      _ = try Fixture.read(Fixture.bytes("customer,time,qty,amount\na,2026-01-01,1,2.00\na,2026-01-02,x,2.00\na,2026-01-03,1,2.00\n"),
                           HistoryReadOptions(strict: true))
    }
  }

  @Test func tsvWhitespaceAndJSONLines() throws {
    let tsv = try Fixture.read(Fixture.bytes("customer\ttime\tsku\tqty\tunit_price\na\t2026-01-01T10:00:00Z\tlatte\t2\t4.50\n", name: "h.tsv"))
    #expect(tsv.0.count == 1)
    #expect(tsv.0[0].totalMinor == 900)
    #expect(tsv.0[0].time.secondsSince1970 == LocalDate(iso: "2026-01-01")!.dayNumber * 86_400 + 36_000)
    let spaced = try Fixture.read(Fixture.bytes(" customer   time   qty  amount\n 00001 2026-01-01  1   11.77\n"))
    #expect(spaced.0.map(\.customer) == ["00001"])
    #expect(spaced.0[0].totalMinor == 1177)
    let jsonl = try Fixture.read(Fixture.bytes("""
      {"customer": "a", "time": "2026-01-01T10:00:00-05:00", "sku": "latte", "category": "coffee", "qty": 1, "unit_price": "4.50"}
      {"customer": "a", "time": "2026-01-02", "type": "redeem", "reward": "free drink"}
      {"customer": "a", "time": "2026-01-03", "type": "review written"}
      not json

      """, name: "h.jsonl"))
    #expect(jsonl.0.map(\.kind) == [.purchase, .redeem, .custom])
    #expect(jsonl.0[0].unitMinor == 450)
    #expect(jsonl.0[1].name == "free drink")
    #expect(jsonl.0[2].name == "review written")
    #expect(jsonl.1.count == 1)
    #expect(jsonl.1[0].line == 4)
  }

  @Test func mapAndTimeFormatReadCDNOW() throws {
    let text = " customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n 00002 19970112  5   77.00\n 00003 19971301  1   1.00\n"
    var options = HistoryReadOptions()
    options.columns = try ColumnMap(parsing: "customer=customer_id,time=date,qty=number_of_cds,amount=dollar_value")
    options.timeFormat = TimeFormat("yyyyMMdd")!
    let (rows, bad, _) = try Fixture.read(Fixture.bytes(text), options)
    #expect(rows.map(\.customer) == ["00001", "00002"])
    #expect(rows[1].quantity == 5)
    #expect(rows[1].totalMinor == 7700)
    #expect(rows[1].lines(currency: Fixture.program().currency).map(\.unitPrice.minorUnits) == [1540])
    #expect(bad.map(\.reason) == ["time `19971301` does not match `--time-format yyyyMMdd`"])
  }

  @Test func mapErrorsNameTheColumn() throws {
    #expect(throws: SimulationInputError.self) { _ = try ColumnMap(parsing: "custmer=id") }
    #expect(throws: SimulationInputError("<test>:1: `--map customer=id`: the header has no column `id` (it has `customer`, `time`, `amount`)")) {
      var options = HistoryReadOptions()
      options.columns = try ColumnMap(parsing: "customer=id")
      _ = try Fixture.read(Fixture.bytes("customer,time,amount\n"), options)
    }
  }

  @Test func amountsThatDoNotDivideKeepTotalAndUnits() {
    let row = HistoryRow(customer: "a", txn: "", time: Instant(secondsSince1970: 0), seq: 1, kind: .purchase, sku: "x", quantity: 3, totalMinor: 1000)
    let lines = row.lines(currency: Currency.named("USD")!)
    #expect(lines.map(\.quantity) == [2, 1])
    #expect(lines.map(\.unitPrice.minorUnits) == [333, 334])
  }

  @Test func quantityAndTimeParsing() {
    func integer(_ s: String) -> Int64? {
      var b = Array(s.utf8)
      return b.withUnsafeMutableBufferPointer { ByteNumbers.integer(UnsafeBufferPointer($0)) }
    }
    #expect(integer("-2") == -2)
    #expect(integer("3.0") == nil)
    #expect(integer("99999999999999999999") == nil)
    let zone = ProgramTimeZone(identifier: "America/New_York")!
    #expect(TimeFormat("dd/MM/yyyy HH:mm")!.parse("24/11/2026 08:30", zone: zone)?.secondsSince1970
      == LocalDate(iso: "2026-11-24")!.dayNumber * 86_400 + 13 * 3600 + 30 * 60)
    #expect(TimeFormat("unix")!.parse("1767225600", zone: zone)?.secondsSince1970 == 1_767_225_600)
    #expect(TimeFormat.auto.parse("2026-11-24T08:30:00.250+01:00", zone: zone)?.secondsSince1970
      == LocalDate(iso: "2026-11-24")!.dayNumber * 86_400 + 7 * 3600 + 30 * 60)
    #expect(TimeFormat.auto.parse("2026-02-30", zone: zone) == nil)
    #expect(TimeFormat("MM-yyyy") == nil)
  }

  @Test func customersFile() throws {
    let table = try CustomerTable.read(Fixture.bytes("customer,birthday,signup_date,segment,store_club\na,1990-03-15,2026-01-02,student,yes\nb,1990-02-30,,,\n"),
                                       format: nil, columns: ColumnMap(), strict: false)
    let a = table.customer("a")
    #expect(a.birthday == Fixture.date("1990-03-15"))
    #expect(a.signupDate == Fixture.date("2026-01-02"))
    #expect(a.segment == "student")
    #expect(a.attributes == ["store_club": "yes"])
    #expect(table.badRows.map(\.description) == ["<test>:3: `birthday` `1990-02-30` is not a date (yyyy-MM-dd)"])
  }
}
