import PerkSource
import PerkSyntax

/// The front end for a set of files: lex, parse and check every file, collecting every diagnostic.
///
/// Lowering needs an error-free result; the caller checks `diagnostics.hasErrors` first.
package func checkSources(_ files: [SourceFile], diagnostics: inout Diagnostics) -> CheckedProgram {
  let syntax = files.map { PerkParser.parse($0, diagnostics: &diagnostics) }
  return check(syntax, sources: files, diagnostics: &diagnostics)
}
