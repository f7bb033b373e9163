import Foundation
import Perk
import PerkRuntime
import PerkSimulator
import PerkSource

/// `perk sim`: runs a program over a purchase history and reports what it costs.
///
/// With no arguments it runs the built-in café program on a built-in example history.
enum SimCommand {
  enum Format: String, CaseIterable { case text, json, csv, html }

  static let knownFlags = [
    "--history", "--customers", "--compare", "--format", "--out", "--trace", "--redeem", "--from", "--to", "--threads",
    "--strict", "--map", "--time-format", "--input-format", "--shard", "--seed", "--budget", "--breakage", "--sweep",
    "--top", "--partitions", "--color", "--decimal-comma", "--rejects",
  ]

  static func run(_ args: inout ArgumentList, console: inout Console) throws -> Int32 {
    if args.items.first == "merge" {
      _ = args.takeFirst()
      return try merge(&args, console: &console)
    }
    let historyPath = try args.takeOption("--history")
    let customersPath = try args.takeOption("--customers")
    let comparePath = try args.takeOption("--compare")
    let format = try parseFormat(args.takeOption("--format"))
    let outPath = try args.takeOption("--out")
    let tracePath = try args.takeOption("--trace")
    let rejectsPath = try args.takeOption("--rejects")
    let redeemText = try args.takeOption("--redeem")
    let fromText = try args.takeOption("--from")
    let toText = try args.takeOption("--to")
    let threadsText = try args.takeOption("--threads")
    let strict = args.takeFlag("--strict")
    let decimalMark: DecimalMark = args.takeFlag("--decimal-comma") ? .comma : .point
    let mapText = try args.takeOption("--map")
    let timeFormatText = try args.takeOption("--time-format")
    let inputFormatText = try args.takeOption("--input-format")
    let shardText = try args.takeOption("--shard")
    let seedText = try args.takeOption("--seed")
    let budgetText = try args.takeOption("--budget")
    let breakageText = try args.takeOption("--breakage")
    let sweepText = try args.takeOption("--sweep")
    let topText = try args.takeOption("--top")
    let partitionsText = try args.takeOption("--partitions")
    let paths = try args.takePositionals(knownFlags: knownFlags)

    // The program: the built-in café when no file is named.
    let builtIn = paths.isEmpty
    let files = builtIn ? [SourceFile(id: 0, path: CafeExample.path, text: CafeExample.program)] : try InputFiles.sources(paths, console: console)
    let program = try compileProgram(files, console: console)
    guard let program else { return 1 }
    let compareProgram: Program?
    if let comparePath {
      guard let other = try compileProgram(try InputFiles.sources([comparePath], console: console), console: console) else { return 1 }
      compareProgram = other
    } else {
      compareProgram = nil
    }

    var options = try simulationOptions(redeem: redeemText, seed: seedText, from: fromText, to: toText, threads: threadsText,
                                        partitions: partitionsText, shard: shardText, builtIn: builtIn)
    options.trace = tracePath != nil
    let settings = try reportSettings(budget: budgetText, breakage: breakageText, top: topText, currency: program.currency)
    let read = try readOptions(strict: strict, decimalMark: decimalMark, map: mapText, timeFormat: timeFormatText,
                               inputFormat: inputFormatText)
    let history = try historySource(historyPath, builtIn: builtIn, console: console)
    var customers = CustomerTable()
    if let customersPath {
      customers = try CustomerTable.read(.file(customersPath), format: nil, columns: read.columns, strict: strict)
      for bad in customers.badRows.prefix(5) { console.err("warning: customers file: \(bad)\n") }
    }
    let sweep = try sweepPolicies(sweepText)

    let started = DispatchTime.now().uptimeNanoseconds
    let bar = ProgressBar(enabled: console.stderrIsTerminal, console: console)
    // The outputs are opened before the run, which may take long: a location that cannot be
    // written fails now. Until they are committed a regular file is untouched, and a run
    // stopped by an error (`--strict`) leaves no report or trace behind.
    let report = try CommandOutput.open(outPath, console: console)
    let trace = try tracePath.map { try CommandOutput.open($0, console: console) }
    let rejects = try rejectsPath.map { try RejectsFile(path: $0, inputs: [historyPath, customersPath].compactMap { $0 }) }
    if let rejects {
      for bad in customers.badRows { try rejects.add(bad) }
    }
    var traceFailure: Error?
    let traceSink: ((String) -> Void)? = trace.map { trace in
      { line in
        guard traceFailure == nil else { return }
        do {
          try trace.write(line.utf8)
          try trace.write(CollectionOfOne(10))
        } catch {
          traceFailure = error
        }
      }
    }

    // The main run alone traces and writes the rejected rows: the others read the same history.
    func simulate(_ program: Program, policy: RedemptionPolicy, trace: Bool) throws -> SimulationResult {
      var o = options
      o.policy = policy
      o.trace = trace && traceSink != nil
      let rejectSink: ((BadRow) throws -> Void)? = trace ? rejects.map { file in { try file.add($0) } } : nil
      do {
        return try Simulator(program: program, options: o).run(history: history, read: read, customers: customers,
                                                              traceSink: trace ? traceSink : nil, rejectSink: rejectSink,
                                                              progress: bar.update)
      } catch let error as SimulationInputError {
        try rejects?.flush()
        throw UserInputError(description: error.message)
      } catch let error as BadRow {
        if trace { try rejects?.add(error) }
        try rejects?.flush()
        throw UserInputError(description: "\(error) (--strict stops at the first bad row)")
      }
    }

    let main = try simulate(program, policy: options.policy, trace: true)
    try rejects?.flush()
    if let traceFailure { throw traceFailure }
    try trace?.commit()
    let other = try compareProgram.map { try simulate($0, policy: options.policy, trace: false) }
    var sweeps: [SimulationResult] = []
    for policy in sweep { sweeps.append(try simulate(program, policy: policy, trace: false)) }
    bar.finish()

    let sides = other.map { CompareReport.Sides(main, $0, files: comparePath.map { (builtIn ? CafeExample.path : paths.joined(separator: ", "), $0) }) }
    let text = render(main, compare: other, sweep: sweeps, format: format, settings: settings,
                      policyNote: builtIn && redeemText == nil ? TextReport.builtInPolicyNote : nil, sides: sides)
    try report.write(text)
    try report.commit()
    for warning in main.warnings { console.err("warning: \(warning)\n") }

    let elapsed = max(1, DispatchTime.now().uptimeNanoseconds - started)
    let runs = 1 + (other == nil ? 0 : 1) + sweeps.count
    let rows = main.rowsRead * Int64(runs)
    let perSecond = Int64(clamping: UInt64(rows) * 1_000_000_000 / elapsed)
    console.err("perk sim: \(Percent.grouped(main.rowsRead)) rows, \(Percent.grouped(Int64(main.customers.count))) customers"
      + (runs > 1 ? ", \(runs) runs" : "") + " in \(Percent.decimal(Int64(clamping: elapsed / 1_000_000), 1000, digits: 2)) s"
      + " (\(Percent.grouped(perSecond)) rows/s, "
      // A program whose budgets are applied runs every customer in one time order, on one thread.
      + (main.appliedBudgets.isEmpty ? "\(options.threads) thread\(options.threads == 1 ? "" : "s")" : "1 thread: budgets in time order") + ")\n")
    return 0
  }

