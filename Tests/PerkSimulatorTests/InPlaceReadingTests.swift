import Foundation
import Perk
import Testing
@testable import PerkSimulator

/// Pass one encodes rows from the file's bytes, and pass two groups customers and builds
/// events from the encoded bytes in place: the same bytes, customers and events as going
/// through strings, including where strings and bytes disagree (texts beyond ASCII that are
/// equal as strings), quoted fields, carriage returns and repeated texts.
@Suite struct InPlaceReadingTests {
  static let mixed = "customer,txn,time,sku,category,qty,unit_price,amount,type,orig_txn,reward,store,channel\r\n"
    + " a ,t1,2026-01-05T10:00:00,latte,coffee,2,4.50,,PURCHASE,,,Main Street flagship store,web\r\n"
    + "a,t1,2026-01-05T10:00:00,,,1,,10.00,,,,Main Street flagship store,web\r\n"  // no SKU: `item`; $10 for 1
    + "a,\"t\"\"2\",2026-01-06,\"la,tte\",\"coffee & more, long category\",3,,10.00,,,,,\r\n"  // quoted; $10 for 3
    + "b\u{E9},t3,2026-01-07,caf\u{E9},tea,-1,4.50,,,t1,,,\r\n"  // non-ASCII: a return
    + "b,t4,2026-01-07\r,x,pastry,1,3.00,,Sign Up,,,,\r\n"  // a carriage return inside the line
    + "c,t5,2026-01-08,,,1,,,redeem,,free \u{2615},,\r\n"
    + "c,t6,2026-01-08,,,,,,review written,,,,app\r\n"
    + "c,,2026-01-09,x,pastry,1,,3.00,,,,,\r\n"

  @Test func parsedRowsEncodeToTheBytesOfTheirStrings() throws {
    let program = Fixture.program()
    for (name, text) in [("mixed.csv", Self.mixed), ("mixed.jsonl", Self.jsonLines)] {
      let reader = HistoryReader(source: Fixture.bytes(text, name: name), options: HistoryReadOptions(), currency: program.currency,
                                 zone: program.timeZone)
      var rows: [HistoryRow] = []
      _ = try reader.readParsed(row: { parsed in
        var direct: [UInt8] = []
        RowCodec.encode(parsed, into: &direct)
        let row = HistoryRow(parsed)
        var viaStrings: [UInt8] = []
        RowCodec.encode(row, into: &viaStrings)
        #expect(direct == viaStrings, "line \(row.seq) of \(name)")
        rows.append(row)
      }, bad: { Issue.record("\($0)") })
      #expect(rows == (try Fixture.read(Fixture.bytes(text, name: name)).0))
      if name == "mixed.csv" {
        #expect(rows.map(\.customer) == ["a", "a", "a", "b\u{E9}", "b", "c", "c", "c"])
        #expect(rows.map(\.sku) == ["latte", "item", "la,tte", "caf\u{E9}", "", "", "", "x"])
        #expect(rows[2].txn == "t\"2")
        #expect(rows[2].category == "coffee & more, long category")
        #expect(rows[4].kind == .signup)
        #expect(rows[5].name == "free \u{2615}")
        #expect(rows[6].name == "review written")
        #expect(rows[6].channel == "app")
      }
    }
  }

  static let jsonLines = """
    {"customer":"j1","txn":"a1","time":"2026-03-01T10:00:00","sku":"latte","category":"coffee","qty":1,"unit_price":4.5}
    {"customer":"j\u{E9}","txn":"a1","time":"2026-03-01T10:00:00","category":"food","qty":"2","amount":"3.25","store":"s\u{E9}"}
    {"customer":"j3","time":"2026-03-03","type":"redeem","reward":"free coffee","qty":1}

    """

  /// Rows for the in-place event builder: baskets found by a scan and (past 16) by the index,
  /// transactions coming back out of order, the same transaction as a purchase, a return and
  /// a redemption, rows without a transaction, rows outside the period, long repeated texts.
  static func rows() -> [HistoryRow] {
    var generator = SplitMix64(seed: 17)
    var rows: [HistoryRow] = []
    var seq: Int64 = 1
    let stores = ["", "Main Street flagship store", "airport"]
    for customer in 0..<70 {
      let baskets = customer % 7 == 0 ? 45 : 1 + customer % 5
      for _ in 0..<(baskets * 3) {
        seq += 1
        let basket = Int(generator.below(UInt64(baskets)))
        let kind: RowKind = generator.chance(1, in: 8) ? .return : generator.chance(1, in: 12) ? .redeem : .purchase
        let day = Int64(basket % 28) + (generator.chance(1, in: 30) ? 400 : 0)
        let time = Instant(secondsSince1970: LocalDate(iso: "2026-02-01")!.dayNumber * 86_400 + day * 86_400 + 3600 * 15)
        let txn = generator.chance(1, in: 10) ? "" : "t\(basket)"
        let quantity = Int64(1 + generator.below(4))
        rows.append(HistoryRow(customer: "c\(customer % 3 == 0 ? "-long-customer-identifier-" : "")\(customer)", txn: txn, time: time,
                               seq: seq, kind: kind, sku: kind == .redeem ? "" : "sku-\(generator.below(4))-with-a-long-name",
                               category: kind == .redeem ? "" : "category \(generator.below(3))", quantity: kind == .redeem ? 0 : quantity,
                               unitMinor: generator.chance(1, in: 2) ? 125 : nil, totalMinor: 1_000, store: stores[Int(generator.below(3))],
                               channel: generator.chance(1, in: 2) ? "web" : "", originalTxn: kind == .return ? "t\(generator.below(5))" : "",
                               name: kind == .redeem ? "Free coffee" : ""))
      }
    }
    return rows
  }

