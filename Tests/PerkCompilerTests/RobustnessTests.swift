import Foundation
import Perk
import Testing

/// A user's mistake never crashes: damaged versions of the café program all compile to diagnostics.
@Suite struct RobustnessTests {
  @Test func everyLineRemovedOrTruncated() {
    let lines = cafeProgram.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var refused = 0
    for i in lines.indices {
      var removed = lines
      removed.remove(at: i)
      var truncated = lines
      truncated[i] = String(truncated[i].prefix(truncated[i].count / 2))
      for damaged in [removed, truncated] {
        let source = damaged.joined(separator: "\n")
        let compilation = compile(source: source)
        // A program exactly when there is no error, and every diagnostic points into the text.
        #expect((compilation.program == nil) == compilation.hasErrors, "line \(i + 1)")
        for diagnostic in compilation.diagnostics {
          #expect(diagnostic.range.end <= source.utf8.count, "line \(i + 1): \(diagnostic.message)")
          #expect(compilation.location(of: diagnostic) != nil, "line \(i + 1): \(diagnostic.message)")
        }
        if compilation.hasErrors { refused += 1 }
      }
    }
    // Without its `program` line the file is refused; most halved lines are mistakes too.
    let headless = lines.filter { !$0.hasPrefix("program ") }
    #expect(headless.count == lines.count - 1)
    let headlessRefused = compile(source: headless.joined(separator: "\n")).hasErrors
    #expect(headlessRefused)
    #expect(refused >= lines.count / 2)
  }

  @Test func oneTypoIsOneError() {
    let source = cafeProgram.replacingOccurrences(of: "multiply stars by 2", with: "multiply stras by 2")
    let compilation = compile(source: source)
    #expect(compilation.diagnostics.map(\.code.rawValue) == ["E0302"])
    #expect(compilation.diagnostics.first?.help == "did you mean `stars`?")
  }
}
