import Foundation
import PerkSimulator

/// `perk gen --customers N --months M --seed S --shape cafe|grocery|wholesale|sparse [--out FILE]`.
enum GenCommand {
  static func run(_ args: inout ArgumentList, console: inout Console) throws -> Int32 {
    func number(_ option: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
      guard let text = try args.takeOption(option) else { return value }
      guard let n = Int(text), range.contains(n) else {
        throw UsageError.invalidValue(option: option, value: text, allowed: ["\(range.lowerBound) to \(range.upperBound)"])
      }
      return n
    }
    let customers = try number("--customers", default: 1000, range: 1...100_000_000)
    let months = try number("--months", default: 12, range: 1...600)
    let seedText = try args.takeOption("--seed")
    let shapeText = try args.takeOption("--shape") ?? "cafe"
    let startText = try args.takeOption("--start")
    let outPath = try args.takeOption("--out")
    _ = try args.takePositionals(knownFlags: ["--customers", "--months", "--seed", "--shape", "--start", "--out", "--color"])
    var seed: UInt64 = 1
    if let seedText {
      guard let s = UInt64(seedText) else { throw UsageError.invalidValue(option: "--seed", value: seedText, allowed: ["a whole number"]) }
      seed = s
    }
    guard let shape = HistoryGenerator.Shape(rawValue: shapeText) else {
      throw UsageError.invalidValue(option: "--shape", value: shapeText, allowed: HistoryGenerator.Shape.allCases.map(\.rawValue))
    }
    var generator = HistoryGenerator(customers: customers, months: months, seed: seed, shape: shape)
    if let startText {
      guard let start = LocalDateParsing.parse(startText) else {
        throw UsageError.invalidValue(option: "--start", value: startText, allowed: ["yyyy-MM-dd"])
      }
      generator.start = start
    }
    // Opened first (an unwritable location fails before generating); a regular file is
    // replaced only when the whole history is written, so a full disk leaves no part of one.
    let output = try CommandOutput.open(outPath, console: console)
    var rows: Int64 = 0
    try generator.generate { line in
      rows += 1
      try output.write(line.utf8)
      try output.write(CollectionOfOne(10))
    }
    try output.commit()
    if !output.isStandardOutput, let outPath { console.err("perk gen: \(rows - 1) rows written to \(outPath)\n") }
    return 0
  }
}

import PerkRuntime

enum LocalDateParsing {
  static func parse(_ text: String) -> LocalDate? { LocalDate(iso: text) }
}

extension GenCommand {
  static let help = """
    perk gen — generate a seeded synthetic purchase history (CSV)

    USAGE:
      perk gen [--customers N] [--months M] [--seed S] [--shape cafe|grocery|wholesale|sparse] [--start DATE] [--out FILE]

    The same arguments always give the same bytes. Visit frequencies are skewed (a few regulars,
    many occasional customers), with weekday and seasonal effects, churn and a few returns.
    Defaults: 1,000 customers, 12 months from 2026-01-01, seed 1, shape cafe, standard output.
    A file given with --out is replaced only once the whole history is written.

    """
}
