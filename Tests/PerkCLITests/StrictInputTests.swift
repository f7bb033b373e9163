import Foundation
import PerkTestSupport
import Testing

/// `perk eval` reads its event, customer and state strictly (issue 16, item 5): what it
/// cannot use is an error naming the file, line and key, never silently dropped.
@Suite struct StrictInputTests {
  let root = PerkExecutable.repositoryRoot()

  func temporaryFile(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("perk-strict-\(UUID().uuidString)-\(name)")
  }

  @Test func aMisspeltEventKeyIsRefused() throws {
    let result = try PerkExecutable.run(
      arguments: ["eval", "rules/cafe.perk", "--event", "-"],
      stdin: """
        {"type": "purchase", "id": "t-1", "time": "2026-11-03T08:15:00-05:00",
         "lines": [{"sku": "latte", "categroy": "coffee", "qty": 1, "unit_price": "4.50"}]}
        """,
      currentDirectory: root)
    #expect(result.exitCode == 1)
    #expect(result.stdout == "")
    #expect(result.stderr == "error: <stdin>:2:41: unknown key `categroy` in a line; did you mean `category`?\n")
  }

  @Test func aMisspeltCustomerKeyIsRefused() throws {
    let customer = temporaryFile("customer.json")
    defer { try? FileManager.default.removeItem(at: customer) }
    try Data(#"{"id": "c-1", "brithday": "1990-11-20"}"#.utf8).write(to: customer)
    let result = try PerkExecutable.run(
      arguments: ["eval", "rules/cafe.perk", "--event", "rules/examples/cafe-purchase.json", "--customer", customer.path],
      currentDirectory: root)
    #expect(result.exitCode == 1)
    #expect(result.stderr == "error: \(customer.path):1:27: unknown key `brithday` in the customer; did you mean `birthday`?\n")
  }

  @Test func aStateWithAMisspeltKeyIsRefused() throws {
    let state = temporaryFile("state.json")
    defer { try? FileManager.default.removeItem(at: state) }
    try Data("{\n  \"version\": 2,\n  \"balance\": {\"stars\": 500}\n}\n".utf8).write(to: state)
    let result = try PerkExecutable.run(
      arguments: ["eval", "rules/cafe.perk", "--event", "rules/examples/cafe-purchase.json", "--state", state.path],
      currentDirectory: root)
    #expect(result.exitCode == 1)
    #expect(result.stderr == "error: \(state.path):3:14: unknown key `balance` in the state; did you mean `balances`?\n")
  }

  /// A state written by `perk eval` for the bakery program is not carried into the café's.
  @Test func aStateWrittenForAnotherProgramIsRefused() throws {
    let state = temporaryFile("bakery-state.json")
    defer { try? FileManager.default.removeItem(at: state) }
    let bakery = try PerkExecutable.run(
      arguments: ["eval", "rules/p2-bakery-points.perk", "--event", "rules/examples/cafe-purchase.json", "--out-state", state.path],
      currentDirectory: root)
    #expect(bakery.exitCode == 0)
    let cafe = try PerkExecutable.run(
      arguments: ["eval", "rules/cafe.perk", "--event", "rules/examples/cafe-purchase.json", "--state", state.path],
      currentDirectory: root)
    #expect(cafe.exitCode == 1)
    #expect(cafe.stdout == "")
    #expect(cafe.stderr == "error: \(state.path):3:23: unknown points currency `bakery points` in the state; the program has `stars` "
            + "(a state written for another program is refused: see docs/interchange.md)\n")
    // The bakery program itself reads it back.
    let again = try PerkExecutable.run(
      arguments: ["eval", "rules/p2-bakery-points.perk", "--event", "rules/examples/cafe-purchase.json", "--state", state.path],
      currentDirectory: root)
    #expect(again.exitCode == 0)
    #expect(again.stdout.contains("\"duplicate\": true"))
  }

  /// `perk sim` reads JSON Lines as strictly: a history row with an unknown key is a rejected
  /// row (with `--strict`, the error), a customer row likewise, each with file:line and the key.
  @Test func simRejectsJSONLinesRowsWithUnknownKeys() throws {
    let scratch = try ScratchDirectory("perk-strict-jsonl")
    try """
      {"customer": "a", "time": "2026-01-01T10:00:00", "sku": "latte", "qty": 1, "unit_price": "4.50"}
      {"customer": "a", "time": "2026-01-02T10:00:00", "sku": "latte", "qty": 1, "unit_prize": "4.50"}

      """.write(toFile: scratch.path("h.jsonl"), atomically: true, encoding: .utf8)
    try #"{"customer": "a", "birthdy": "1990-01-01"}"#.write(toFile: scratch.path("c.jsonl"), atomically: true, encoding: .utf8)
    let strict = try PerkExecutable.run(arguments: ["sim", root.path + "/rules/cafe.perk", "--history", "h.jsonl", "--strict"],
                                        currentDirectory: URL(fileURLWithPath: scratch.root))
    #expect(strict.exitCode == 1)
    #expect(strict.stderr == "error: h.jsonl:2: unknown key `unit_prize` in a history row; did you mean `unit_price`? "
      + "(--strict stops at the first bad row)\n")
    let lenient = try PerkExecutable.run(arguments: ["sim", root.path + "/rules/cafe.perk", "--history", "h.jsonl", "--customers", "c.jsonl"],
                                         currentDirectory: URL(fileURLWithPath: scratch.root))
    #expect(lenient.exitCode == 0)
    #expect(lenient.stderr.contains("c.jsonl:1: unknown key `birthdy` in a customer row; did you mean `birthday`?"))
    #expect(lenient.stdout.contains("h.jsonl: 2 rows read, 1 used, 1 rejected"))
    #expect(lenient.stdout.contains("rejected h.jsonl:2: unknown key `unit_prize` in a history row; did you mean `unit_price`?"))
  }
}
