import PerkRuntime
import PerkSource
import PerkSyntax

/// Checks parsed files and returns the resolved program, appending every problem to `diagnostics`.
///
/// The result is meaningful for lowering only when no error was reported.
///
/// `asOf` is the day from which rules' dates are judged (`perk check --as-of`, W0117).
package func check(_ files: [SourceFileSyntax], sources: [SourceFile], asOf: LocalDate? = nil,
                   diagnostics: inout Diagnostics) -> CheckedProgram {
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
  // Rule-set analysis reasons about whole rules, so a broken one would only add noise.
  if !diagnostics.hasErrors {
    RuleAnalysis(program: checker.program, conditions: checker.ruleConditions, files: files, sources: sources, asOf: asOf)
      .report(into: &diagnostics)
  }
  return checker.program
}
