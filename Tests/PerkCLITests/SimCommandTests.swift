import Foundation
import PerkTestSupport
import Testing

/// `perk sim` and `perk gen`, run as the built executable.
@Suite struct SimCommandTests {
  static let root = PerkExecutable.repositoryRoot()
  static let small = "Tests/SimulatorFixtures/small.csv"

  @Test func simWithNoArgumentsRunsTheBuiltInCafeExample() throws {
    let result = try PerkExecutable.run(arguments: ["sim", "--threads", "1"], currentDirectory: Self.root)
    #expect(result.exitCode == 0)
    #expect(result.stdout.hasPrefix("Perk simulation: Bean & Leaf Rewards\n"))
    #expect(result.stdout.contains("  history        <built-in café history: 300 customers, 12 months>: "))
    #expect(result.stdout.contains("  redemption     rate:0.7: 70.00% of affordable redemptions happen (seeded, per customer) (seed 1)\n"
      + "                 the built-in example's default; with a program file the default is none (--redeem sets the policy)\n"))
    #expect(result.stdout.contains("Liability roll-forward: stars"))
    // The built-in history has no birthdays. `double star tuesday` multiplies `base earn`'s award
    // on November Tuesdays (no award under its own name) and fired: it is not named.
    let never = "rules that never fired: `birthday treat` (its condition never held: 14,579 purchases)"
    #expect(result.stdout.contains("  warning: \(never)\n"))
    // Not a terminal: no progress bar, only the warnings and the final throughput line.
    #expect(result.stderr.hasPrefix("warning: \(never)\nperk sim: 29,360 rows, 298 customers in "))
    #expect(result.stderr.hasSuffix(" rows/s, 1 thread)\n"))
    #expect(!result.stderr.contains("\r"))
  }

  /// The built-in run and a program file's run differ in their default redemption policy; only
  /// the built-in run's report says why, and only when `--redeem` did not choose.
  @Test func theBuiltInRunExplainsItsRedemptionDefault() throws {
    let note = "the built-in example's default"
    let chosen = try PerkExecutable.run(arguments: ["sim", "--threads", "1", "--redeem", "rate:0.7"], currentDirectory: Self.root)
    #expect(chosen.exitCode == 0)
    #expect(chosen.stdout.contains("  redemption     rate:0.7: "))
    #expect(!chosen.stdout.contains(note))
    let file = try PerkExecutable.run(arguments: ["sim", "rules/cafe.perk", "--history", Self.small, "--threads", "1"],
                                      currentDirectory: Self.root)
    #expect(file.exitCode == 0)
    #expect(file.stdout.contains("  redemption     none: nobody redeems; every point stays a liability until it expires\n"))
    #expect(!file.stdout.contains(note))
  }

  @Test func jsonIsByteIdenticalForAnyThreadCount() throws {
    func run(_ threads: String) throws -> String {
      let result = try PerkExecutable.run(arguments: ["sim", "rules/cafe.perk", "--history", Self.small, "--format", "json", "--threads", threads,
                                                      "--redeem", "asap"], currentDirectory: Self.root)
      #expect(result.exitCode == 0)
      return result.stdout
    }
    let one = try run("1")
    #expect(one.contains("\"format\": \"perk-sim-report/1\""))
    #expect(try run("3") == one)
  }

  @Test func shardsMergeIntoTheSingleRunReport() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perk-shards-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let history = dir.appendingPathComponent("h.csv").path
    let gen = try PerkExecutable.run(arguments: ["gen", "--customers", "40", "--months", "2", "--seed", "4", "--shape", "grocery", "--out", history])
    #expect(gen.exitCode == 0)
    let single = try PerkExecutable.run(arguments: ["sim", "rules/cafe.perk", "--history", history, "--redeem", "rate:0.5"], currentDirectory: Self.root)
    var paths: [String] = []
    for k in 1...2 {
      let path = dir.appendingPathComponent("s\(k).json").path
      let shard = try PerkExecutable.run(arguments: ["sim", "rules/cafe.perk", "--history", history, "--redeem", "rate:0.5", "--shard", "\(k)/2",
                                                     "--format", "json", "--out", path], currentDirectory: Self.root)
      #expect(shard.exitCode == 0)
      paths.append(path)
    }
    let merged = try PerkExecutable.run(arguments: ["sim", "merge"] + paths.reversed(), currentDirectory: Self.root)
    #expect(merged.exitCode == 0)
    #expect(merged.stdout == single.stdout)
    let missing = try PerkExecutable.run(arguments: ["sim", "merge", paths[0]], currentDirectory: Self.root)
    #expect(missing.exitCode == 1)
    #expect(missing.stderr == "error: missing shard report 2/2\n")
  }

  @Test func genIsDeterministic() throws {
    let a = try PerkExecutable.run(arguments: ["gen", "--customers", "3", "--months", "1", "--seed", "8"])
    let b = try PerkExecutable.run(arguments: ["gen", "--customers", "3", "--months", "1", "--seed", "8"])
    #expect(a.exitCode == 0)
    #expect(a.stdout == b.stdout)
    #expect(a.stdout.hasPrefix("customer,txn,time,sku,category,qty,unit_price,type,orig_txn\n"))
  }

  @Test func mistakesAreReported() throws {
    let policy = try PerkExecutable.run(arguments: ["sim", "rules/cafe.perk", "--history", Self.small, "--redeem", "sometimes"], currentDirectory: Self.root)
    #expect(policy.exitCode == 2)
    #expect(policy.stderr.hasPrefix("error: invalid value `sometimes` for `--redeem`\n  = help: expected one of `none`, `asap`, `threshold:N`, `rate:0.7`\n"))
    let noHistory = try PerkExecutable.run(arguments: ["sim", "rules/cafe.perk"], currentDirectory: Self.root)
    #expect(noHistory.exitCode == 2)
    #expect(noHistory.stderr.hasPrefix("error: missing `--history FILE` (the purchase history to simulate)\n"))
    let strict = try PerkExecutable.run(arguments: ["sim", "rules/cafe.perk", "--history", Self.small, "--strict"], currentDirectory: Self.root)
    #expect(strict.exitCode == 1)
    #expect(strict.stderr.hasPrefix("error: \(Self.small):8: time `not a date` does not match ISO 8601"))
    let missingFile = try PerkExecutable.run(arguments: ["sim", "rules/cafe.perk", "--history", "nope.csv"], currentDirectory: Self.root)
    #expect(missingFile.exitCode == 1)
    #expect(missingFile.stderr.hasPrefix("error: nope.csv: no such file\n"))
  }

  @Test func csvAndTraceFiles() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perk-trace-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let trace = dir.appendingPathComponent("t.jsonl").path
    let result = try PerkExecutable.run(arguments: ["sim", "rules/cafe.perk", "--history", Self.small, "--format", "csv", "--trace", trace],
                                        currentDirectory: Self.root)
    #expect(result.exitCode == 0)
    #expect(result.stdout.hasPrefix("month,revenue,transactions,active_customers,known_customers,cost,cost_points,"))
    let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 6)
    #expect(lines[0].hasPrefix("{\"awards\":[{\"card\":\"coffee card\",\"explanation\":\"2 stamps collected; 2 on the card of 10\""))
    #expect(lines[0].contains("\"customer\":\"a\""))
  }

  @Test func aNameNoPurchaseHasAndARuleThatNeverFiredAreReportedInEveryFormat() throws {
    let scratch = try ScratchDirectory("sim-never")
    let program = """
      program "Never"
        currency USD
        timezone America/New_York

      points stars
        worth $0.01

      rule base earn
        on purchase
        earn 1 stars per $1 spent

      rule pastry bonus
        on purchase
        earn 5 stars per item in category pastri

      rule sku bonus
        on purchase
        earn 5 stars per item on sku latte

      """
    try program.write(toFile: scratch.path("never.perk"), atomically: true, encoding: .utf8)
    let history = Self.root.appendingPathComponent(Self.small).path
    let category = "category `pastri`, which the program's filters name, occurs in no purchase of the history"
    let rules = "rules that never fired: `pastry bonus` (it fired but gave nothing: 5 purchases)"
    let text = try PerkExecutable.run(arguments: ["sim", scratch.path("never.perk"), "--history", history, "--threads", "1"])
    #expect(text.exitCode == 0)
    #expect(text.stdout.contains("  warning: \(category)\n  warning: \(rules)\n"))
    #expect(text.stderr.hasPrefix("warning: \(category)\nwarning: \(rules)\nperk sim: "))
    let html = try PerkExecutable.run(arguments: ["sim", scratch.path("never.perk"), "--history", history, "--format", "html"])
    #expect(html.stdout.contains("<td>warning</td><td>\(rules)</td>"))
    let json = try PerkExecutable.run(arguments: ["sim", scratch.path("never.perk"), "--history", history, "--format", "json",
                                                  "--out", scratch.path("report.json")])
    #expect(json.exitCode == 0)
    let report = try #require(scratch.read("report.json"))
    #expect(report.contains("\"rules_never_fired\": [\n    \"pastry bonus\"\n  ]"))
    #expect(report.contains("\"filter_names_never_seen\": [\n    \"category pastri\"\n  ]"))
    // A merged report of one shard says the same.
    let merged = try PerkExecutable.run(arguments: ["sim", "merge", scratch.path("report.json")])
    #expect(merged.stdout.contains("  warning: \(rules)\n"))
    #expect(merged.stderr == "warning: \(category)\nwarning: \(rules)\n")
  }

  /// Two versions of one program have the same name: the comparison names each side by its file,
  /// in the text and the HTML report, and the HTML has both comparison charts.
  @Test func compareNamesTheSidesByFileWhenTheProgramNamesAreEqual() throws {
    let scratch = try ScratchDirectory("sim-compare-sides")
    let cafe = try String(contentsOf: Self.root.appendingPathComponent("rules/cafe.perk"), encoding: .utf8)
    try cafe.write(toFile: scratch.path("cafe.perk"), atomically: true, encoding: .utf8)
    try cafe.replacingOccurrences(of: "earn 2 stars per $1 spent", with: "earn 3 stars per $1 spent")
      .write(toFile: scratch.path("cafe-v2.perk"), atomically: true, encoding: .utf8)
    let history = Self.root.appendingPathComponent(Self.small).path
    let arguments = ["sim", scratch.path("cafe.perk"), "--history", history, "--compare", scratch.path("cafe-v2.perk"), "--threads", "1"]
    let text = try PerkExecutable.run(arguments: arguments)
    #expect(text.exitCode == 0)
    #expect(text.stdout.contains("\nComparison: A = cafe.perk, B = cafe-v2.perk\n"))
    let html = try PerkExecutable.run(arguments: arguments + ["--format", "html", "--out", scratch.path("report.html")])
    #expect(html.exitCode == 0)
    let report = scratch.read("report.html") ?? ""
    #expect(report.contains("<section id=\"compare\"><h2>Comparison: A = cafe.perk, B = cafe-v2.perk</h2>"))
    #expect(report.contains("data-chart=\"compare-cost-per-month\"") && report.contains("data-chart=\"compare-differences\""))
    #expect(report.contains(">A: cafe.perk</text>") && report.contains(">B: cafe-v2.perk</text>"))
  }
}