  /// The simulation's options from the command line, checked in the order they are listed.
  static func simulationOptions(redeem redeemText: String?, seed seedText: String?, from fromText: String?, to toText: String?,
                                threads threadsText: String?, partitions partitionsText: String?, shard shardText: String?,
                                builtIn: Bool) throws -> SimulationOptions {
    var options = SimulationOptions()
    if let redeemText {
      guard let policy = RedemptionPolicy(redeemText) else {
        throw UsageError.invalidValue(option: "--redeem", value: redeemText, allowed: ["none", "asap", "threshold:N", "rate:0.7"])
      }
      options.policy = policy
    } else if builtIn {
      options.policy = .rate(numerator: 7, denominator: 10)
    }
    if let seedText {
      guard let seed = UInt64(seedText) else { throw UsageError.invalidValue(option: "--seed", value: seedText, allowed: ["a whole number"]) }
      options.seed = seed
    }
    options.from = try fromText.map { text in
      guard let date = LocalDate(iso: text), date.isReadable else {
        throw UsageError.invalidValue(option: "--from", value: text, allowed: ["yyyy-MM-dd, a year from \(LocalDate.readableYears.lowerBound) to \(LocalDate.readableYears.upperBound)"])
      }
      return date
    }
    options.to = try toText.map { text in
      guard let date = LocalDate(iso: text), date.isReadable else {
        throw UsageError.invalidValue(option: "--to", value: text, allowed: ["yyyy-MM-dd, a year from \(LocalDate.readableYears.lowerBound) to \(LocalDate.readableYears.upperBound)"])
      }
      return date
    }
    if let threadsText {
      guard let threads = Int(threadsText), threads >= 1, threads <= 1024 else {
        throw UsageError.invalidValue(option: "--threads", value: threadsText, allowed: ["1 to 1024"])
      }
      options.threads = threads
    } else {
      options.threads = ProcessInfo.processInfo.activeProcessorCount
    }
    if let partitionsText {
      guard let n = Int(partitionsText), n >= 1, n <= 4096 else {
        throw UsageError.invalidValue(option: "--partitions", value: partitionsText, allowed: ["1 to 4096"])
      }
      options.partitions = n
    }
    if let shardText {
      let parts = shardText.split(separator: "/")
      guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else {
        throw UsageError.invalidValue(option: "--shard", value: shardText, allowed: ["K/N with 1 ≤ K ≤ N, such as 1/4"])
      }
      options.shard = (k - 1, n)
    }
    return options
  }

