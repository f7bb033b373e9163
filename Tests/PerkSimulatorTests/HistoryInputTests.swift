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

  @Test func aRowWithMoreFieldsThanTheHeaderIsRejectedNotShifted() throws {
    // Unquoted, `4,50` is two fields: the amount 4 and, under `type`, a custom event named `50`.
    let text = "customer,time,amount,type\na,2026-01-01,4,50,\na,2026-01-02,3.00,\na,2026-01-03,3.00\n"
    let (rows, bad, counts) = try Fixture.read(Fixture.bytes(text))
    #expect(rows.map(\.totalMinor) == [300])
    #expect(rows.map(\.kind) == [.purchase])
    #expect(counts.read == 3)
    #expect(bad.map(\.description) == [
      "<test>:2: 5 fields, but the header has 4: a value holding a comma must be quoted (`\"4,50\"`), or it becomes two fields",
      "<test>:4: 3 fields, but the header has 4",
    ])
    #expect(bad.map { String(decoding: $0.raw, as: UTF8.self) } == ["a,2026-01-01,4,50,", "a,2026-01-03,3.00"])
  }

  @Test func tsvAndWhitespaceRowsMustMatchTheHeaderToo() throws {
    let tsv = try Fixture.read(Fixture.bytes("customer\ttime\tamount\na\t2026-01-01\t4.50\tx\n", name: "h.tsv"))
    #expect(tsv.1.map(\.reason) == ["4 fields, but the header has 3: a value holding a tab becomes two fields"])
    let spaced = try Fixture.read(Fixture.bytes("customer time amount\na b 2026-01-01 4.50\n", name: "h.txt"))
    #expect(spaced.1.map(\.reason) == ["4 fields, but the header has 3: a value holding a space becomes two fields (or use CSV or TSV)"])
  }

  @Test func quotedLineBreaksStayInOneRecord() throws {
    let text = "customer,time,sku,amount\na,2026-01-01,\"latte\nwith \"\"oat\"\"\n milk\",4.50\n\nb,2026-01-02,x,\nc,2026-01-03,\"tea\",2.00\n"
    let (rows, bad, counts) = try Fixture.read(Fixture.bytes(text))
    #expect(counts.read == 3)
    #expect(rows.map(\.customer) == ["a", "c"])
    #expect(rows[0].sku == "latte\nwith \"oat\"\n milk")
    #expect(rows[0].seq == 2)
    // Rejected rows are named by their physical line.
    #expect(bad.map(\.line) == [6])
    #expect(rows[1].seq == 7)
  }

  @Test func aQuoteThatNeverClosesCostsOneRow() throws {
    let text = "customer,time,sku,amount\na,2026-01-01,\"latte,4.50\nb,2026-01-02,tea,2.00\nc,2026-01-03,tea,2.00\n"
    let (rows, bad, counts) = try Fixture.read(Fixture.bytes(text))
    #expect(rows.map(\.customer) == ["b", "c"])
    #expect(rows.map(\.seq) == [3, 4])
    #expect(counts.read == 3)
    #expect(bad.map(\.description) == ["<test>:2: a quoted field opens here and does not close (no closing quote before the end of the file); "
      + "a quote inside a value is written `\"\"`"])
    #expect(bad[0].raw == Array("a,2026-01-01,\"latte,4.50".utf8))
  }

  @Test func aQuoteOpenForTooManyLinesIsGivenUp() throws {
    var text = "customer,time,amount\na,\"2026-01-01,1.00\n"
    for k in 0..<RecordReader.maxRecordLines { text += "c\(k),2026-01-02,2.00\n" }
    text += "z,2026-01-03,3.00\"\n"
    let (rows, bad, counts) = try Fixture.read(Fixture.bytes(text))
    #expect(rows.count == RecordReader.maxRecordLines)
    #expect(bad.map(\.line) == [2, Int64(RecordReader.maxRecordLines) + 3])
    #expect(bad[0].reason.hasPrefix("a quoted field opens here and does not close (no closing quote in the next \(RecordReader.maxRecordLines - 1) lines)"))
    #expect(counts.read == Int64(RecordReader.maxRecordLines) + 2)
  }

  @Test func customersFilesReadRecordsTheSameWay() throws {
    let text = "customer,segment,note\na,student,\"two\nlines\"\nb,staff,x,y\nc,staff,ok\n"
    let table = try CustomerTable.read(Fixture.bytes(text), format: nil, columns: ColumnMap(), strict: false)
    #expect(table.customer("a").segment == "student")
    #expect(table.customer("a").attributes == ["note": "two\nlines"])
    #expect(table.customer("c").segment == "staff")
    #expect(table.customers["b"] == nil)
    #expect(table.badRows.map(\.description) == ["<test>:4: 4 fields, but the header has 3: a value holding a comma must be quoted (`\"4,50\"`), or it becomes two fields"])
    #expect(table.counts.read == 3)
  }
}
