import Foundation
import Perk
import PerkSource

/// The one place the CLI calls the compiler and the runtime.
///
/// Keeping these calls in one file lets the commands be written and tested while the
/// umbrella `Perk` API (`compile(_:) -> Compilation`, `Program.evaluate(_:customer:state:)`,
/// the Interchange JSON types) is being integrated.
enum Engine {
  /// Whether `check` and `evaluate` call the real compiler; tests that need it are skipped until then.
  static let isIntegrated = true

  /// The sorted diagnostics of checking `files` together as one program.
  static func check(_ files: [SourceFile]) -> [Diagnostic] {
    compile(files).diagnostics
  }

  /// Evaluates one event; returns the outcome JSON and the new state JSON.
  static func evaluate(
    _ files: [SourceFile], event: Data, eventPath: String,
    customer: Data?, customerPath: String?, state: Data?, statePath: String?
  ) throws -> (outcome: String, state: String) {
    // Integration point: decode Event/Customer/State with PerkRuntime's Interchange,
    // `compile(files).program?.evaluate(event, customer:, state:)`, encode the Outcome.
    throw InputError(description: "evaluation is not available in this build: the compiler is not integrated yet")
  }
}
