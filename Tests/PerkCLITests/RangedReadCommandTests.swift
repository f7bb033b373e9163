import Foundation
import PerkTestSupport
import Testing

/// `perk sim` reads a history of more than a megabyte a thread in byte ranges on `--threads`
/// threads: the report, the `--rejects` file and a `--strict` error are those of one thread.
@Suite struct RangedReadCommandTests {
  static let root = PerkExecutable.repositoryRoot()

  /// A café history of about 3 MB (two ranges of at least 1 MB), customers across the whole
  /// file, bad rows in both halves, a quoted line break in the middle; `strictStop` puts a bad row
  /// only in the second half.
  static func history(strictStop: Bool = false) -> String {
    var text = "customer,txn,time,sku,category,qty,unit_price,type,orig_txn\n"
    let rows = 48_000
    for k in 0..<rows {
      let customer = "c\(k % 997)"
      let day = k * 180 / rows + 1
      let date = LocalDateText.day(day)
      switch k % 1_000 {
      case 123 where !strictStop: text += "\(customer),t\(k),\(date)T10:00:00,latte,coffee,x,4.50,purchase,\n"
      case 456 where !strictStop: text += "\(customer),t\(k),\(date)T25:00:00,latte,coffee,1,4.50,purchase,\r\n"
      default:
        if k == rows / 2 { text += "\(customer),t\(k),\(date)T11:00:00,latte,\"coffee\nto go\",1,4.50,purchase,\n" }
        else if strictStop, k == rows * 3 / 4 { text += "\(customer),t\(k),\(date)T10:00:00,latte,coffee,0,4.50,purchase,\n" }
        else { text += "\(customer),t\(k),\(date)T08:\(10 + k % 50):00,latte,coffee,\(k % 3 + 1),4.50,purchase,\n" }
      }
    }
    return text
  }

  /// Dates of 2026 by day of the year (1 = January 1), as `yyyy-MM-dd`.
  enum LocalDateText {
    static func day(_ day: Int) -> String {
      let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
      var month = 0
      var rest = day
      while rest > lengths[month] {
        rest -= lengths[month]
        month += 1
      }
      return "2026-" + (month < 9 ? "0" : "") + "\(month + 1)-" + (rest < 10 ? "0" : "") + "\(rest)"
    }
  }

  static func run(_ history: String, threads: Int, _ extra: [String]) throws -> PerkExecutable.Result {
    try PerkExecutable.run(arguments: ["sim", "rules/cafe.perk", "--history", history, "--threads", "\(threads)", "--format", "json"] + extra,
                           currentDirectory: root)
  }

  @Test func twoThreadsWriteTheOneThreadReportAndRejectedRows() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perk-ranged-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let history = dir.appendingPathComponent("h.csv").path
    let text = Self.history()
    #expect(text.utf8.count > 2 << 20)
    try Data(text.utf8).write(to: URL(fileURLWithPath: history))
    let one = try Self.run(history, threads: 1, ["--rejects", dir.appendingPathComponent("r1.csv").path])
    let two = try Self.run(history, threads: 2, ["--rejects", dir.appendingPathComponent("r2.csv").path])
    #expect(one.exitCode == 0 && two.exitCode == 0)
    #expect(one.stdout.contains("\"rows_rejected\": 96,"))
    #expect(two.stdout == one.stdout)
    let rejected = try Data(contentsOf: dir.appendingPathComponent("r1.csv"))
    #expect(try Data(contentsOf: dir.appendingPathComponent("r2.csv")) == rejected)
    // Every bad row, in file order: the first of each half named by its line.
    let lines = String(decoding: rejected, as: UTF8.self).split(separator: "\n")
    #expect(lines.count == 97)
    #expect(lines[1] == "\(history),125,quantity `x` is not a whole number,\"c123,t123,2026-01-01T10:00:00,latte,coffee,x,4.50,purchase,\"")
    #expect(lines.contains { $0.hasPrefix("\(history),24126,quantity `x` is not a whole number,") })
  }

  @Test func twoThreadsStopAtTheSameFirstBadRow() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perk-ranged-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let history = dir.appendingPathComponent("h.csv").path
    try Data(Self.history(strictStop: true).utf8).write(to: URL(fileURLWithPath: history))
    let one = try Self.run(history, threads: 1, ["--strict"])
    let two = try Self.run(history, threads: 2, ["--strict"])
    #expect(one.exitCode == 1)
    #expect(one.stderr == "error: \(history):36003: quantity is 0 (--strict stops at the first bad row)\n")
    #expect(two.exitCode == one.exitCode && two.stderr == one.stderr && two.stdout == one.stdout)
  }
}
