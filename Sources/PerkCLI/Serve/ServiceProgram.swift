import Foundation
import Perk
import PerkRuntime
import PerkSource

/// The program `perk serve` evaluates with: compiled once, with its sources' hash.
struct ServiceProgram: Sendable {
  let program: Program
  let files: [SourceFile]
  /// SHA-256 of the sources, each as its path, a NUL, its bytes and a NUL, in order.
  let hash: String

  /// Compiles `files`; nil with the rendered diagnostics when they have errors.
  static func compile(_ files: [SourceFile]) -> Result<ServiceProgram, ProgramErrors> {
    let compilation = Perk.compile(files)
    guard let program = compilation.program, !compilation.hasErrors else {
      let renderer = DiagnosticRenderer(files: files, colors: false)
      let errors = compilation.diagnostics.filter { $0.severity == .error }
      return .failure(ProgramErrors(text: renderer.render(errors)))
    }
    var bytes: [UInt8] = []
    for file in files { bytes += Array(file.path.utf8) + [0] + file.bytes + [0] }
    return .success(ServiceProgram(program: program, files: files, hash: SHA256.hex(bytes)))
  }

  /// `GET /v1/program`: the name, the hash, the files and what the program declares.
  var json: JSONOutput {
    .object([
      "name": .string(program.name),
      "hash": .string(hash),
      "files": .array(files.map { .string($0.path) }),
      "declarations": .object([
        "currencies": .array(program.points.map { .string($0.name) }),
        "stamp_cards": .array(program.cards.map { .string($0.name) }),
        "tiers": .array((program.tiers?.levels ?? []).map { .string($0.name) }),
        "rules": .array(program.rules.map { .string($0.name) }),
        "rebates": .array(program.rebates.map { .string($0.name) }),
      ]),
    ])
  }
}

/// A program that does not check clean: its errors, rendered as `perk check` renders them.
struct ProgramErrors: Error {
  var text: String
}
