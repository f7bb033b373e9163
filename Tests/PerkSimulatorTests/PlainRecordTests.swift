import Foundation
import Perk
import PerkRuntime
import Testing
@testable import PerkSimulator

/// The fast path of reading a history (`HistoryFormat.splitPlain`, `PlainRowReader`) reads the
/// same rows, rejects the same rows with the same messages and encodes the same partition bytes
/// as the general path (`HistoryFormat.split`, `HistoryReader.parseFields`), on inputs chosen to
/// send records one way or the other.
@Suite struct PlainRecordTests {
  /// What a read gave: each row as a string, its encoded bytes, the rejected rows and counts.
  struct Read: Equatable {
    var rows: [HistoryRow] = []
    var encoded: [UInt8] = []
    var bad: [String] = []
    var rawBad: [[UInt8]] = []
    var counts = ReadCounts()
  }

  struct ReadFailure: Error, Equatable {
    var message: String
  }

  static func read(_ source: InputSource, plain: Bool, options: HistoryReadOptions = HistoryReadOptions()) -> Result<Read, ReadFailure> {
    let program = Fixture.program()
    let reader = HistoryReader(source: source, options: options, currency: program.currency, zone: program.timeZone,
                               readsPlainRecords: plain)
    var read = Read()
    do {
      read.counts = try reader.readParsed(row: { parsed in
        read.rows.append(HistoryRow(parsed))
        RowCodec.encode(parsed, into: &read.encoded)
      }, bad: { bad in
        read.bad.append(bad.description)
        read.rawBad.append(bad.raw)
      })
    } catch {
      return .failure(ReadFailure(message: "\(error)"))
    }
    return .success(read)
  }

