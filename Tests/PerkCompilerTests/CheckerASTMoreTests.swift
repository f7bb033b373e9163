import PerkSource
import PerkSyntax
import Testing
@testable import PerkCompiler

@Suite struct CheckerASTMoreTests {
  func codes(_ b: ASTBuilder, _ declarations: [Declaration]) -> [DiagnosticCode] {
    var diagnostics = Diagnostics()
    _ = check([b.file(declarations)], sources: [], diagnostics: &diagnostics)
    return diagnostics.sorted().map(\.code)
  }
  func rule(_ b: ASTBuilder, when cond: Expression) -> Declaration {
    b.rule("x", [b.onPurchase, .when(cond), b.earn(1, "stars")])
  }

  @Test func unknownCurrencyAndTimeZone() {
    let b = ASTBuilder()
    #expect(codes(b, [b.program(currency: "USX", zone: "America/New_Yrok"), b.points("stars"),
                      b.rule("x", [b.onPurchase, b.earn(1, "stars")])]) == [.unknownCurrency, .unknownTimeZone])
  }

  @Test func moneyTimesMoney() {
    let b = ASTBuilder()
    let cond = b.bin(.greater, b.bin(.multiply, b.q(.basketTotal(nil)), b.dollars(2)), b.dollars(3))
    #expect(codes(b, [b.program(), b.points("stars"), rule(b, when: cond)]) == [.invalidMultiplication])
  }

  @Test func dateComparedWithMoney() {
    let b = ASTBuilder()
    let cond = b.bin(.greater, b.q(.date), b.dollars(3))
    #expect(codes(b, [b.program(), b.points("stars"), rule(b, when: cond)]) == [.invalidComparison])
  }

  @Test func nonBooleanWhen() {
    let b = ASTBuilder()
    #expect(codes(b, [b.program(), b.points("stars"), rule(b, when: b.q(.basketTotal(nil)))]) == [.nonBooleanCondition])
  }

  @Test func worthNeedsMoney() {
    let b = ASTBuilder()
    #expect(codes(b, [b.program(), b.points("stars", worth: b.num(5)),
                      b.rule("x", [b.onPurchase, b.earn(1, "stars")])]) == [.wrongUnit])
  }

  @Test func divisionByZero() {
    let b = ASTBuilder()
    let cond = b.bin(.greater, b.bin(.divide, b.q(.basketTotal(nil)), b.num(0)), b.dollars(3))
    #expect(codes(b, [b.program(), b.points("stars"), rule(b, when: cond)]) == [.invalidDivision])
  }

  @Test func ruleWithoutTriggerOrEffect() {
    let b = ASTBuilder()
    #expect(codes(b, [b.program(), b.points("stars"), b.rule("x", [b.earn(1, "stars")]),
                      b.rule("y", [b.onPurchase])]) == [.missingTrigger, .missingEffect])
  }

  @Test func limitsAndRanges() {
    let b = ASTBuilder()
    let zero = LimitSyntax(count: b.num(0), period: .ever, range: b.r())
    let negative = b.e(.unary(.negate, b.num(5)))
    #expect(codes(b, [b.program(), b.points("stars"),
                      b.rule("x", [b.onPurchase, b.earn(1, "stars"), .limit(zero)]),
                      b.rule("y", [b.onPurchase, .effect(.earn(amount: negative, currency: b.name("stars"), basis: .flat, range: b.r()))])])
            == [.invalidLimit, .valueOutOfRange])
  }

  @Test func replacements() {
    let b = ASTBuilder()
    #expect(codes(b, [b.program(), b.points("stars"),
                      b.rule("flat", [b.onPurchase, b.earn(5, "stars", perDollars: nil)]),
                      b.rule("self", [b.onPurchase, b.earn(1, "stars"), .replaces(b.name("self"), range: b.r())]),
                      b.rule("other", [b.onPurchase, b.earn(1, "stars"), .replaces(b.name("flat"), range: b.r())])])
            == [.invalidReplacement, .invalidReplacement])
  }

  @Test func twoProgramsAndDuplicateClause() {
    let b = ASTBuilder()
    let points = Declaration.points(PointsDeclaration(name: b.name("stars"),
                                                      clauses: [.worth(b.dollars(1)), .worth(b.dollars(2))], range: b.r()))
    #expect(codes(b, [b.program(), points, b.program(), b.rule("x", [b.onPurchase, b.earn(1, "stars")])])
            == [.duplicateClause, .duplicateProgram])
  }

  func tiers(_ b: ASTBuilder, _ levels: [(String, Expression, Int64?)]) -> Declaration {
    .tiers(TiersDeclaration(
      measure: Located(.spend, range: b.r()), window: Located(.calendar(.year), range: b.r()),
      clauses: levels.map { .level(.init(name: b.name($0.0), thresholds: [$0.1], multiplier: $0.2.map { b.num($0, scale: 1) }, range: b.r())) },
      range: b.r()))
  }

  @Test func tierOrder() {
    let b = ASTBuilder()
    #expect(codes(b, [b.program(), b.points("stars"), b.rule("x", [b.onPurchase, b.earn(1, "stars")]),
                      tiers(b, [("member", b.dollars(0), nil), ("gold", b.dollars(500), 15), ("silver", b.dollars(250), 20)])])
            == [.invalidTierOrder])
    let c = ASTBuilder()
    #expect(codes(c, [c.program(), c.points("stars"), c.rule("x", [c.onPurchase, c.earn(1, "stars")]),
                      tiers(c, [("member", c.dollars(10), 15)])]) == [.invalidTierOrder])
  }

  @Test func unusedTiersAndTierCondition() {
    let b = ASTBuilder()
    #expect(codes(b, [b.program(), b.points("stars"), b.rule("x", [b.onPurchase, b.earn(1, "stars")]),
                      tiers(b, [("member", b.dollars(0), nil), ("gold", b.dollars(500), 10)])]) == [.unusedTiers])
    let c = ASTBuilder()
    let cond = c.bin(.equal, c.q(.tier), c.e(.name(c.name("gold"))))
    #expect(codes(c, [c.program(), c.points("stars"), rule(c, when: cond),
                      tiers(c, [("member", c.dollars(0), nil), ("gold", c.dollars(500), nil)])]) == [])
    let d = ASTBuilder()
    let typo = d.bin(.equal, d.q(.tier), d.e(.name(d.name("gould"))))
    #expect(codes(d, [d.program(), d.points("stars"), rule(d, when: typo),
                      tiers(d, [("member", d.dollars(0), nil), ("gold", d.dollars(500), nil)])]) == [.unknownTier])
  }

  @Test func segmentNeedsQuotes() {
    let b = ASTBuilder()
    let cond = b.bin(.equal, b.q(.segment), b.e(.name(b.name("student"))))
    #expect(codes(b, [b.program(), b.points("stars"), rule(b, when: cond)]) == [.unknownQuantity])
  }

  @Test func invalidNodesAreSilent() {
    let b = ASTBuilder()
    let cond = b.bin(.and, b.e(.invalid), b.bin(.greater, b.q(.basketTotal(nil)), b.dollars(1)))
    #expect(codes(b, [b.program(), b.points("stars"), rule(b, when: cond), .invalid(b.r())]) == [])
  }

  @Test func contradictionAcrossWhenClauses() {
    let b = ASTBuilder()
    let high = b.bin(.greater, b.q(.basketTotal(nil)), b.dollars(50))
    let low = b.bin(.less, b.q(.basketTotal(nil)), b.dollars(20))
    var diagnostics = Diagnostics()
    _ = check([b.file([b.program(), b.points("stars"),
                       b.rule("x", [b.onPurchase, .when(high), .when(low), b.earn(1, "stars")])])],
              sources: [], diagnostics: &diagnostics)
    #expect(diagnostics.sorted().map(\.code) == [.ruleNeverFires])
    #expect(diagnostics.sorted().first?.range == low.range)
  }
}
