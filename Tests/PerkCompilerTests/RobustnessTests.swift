import Foundation
import Perk
import Testing

/// A user's mistake never crashes: damaged versions of the café program all compile to diagnostics.
@Suite struct RobustnessTests {
  @Test func everyLineRemovedOrTruncated() {
    let lines = cafeProgram.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for i in lines.indices {
      var removed = lines
      removed.remove(at: i)
      _ = compile(source: removed.joined(separator: "\n"))
      var truncated = lines
      truncated[i] = String(truncated[i].prefix(truncated[i].count / 2))
      _ = compile(source: truncated.joined(separator: "\n"))
    }
  }

  @Test func oneTypoIsOneError() {
    let source = cafeProgram.replacingOccurrences(of: "multiply stars by 2", with: "multiply stras by 2")
    let compilation = compile(source: source)
    #expect(compilation.diagnostics.map(\.code.rawValue) == ["E0302"])
    #expect(compilation.diagnostics.first?.help == "did you mean `stars`?")
  }
}
