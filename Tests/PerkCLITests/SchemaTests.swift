import Foundation
import PerkTestSupport
import Testing

/// The JSON Schemas in docs/schemas/ hold for their examples and for what `perk eval` and
/// `perk sim --trace` really write, and the outcome and the trace describe an award alike.
@Suite struct SchemaTests {
  static let root = PerkExecutable.repositoryRoot()
  static let schemaDirectory = root.appendingPathComponent("docs/schemas")

  static func schemas() throws -> JSONSchemaSet { try JSONSchemaSet(directory: schemaDirectory) }

  static func document(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONDocument {
    try #require(JSONDocument.parse(text), "not JSON: \(text.prefix(200))", sourceLocation: sourceLocation)
  }

  func perk(_ arguments: [String], stdin: String = "") throws -> PerkExecutable.Result {
    try PerkExecutable.run(arguments: arguments, stdin: stdin, currentDirectory: Self.root)
  }

  @Test func everySchemaIsThereAndEveryExampleValidates() throws {
    let set = try Self.schemas()
    #expect(set.schemas.keys.sorted() == [
      "customer.schema.json", "event.schema.json", "outcome.schema.json", "state.schema.json", "trace-line.schema.json",
    ])
    let examples = Self.schemaDirectory.appendingPathComponent("examples")
    var checked: Set<String> = []
    for name in try FileManager.default.contentsOfDirectory(atPath: examples.path).sorted() where name.hasSuffix(".json") {
      // `outcome-return.json` is an example of `outcome.schema.json`, `trace-line-….json` of `trace-line.schema.json`.
      let schema = try #require(set.schemas.keys.filter { name.hasPrefix($0.replacingOccurrences(of: ".schema.json", with: "")) }
        .max { $0.count < $1.count }, "no schema for \(name)")
      let text = try String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8)
      #expect(set.validate(try Self.document(text), against: schema) == [], "\(name)")
      checked.insert(schema)
    }
    #expect(checked == Set(set.schemas.keys), "every schema has an example")
  }

  /// The ```json KIND blocks of docs/interchange.md validate against KIND.schema.json.
  @Test func theDocumentedBlocksValidate() throws {
    let set = try Self.schemas()
    let text = try String(contentsOf: Self.root.appendingPathComponent("docs/interchange.md"), encoding: .utf8)
    var blocks: [(kind: String, text: String)] = []
    var current: (kind: String, text: String)?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if let block = current {
        if line == "```" { blocks.append(block); current = nil } else { current = (block.kind, block.text + line + "\n") }
      } else if line.hasPrefix("```json ") {
        current = (String(line.dropFirst("```json ".count)), "")
      }
    }
    #expect(blocks.map(\.kind) == ["event", "customer", "state", "outcome", "trace-line"])
    for block in blocks {
      #expect(set.validate(try Self.document(block.text), against: "\(block.kind).schema.json") == [], "\(block.kind)")
    }
  }

  @Test func theValidatorRejectsWrongDocuments() throws {
    let set = try Self.schemas()
    let examples = Self.schemaDirectory.appendingPathComponent("examples")
    var text = try String(contentsOf: examples.appendingPathComponent("outcome-purchase.json"), encoding: .utf8)
    text = text.replacingOccurrences(of: "\"paid_minor\": 775", with: "\"paid_minor\": \"7.75\"")
      .replacingOccurrences(of: "\"txn\": \"t-1\"", with: "\"event\": \"t-1\"")
      .replacingOccurrences(of: "\"time\": \"2026-11-03T08:15:00-05:00\"", with: "\"time\": \"2026-11-03 08:15\"")
      .replacingOccurrences(of: "\"stamps\": 1", with: "\"count\": 1")
    let errors = set.validate(try Self.document(text), against: "outcome.schema.json")
    #expect(errors.sorted() == [
      "/: missing required key `txn`",
      "/awards/0: matches 0 of the 11 `oneOf` schemas, not exactly one (closest: /awards/0: missing required key `stamps`; "
        + "/awards/0/count: unknown key `count`)",
      "/event: unknown key `event`",
      "/paid_minor: expected integer, found \"7.75\"",
      "/time: \"2026-11-03 08:15\" does not match ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$",
    ])
    // A schema outside the checked subset is itself an error, so a schema cannot claim what is not checked.
    let loose = JSONSchemaSet(schemas: ["x.json": try Self.document(#"{"type": "object", "maxProperties": 1}"#)])
    #expect(loose.validate(try Self.document("{}"), against: "x.json") == ["/: the schema uses `maxProperties`, which this validator does not check"])
  }

  /// Every example event of `rules/examples` through `perk eval`: the event, customer, outcome and
  /// written state validate, the state also when written to standard output (`--out-state -`).
  @Test func realEvalOutputsValidate() throws {
    let set = try Self.schemas()
    let scratch = try ScratchDirectory("perk-schema")
    let examples = Self.root.appendingPathComponent("rules/examples")
    var programs = 0
    for name in try FileManager.default.contentsOfDirectory(atPath: examples.path).sorted() where name.hasSuffix("-purchase.json") {
      let prefix = String(name.dropLast("-purchase.json".count))
      let program = try #require(try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("rules").path)
        .first { $0 == "\(prefix).perk" || $0.hasPrefix("\(prefix)-") && $0.hasSuffix(".perk") })
      var arguments = ["eval", "rules/\(program)", "--event", "rules/examples/\(name)", "--out-state", scratch.path("\(prefix).json")]
      let customer = "rules/examples/\(prefix)-customer.json"
      if FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(customer).path) {
        arguments += ["--customer", customer]
        let text = try String(contentsOf: Self.root.appendingPathComponent(customer), encoding: .utf8)
        #expect(set.validate(try Self.document(text), against: "customer.schema.json") == [], "\(customer)")
      }
      let event = try String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8)
      #expect(set.validate(try Self.document(event), against: "event.schema.json") == [], "\(name)")
      let result = try perk(arguments)
      #expect(result.exitCode == 0, "\(result.stderr)")
      #expect(set.validate(try Self.document(result.stdout), against: "outcome.schema.json") == [], "\(program)")
      let state = try #require(scratch.read("\(prefix).json"))
      #expect(set.validate(try Self.document(state), against: "state.schema.json") == [], "\(program) state")
      programs += 1
    }
    #expect(programs == 5)
    let both = try perk(["eval", "rules/cafe.perk", "--event", "rules/examples/cafe-purchase.json", "--out-state", "-"])
    let parts = both.stdout.components(separatedBy: "\n}\n\n{\n")
    #expect(parts.count == 2)
    #expect(set.validate(try Self.document(parts[0] + "\n}"), against: "outcome.schema.json") == [])
    #expect(set.validate(try Self.document("{\n" + parts[1]), against: "state.schema.json") == [])
    #expect(scratch.listing() == ["cafe.json", "p1.json", "p3.json", "p4.json", "p7.json"])
  }

  /// `perk sim --trace` on every program in `rules/` over one generated history (seeded): every
  /// line validates against the trace-line schema.
  @Test func realTraceLinesValidate() throws {
    let set = try Self.schemas()
    let scratch = try ScratchDirectory("perk-schema-trace")
    let gen = try perk(["gen", "--customers", "8", "--months", "14", "--seed", "3", "--shape", "cafe", "--out", scratch.path("h.csv")])
    #expect(gen.exitCode == 0)
    var kinds: Set<String> = []
    var lines = 0
    let programs = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("rules").path)
      .filter { $0.hasSuffix(".perk") }.sorted()
    #expect(programs.count >= 20)
    for program in programs {
      let result = try perk(["sim", "rules/\(program)", "--history", scratch.path("h.csv"), "--format", "csv", "--out",
                             scratch.path("report.csv"), "--trace", "-", "--redeem", "rate:0.5"])
      #expect(result.exitCode == 0, "\(program): \(result.stderr)")
      for line in result.stdout.split(separator: "\n") {
        let document = try Self.document(String(line))
        let errors = set.validate(document, against: "trace-line.schema.json")
        #expect(errors == [], "\(program): \(line.prefix(300))")
        if case .array(let awards)? = document["awards"] {
          for case .string(let kind)? in awards.map({ $0["kind"] }) { kinds.insert(kind) }
        }
        lines += 1
      }
    }
    #expect(lines > 100)
    // The history reaches most award kinds, so the schema's branches are tried on real output.
    #expect(kinds.isSuperset(of: ["points", "stamps", "free_item", "voucher", "expired", "redeemed", "tier_change", "rebate"]), "\(kinds.sorted())")
  }

  /// The same purchase through `perk eval` and through `perk sim --trace`: the awards are the same
  /// objects (the trace adds only the report's `cost_kind` and `cost_minor`), and so are the
  /// transaction, time, amount paid, balances and tiers.
  @Test func evalAndTheTraceDescribeAPurchaseAlike() throws {
    let scratch = try ScratchDirectory("perk-vocabulary")
    try """
      customer,txn,time,sku,category,qty,unit_price
      c-1001,t-1,2026-11-03T08:15:00-05:00,latte,coffee,1,4.50
      c-1001,t-1,2026-11-03T08:15:00-05:00,croissant,pastry,1,3.25

      """.write(toFile: scratch.path("h.csv"), atomically: true, encoding: .utf8)
    try "customer,birthday,signup_date\nc-1001,1990-11-20,2025-03-14\n".write(toFile: scratch.path("c.csv"), atomically: true, encoding: .utf8)
    let eval = try perk(["eval", "rules/cafe.perk", "--event", "rules/examples/cafe-purchase.json", "--customer", "rules/examples/cafe-customer.json"])
    #expect(eval.exitCode == 0)
    let sim = try perk(["sim", "rules/cafe.perk", "--history", scratch.path("h.csv"), "--customers", scratch.path("c.csv"),
                        "--format", "csv", "--out", scratch.path("r.csv"), "--trace", "-"])
    #expect(sim.exitCode == 0, "\(sim.stderr)")
    let outcome = try Self.document(eval.stdout)
    let traced = try #require(try sim.stdout.split(separator: "\n").map { try Self.document(String($0)) }.first { $0["txn"] == .string("t-1") })
    guard case .array(let evalAwards)? = outcome["awards"], case .array(let traceAwards)? = traced["awards"] else {
      Issue.record("no awards")
      return
    }
    #expect(evalAwards.count == 4)
    let withoutCosts: [JSONDocument] = traceAwards.map { award in
      guard case .object(let members) = award else { return award }
      return .object(members.filter { $0.key != "cost_kind" && $0.key != "cost_minor" })
    }
    #expect(withoutCosts == evalAwards)
    for key in ["txn", "type", "time", "paid_minor", "money_currency", "balances", "tier", "tier_before", "duplicate"] {
      #expect(traced[key] == outcome[key], "\(key)")
    }
    #expect(outcome["time"] == .string("2026-11-03T08:15:00-05:00"))
    #expect(outcome["tier_before"] == .string("green"))
  }
}
