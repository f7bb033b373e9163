// libFuzzer entry point: history bytes -> reader (CSV, TSV, whitespace, JSON Lines, `--map`)
// -> customers table -> simulator -> reports (see docs/fuzzing.md).
import Perk
import PerkSimulator

/// The input is one control line and the history file:
///
///     FORMAT;MAP;TIME-FORMAT;PROGRAM;POLICY;strict
///     customer,time,sku,qty,unit_price
///     c1,2026-01-05,latte,2,4.50
///
/// `FORMAT` is `--input-format` (empty or unknown: detected from the first line), `MAP` is
/// `--map` (a mapping that does not parse is read as none), `TIME-FORMAT` is `--time-format`,
/// `PROGRAM` an example of `rules/` by base name, `POLICY` is `--redeem`, and a last field
/// `strict` is `--strict`. The same bytes are also read as a customers file (`--customers`)
/// whose profiles the run uses, as `perk sim` does with both files.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHistory(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = FuzzInput(data, size)
  var read = HistoryReadOptions()
  read.format = HistoryFormat(rawValue: String(input.field(0)))
  if let columns = try? ColumnMap(parsing: String(input.field(1))) { read.columns = columns }
  read.timeFormat = TimeFormat(String(input.field(2))) ?? .auto
  read.strict = input.field(5) == "strict"
  let program = FuzzPrograms.named(input.field(3))
  var options = SimulationOptions()
  options.policy = RedemptionPolicy(String(input.field(4))) ?? .none
  options.partitions = 1  // in memory: no temporary files per input
  options.threads = 1

  let customers = (try? CustomerTable.read(.bytes(name: "fuzz-customers", input.body), format: read.format,
                                           columns: read.columns, strict: read.strict)) ?? CustomerTable()
  let history = InputSource.bytes(name: "fuzz-history", input.body)
  FuzzHistory.boundPeriod(&options, history: history, read: read, program: program)
  guard let result = try? Simulator(program: program, options: options).run(history: history, read: read, customers: customers)
  else { return 0 }
  let settings = ReportSettings()
  _ = TextReport.render(result, settings: settings)
  let json = JSONReport.render(result, settings: settings, compare: nil, sweep: [])
  // `perk sim merge` reads these reports back: whatever a history holds must survive the trip.
  _ = try? JSONReport.decode(Array(json.utf8), path: "fuzz-report.json")
  return 0
}

enum FuzzHistory {
  /// The longest period simulated, in months.
  static let longestPeriod = 20 * 12

  /// Limits the period to 20 years from the first row, as `--to` would. A history spanning
  /// thousands of years (a mistyped `8026`) is simulated month by month and takes seconds per
  /// input, which would leave no time for other inputs (docs/fuzzing.md); rows after the
  /// period are still read and counted as outside it.
  static func boundPeriod(_ options: inout SimulationOptions, history: InputSource, read: HistoryReadOptions, program: Program) {
    var first = Int64.max
    var last = Int64.min
    let reader = HistoryReader(source: history, options: read, currency: program.currency, zone: program.timeZone)
    _ = try? reader.read(row: { row in
      first = min(first, row.time.secondsSince1970)
      last = max(last, row.time.secondsSince1970)
    }, bad: { _ in })
    guard first <= last else { return }
    let from = program.timeZone.localTime(of: Instant(secondsSince1970: first)).date
    let to = program.timeZone.localTime(of: Instant(secondsSince1970: last)).date
    if to > from.adding(months: longestPeriod) {
      options.from = from
      options.to = from.adding(months: longestPeriod)
    }
  }
}
