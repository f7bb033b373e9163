import PerkRuntime
import PerkSource
import PerkSyntax

/// The front end for a set of files: lex, parse and check every file, collecting every diagnostic.
///
/// Lowering needs an error-free result; the caller checks `diagnostics.hasErrors` first.
package func checkSources(_ files: [SourceFile], asOf: LocalDate? = nil, diagnostics: inout Diagnostics) -> CheckedProgram {
  let syntax = files.map { PerkParser.parse($0, diagnostics: &diagnostics) }
  return check(syntax, sources: files, asOf: asOf, diagnostics: &diagnostics)
}
