import Foundation
import PerkRuntime
import PerkSource
import PerkTestSupport
import Testing

@testable import PerkCLI

/// The inputs in `Diagnostics/`: each `NAME.perk` marks its offending lines with
/// `# error: CODE` or `# warning: CODE`; `NAME.txt` and `NAME.json` are the rendered goldens.
enum DiagnosticInputs {
  static var directory: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Diagnostics")
  }

  static var names: [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return entries.filter { $0.hasSuffix(".perk") }.map { String($0.dropLast(5)) }.sorted()
  }

  /// The expected (line, code) pairs from the annotations.
  static func annotations(in file: SourceFile) -> [Expectation] {
    var result: [Expectation] = []
    for line in 1...file.lineStarts.count {
      let text = file.lineText(line)
      for marker in ["# error: ", "# warning: "] {
        guard let found = text.range(of: marker, options: .backwards) else { continue }
        let codes = text[found.upperBound...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for code in codes { result.append(Expectation(line: line, code: code)) }
      }
    }
    return result.sorted()
  }

  /// The date of a `# perk check --as-of DATE` line, which an input about dates (W0117) carries.
  static func asOf(in file: SourceFile) -> LocalDate? {
    let marker = "# perk check --as-of "
    for line in 1...file.lineStarts.count where file.lineText(line).hasPrefix(marker) {
      return LocalDate(iso: file.lineText(line).dropFirst(marker.count).trimmingCharacters(in: .whitespaces))
    }
    return nil
  }

  struct Expectation: Hashable, Comparable, CustomStringConvertible {
    var line: Int
    var code: String
    static func < (a: Self, b: Self) -> Bool { (a.line, a.code) < (b.line, b.code) }
    var description: String { "line \(line): \(code)" }
  }
}

/// Every code the compiler can emit has an input here with both goldens, and a section in
/// docs/diagnostics.md; a new code without them fails this test by name.
@Test(arguments: DiagnosticCode.allCases)
func everyDiagnosticCodeHasAGoldenAndADocsSection(code: DiagnosticCode) throws {
  let inputs = DiagnosticInputs.names.filter { $0.hasPrefix(code.rawValue + "-") }
  #expect(inputs.count == 1, "\(code.rawValue): \(inputs.count) inputs in Diagnostics/")
  for name in inputs {
    for suffix in [".txt", ".json"] {
      let golden = DiagnosticInputs.directory.appendingPathComponent(name + suffix)
      #expect(FileManager.default.fileExists(atPath: golden.path), "\(name)\(suffix) is missing")
    }
  }
  let docs = try String(
    contentsOf: PerkExecutable.repositoryRoot().appendingPathComponent("docs/diagnostics.md"), encoding: .utf8)
  #expect(docs.contains("\n## \(code.rawValue) "), "docs/diagnostics.md has no section `## \(code.rawValue) …`")
}

@Test func everyDiagnosticInputIsAnnotatedWithADistinctCode() throws {
  let names = DiagnosticInputs.names
  var seen: Set<String> = []
  for name in names {
    let url = DiagnosticInputs.directory.appendingPathComponent(name + ".perk")
    let file = SourceFile(path: name + ".perk", bytes: Array(try Data(contentsOf: url)))
    let codes = DiagnosticInputs.annotations(in: file).map(\.code)
    #expect(!codes.isEmpty, "\(name) has no annotation")
    for code in codes { #expect(DiagnosticCode(rawValue: code) != nil, "\(name): unknown code \(code)") }
    #expect(!seen.contains(codes.first ?? ""), "\(name) repeats a code")
    seen.formUnion(codes)
  }
}

@Test(arguments: DiagnosticInputs.names)
func diagnosticsMatchAnnotationsAndGoldens(name: String) throws {
  let url = DiagnosticInputs.directory.appendingPathComponent(name + ".perk")
  let file = SourceFile(path: name + ".perk", bytes: Array(try Data(contentsOf: url)))
  let diagnostics = Engine.check([file], asOf: DiagnosticInputs.asOf(in: file))
  let actual = diagnostics.map {
    DiagnosticInputs.Expectation(line: file.location(of: $0.range.start).line, code: $0.code.rawValue)
  }.sorted()
  #expect(actual == DiagnosticInputs.annotations(in: file))
  let renderer = DiagnosticRenderer(files: [file], colors: false)
  let text = renderer.render(diagnostics) + (renderer.summary(of: diagnostics).map { $0 + "\n" } ?? "")
  Golden.assertMatches(actual: text, goldenPath: "Diagnostics/\(name).txt")
  Golden.assertMatches(actual: DiagnosticJSON.encode(diagnostics, files: [file]) + "\n", goldenPath: "Diagnostics/\(name).json")
}
