import Foundation
import PerkTestSupport
import Testing

/// `perk eval --stream`: JSON Lines in and out, one process.
@Test func evalStreamWritesOneOutcomeLinePerEventAndGoesOnAfterABadLine() throws {
  let root = PerkExecutable.repositoryRoot()
  let input = try String(contentsOf: root.appendingPathComponent("Tests/PerkServeTests/Goldens/stream-input.jsonl"), encoding: .utf8)
  let result = try PerkExecutable.run(arguments: ["eval", "rules/cafe.perk", "--stream"], stdin: input, currentDirectory: root)
  #expect(result.exitCode == 1)
  #expect(result.stderr == "")
  Golden.assertMatches(actual: result.stdout, goldenPath: "Goldens/stream-output.jsonl")
}

@Test func evalStreamContinuesEachCustomersStateOrTakesTheGivenOne() throws {
  let root = PerkExecutable.repositoryRoot()
  // The second line has no state: it continues c-1's. The third gives c-1 a fresh state.
  let lines = [purchase("c-1", id: "t-1"), purchase("c-1", id: "t-1"),
               purchase("c-1", id: "t-1").replacingOccurrences(of: "\"customer\": \"c-1\",", with: "\"customer\": \"c-1\", \"state\": {\"version\": 2},")]
  let result = try PerkExecutable.run(arguments: ["eval", "rules/cafe.perk", "--stream"], stdin: lines.joined(separator: "\n"),
                                      currentDirectory: root)
  #expect(result.exitCode == 0)
  let outcomes = result.stdout.split(separator: "\n")
  #expect(outcomes.count == 3)
  #expect(outcomes[0].contains("\"duplicate\":false"))
  #expect(outcomes[1].contains("\"duplicate\":true"))
  #expect(outcomes[2].contains("\"duplicate\":false"))
}
