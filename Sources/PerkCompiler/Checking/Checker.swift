import PerkSource
import PerkSyntax

/// Checks parsed files and returns the resolved program, appending every problem to `diagnostics`.
///
/// The result is meaningful for lowering only when no error was reported.
package func check(_ files: [SourceFileSyntax], sources: [SourceFile], diagnostics: inout Diagnostics) -> CheckedProgram {
  var checker = DeclarationChecker()
  checker.check(files, diagnostics: &diagnostics)
  CatalogNames(filters: files.flatMap(\.itemFilters), catalog: checker.catalog).report(into: &diagnostics)
  // A reward nobody can afford is only provable about an otherwise error-free program.
  if !diagnostics.hasErrors { checkAffordability(checker.program, diagnostics: &diagnostics) }
  checkRuleHolds(checker.program, diagnostics: &diagnostics)
  // Usage warnings after an error would mostly echo it (an unknown currency name leaves the
  // real one "unused"), so they wait until the program has no errors.
  Warnings(program: checker.program, symbols: checker.symbols, conditions: checker.ruleConditions,
           usage: !diagnostics.hasErrors)
    .report(into: &diagnostics)
  return checker.program
}
