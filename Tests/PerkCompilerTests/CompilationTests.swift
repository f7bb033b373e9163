import Perk
import Testing

@Suite struct CompilationTests {
  @Test func cafeCompilesWithoutDiagnostics() {
    let compilation = compile(source: cafeProgram, path: "cafe.perk")
    #expect(compilation.diagnostics.isEmpty)
    #expect(!compilation.hasErrors)
  }

  @Test func declarationsMayBeSplitAcrossFiles() {
    let head = SourceFile(id: 0, path: "program.perk", text: "program \"Split\"\n  currency USD\n  timezone UTC\n")
    let rules = SourceFile(id: 1, path: "rules.perk",
                           text: "points stars\n  worth $0.01\n\nrule base\n  on purchase\n  earn 1 stars per $1 spent\n")
    #expect(compile([head, rules]).diagnostics.isEmpty)
  }

  @Test func everyErrorInOneRunSortedByFileAndPosition() {
    let head = SourceFile(id: 0, path: "a.perk", text: "program \"X\"\n  currency USX\n  timezone UTC\n")
    let rules = SourceFile(id: 1, path: "b.perk", text: "rule r\n  on purchase\n  earn 1 gems\n")
    let compilation = compile([head, rules])
    #expect(compilation.diagnostics.map(\.code.rawValue) == ["E0308", "E0302"])
    #expect(compilation.diagnostics.map { compilation.location(of: $0)?.description } == ["a.perk:2:12", "b.perk:3:10"])
  }
}
