import PerkRuntime
import PerkSource
import PerkSyntax
import Testing
@testable import PerkCompiler

@Suite struct ProgramBuildingTests {
  @Test func moneyBecomesMinorUnitsAndFiltersAreInterned() throws {
    let b = ASTBuilder()
    let pastry = ItemFilter(field: .category, values: [b.name("pastry")], range: b.r())
    let earnPastry = RuleDeclaration.Clause.effect(.earn(
      amount: b.num(6), currency: b.name("stars"),
      basis: .perSpend(per: b.dollars(1), whole: false, filter: pastry), range: b.r()))
    let voucher = RuleDeclaration.Clause.effect(.voucher(name: Located("Birthday drink", range: b.r()),
                                                         worth: b.dollars(5), validFor: nil, range: b.r()))
    var diagnostics = Diagnostics()
    let checked = check([b.file([
      b.program(), b.points("stars"),
      b.rule("base earn", [b.onPurchase, b.earn(2, "stars")]),
      b.rule("pastry triple", [b.onPurchase, earnPastry, .replaces(b.name("base earn"), range: b.r())]),
      b.rule("birthday", [b.onPurchase, voucher]),
    ])], sources: [], diagnostics: &diagnostics)
    #expect(diagnostics.all.isEmpty)
    let program = try #require(buildProgram(checked, files: []))
    #expect(program.ruleNames == ["base earn", "pastry triple", "birthday"])
    #expect(program.rules[1].replaces == 0)
    #expect(program.filters == [FilterSpec(field: .category, values: ["pastry"])])
    guard case .earn(let rate, 0, .perSpend(100, false, 0, false))? = program.rules[1].effects.first else {
      Issue.record("pastry earn not lowered: \(program.rules[1].effects)")
      return
    }
    #expect(rate == ExactDecimal(significand: 6, scale: 0))
    guard case .voucher("Birthday drink", 500, nil, nil)? = program.rules[2].effects.first else {
      Issue.record("voucher not lowered")
      return
    }
    #expect(program.rules[0].condition == nil)
  }
}
