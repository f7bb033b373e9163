import Testing
@testable import PerkRuntime

@Suite struct LineSetTests {
  @Test func holdsLinesInlineAndBeyondSixtyFour() {
    var lines = LineSet()
    #expect(lines.isEmpty && !lines.contains(0))
    for line in [0, 5, 63, 64, 130] { lines.insert(line) }
    #expect([0, 5, 63, 64, 130].allSatisfy { lines.contains($0) })
    #expect(![1, 62, 65, 129, 131, 1_000].contains { lines.contains($0) })
    #expect(!lines.isEmpty)
    #expect(LineSet.none.isEmpty)
  }
}
