import Perk
import Testing

/// One mistake gives one diagnostic: a clause with a syntax error is not also checked,
/// and a declaration with a broken clause is not also "missing" that clause.
let header = "program \"P\"\n  currency USD\n  timezone UTC\npoints stars\n  worth $0.01\n"

@Test func brokenConditionIsNotAlsoTypeChecked() {
  let compilation = compile(source: header + "rule r\n  on purchase\n  when basket total + 5 stars > $10\n  earn 1 stars\n")
  #expect(compilation.diagnostics.map(\.code) == [.unexpectedTrailingText])
}

@Test func ruleWhoseOnlyEffectIsBrokenIsNotAlsoEmpty() {
  let compilation = compile(source: header + "rule r\n  on purchase\n  earn 2 stars per $1 spent {\n")
  #expect(compilation.diagnostics.map(\.code) == [.invalidCharacter])
}

@Test func pointsWithBrokenWorthIsNotAlsoMissingIt() {
  let compilation = compile(source: "program \"P\"\n  currency USD\n  timezone UTC\npoints stars\n  worth $\nrule r\n  on purchase\n  earn 1 stars\n")
  #expect(compilation.diagnostics.map(\.code) == [.malformedMoney])
}
