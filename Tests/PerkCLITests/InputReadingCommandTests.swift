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
    #expect(comma.stdout.contains("\"amount_paid\": \"4.50\""))
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
}
