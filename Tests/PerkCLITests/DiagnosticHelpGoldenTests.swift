import Foundation
import PerkSource
import PerkTestSupport
import Testing

@testable import PerkCLI

/// The inputs in `Diagnostics/Help/`: common mistakes whose help must point the right way (a
/// did-you-mean on the misspelt word, the unit explained, one error per mistake). Each is annotated
/// like the inputs of `Diagnostics/` and checked by the built `perk check --strict`; `NAME.txt` is
/// its standard error.
enum HelpInputs {
  static var directory: URL { DiagnosticInputs.directory.appendingPathComponent("Help") }

  static var names: [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return entries.filter { $0.hasSuffix(".perk") }.map { String($0.dropLast(5)) }.sorted()
  }
}

@Test func everyHelpInputIsThere() {
  #expect(HelpInputs.names.count == 12)
}

@Test(arguments: HelpInputs.names)
func helpMatchesAnnotationsAndGoldens(name: String) throws {
  let url = HelpInputs.directory.appendingPathComponent(name + ".perk")
  let file = SourceFile(path: name + ".perk", bytes: Array(try Data(contentsOf: url)))
  let actual = Engine.check([file]).map {
    DiagnosticInputs.Expectation(line: file.location(of: $0.range.start).line, code: $0.code.rawValue)
  }.sorted()
  #expect(actual == DiagnosticInputs.annotations(in: file))
  let result = try PerkExecutable.run(arguments: ["check", "--strict", name + ".perk"], currentDirectory: HelpInputs.directory)
  #expect(result.exitCode == 1)
  Golden.assertMatches(actual: result.stderr, goldenPath: "Diagnostics/Help/\(name).txt")
}