  /// `--budget`, `--breakage` and `--top`.
  static func reportSettings(budget budgetText: String?, breakage breakageText: String?, top topText: String?,
                             currency: Currency) throws -> ReportSettings {
    var settings = ReportSettings()
    if let budgetText {
      guard let money = Money(parsing: budgetText, currency: currency), money.minorUnits > 0 else {
        throw UsageError.invalidValue(option: "--budget", value: budgetText, allowed: ["an amount in \(currency.code), such as 50000"])
      }
      settings.budget = money.minorUnits
    }
    if let breakageText {
      guard let breakage = parsePercent(breakageText) else {
        throw UsageError.invalidValue(option: "--breakage", value: breakageText, allowed: ["a percentage from 0% to 100%, such as 20%"])
      }
      settings.breakage = breakage
    }
    if let topText {
      guard let top = Int(topText), top >= 0, top <= 10_000 else { throw UsageError.invalidValue(option: "--top", value: topText, allowed: ["0 to 10000"]) }
      settings.top = top
    }
    return settings
  }

  /// How the history is read: `--strict`, `--decimal-comma`, `--map`, `--time-format`, `--input-format`.
  static func readOptions(strict: Bool, decimalMark: DecimalMark, map mapText: String?, timeFormat timeFormatText: String?,
                          inputFormat inputFormatText: String?) throws -> HistoryReadOptions {
    var read = HistoryReadOptions(strict: strict, decimalMark: decimalMark)
    if let mapText { read.columns = try ColumnMap(parsing: mapText) }
    if let timeFormatText {
      guard let timeFormat = TimeFormat(timeFormatText) else {
        throw UsageError.invalidValue(option: "--time-format", value: timeFormatText, allowed: ["auto", "unix", "a pattern such as yyyyMMdd or dd/MM/yyyy HH:mm"])
      }
      read.timeFormat = timeFormat
    }
    if let inputFormatText {
      guard let inputFormat = HistoryFormat(rawValue: inputFormatText) else {
        throw UsageError.invalidValue(option: "--input-format", value: inputFormatText, allowed: HistoryFormat.allCases.map(\.rawValue))
      }
      read.format = inputFormat
    }
    return read
  }

  /// The history to simulate: `--history PATH` (`-`: standard input), or the built-in one.
  static func historySource(_ historyPath: String?, builtIn: Bool, console: Console) throws -> InputSource {
    if let historyPath {
      return historyPath == "-" ? .bytes(name: "<stdin>", Array(try console.readStandardInput())) : .file(historyPath)
    } else if builtIn {
      return .bytes(name: "<built-in café history: 300 customers, 12 months>", BuiltInHistory.bytes)
    } else {
      throw UsageError.missingArgument("`--history FILE` (the purchase history to simulate)")
    }
  }

