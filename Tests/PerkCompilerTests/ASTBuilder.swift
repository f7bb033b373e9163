import PerkSource
import PerkSyntax

/// Builds ASTs in Swift for checker tests; every node gets a fresh, distinct range.
final class ASTBuilder {
  private var offset = 0
  func r(_ length: Int = 1) -> SourceRange {
    defer { offset += length + 1 }
    return SourceRange(file: 0, start: offset, end: offset + length)
  }
  func name(_ text: String) -> Name { Name(text, range: r(text.utf8.count)) }
  func e(_ kind: Expression.Kind) -> Expression { Expression(kind, range: r()) }
  func dollars(_ significand: Int64, scale: Int = 0, symbol: String = "$") -> Expression {
    e(.literal(.money(MoneyLiteral(amount: DecimalLiteral(significand: significand, scale: scale), currency: .symbol(symbol)))))
  }
  func num(_ significand: Int64, scale: Int = 0) -> Expression {
    e(.literal(.number(DecimalLiteral(significand: significand, scale: scale))))
  }
  func q(_ quantity: Quantity) -> Expression { e(.quantity(quantity)) }
  func bin(_ op: BinaryOperator, _ l: Expression, _ r: Expression) -> Expression { e(.binary(op, l, r)) }
  func date(_ y: Int, _ m: Int, _ d: Int) -> Expression { e(.literal(.date(DateLiteral(year: y, month: m, day: d)))) }

  func program(currency: String = "USD", zone: String = "America/New_York") -> Declaration {
    .program(ProgramDeclaration(name: Located("Test", range: r()),
                                clauses: [.currency(name(currency)), .timezone(name(zone))],
                                keywordRange: r(7), range: r()))
  }
  func points(_ n: String, worth: Expression? = nil) -> Declaration {
    .points(PointsDeclaration(name: name(n), clauses: [.worth(worth ?? dollars(1, scale: 2))], range: r()))
  }
  func rule(_ n: String, _ clauses: [RuleDeclaration.Clause]) -> Declaration {
    .rule(RuleDeclaration(name: name(n), clauses: clauses, range: r()))
  }
  func earn(_ amount: Int64, _ currency: String, perDollars: Int64? = 1) -> RuleDeclaration.Clause {
    let basis: EarnBasisSyntax = perDollars.map { .perSpend(per: dollars($0), whole: false, filter: nil) } ?? .flat
    return .effect(.earn(amount: num(amount), currency: name(currency), basis: basis, range: r()))
  }
  var onPurchase: RuleDeclaration.Clause { .trigger(Located(.purchase, range: r())) }
  func reward(_ n: String, costs: Int64, _ currency: String) -> Declaration {
    .reward(RewardDeclaration(name: name(n), clauses: [.costs(amount: num(costs), currency: name(currency), range: r())], range: r()))
  }
  func file(_ declarations: [Declaration]) -> SourceFileSyntax {
    SourceFileSyntax(declarations: declarations, range: SourceRange(file: 0, start: 0, end: offset))
  }
}
