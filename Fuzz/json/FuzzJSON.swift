// libFuzzer entry point: event, customer or account-state JSON -> decoding -> evaluation,
// the path of `perk eval`; simulation reports -> `perk sim merge` (see docs/fuzzing.md).
import Foundation
import Perk
import PerkSimulator

/// The input is one control line and a JSON document:
///
///     KIND;PROGRAM
///     {"type": "purchase", "id": "T1", "time": "2026-03-03T08:15:00", "lines": [...]}
///
/// `KIND` is `event` (`perk eval --event`), `customer` (`--customer`) or `state`
/// (`--state`); any other text picks one by its bytes. The document is evaluated with the
/// two other inputs fixed, and the new state must read back as itself. `KIND` `report` is a
/// `perk sim --format json` report, merged as two shards by `perk sim merge` and rendered.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = FuzzInput(data, size)
  let program = FuzzPrograms.named(input.field(1))
  var event = FuzzJSON.purchase(program)
  var customer = Customer(id: "fuzz")
  var state = AccountState()
  do {
    switch FuzzJSON.Kind(input.field(0)) {
    case .event:
      event = try program.decodeEvent(JSONNode.parse(input.body, path: "event.json"), path: "event.json")
    case .customer:
      customer = try Customer.decode(JSONNode.parse(input.body, path: "customer.json"), path: "customer.json")
    case .state:
      // As Engine.evaluate reads `--state` (Sources/PerkCLI/Engine.swift).
      state = try JSONDecoder().decode(AccountState.self, from: Data(input.body))
    case .report:
      FuzzJSON.merge(input.body)
      return 0
    }
  } catch {
    return 0
  }
  guard let outcome = try? program.evaluate(event, customer: customer, state: state) else { return 0 }
  _ = outcome.json.rendered()
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
  guard let written = try? encoder.encode(outcome.state) else { fatalError("the new state does not encode") }
  // `--out-state` feeds the next `--state`: what perk writes it must read back unchanged.
  guard let reread = try? JSONDecoder().decode(AccountState.self, from: written), reread == outcome.state else {
    fatalError("the new state does not read back as itself")
  }
  return 0
}

enum FuzzJSON {
  /// Which `perk eval` input the document is.
  enum Kind {
    case event, customer, state, report

    init(_ field: Substring) {
      switch field {
      case "event": self = .event
      case "customer": self = .customer
      case "state": self = .state
      case "report": self = .report
      default: self = [.event, .customer, .state, .report][field.utf8.reduce(0) { $0 &+ Int($1) } % 4]
      }
    }
  }

  /// As `perk sim merge` reads a report: decoded, merged (as shard 1/2 with a copy of itself
  /// as 2/2, so every figure is added) and rendered in each format with its own settings.
  static func merge(_ bytes: [UInt8]) {
    guard let (decoded, settings) = try? JSONReport.decode(bytes, path: "report.json") else { return }
    var first = decoded
    _ = TextReport.render(first, settings: settings)
    first.shardIndex = 0
    first.shardCount = 2
    var second = first
    second.shardIndex = 1
    guard let merged = try? ShardMerge.merge([first, second]) else { return }
    _ = TextReport.render(merged, settings: settings)
    _ = JSONReport.render(merged, settings: settings, compare: nil, sweep: [])
    _ = CSVReport.monthly(merged)
    _ = HTMLReport.render(merged, settings: settings, compare: nil, sweep: [])
  }

  /// The event a customer or state document is evaluated with: a purchase in the program's currency.
  static func purchase(_ program: Program) -> Event {
    let text = #"{"type": "purchase", "id": "fuzz-1", "time": "2026-03-03T08:15:00", "#
      + #""lines": [{"sku": "latte", "category": "coffee", "qty": 2, "unit_price": "4.50"}]}"#
    guard let event = try? program.decodeEvent(JSONNode.parse(Array(text.utf8), path: "purchase.json"), path: "purchase.json")
    else { fatalError("fuzz harness: the fixed purchase does not decode") }
    return event
  }
}