  /// `--sweep redeem=P,P,...`: the policies to re-run under.
  static func sweepPolicies(_ sweepText: String?) throws -> [RedemptionPolicy] {
    var sweep: [RedemptionPolicy] = []
    if let sweepText {
      guard sweepText.hasPrefix("redeem=") else {
        throw UsageError.invalidValue(option: "--sweep", value: sweepText, allowed: ["redeem=POLICY,POLICY,..."])
      }
      for part in sweepText.dropFirst("redeem=".count).split(separator: ",") {
        guard let policy = RedemptionPolicy(String(part)) else {
          throw UsageError.invalidValue(option: "--sweep", value: String(part), allowed: ["none", "asap", "threshold:N", "rate:0.7"])
        }
        sweep.append(policy)
      }
    }
    return sweep
  }

  /// The report of the main run, with the compared program and the sweep's runs, in `format`.
  static func render(_ main: SimulationResult, compare other: SimulationResult?, sweep sweeps: [SimulationResult], format: Format,
                     settings: ReportSettings, policyNote: String?, sides: CompareReport.Sides?) -> String {
    switch format {
    case .text:
      var body = TextReport.render(main, settings: settings, policyNote: policyNote)
      if let other { body += "\n" + CompareReport.text(main, other, settings: settings, sides: sides) }
      if !sweeps.isEmpty { body += "\n" + SweepReport.text(sweeps, settings: settings) }
      return body
    case .json:
      return JSONReport.render(main, settings: settings, compare: other, sweep: sweeps)
    case .csv:
      return CSVReport.monthly(main)
    case .html:
      return HTMLReport.render(main, settings: settings, compare: other, sweep: sweeps, policyNote: policyNote, sides: sides)
    }
  }

  static func parseFormat(_ text: String?) throws -> Format {
    guard let text else { return .text }
    guard let format = Format(rawValue: text) else {
      throw UsageError.invalidValue(option: "--format", value: text, allowed: Format.allCases.map(\.rawValue))
    }
    return format
  }

  /// `20%`, `0.2` → (numerator, denominator).
  static func parsePercent(_ text: String) -> (Int64, Int64)? {
    var body = text
    var denominator: Int64 = 1
    if body.hasSuffix("%") { body.removeLast(); denominator = 100 }
    let parts = body.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, body.count <= 12, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isNumber),
          parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy(\.isNumber)),
          let digits = Int64(whole + (parts.count == 2 ? parts[1] : "")) else { return nil }
    for _ in 0..<(parts.count == 2 ? parts[1].count : 0) { denominator *= 10 }
    guard digits <= denominator else { return nil }
    return (digits, denominator)
  }

  static func compileProgram(_ files: [SourceFile], console: Console) throws -> Program? {
    let compilation = compile(files)
    let errors = compilation.diagnostics.filter { $0.severity == .error }
    if !errors.isEmpty {
      let renderer = DiagnosticRenderer(files: files, colors: console.colors)
      console.err(renderer.render(compilation.diagnostics))
      if let summary = renderer.summary(of: compilation.diagnostics) { console.err(summary + "\n") }
      return nil
    }
    return compilation.program
  }

  /// `perk sim merge REPORT.json...`: combines shard reports into the single-run report.
  static func merge(_ args: inout ArgumentList, console: inout Console) throws -> Int32 {
    let format = try parseFormat(args.takeOption("--format"))
    let outPath = try args.takeOption("--out")
    let paths = try args.takePositionals(knownFlags: ["--format", "--out", "--color"])
    guard !paths.isEmpty else { throw UsageError.missingArgument("shard reports to merge (`perk sim merge a.json b.json`)") }
    let report = try CommandOutput.open(outPath, console: console)
    var parts: [(SimulationResult, ReportSettings)] = []
    for path in paths {
      let data = try InputFiles.read(path, console: console)
      do {
        parts.append(try JSONReport.decode(Array(data), path: path))
      } catch let error as SimulationInputError {
        throw UserInputError(description: error.message)
      }
    }
    let merged: SimulationResult
    do {
      merged = try ShardMerge.merge(parts.map(\.0))
    } catch let error as SimulationInputError {
      throw UserInputError(description: error.message)
    }
    let settings = parts[0].1
    let text: String
    switch format {
    case .text: text = TextReport.render(merged, settings: settings)
    case .json: text = JSONReport.render(merged, settings: settings, compare: nil, sweep: [])
    case .csv: text = CSVReport.monthly(merged)
    case .html: text = HTMLReport.render(merged, settings: settings, compare: nil, sweep: [])
    }
    try report.write(text)
    try report.commit()
    for warning in merged.warnings { console.err("warning: \(warning)\n") }
    return 0
  }
}

