import PerkSource
import PerkSyntax
import Testing
@testable import PerkCompiler

@Suite struct CheckerASTTests {
  func run(_ b: ASTBuilder, _ declarations: [Declaration]) -> (CheckedProgram, [Diagnostic]) {
    var diagnostics = Diagnostics()
    let program = check([b.file(declarations)], sources: [], diagnostics: &diagnostics)
    return (program, diagnostics.sorted())
  }

  @Test func minimalProgramChecksClean() {
    let b = ASTBuilder()
    let (program, diagnostics) = run(b, [
      b.program(), b.points("stars"), b.rule("base earn", [b.onPurchase, b.earn(2, "stars")]),
      b.reward("free drink", costs: 150, "stars"),
    ])
    #expect(diagnostics.isEmpty)
    #expect(program.pointsCurrencies.map(\.name) == ["stars"])
    #expect(program.rules.count == 1)
    #expect(program.rewards[0].cost == 150)
    #expect(program.currency.code == "USD")
  }

  @Test func unknownPointsCurrencySuggests() {
    let b = ASTBuilder()
    let earn = b.earn(2, "stras")
    let (_, diagnostics) = run(b, [b.program(), b.points("stars"), b.rule("base", [b.onPurchase, earn])])
    #expect(diagnostics.map(\.code) == [.unknownPointsCurrency])
    #expect(diagnostics.first?.help == "did you mean `stars`?")
  }

  @Test func duplicateRuleLabelsFirst() {
    let b = ASTBuilder()
    let first = b.rule("base", [b.onPurchase, b.earn(1, "stars")])
    let second = b.rule("base", [b.onPurchase, b.earn(1, "stars")])
    let (_, diagnostics) = run(b, [b.program(), b.points("stars"), first, second])
    #expect(diagnostics.map(\.code) == [.duplicateDeclaration])
    guard case .rule(let r1) = first, case .rule(let r2) = second else { return }
    #expect(diagnostics.first?.range == r2.name.range)
    #expect(diagnostics.first?.labels.first?.range == r1.name.range)
  }

  @Test func addingMoneyToPoints() {
    let b = ASTBuilder()
    let sum = b.bin(.add, b.q(.balance(b.name("stars"))), b.dollars(5))
    let cond = b.bin(.greater, sum, b.num(3))
    let (_, diagnostics) = run(b, [b.program(), b.points("stars"),
                                   b.rule("x", [b.onPurchase, .when(cond), b.earn(1, "stars")])])
    #expect(diagnostics.map(\.code) == [.mismatchedUnits])
    #expect(diagnostics.first?.message == "cannot add money to points (`stars`)")
    #expect(diagnostics.first?.range == sum.range)
  }

  @Test func euroInDollarProgram() {
    let b = ASTBuilder()
    let cond = b.bin(.greaterEqual, b.q(.basketTotal(nil)), b.dollars(10, symbol: "€"))
    let (_, diagnostics) = run(b, [b.program(), b.points("stars"),
                                   b.rule("x", [b.onPurchase, .when(cond), b.earn(1, "stars")])])
    #expect(diagnostics.map(\.code) == [.currencyMismatch])
  }

  @Test func emptyDateRangeNeverFires() {
    let b = ASTBuilder()
    let cond = b.e(.between(b.q(.date), low: b.date(2026, 12, 1), high: b.date(2026, 11, 1), negated: false))
    let (_, diagnostics) = run(b, [b.program(), b.points("stars"),
                                   b.rule("x", [b.onPurchase, .when(cond), b.earn(1, "stars")])])
    #expect(diagnostics.map(\.code) == [.ruleNeverFires])
    #expect(diagnostics.first?.range == cond.range)
  }

  @Test func contradictoryWeekdays() {
    let b = ASTBuilder()
    let cond = b.bin(.and, b.bin(.equal, b.q(.weekday), b.e(.literal(.weekday(1)))),
                     b.bin(.equal, b.q(.weekday), b.e(.literal(.weekday(2)))))
    let (_, diagnostics) = run(b, [b.program(), b.points("stars"),
                                   b.rule("x", [b.onPurchase, .when(cond), b.earn(1, "stars")])])
    #expect(diagnostics.map(\.code) == [.ruleNeverFires])
  }

  @Test func basketTotalBelowZeroNeverFiresAndAtLeastZeroIsAlwaysTrue() {
    let b = ASTBuilder()
    let never = b.bin(.less, b.q(.basketTotal(nil)), b.dollars(0))
    let always = b.bin(.greaterEqual, b.q(.basketTotal(nil)), b.dollars(0))
    let (_, diagnostics) = run(b, [b.program(), b.points("stars"),
                                   b.rule("x", [b.onPurchase, .when(never), b.earn(1, "stars")]),
                                   b.rule("y", [b.onPurchase, .when(always), b.earn(1, "stars")])])
    #expect(diagnostics.map(\.code) == [.ruleNeverFires, .redundantCondition])
  }

  @Test func missingProgramAtStartOfFirstFile() {
    let b = ASTBuilder()
    let (_, diagnostics) = run(b, [b.points("stars"), b.rule("x", [b.onPurchase, b.earn(1, "stars")])])
    #expect(diagnostics.map(\.code) == [.missingProgram])
    #expect(diagnostics.first?.range == SourceRange(file: 0, start: 0, end: 0))
  }

  @Test func unusedCurrencyAndReward() {
    let b = ASTBuilder()
    let (_, diagnostics) = run(b, [b.program(), b.points("stars"), b.points("gems"),
                                   b.reward("mug", costs: 10, "gems")])
    #expect(diagnostics.map(\.code) == [.unusedPointsCurrency, .unusedReward])
  }
}
