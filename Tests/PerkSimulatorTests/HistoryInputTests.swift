import Foundation
import Perk
import PerkTestSupport
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

  @Test func yearsOutsideTheReadableRangeAreLocatedErrors() throws {
    let text = "customer,time,amount\na,0000-12-31,1.00\na,1899-12-31T23:00,1.00\na,2201-01-01,1.00\na,1900-01-01,1.00\na,2200-12-31,1.00\n"
    let (rows, bad, _) = try Fixture.read(Fixture.bytes(text))
    #expect(rows.count == 2)
    #expect(bad.map(\.description) == [
      "<test>:2: time `0000-12-31` is outside the years 1900–2200",
      "<test>:3: time `1899-12-31T23:00` is outside the years 1900–2200",
      "<test>:4: time `2201-01-01` is outside the years 1900–2200",
    ])
    var pattern = HistoryReadOptions()
    pattern.timeFormat = TimeFormat("dd/MM/yyyy")!
    let patterned = try Fixture.read(Fixture.bytes("customer,time,amount\na,31/12/0026,1.00\na,31/13/2026,1.00\n"), pattern)
    #expect(patterned.1.map(\.reason) == ["time `31/12/0026` is outside the years 1900–2200", "time `31/13/2026` does not match `--time-format dd/MM/yyyy`"])
    var unix = HistoryReadOptions()
    unix.timeFormat = .unix
    let epoch = try Fixture.read(Fixture.bytes("customer,time,amount\na,0,1.00\na,999999999999,1.00\n"), unix)
    #expect(epoch.0.count == 1)
    #expect(epoch.1.map(\.reason) == ["time `999999999999` is outside the years 1900–2200"])
  }

  @Test func customerDatesHaveReadableYears() throws {
    let table = try CustomerTable.read(Fixture.bytes("customer,birthday\na,0001-01-01\nb,1990-01-01\n"), format: nil, columns: ColumnMap(), strict: false)
    #expect(table.badRows.map(\.description) == ["<test>:2: `birthday` `0001-01-01` is outside the years 1900–2200"])
    #expect(table.customer("b").birthday == Fixture.date("1990-01-01"))
  }

  @Test func anEmptyOrHeaderOnlyHistoryIsAnError() throws {
    #expect(throws: SimulationInputError("h.csv: the history is empty; there is nothing to simulate")) {
      _ = try Fixture.simulate(Fixture.bytes("", name: "h.csv"))
    }
    #expect(throws: SimulationInputError("h.csv: the history is empty; there is nothing to simulate")) {
      _ = try Fixture.simulate(Fixture.bytes("\n  \n", name: "h.csv"))
    }
    #expect(throws: SimulationInputError("h.csv: the history has a header but no rows; there is nothing to simulate")) {
      _ = try Fixture.simulate(Fixture.bytes("customer,time,amount\n", name: "h.csv"))
    }
    #expect(throws: SimulationInputError("h.csv: none of the history's 1 row can be used; the first rejected: h.csv:2: time `0000-01-01` is outside the years 1900–2200")) {
      _ = try Fixture.simulate(Fixture.bytes("customer,time,amount\na,0000-01-01,1.00\n", name: "h.csv"))
    }
  }

  /// Random CSV-like bytes: nothing traps, every record is a row or a rejection, and each
  /// rejection keeps its raw bytes.
  @Test func randomRecordsNeverTrapAndAreAllCounted() throws {
    var random = SeededGenerator(state: 18)
    let pieces: [[UInt8]] = ["a", "2026-01-01", "4.50", "\"4,50\"", ",", ",", "\"", "\"\"", "\n", "\r\n", " ", "1,234", "-", "\u{FEFF}"]
      .map { Array($0.utf8) } + [[0xFF], [0]]
    for _ in 0..<2_000 {
      var bytes = Array("customer,time,amount\n".utf8)
      for _ in 0..<Int.random(in: 0...40, using: &random) { bytes += pieces.randomElement(using: &random)! }
      var rows = 0
      var rejected: [BadRow] = []
      let reader = HistoryReader(source: .bytes(name: "r.csv", bytes), options: HistoryReadOptions(), currency: Fixture.program().currency,
                                 zone: Fixture.program().timeZone)
      let counts = try reader.read(row: { _ in rows += 1 }, bad: { rejected.append($0) })
      #expect(counts.read == Int64(rows) + counts.rejected)
      #expect(counts.rejected == Int64(rejected.count))
      #expect(rejected.allSatisfy { !$0.raw.isEmpty && $0.line >= 2 })
    }
  }

  @Test func controlCharactersFromTheFileAreShownEscaped() throws {
    let text = "customer,time,amount\na,\u{1B}[2J,1.00\nb,2026-01-01,\"4\n50\"\n"
    let (_, bad, _) = try Fixture.read(Fixture.bytes(text))
    #expect(bad.map(\.description) == [
      "<test>:2: time `\\u{1B}[2J` does not match ISO 8601 (`2026-11-24`, `2026-11-24T08:30:00`, `2026-11-24T08:30:00-05:00`); use `--time-format` for other forms",
      "<test>:3: amount `4\\n50` is not an amount in USD: write digits with `.` before the decimals, such as `4.50`, optionally with `$` or `USD`",
    ])
    // The rejects file keeps the bytes as they were.
    #expect(bad[0].raw == Array("a,\u{1B}[2J,1.00".utf8))
    #expect(throws: SimulationInputError("<test>:1: the header has no `time` column (it has `customer`, `\\u{202E}tim`); name it with `--map time=COLUMN`")) {
      _ = try Fixture.read(Fixture.bytes("customer,\u{202E}tim\n"))
    }
  }

  @Test func semicolonSeparatedExportsAreReadWithTheirDecimalComma() throws {
    let text = "customer;time;sku;qty;unit_price\na;2026-01-01;latte;2;4,50\nb;2026-01-02;\"beans;\n1 kg\";1;1.234,50\nc;2026-01-03;tea;1;2,00;x\n"
    #expect(HistoryFormat.detect(path: "export.csv", firstLine: Array("customer;time;amount".utf8)) == .semicolon)
    #expect(HistoryFormat.detect(path: "export.txt", firstLine: Array("customer;time;amount".utf8)) == .semicolon)
    #expect(HistoryFormat.detect(path: "export.csv", firstLine: Array("customer,time,note;x".utf8)) == .csv)
    let (rows, bad, counts) = try Fixture.read(Fixture.bytes(text, name: "export.csv"), HistoryReadOptions(decimalMark: .comma))
    #expect(rows.map(\.unitMinor) == [450, 123_450])
    #expect(rows[1].sku == "beans;\n1 kg")
    #expect(counts.read == 3)
    #expect(bad.map(\.description) == ["export.csv:5: 6 fields, but the header has 5: a value holding a semicolon must be quoted, or it becomes two fields"])
    // Without the option, the comma is refused, not read as grouping.
    let point = try Fixture.read(Fixture.bytes(text, name: "export.csv"))
    #expect(point.0.isEmpty)
    #expect(point.1.first?.reason.hasSuffix("read it with `--decimal-comma`") == true)
  }
}
