import PerkScenarios
import PerkSource

/// `perk test FILE|DIR... [--format text|json] [--filter TEXT] [--coverage]`: runs the `test` declarations
/// written in Perk files; with `--coverage`, also says what the tests exercised.
enum TestCommand {
  enum Format: String, CaseIterable { case text, json }

  static func run(_ args: inout ArgumentList, console: inout Console) throws -> Int32 {
    let formatName = try args.takeOption("--format") ?? "text"
    guard let format = Format(rawValue: formatName) else {
      throw UsageError.invalidValue(option: "--format", value: formatName, allowed: Format.allCases.map(\.rawValue))
    }
    let filter = try args.takeOption("--filter")
    let coverage = args.takeFlag("--coverage")
    let arguments = try args.takePositionals(knownFlags: ["--format", "--filter", "--color", "--coverage"])
    guard !arguments.isEmpty else { throw UsageError.missingArgument("a Perk file or directory to test") }

    var paths: [String] = []
    for argument in arguments {
      do {
        paths += try ScenarioFiles.paths(under: argument)
      } catch {
        console.err("\(console.style.error("error")): \(error)\n")
        return 2
      }
    }
    var results: [FileTestResult] = []
    for path in paths {
      let data = try InputFiles.read(path, console: console)
      results.append(ScenarioFiles.run(SourceFile(path: path, bytes: Array(data)), filter: filter))
    }
    let report = TestReport(files: results)
    switch format {
    case .text: try console.out(report.text(colors: console.colors) + (coverage ? CoverageReport(results).text : ""))
    case .json: try console.out(report.json(coverage: coverage))
    }
    return report.exitCode
  }
}
