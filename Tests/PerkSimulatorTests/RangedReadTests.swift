import Foundation
import Perk
import PerkRuntime
import Testing
@testable import PerkSimulator

/// Pass one on several threads (`HistoryReader.readParsed(threads:…)`, `RangedRead`): the byte
/// ranges' rows, taken in range order, are one read's rows, encoded alike; rejected rows come in
/// file order with their line numbers; `--strict` stops at the file's first bad row; and a cut
/// inside a record spanning lines, or a range with too many rejected rows, makes the read carry
/// on as one read would. Ranges are as small as the file allows here (`minimumRangeBytes: 0`),
/// so that every thread count cuts the file elsewhere.
@Suite struct RangedReadTests {
  /// What a read gave, its ranges' rows joined in order.
  struct Read: Equatable {
    var rows: [HistoryRow] = []
    var encoded: [UInt8] = []
    var bad: [String] = []
    var rawBad: [[UInt8]] = []
    var counts = ReadCounts()
    var failure: String?
  }

  /// One range's rows, as strings and encoded as pass one writes them.
  struct Collected: ParsedRowSink {
    var rows: [HistoryRow] = []
    var encoded: [UInt8] = []

    mutating func take(_ row: borrowing ParsedRow) throws {
      rows.append(HistoryRow(copy row))
      RowCodec.encode(copy row, into: &encoded)
    }
  }

  /// A read on `threads` threads; the number of ranges whose sinks were used.
  static func read(_ source: InputSource, threads: Int, options: HistoryReadOptions = HistoryReadOptions()) -> (read: Read, used: Int) {
    let program = Fixture.program()
    let reader = HistoryReader(source: source, options: options, currency: program.currency, zone: program.timeZone)
    var read = Read()
    var used = 0
    do {
      let (counts, sinks) = try reader.readParsed(threads: threads, minimumRangeBytes: 0, makeSink: { _ in Collected() }, bad: { bad in
        read.bad.append(bad.description)
        read.rawBad.append(bad.raw)
      })
      read.counts = counts
      for sink in sinks {
        read.rows += sink.rows
        read.encoded += sink.encoded
      }
      used = sinks.count
    } catch {
      read.failure = "\(error)"
    }
    return (read, used)
  }

  /// Reads `text` on 1 thread and on each of `threads`, which must agree; the one-thread read
  /// and how many ranges each thread count used.
  @discardableResult
  static func everyWay(_ text: String, threads: ClosedRange<Int> = 2...16, name: String = "<test>",
                       options: HistoryReadOptions = HistoryReadOptions(),
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) -> (one: Read, used: [Int: Int]) {
    let one = read(Fixture.bytes(text, name: name), threads: 1, options: options).read
    var used: [Int: Int] = [:]
    for n in threads {
      let (many, ranges) = read(Fixture.bytes(text, name: name), threads: n, options: options)
      #expect(many == one, "\(n) threads", sourceLocation: sourceLocation)
      used[n] = ranges
    }
    return (one, used)
  }

  static let header = "customer,txn,time,sku,category,qty,unit_price,type,orig_txn\n"

  /// Where each thread count's cuts aim (before moving to a line start), as `RangedRead.cut`.
  static func cutTargets(_ text: String, threads: ClosedRange<Int>) -> [Int] {
    let bytes = Array(text.utf8)
    let dataStart = bytes.firstIndex(of: 10)! + 1
    let length = bytes.count - dataStart
    return threads.flatMap { n in (1..<n).map { k in dataStart + length * k / n } }
  }

  @Test func everyThreadCountReadsTheRowsOfOneRead() throws {
    var text = "\u{FEFF}" + Self.header
    for k in 0..<40 {
      let customer = "c\(k % 7)"
      switch k % 10 {
      case 3: text += "\(customer),t\(k),2026-01-05T10:00:\(10 + k),\"la,tte\",coffee,1,4.50,purchase,\n"  // quoted
      case 5: text += "\n   \n"  // blank lines
      case 7: text += "\(customer),t\(k),2026-01-05T10:00:00,latte,coffee,x,4.50,purchase,\n"  // bad quantity
      case 8: text += "\(customer),t\(k),2026-02-0\(k % 9 + 1)T09:00:00,scone,food,-1,2.00,purchase,t\(k - 1)\r\n"  // a return, CRLF
      default: text += "\(customer),t\(k),2026-01-0\(k % 9 + 1)T08:30:00,latte,coffee,\(k % 3 + 1),4.50,purchase,\r\n"
      }
    }
    let (one, used) = Self.everyWay(text)
    #expect(one.rows.count == 32)
    #expect(one.bad == (0..<4).map { "<test>:\(10 + 11 * $0): quantity `x` is not a whole number" })
    // Every range was used: no record spans lines.
    #expect(used.allSatisfy { $0.key == $0.value })
    // Some cut aimed between a carriage return and its line feed: the range starts after both.
    let bytes = Array(text.utf8)
    #expect(Self.cutTargets(text, threads: 2...16).contains { bytes[$0 - 1] == 13 && bytes[$0] == 10 })
  }