  static func groups(_ rows: [HistoryRow]) throws -> CustomerGroups {
    var bytes: [UInt8] = []
    for row in rows { RowCodec.encode(row, into: &bytes) }
    return try CustomerGroups(encoded: bytes)
  }

  @Test func eventsBuiltInPlaceAreTheDecodedRowsEvents() throws {
    let program = Fixture.program()
    let groups = try Self.groups(Self.rows())
    #expect(groups.ids.count == 70)
    let start = program.timeZone.instant(of: LocalDate(iso: "2026-02-01")!, secondOfDay: 0)
    let end = program.timeZone.instant(of: LocalDate(iso: "2026-12-01")!, secondOfDay: 0)
    var strings = StringTable()
    var events = 0
    var outside: Int64 = 0
    for index in groups.ids.indices {
      let customer = Customer(id: groups.ids[index], signupDate: index % 4 == 0 ? LocalDate(iso: "2026-03-01") : nil)
      let inPlace = groups.events(of: index, profile: customer, program: program, start: start, end: end, strings: &strings)
      let decoded = EventBuilder.events(rows: groups.rows(of: index), customer: customer, program: program, start: start, end: end)
      #expect(inPlace.events == decoded.events, "customer \(groups.ids[index])")
      #expect(inPlace.outside == decoded.outside)
      events += inPlace.events.count
      outside += inPlace.outside
    }
    #expect(events == 1_081)
    #expect(outside == 51)
  }

  /// Texts beyond ASCII that differ in bytes but are equal as strings (`é` composed and
  /// decomposed) are one customer and one basket, as they were when rows were strings.
  @Test func textsEqualAsStringsAreMatchedAsStrings() throws {
    let program = Fixture.program()
    let day = LocalDate(iso: "2026-02-02")!.dayNumber * 86_400 + 15 * 3600
    let rows = [
      HistoryRow(customer: "caf\u{E9}", txn: "t\u{E9}", time: Instant(secondsSince1970: day), seq: 2, kind: .purchase, sku: "latte",
                 category: "coffee", quantity: 1, totalMinor: 450),
      HistoryRow(customer: "cafe\u{301}", txn: "te\u{301}", time: Instant(secondsSince1970: day), seq: 3, kind: .purchase, sku: "muffin",
                 category: "food", quantity: 2, totalMinor: 600),
      HistoryRow(customer: "plain", txn: "x", time: Instant(secondsSince1970: day), seq: 4, kind: .purchase, sku: "latte",
                 category: "coffee", quantity: 1, totalMinor: 450),
    ]
    let groups = try Self.groups(rows)
    #expect(groups.ids == ["caf\u{E9}", "plain"])
    var strings = StringTable()
    let start = program.timeZone.instant(of: LocalDate(iso: "2026-02-01")!, secondOfDay: 0)
    let end = program.timeZone.instant(of: LocalDate(iso: "2026-03-01")!, secondOfDay: 0)
    let built = groups.events(of: 0, profile: Customer(id: groups.ids[0]), program: program, start: start, end: end, strings: &strings)
    #expect(built.events.count == 1)
    #expect(built.events.first?.id == "t\u{E9}")
    #expect(built.events.first?.lines.map(\.sku) == ["latte", "muffin"])
  }

  /// Repeated texts are made once per chunk of customers: a run on several threads (chunks
  /// taken in any order) and partitions reports the same figures as one thread and partition.
  @Test func repeatedTextsGiveTheSameFiguresOnAnyThreadsAndPartitions() throws {
    var text = "customer,txn,time,sku,category,qty,unit_price,store\n"
    for customer in 0..<300 {
      for visit in 0..<3 {
        let sku = ["espresso", "flat white with oat milk and an extra shot", "croissant"][(customer + visit) % 3]
        let category = sku == "croissant" ? "pastry" : "coffee"
        text += "c\(customer),c\(customer)-\(visit),2026-0\(1 + visit)-1\(customer % 10)T09:00:00,\(sku),\(category),1,3.50,store \(customer % 4)\n"
      }
    }
    let one = try Fixture.simulate(Fixture.bytes(text), threads: 1, partitions: 1)
    let many = try Fixture.simulate(Fixture.bytes(text), threads: 3, partitions: 5)
    #expect(one.figures == many.figures)
    #expect(one.customers == many.customers)
    #expect(one.rowsRead == 900)
    #expect(one.customers.count == 300)
    #expect(one.customers.map(\.revenue).reduce(0, +) == 315_000)
    // The café's filters name both categories: every customer's lines carried them.
    #expect(one.figures.categoriesSeen == ["coffee", "pastry"])
  }

  /// Lines end at `\n` or `\r\n`, also when a chunk ends between the two, and a last line
  /// without a line end is a line.
  @Test func linesSplitAcrossChunksKeepTheirEnds() throws {
    let text = Array("a,b\r\nc,d\r\n\r\ne\rf,g\nlast".utf8)
    for cut in 0...text.count {
      var lines: [String] = []
      var carry: [UInt8] = []
      var line: Int64 = 0
      for (chunk, final) in [(Array(text[..<cut]), false), (Array(text[cut...]), false), ([], true)] {
        _ = try chunk.withUnsafeBufferPointer { buffer in
          try LineStream.scan(buffer, carry: &carry, line: &line, final: final) { bytes, number in
            lines.append("\(number):" + String(decoding: bytes, as: UTF8.self))
            return true
          }
        }
      }
      #expect(lines == ["1:a,b", "2:c,d", "3:", "4:e\rf,g", "5:last"], "cut at \(cut)")
    }
  }
}
