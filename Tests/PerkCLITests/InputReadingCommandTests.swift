import Foundation
import PerkTestSupport
import Testing

/// `perk sim` and `perk eval` on inputs that used to be misread, run as the built executable
/// against temporary files.
@Suite struct InputReadingCommandTests {
  static let root = PerkExecutable.repositoryRoot()

  /// A fresh temporary directory, removed by the caller's `defer`.
  static func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perk-input-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  static func write(_ text: String, _ name: String, in dir: URL) throws -> String {
    let path = dir.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  static func sim(_ history: String, _ extra: [String] = []) throws -> PerkExecutable.Result {
    try PerkExecutable.run(arguments: ["sim", "rules/cafe.perk", "--history", history, "--threads", "1", "--format", "json"] + extra,
                           currentDirectory: root)
  }

  @Test func simRefusesADecimalCommaAndReadsItWithTheOption() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let history = try Self.write("customer,txn,time,sku,category,qty,unit_price\na,t1,2026-01-05,latte,coffee,1,3\n"
      + "a,t2,2026-01-06,latte,coffee,2,\"4,50\"\n", "h.csv", in: dir)
    let plain = try Self.sim(history)
    #expect(plain.exitCode == 0)
    #expect(plain.stdout.contains("\"revenue_minor\": 300,"))
    #expect(plain.stdout.contains("\(history):3: unit price `4,50` is not an amount in USD: `,` is not the decimal mark here; write `4.50`, "
      + "or, if the file writes decimals with a comma, read it with `--decimal-comma`"))
    let strict = try Self.sim(history, ["--strict"])
    #expect(strict.exitCode == 1)
    #expect(strict.stderr.hasPrefix("error: \(history):3: unit price `4,50` is not an amount in USD: "))
    let comma = try Self.sim(history, ["--decimal-comma"])
    #expect(comma.exitCode == 0)
    #expect(comma.stdout.contains("\"revenue_minor\": 1200,"))
  }

  @Test func evalRefusesADecimalCommaAndReadsItWithTheOption() throws {
    let event = #"{"type": "purchase", "id": "T1", "time": "2026-03-03T08:15:00-05:00", "lines": [{"sku": "latte", "category": "coffee", "qty": 1, "unit_price": "4,50"}]}"#
    let plain = try PerkExecutable.run(arguments: ["eval", "rules/cafe.perk", "--event", "-"], stdin: event, currentDirectory: Self.root)
    #expect(plain.exitCode == 1)
    #expect(plain.stdout == "")
    #expect(plain.stderr.hasPrefix("error: <stdin>:1:144: `4,50` is not an amount in USD: `,` is not the decimal mark here; write `4.50`"))
    let comma = try PerkExecutable.run(arguments: ["eval", "rules/cafe.perk", "--event", "-", "--decimal-comma"], stdin: event,
                                       currentDirectory: Self.root)
    #expect(comma.exitCode == 0)
    #expect(comma.stdout.contains("\"paid_minor\": 450"))
  }

  @Test func simRejectsShiftedRowsAndReadsQuotedLineBreaks() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let history = try Self.write("customer,txn,time,sku,qty,unit_price,type\n"
      + "a,t1,2026-01-05,\"latte\nextra hot\",1,3.00,\n"
      + "a,t2,2026-01-06,latte,1,4,50,\n"
      + "a,t3,2026-01-07,latte,1,2.00,\n", "h.csv", in: dir)
    let result = try Self.sim(history)
    #expect(result.exitCode == 0)
    #expect(result.stdout.contains("\"rows_read\": 3,"))
    #expect(result.stdout.contains("\"rows_rejected\": 1,"))
    #expect(result.stdout.contains("\"custom_events\": 0,"))
    #expect(result.stdout.contains("\"revenue_minor\": 500,"))
    #expect(result.stdout.contains("\(history):4: 8 fields, but the header has 7: a value holding a comma must be quoted"))
  }

  @Test func simRefusesEmptyHistoriesAndImplausibleDates() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let empty = try Self.write("", "empty.csv", in: dir)
    let emptyRun = try Self.sim(empty)
    #expect(emptyRun.exitCode == 1)
    #expect(emptyRun.stdout == "")
    #expect(emptyRun.stderr == "error: \(empty): the history is empty; there is nothing to simulate\n")
    let header = try Self.write("customer,time,amount\n", "header.csv", in: dir)
    let headerRun = try Self.sim(header, ["--format", "text"])
    #expect(headerRun.exitCode == 1)
    #expect(headerRun.stdout == "")
    #expect(headerRun.stderr == "error: \(header): the history has a header but no rows; there is nothing to simulate\n")
    let yearZero = try Self.write("customer,time,amount\na,0000-12-31,4.00\nb,2026-01-02,4.00\n", "zero.csv", in: dir)
    let zeroRun = try Self.sim(yearZero, ["--format", "text"])
    #expect(zeroRun.exitCode == 0)
    #expect(zeroRun.stdout.contains("\(yearZero):2: time `0000-12-31` is outside the years 1900–2200"))
    #expect(zeroRun.stdout.contains("2026-01-02"))
    #expect(!zeroRun.stdout.contains("00-1-12-31"))
    let from = try Self.sim(yearZero, ["--from", "0000-01-01"])
    #expect(from.exitCode == 2)
    #expect(from.stderr.hasPrefix("error: invalid value `0000-01-01` for `--from`"))
  }

  /// A history with 24 bad rows (one spanning two lines, one with bytes that are not UTF-8)
  /// and one good row.
  static func manyRejects(in dir: URL) throws -> (path: String, bytes: [UInt8]) {
    var bytes = Array("customer,time,amount\n".utf8)
    for k in 0..<22 { bytes += Array("c\(k),not a date,1.00\n".utf8) }
    bytes += Array("q,2026-01-02,\"4,\n50\"\n".utf8)
    bytes += Array("x\u{1B},2026-01-02,".utf8) + [0xFF, 0xFE] + [10]
    bytes += Array("ok,2026-01-03,2.00\n".utf8)
    let path = dir.appendingPathComponent("h.csv").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return (path, bytes)
  }

  @Test func rejectsListsEveryRejectedRowAsCSV() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let history = try Self.manyRejects(in: dir).path
    let rejects = dir.appendingPathComponent("rejects.csv").path
    let result = try Self.sim(history, ["--rejects", rejects])
    #expect(result.exitCode == 0)
    #expect(result.stdout.contains("\"rows_rejected\": 24,"))
    // The report still shows the first 20.
    #expect(result.stdout.components(separatedBy: ": time `not a date` does not match").count == 21)
    let written = Array(try Data(contentsOf: URL(fileURLWithPath: rejects)))
    var expected = Array("file,line,reason,raw\n".utf8)
    for k in 0..<22 {
      expected += Array("\(history),\(k + 2),\"time `not a date` does not match ISO 8601 (`2026-11-24`, `2026-11-24T08:30:00`, `2026-11-24T08:30:00-05:00`); use `--time-format` for other forms\",\"c\(k),not a date,1.00\"\n".utf8)
    }
    expected += Array("\(history),24,\"amount `4,\n50` is not an amount in USD: write digits with `.` before the decimals, such as `4.50`, optionally with `$` or `USD`\",\"q,2026-01-02,\"\"4,\n50\"\"\"\n".utf8)
    #expect(String(decoding: written, as: UTF8.self).hasPrefix(String(decoding: expected, as: UTF8.self)))
    // The raw row keeps its bytes exactly, even those that are not UTF-8.
    expected += Array("\(history),26,\"amount `\u{FFFD}\u{FFFD}` is not an amount in USD: write digits with `.` before the decimals, such as `4.50`, optionally with `$` or `USD`\",\"x\u{1B},2026-01-02,".utf8) + [0xFF, 0xFE, 34, 10]
    #expect(written == expected)
  }

  @Test func rejectsIsWrittenThroughASymlinkAndNeverOverTheHistory() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let (history, bytes) = try Self.manyRejects(in: dir)
    let target = dir.appendingPathComponent("target.csv").path
    let link = dir.appendingPathComponent("link.csv").path
    try Data("old".utf8).write(to: URL(fileURLWithPath: target))
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
    #expect(try Self.sim(history, ["--rejects", link]).exitCode == 0)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
    #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: target)), as: UTF8.self).hasPrefix("file,line,reason,raw\n\(history),2,"))
    let same = try Self.sim(history, ["--rejects", history])
    #expect(same.exitCode == 1)
    #expect(same.stderr == "error: --rejects \(history) is \(history), which the run reads; name another file\n")
    #expect(Array(try Data(contentsOf: URL(fileURLWithPath: history))) == bytes)
  }

  @Test func strictWritesTheRowThatStoppedTheRun() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let history = try Self.manyRejects(in: dir).path
    let rejects = dir.appendingPathComponent("rejects.csv").path
    let result = try Self.sim(history, ["--rejects", rejects, "--strict"])
    #expect(result.exitCode == 1)
    let lines = String(decoding: try Data(contentsOf: URL(fileURLWithPath: rejects)), as: UTF8.self).split(separator: "\n")
    #expect(lines.count == 2)
    #expect(lines[1].hasPrefix("\(history),2,\"time `not a date`"))
  }

  @Test func aFullDeviceIsAnErrorNotATrap() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let full = dir.appendingPathComponent("full").path
    // makedev(1, 7), the full device, in glibc's encoding (the macro is not imported into Swift).
    guard mknod(full, S_IFCHR | 0o666, dev_t(1 << 8 | 7)) == 0 else {
      print("skipped: cannot make a full device node here (mknod: \(String(cString: strerror(errno))))")
      return
    }
    let history = try Self.manyRejects(in: dir).path
    let result = try Self.sim(history, ["--rejects", full])
    #expect(result.exitCode == 1)
    #expect(result.stderr == "error: cannot write \(full) (the rejected rows): No space left on device\n")
  }

  @Test func simReadsASemicolonExportWithDecimalCommas() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let history = try Self.write("customer;txn;time;sku;category;qty;unit_price\na;t1;2026-01-05;latte;coffee;2;4,50\n", "export.csv", in: dir)
    let comma = try Self.sim(history, ["--decimal-comma"])
    #expect(comma.exitCode == 0)
    #expect(comma.stdout.contains("\"revenue_minor\": 900,"))
    let forced = try Self.sim(history, ["--decimal-comma", "--input-format", "semicolon"])
    #expect(forced.stdout == comma.stdout)
  }
}