/// The built-in example history behind `perk sim` with no arguments: 300 café customers over
/// 2026, generated in memory with a fixed seed (the same bytes as `perk gen --customers 300 --months 12 --seed 42 --shape cafe`).
enum BuiltInHistory {
  static var bytes: [UInt8] { HistoryGenerator(customers: 300, months: 12, seed: 42, shape: .cafe).bytes() }
}

/// A one-line progress bar on standard error, only on a terminal.
final class ProgressBar: @unchecked Sendable {
  let enabled: Bool
  let console: Console
  let started = DispatchTime.now().uptimeNanoseconds
  var shown = false

  init(enabled: Bool, console: Console) {
    self.enabled = enabled
    self.console = console
  }

  func update(_ progress: SimulationProgress) {
    guard enabled else { return }
    let elapsed = max(1, DispatchTime.now().uptimeNanoseconds - started)
    let rate = Int64(clamping: UInt64(max(0, progress.done)) * 1_000_000_000 / elapsed)
    var line = "\r\(progress.phase): \(Percent.grouped(progress.done)) rows"
    if progress.total > 0 {
      let filled = Int(progress.done * 30 / max(1, progress.total))
      let bar: String = String(repeating: "#", count: filled) + String(repeating: ".", count: max(0, 30 - filled))
      line += " [" + bar + "]"
      if rate > 0 {
        let remaining = (progress.total - progress.done) / max(1, rate)
        line += " ~\(remaining) s left"
      }
    }
    line += " (\(Percent.grouped(rate)) rows/s)\u{1B}[K"
    console.err(line)
    shown = true
  }

  func finish() {
    if shown { console.err("\r\u{1B}[K") }
  }
}

extension SimCommand {
  static let help = """
    perk sim — preview what a program costs on a purchase history

    USAGE:
      perk sim                                   the built-in café program on a built-in history
      perk sim FILE... --history HISTORY [options]
      perk sim merge REPORT.json... [--format F] [--out PATH]

    INPUT:
      --history PATH          CSV, TSV, whitespace-separated or JSON Lines (`-` for standard input)
      --customers PATH        customer,birthday,signup_date,segment,referred_by (+ any attribute)
      --map C=THEIRS,...      rename columns: customer,txn,time,sku,category,qty,unit_price,amount,
                              store,channel,type,orig_txn,reward
      --time-format F         auto (ISO 8601), unix, or a pattern such as yyyyMMdd, dd/MM/yyyy HH:mm
      --input-format F        csv|semicolon|tsv|whitespace|jsonl (default: from the name and first line)
      --strict                stop at the first bad row (default: skip, count and show them)
      --decimal-comma         amounts write decimals with a comma: 4,50 and 1.234,50

    SIMULATION:
      --redeem POLICY         none | asap | threshold:N | rate:0.7 (default none; rate:0.7 built-in)
      --seed N                seed of the rate policy (default 1)
      --from DATE, --to DATE  the period simulated (default: the history's first and last day)
      --threads N             threads (default: every core); the output does not depend on it
      --shard K/N             only customers of shard K of N (merge the JSON reports with `perk sim merge`)
      --compare OTHER.perk    run a second program and show both side by side, down to the customer
      --sweep redeem=P,P,...  re-run under several redemption policies

    REPORT:
      --format F              text (default) | json | csv (monthly series) | html (self-contained)
      --out PATH              write the report to a file (`-`: standard output), checked before the run
      --trace PATH            one JSON line per event (awards, money value, balances); `-` as for --out
      --rejects PATH          every rejected row as CSV: file,line,reason,raw (the report shows 20)
      --budget AMOUNT         report the day the reward cost reaches this budget
      --breakage PCT          share of outstanding points not expected to be redeemed (default 0%)
      --top N                 top customers listed (default 10)

    See docs/simulator.md for every figure of the report.

    """
}
