import Foundation
import PerkSource
import PerkTestSupport
import Testing

@testable import PerkCLI

/// The fenced code blocks of the docs: ```perk must check cleanly, ```perk-error CODE must yield CODE.
enum DocumentationBlocks {
  struct Block: CustomStringConvertible, Sendable {
    var path: String
    var line: Int
    var expectedCode: String?
    var text: String
    var description: String { "\(path):\(line)" }
  }

  static var root: URL { PerkExecutable.repositoryRoot() }

  static func files(in folder: String, suffix: String) -> [String] {
    let url = root.appendingPathComponent(folder)
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    return entries.filter { $0.hasSuffix(suffix) }.sorted().map { "\(folder)/\($0)" }
  }

  static var blocks: [Block] {
    var result: [Block] = []
    for path in files(in: "docs", suffix: ".md") {
      guard let text = try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) else { continue }
      var current: Block?
      for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        if var block = current {
          if line.hasPrefix("```") {
            result.append(block)
            current = nil
          } else {
            block.text += line + "\n"
            current = block
          }
        } else if line == "```perk" || line.hasPrefix("```perk ") {
          // (`perk NAME`: a file the tutorial builds, checked here like any other.)
          current = Block(path: path, line: index + 1, expectedCode: nil, text: "")
        } else if line.hasPrefix("```perk-error ") {
          current = Block(path: path, line: index + 1, expectedCode: String(line.dropFirst(14)), text: "")
        }
      }
    }
    return result
  }
}

@Test func docsContainPerkBlocks() {
  let blocks = DocumentationBlocks.blocks
  #expect(blocks.count(where: { $0.expectedCode == nil }) >= 10)
  #expect(blocks.count(where: { $0.expectedCode != nil }) >= 27)
}

@Test(arguments: DocumentationBlocks.files(in: "rules", suffix: ".perk"))
func ruleFilesCheckWithoutErrors(path: String) throws {
  let data = try Data(contentsOf: DocumentationBlocks.root.appendingPathComponent(path))
  let file = SourceFile(path: path, bytes: Array(data))
  let diagnostics = Engine.check([file])
  let rendered = DiagnosticRenderer(files: [file], colors: false).render(diagnostics)
  #expect(!diagnostics.contains { $0.severity == .error }, "\(rendered)")
}

@Test(arguments: DocumentationBlocks.blocks)
func documentationBlockChecks(block: DocumentationBlocks.Block) {
  let file = SourceFile(path: block.description, text: block.text)
  let diagnostics = Engine.check([file], asOf: DiagnosticInputs.asOf(in: file))
  let rendered = DiagnosticRenderer(files: [file], colors: false).render(diagnostics)
  if let code = block.expectedCode {
    #expect(diagnostics.contains { $0.code.rawValue == code }, "\(block): expected \(code)\n\(rendered)")
  } else {
    // Fragments in the reference are shown without a `program` declaration.
    let errors = diagnostics.filter { $0.severity == .error && $0.code != .missingProgram }
    #expect(errors.isEmpty, "\(block)\n\(rendered)")
  }
}

@Test func builtInCafeProgramEqualsRulesCafe() throws {
  let text = try String(
    contentsOf: DocumentationBlocks.root.appendingPathComponent("rules/cafe.perk"), encoding: .utf8)
  let withoutComment = text.split(separator: "\n", omittingEmptySubsequences: false)
    .drop { $0.hasPrefix("#") }.joined(separator: "\n")
  // The file's `test` declarations follow the program; the built-in example is the program alone.
  let program = withoutComment.range(of: "\n\ntest ").map { String(withoutComment[..<$0.lowerBound]) + "\n" } ?? withoutComment
  #expect(program == CafeExample.program)
}