  @Test func aQuotedLineBreakAcrossACutIsReadOnAsOneReadReadsIt() throws {
    var text = Self.header
    for k in 0..<12 { text += "c\(k % 3),t\(k),2026-03-0\(k % 9 + 1)T10:00:00,latte,coffee,1,4.50,purchase,\n" }
    // A category over four lines, then one that opens a quote that never closes.
    text += "c1,q1,2026-03-04T11:00:00,latte,\"coffee\nwith\nline\nbreaks\",1,4.50,purchase,\n"
    for k in 12..<20 { text += "c\(k % 3),t\(k),2026-03-0\(k % 9 + 1)T10:00:00,latte,coffee,1,4.50,purchase,\n" }
    text += "c2,q2,2026-03-05T11:00:00,latte,\"coffee,1,4.50,purchase,\n"
    for k in 20..<30 { text += "c\(k % 3),t\(k),2026-03-0\(k % 9 + 1)T10:00:00,latte,coffee,1,4.50,purchase,\n" }
    let (one, used) = Self.everyWay(text, threads: 2...24)
    #expect(one.rows.count == 31)
    #expect(one.rows.contains { $0.txn == "q1" && $0.category == "coffee\nwith\nline\nbreaks" })
    #expect(one.bad == ["<test>:26: a quoted field opens here and does not close (no closing quote before the end of the file); "
                          + "a quote inside a value is written `\"\"`"])
    // Some cuts fell inside a quoted field: the read before went on over the rest of the file.
    #expect(used.contains { $0.value < $0.key })
    #expect(used.contains { $0.value == $0.key })
  }

  @Test func badRowsOfEachRangeComeInFileOrderWithTheirLineNumbers() throws {
    var text = Self.header
    var expected: [String] = []
    for line in 2...201 {
      if line % 17 == 0 {
        text += "c\(line % 5),t\(line),2026-13-01,latte,coffee,1,4.50,purchase,\n"
        expected.append("<test>:\(line): time `2026-13-01` does not match " + TimeFormat.describe(.auto))
      } else if line % 23 == 0 {
        text += "c\(line % 5),t\(line),2026-01-01,latte,coffee,1,4.50\n"
        expected.append("<test>:\(line): the header has 9 fields but this row has 7")
      } else {
        text += "c\(line % 5),t\(line),2026-01-0\(line % 9 + 1)T10:00:00,latte,coffee,1,4.50,purchase,\n"
      }
    }
    let (one, _) = Self.everyWay(text)
    #expect(one.bad.count == expected.count)
    #expect(one.bad.first == expected.first)
    #expect(one.bad.map { $0.prefix { $0 != " " } } == expected.map { $0.prefix { $0 != " " } })
    #expect(one.counts == ReadCounts(read: 200, rejected: Int64(expected.count), sawHeader: true))
    #expect(one.rawBad.first == Array("c2,t17,2026-13-01,latte,coffee,1,4.50,purchase,".utf8))
  }

  @Test func strictStopsAtTheFirstBadRowOfTheFile() throws {
    var strict = HistoryReadOptions()
    strict.strict = true
    var lateOnly = Self.header
    for line in 2...100 {
      lateOnly += line == 90 ? "c1,t\(line),2026-01-01,latte,coffee,0,4.50,purchase,\n"
        : "c\(line % 4),t\(line),2026-01-01T10:00:00,latte,coffee,1,4.50,purchase,\n"
    }
    #expect(Self.everyWay(lateOnly, options: strict).one.failure == "<test>:90: quantity is 0")
    // Bad rows early and late: the early one stops the read, whichever range it falls in.
    let both = lateOnly.replacingOccurrences(of: "c3,t11,2026-01-01T10:00:00", with: "c3,t11,2026-01-01T10:61:00")
    #expect(Self.everyWay(both, options: strict).one.failure?.hasPrefix("<test>:11: time `2026-01-01T10:61:00`") == true)
  }

  @Test func tinyFilesLeaveRangesEmpty() throws {
    let row = "c1,t1,2026-01-05T10:00:00,latte,coffee,1,4.50,purchase,"
    for text in ["", Self.header, String(Self.header.dropLast()), Self.header + row, Self.header + row + "\n",
                 Self.header + row + "\r\n" + row + "\n\n\n", Self.header + String(repeating: "x", count: 300) + "\n" + row,
                 "\n\n" + Self.header + row + "\n" + row] {
      Self.everyWay(text)
    }
    let one = Self.everyWay(Self.header + row + "\n" + row + "\n", threads: 8...8).one
    #expect(one.rows.count == 2 && one.rows.allSatisfy { $0.customer == "c1" })
    #expect(one.rows.map(\.seq) == [2, 3])
  }

  @Test func aRangeWithMoreRejectedRowsThanItHoldsIsReadAgainAfterTheOnesBefore() throws {
    // The cut falls among the bad rows, leaving more than the second range may hold.
    let (good, bad) = (RangedRead.heldRejectsLimit, RangedRead.heldRejectsLimit + 3_000)
    var text = Self.header
    for k in 0..<good { text += "c\(k % 9),t\(k),2026-01-02T10:00:00,latte,coffee,1,4.50,purchase,\n" }
    for k in 0..<bad { text += "c\(k % 9),b\(k),2026-01-02T10:00:00,latte,coffee,none,4.50,purchase,\n" }
    let (one, used) = Self.everyWay(text, threads: 2...2)
    #expect(one.bad.count == bad)
    #expect(one.bad.first?.hasPrefix("<test>:\(good + 2): quantity `none`") == true)
    // The second range gave up holding its rejected rows; the first read on over it.
    #expect(used[2] == 1)
  }

  @Test func otherFormatsAndAFileOnDiskReadAlike() throws {
    var tsv = "customer\ttxn\ttime\tsku\tcategory\tqty\tunit_price\ttype\torig_txn\n"
    var jsonl = ""
    var csv = Self.header
    for k in 0..<60 {
      let qty = k % 13 == 0 ? "two" : "\(k % 4 + 1)"
      tsv += "c\(k % 6)\tt\(k)\t2026-04-0\(k % 9 + 1)T10:00:00\tlatte\tcoffee\t\(qty)\t4.50\tpurchase\t\n"
      jsonl += "{\"customer\":\"c\(k % 6)\",\"txn\":\"t\(k)\",\"time\":\"2026-04-0\(k % 9 + 1)T10:00:00\",\"sku\":\"latte\",\"qty\":\"\(qty)\",\"unit_price\":4.5}\n"
      csv += "c\(k % 6),t\(k),2026-04-0\(k % 9 + 1)T10:00:00,latte,coffee,\(qty),4.50,purchase,\n"
    }
    #expect(Self.everyWay(tsv, name: "h.tsv").one.rows.count == 55)
    #expect(Self.everyWay(jsonl, name: "h.jsonl").one.rows.count == 55)

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("perk-ranged-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("h.csv").path
    try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
    let one = Self.read(.bytes(name: path, Array(csv.utf8)), threads: 1).read
    for n in 2...9 { #expect(Self.read(.file(path), threads: n).read == one, "\(n) threads") }
    #expect(one.rows.count == 55 && one.bad.count == 5)
  }

  /// A café history in time order (each customer's rows across the file), some rows bad.
  static func mixedHistory() -> String {
    var lines: [String] = []
    HistoryGenerator(customers: 60, months: 6, seed: 5, shape: .cafe).generate { lines.append($0) }
    let header = lines.removeFirst()
    lines.sort { ($0.split(separator: ",")[2], $0) < ($1.split(separator: ",")[2], $1) }
    for k in stride(from: 7, to: lines.count, by: 97) { lines[k] = lines[k].replacingOccurrences(of: "T", with: "X") }
    return ([header] + lines).joined(separator: "\n") + "\n"
  }

  @Test func simulationsReadOnSeveralThreadsAreTheOneThreadRun() throws {
    let text = Self.mixedHistory()
    func run(threads: Int, partitions: Int) throws -> (SimulationResult, [BadRow], [String]) {
      var rejected: [BadRow] = []
      var trace: [String] = []
      let result = try Fixture.simulate(Fixture.bytes(text), threads: threads, partitions: partitions, trace: { trace.append($0) },
                                        readRangeBytes: 1, rejects: { rejected.append($0) })
      return (result, rejected, trace)
    }
    let (one, oneRejected, oneTrace) = try run(threads: 1, partitions: 1)
    #expect(one.rowsRejected > 5 && one.rowsRejected == Int64(oneRejected.count))
    #expect(one.customers.count == 58)
    for (threads, partitions) in [(2, 1), (3, 1), (2, 3), (4, 5)] {
      let (many, rejected, trace) = try run(threads: threads, partitions: partitions)
      #expect(many == one, "\(threads) threads, \(partitions) partitions")
      #expect(rejected == oneRejected)
      #expect(trace == oneTrace)
    }
  }

  @Test func partitionsReadInPiecesAndReferralsFollowTheRangesInOrder() throws {
    let text = Self.mixedHistory()
    func run(threads: Int, pieceBytes: Int) throws -> SimulationResult {
      var options = SimulationOptions()
      options.threads = threads
      options.partitions = 3
      options.pieceBytes = pieceBytes
      options.readRangeBytes = 1
      return try Simulator(program: Fixture.program(), options: options).run(history: Fixture.bytes(text), read: HistoryReadOptions())
    }
    let one = try run(threads: 1, pieceBytes: 0)
    #expect(try run(threads: 3, pieceBytes: 2_000) == one)

    let referrals = ReferralCreditTests.history
    let single = try Fixture.simulate(Fixture.bytes(referrals), program: ReferralCreditTests.program,
                                      customers: ReferralCreditTests.customers)
    for threads in 2...4 {
      let threaded = try Fixture.simulate(Fixture.bytes(referrals), program: ReferralCreditTests.program, threads: threads,
                                          partitions: 3, customers: ReferralCreditTests.customers, readRangeBytes: 1)
      #expect(threaded == single)
    }
  }
}
