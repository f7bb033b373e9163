import PerkCompiler
import PerkSource
import PerkSyntax

/// The stages the fuzzer drives: the same parse + check as `compile(_:)` in the `Perk` umbrella.
enum FuzzTarget {
  static func check(_ files: [SourceFile]) -> [Diagnostic] {
    var diagnostics = Diagnostics()
    let syntax = files.map { PerkParser.parse($0, diagnostics: &diagnostics) }
    _ = PerkCompiler.check(syntax, sources: files, diagnostics: &diagnostics)
    return diagnostics.sorted()
  }
}