  /// Both paths on `text`, which must agree; the fast path's result.
  @discardableResult
  static func bothWays(_ text: String, name: String = "<test>", options: HistoryReadOptions = HistoryReadOptions(),
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Result<Read, ReadFailure> {
    let fast = read(Fixture.bytes(text, name: name), plain: true, options: options)
    let general = read(Fixture.bytes(text, name: name), plain: false, options: options)
    #expect(fast == general, "\(text.debugDescription)", sourceLocation: sourceLocation)
    return fast
  }

  static let header = "customer,txn,time,sku,category,qty,unit_price,type,orig_txn\n"

  static func instant(_ date: String, _ second: Int64) -> Instant {
    Fixture.program().timeZone.instant(of: LocalDate(iso: date)!, secondOfDay: second)
  }

  @Test func plainAndTrickyRowsGiveTheGeneralPathsRowsAndErrors() throws {
    let text = "\u{FEFF}" + Self.header
      + "c1,t1,2026-01-05T10:00:00,latte,coffee,2,4.50,purchase,\r\n"  // CRLF
      + "\n"  // blank
      + "   \n"  // blank with spaces
      + "c1,t1,2026-01-05T10:00:00,\"la,tte\",coffee,1,4.50,purchase,\n"  // quoted
      + "c2,t2,2026-01-06 08:30:15,scone,food, 3 ,2.00,,\n"  // spaces around a field, no type
      + "c2,t3,2026-01-06T08:30,scone,food,-1,2.00,PURCHASE,t2\n"  // a negative quantity: a return
      + "c3,t4,2026-01-07,muffin,food,1,2.00,purchase\n"  // a field missing
      + "c3,t5,2026-01-07,muffin,food,1,2.00,purchase,,\n"  // a trailing comma: one field too many
      + "c3,t6,2026-01-07,muffin,food,x,2.00,purchase,\n"  // a bad quantity
      + "c3,t7,2026-01-07,muffin,food,1,2.0.0,purchase,\n"  // a bad amount
      + "c3,t8,2026-02-30T10:00:00,muffin,food,1,2.00,purchase,\n"  // a bad time
      + "c3,t9,2026-01-07T25:00:00,muffin,food,1,2.00,purchase,\n"  // a bad hour
      + ",t10,2026-01-07,muffin,food,1,2.00,purchase,\n"  // no customer
      + "c4,t11,2026-01-08,muffin,food,0,2.00,purchase,\n"  // quantity 0
      + "c4,t12,2026-01-08,muffin,food,1,2.00,return,\n"  // a return without orig_txn
      + "c4,t13,2026-01-08,,,1,,redeem,\n"  // a redemption without a reward
      + "c4,t14,2026-01-08,muffin,food,1,$2.50,sale,\n"  // an amount with a marker: the general way
      + "c\u{E9},t15,2026-01-08,muffin,food,1,2.00,purchase,\n"  // non-ASCII
      + "c5,t16,2026-01-08T09:00:00,muffin,food,1,2.00,purchase,\r\n"
      + "c5,t16,2026-01-08T09:00:00\r,muffin,food,1,2.00,purchase,\n"  // a carriage return inside
      + "c5,t17,2026-01-08T09:00:00,muffin,food,1,2.00,review written,\n"  // a custom event
      + "c6,t18,2026-01-09T09:00:00,muffin,food\t,1,2.00,purchase,\n"  // a tab to trim
      + "c6,\"t19\ncontinued\",2026-01-09T09:00:00,muffin,food,1,2.00,purchase,\n"  // a quoted line break
      + "c7,t20,2026-01-10T09:00:00,\(String(repeating: "x", count: 3000)),food,1,2.00,purchase,\n"  // a long line
      + "c7,t21,2026-01-10T09:00:00,muffin,food,9223372036854775807,2.00,purchase,\n"  // too large a total
    let read = try Self.bothWays(text).get()
    #expect(read.rows.map(\.customer) == ["c1", "c1", "c2", "c2", "c4", "c\u{E9}", "c5", "c5", "c5", "c6", "c6", "c7"])
    #expect(read.rows.map(\.seq) == [2, 5, 6, 7, 18, 19, 20, 21, 22, 23, 24, 26])
    #expect(read.rows[0] == HistoryRow(customer: "c1", txn: "t1", time: Self.instant("2026-01-05", 36_000), seq: 2, kind: .purchase,
                                       sku: "latte", category: "coffee", quantity: 2, unitMinor: 450, totalMinor: 900))
    #expect(read.rows[1].sku == "la,tte")
    #expect(read.rows[2] == HistoryRow(customer: "c2", txn: "t2", time: Self.instant("2026-01-06", 30_615), seq: 6, kind: .purchase,
                                       sku: "scone", category: "food", quantity: 3, unitMinor: 200, totalMinor: 600))
    #expect(read.rows[3] == HistoryRow(customer: "c2", txn: "t3", time: Self.instant("2026-01-06", 30_600), seq: 7, kind: .return,
                                       sku: "scone", category: "food", quantity: 1, unitMinor: 200, totalMinor: 200, originalTxn: "t2"))
    #expect(read.rows[4].totalMinor == 250 && read.rows[4].kind == .purchase)
    #expect(read.rows[7].time == Self.instant("2026-01-08", 32_400))
    #expect(read.rows[8].kind == .custom && read.rows[8].name == "review written" && read.rows[8].sku == "")
    #expect(read.rows[9].category == "food")
    #expect(read.rows[10].txn == "t19\ncontinued")
    #expect(read.rows[11].sku.utf8.count == 3000)
    #expect(read.bad == [
      "<test>:8: 8 fields, but the header has 9",
      "<test>:9: 10 fields, but the header has 9: a value holding a comma must be quoted (`\"4,50\"`), or it becomes two fields",
      "<test>:10: quantity `x` is not a whole number",
      "<test>:11: unit price `2.0.0` is not an amount in USD: " + Self.explanation("2.0.0"),
      "<test>:12: time `2026-02-30T10:00:00` does not match " + TimeFormat.describe(.auto),
      "<test>:13: time `2026-01-07T25:00:00` does not match " + TimeFormat.describe(.auto),
      "<test>:14: missing `customer`",
      "<test>:15: quantity is 0",
      "<test>:16: a return needs `orig_txn` (the purchase it reverses)",
      "<test>:17: a `redeem` row needs a `reward`",
      "<test>:27: 9223372036854775807 × 2.00 is too large",
    ])
    #expect(read.rawBad.first == Array("c3,t4,2026-01-07,muffin,food,1,2.00,purchase".utf8))
    #expect(read.counts == ReadCounts(read: 23, rejected: 11, sawHeader: true))
  }

  static func explanation(_ text: String) -> String {
    let program = Fixture.program()
    guard case .failure(let problem) = MoneyText.parse(text, currency: program.currency, mark: .point) else { return "" }
    return problem.explanation(text, currency: program.currency, mark: .point)
  }

  @Test func otherLayoutsAndOptionsAgree() {
    let rows = "c1\tt1\t2026-01-05T10:00:00\tlatte\tcoffee\t2\t4.50\tpurchase\t\n"
      + "c1\tt2\t 2026-01-05T10:00:00 \tlatte\tcoffee\t1\t4,50\t\t\n"
      + "c2\tt3\t20260105\tlatte\tcoffee\t1\t4.50\tpurchase\t\n"
    Self.bothWays(Self.header.replacingOccurrences(of: ",", with: "\t") + rows, name: "h.tsv")
    Self.bothWays(Self.header.replacingOccurrences(of: ",", with: ";") + rows.replacingOccurrences(of: "\t", with: ";"), name: "h.csv",
                  options: HistoryReadOptions(decimalMark: .comma))
    Self.bothWays(Self.header + rows.replacingOccurrences(of: "\t", with: ","),
                  options: HistoryReadOptions(timeFormat: TimeFormat("yyyyMMdd")!))
    Self.bothWays(Self.header + rows.replacingOccurrences(of: "\t", with: ","), options: HistoryReadOptions(strict: true))
    Self.bothWays("id,when,price,cat\nc1,2026-01-05T10:00:00,4.50,coffee\nc2,2026-01-05,abc,tea\n",
                  options: HistoryReadOptions(columns: ColumnMap(renames: ["customer": "id", "time": "when", "unit_price": "price",
                                                                           "category": "cat"])))
    Self.bothWays("customer time amount\nc1 2026-01-05 4.50\nc2  2026-01-06  3.00\n", name: "w.txt")
    Self.bothWays("{\"customer\":\"j1\",\"time\":\"2026-03-01T10:00:00\",\"qty\":1,\"unit_price\":4.5}\n", name: "j.jsonl")
  }

  /// A file read in chunks of 4 MB has lines that start in one chunk and end in the next.
  @Test func rowsAcrossReadChunksAgree() throws {
    var text = Self.header
    var k = 0
    while text.utf8.count < (4 << 20) + 200_000 {
      text += "c\(k % 997),t\(k),2026-0\(1 + k % 9)-1\(k % 10)T1\(k % 10):0\(k % 10):00,sku\(k % 13),cat,\(1 + k % 4),\(k % 50).99,"
        + (k % 11 == 0 ? "return,t\(k - 1)" : "purchase,") + (k % 7 == 0 ? "\r\n" : "\n")
      k += 1
    }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("perk-plain-\(UUID().uuidString).csv").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    let fast = try Self.read(.file(path), plain: true).get()
    let general = try Self.read(.file(path), plain: false).get()
    #expect(fast == general)
    #expect(fast.rows.count == k && fast.bad.isEmpty)
    #expect(try Self.read(Fixture.bytes(text, name: path), plain: true).get() == fast)
  }

  /// `splitPlain` splits as `split` does whenever it splits at all, and declines exactly the
  /// records with a quote, a carriage return or a byte beyond ASCII.
  @Test func plainSplittingAgreesWithTheGeneralSplit() {
    var generator = SplitMix64(seed: 23)
    let alphabet: [UInt8] = Array("ab,,;\t\t  \"\r9-".utf8) + [0xC3, 0xA9]
    for format in [HistoryFormat.csv, .semicolon, .tsv] {
      for _ in 0..<3000 {
        let length = Int(generator.next() % 60)
        let line = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
        let capacity = Int(generator.next() % 12) + 1
        line.withUnsafeBufferPointer { buffer in
          var fields: [Range<Int>] = []
          var unquoted: [[UInt8]] = []
          let problem = HistoryFormat.split(buffer, format: format, into: &fields, unquoted: &unquoted)
          let fast = [Range<Int>](unsafeUninitializedCapacity: capacity) { out, count in
            count = HistoryFormat.splitPlain(buffer, format: format, into: out.baseAddress!, capacity: capacity)?.fields ?? 0
          }
          let quote: UInt8 = format == .tsv ? 13 : 34
          let excluded = line.contains { $0 >= 0x80 || $0 == 13 || $0 == quote }
          if line.isEmpty || excluded || fields.count > capacity {
            #expect(fast.isEmpty, "\(line) as \(format)")
          } else {
            #expect(problem == nil && unquoted.isEmpty && fast == fields, "\(line) as \(format)")
            if let split = HistoryFormat.splitPlain(buffer, format: format, into: .allocate(capacity: 0), capacity: 0) {
              Issue.record("no room, yet \(split)")
            }
          }
          #if arch(x86_64)
          if line.count >= 16, let base = buffer.baseAddress {
            let separator: UInt8 = format == .tsv ? 9 : format.separator
            let byWords = [Range<Int>](unsafeUninitializedCapacity: capacity) { out, count in
              count = HistoryFormat.splitPlainBy8(base, count: line.count, separator: separator, quote: quote, into: out.baseAddress!,
                                                  capacity: capacity) ?? 0
            }
            let by16 = HistoryFormat.splitPlainBy16(base, count: line.count, separator: separator, quote: quote,
                                                    into: .allocate(capacity: capacity), capacity: capacity)
            #expect(byWords == fast, "\(line) as \(format)")
            if let by16 {
              let hasSpace = line.contains(32) || (format != .tsv && line.contains(9))
              #expect(by16.spaced == hasSpace, "\(line) as \(format)")
            }
          }
          #endif
        }
      }
    }
  }

  /// Times of the usual shape, read eight bytes at a time, against the general reading.
  @Test func timesWithSecondsAgreeWithTheGeneralReading() {
    let zone = ProgramTimeZone(identifier: "America/New_York")!
    var clock = WallClock()
    var texts = ["2026-01-05T10:00:00", "2026-01-05 23:59:59", "2026-01-05t00:00:00", "2024-02-29T12:00:00", "2026-03-08T02:30:00",
                 "2026-11-01T01:30:00", "1900-01-01T00:00:00", "2200-12-31T23:59:60"]
    let good = Array("2026-07-14T08:09:10".utf8)
    for position in good.indices {
      for byte: UInt8 in [47, 48, 57, 58, 45, 32, 84, 0xC3, 13] where byte != good[position] {
        var bad = good
        bad[position] = byte
        texts.append(String(decoding: bad, as: UTF8.self))
      }
    }
    texts += ["2026-07-14T24:00:00", "2026-07-14T23:60:00", "2026-07-14T23:59:61", "2026-13-14T08:09:10", "2026-00-14T08:09:10",
              "2026-04-31T08:09:10", "1899-12-31T23:59:59", "2201-01-01T00:00:00"]
    for (k, text) in texts.enumerated() {
      let fast = Array(text.utf8).withUnsafeBufferPointer { TimeFormat.localISO($0, zone: zone, clock: &clock) }
      let general = Array(text.utf8).withUnsafeBufferPointer { TimeFormat.iso($0, zone: zone) }
      // The first eight have the usual shape and a readable year; the others are the general
      // way's to read or refuse (`08:09-10` is 08:09 at an offset of -10 hours).
      #expect(k >= 8 || fast != nil, "`\(text)`")
      if let fast { #expect(fast == general, "`\(text)`") }
      #expect(Array(text.utf8).withUnsafeBufferPointer { TimeFormat.auto.read($0, zone: zone, clock: &clock) }
        == TimeFormat.auto.read(text, zone: zone), "`\(text)`")
    }
  }

  /// Amounts read in one pass by the fast path, against `MoneyText.parse`, for currencies of 0
  /// to 4 decimals and both decimal marks.
  @Test func amountsAgreeWithTheGeneralReading() {
    var generator = SplitMix64(seed: 5)
    let alphabet = Array("0123456789.,.,-$ 9".utf8)
    var texts = ["11.99", "12", "0.5", "4,50", "4.500", "1,234.50", "999999999999999", "9999999999999999", "123456789012345.99",
                 "-3.00", "$4.50", "4.", ".5", "", "00012.30", "1.2.3"]
    for _ in 0..<5000 {
      texts.append(String(decoding: (0..<Int(generator.next() % 10)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] },
                          as: UTF8.self))
    }
    let layout = HistoryReader.Layout()
    for currency in [Currency(code: "JPY", symbol: "¥", minorDigits: 0), Currency(code: "USD", symbol: "$", minorDigits: 2),
                     Currency(code: "BHD", symbol: "BD", minorDigits: 3), Currency(code: "XTS", symbol: "¤", minorDigits: 4)] {
      for mark in [DecimalMark.point, .comma] {
        let reader = PlainRowReader(layout: layout, options: HistoryReadOptions(decimalMark: mark), currency: currency,
                                    zone: Fixture.program().timeZone)
        for text in texts {
          let general = try? MoneyText.parse(text, currency: currency, mark: mark).get()
          #expect(Array(text.utf8).withUnsafeBufferPointer(reader.amount) == general, "`\(text)` in \(currency.code), \(mark)")
        }
      }
    }
  }
}
