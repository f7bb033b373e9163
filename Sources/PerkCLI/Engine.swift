import Foundation
import Perk
import PerkRuntime
import PerkSource

/// The one place the CLI calls the compiler and the runtime.
enum Engine {
  /// The sorted diagnostics of checking `files` together as one program; `asOf` judges rules' dates.
  static func check(_ files: [SourceFile], asOf: LocalDate? = nil) -> [Diagnostic] {
    compile(files, asOf: asOf).diagnostics
  }

  /// Evaluates one event; returns the outcome JSON and the new state JSON.
  ///
  /// Input files are read with the runtime's positioned JSON reader, so any mistake is
  /// reported as `path:line:column: message`. `decimalMark` is how the event's string amounts
  /// write their decimals.
  static func evaluate(
    _ files: [SourceFile], event: Data, eventPath: String, decimalMark: DecimalMark = .point,
    customer: Data?, customerPath: String?, state: Data?, statePath: String?
  ) throws -> (outcome: String, state: String) {
    let compilation = compile(files)
    guard let program = compilation.program else {
      throw UserInputError(description: "the program has errors; run `perk check` to see them")
    }
    do {
      let eventNode = try JSONNode.parse(Array(event), path: shown(eventPath))
      let decodedEvent = try program.decodeEvent(eventNode, path: shown(eventPath), decimalMark: decimalMark)
      var decodedCustomer = Customer(id: "anonymous")
      if let customer, let customerPath {
        let node = try JSONNode.parse(Array(customer), path: shown(customerPath))
        decodedCustomer = try Customer.decode(node, path: shown(customerPath))
      }
      var account = AccountState()
      if let state, let statePath {
        // Strictly, against this program: unknown keys and names are errors, not dropped or carried.
        let node = try JSONNode.parse(Array(state), path: shown(statePath))
        account = try program.decodeState(node, path: shown(statePath))
      }
      let outcome = try program.evaluate(decodedEvent, customer: decodedCustomer, state: account)
      return (outcomeJSON(outcome, program: program, event: decodedEvent, customer: decodedCustomer).rendered(),
              try stateJSON(outcome.state))
    } catch let error as PerkRuntime.InputError {
      throw UserInputError(description: error.description)
    } catch let error as EvaluationError {
      throw UserInputError(description: "evaluation failed: \(error)")
    }
  }

  /// An outcome as JSON: the one form `perk eval`, `perk eval --stream` and `perk serve` write.
  static func outcomeJSON(_ outcome: Outcome, program: Program, event: Event? = nil, customer: Customer? = nil) -> JSONOutput {
    guard let event else { return outcome.json(valueUnknown: program.unvaluedCurrencies) }
    return program.outcomeJSON(outcome, for: event, customer: customer)
  }

  /// An account state as JSON (`--out-state`, `perk serve`'s store); `pretty: false` writes one line.
  static func stateJSON(_ state: AccountState, pretty: Bool = true) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(state), as: UTF8.self)
  }

  private static func shown(_ path: String) -> String { path == "-" ? "<stdin>" : path }
}
