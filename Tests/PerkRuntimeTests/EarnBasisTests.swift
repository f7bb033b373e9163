import Testing
@testable import PerkRuntime

private let cur = Currency.named("USD")!

private func earnProgram(_ basis: EarnBasisSpec, rate: ExactDecimal, rounding: RoundingMode) -> Program {
  Program(
    name: "Earn", currency: cur, timeZone: ProgramTimeZone(identifier: "UTC")!,
    points: [PointsSpec(name: "points", worthMinor: ExactDecimal(significand: 1, scale: 0), rounding: rounding)],
    tiers: nil, cards: [],
    rules: [RuleSpec(name: "earn", location: nil, trigger: .purchase, condition: nil,
                     effects: [.earn(rate: rate, currency: 0, basis: basis)], limits: [], replaces: nil)],
    rewards: [], filters: [FilterSpec(field: .sku, values: ["latte"])], windows: [])
}

private func earned(_ program: Program) throws -> (Int64, String) {
  let outcome = try program.evaluate(
    Event(kind: .purchase, id: "E", time: Instant(secondsSince1970: 1_772_000_000), lines: [
      LineItem(sku: "latte", category: "coffee", quantity: 3, unitPrice: Money(minorUnits: 475, currency: cur)),
      LineItem(sku: "bagel", category: "bakery", quantity: 1, unitPrice: Money(minorUnits: 250, currency: cur)),
    ]), customer: Customer(id: "x"), state: AccountState())
  let award = outcome.awards.first { if case .points = $0.kind { true } else { false } }
  if case .points(_, let amount, _)? = award?.kind { return (amount, award?.explanation ?? "") }
  return (0, "")
}

@Test func perWholeDollarFloorsSpendFirst() throws {
  // $16.75 spent: 16 whole dollars × 1.5 = 24.
  #expect(try earned(earnProgram(.perSpend(perMinor: 100, whole: true, filter: nil),
                                 rate: ExactDecimal(significand: 15, scale: 1), rounding: .down)).0 == 24)
  // Not whole: 16.75 × 1.5 = 25.125 → 25 down, 26 up, 25 half up.
  #expect(try earned(earnProgram(.perSpend(perMinor: 100, whole: false, filter: nil),
                                 rate: ExactDecimal(significand: 15, scale: 1), rounding: .down)).0 == 25)
  #expect(try earned(earnProgram(.perSpend(perMinor: 100, whole: false, filter: nil),
                                 rate: ExactDecimal(significand: 15, scale: 1), rounding: .up)).0 == 26)
  #expect(try earned(earnProgram(.perSpend(perMinor: 100, whole: false, filter: nil),
                                 rate: ExactDecimal(significand: 15, scale: 1), rounding: .halfUp)).0 == 25)
}

@Test func perItemCountsMatchingUnits() throws {
  // 3 lattes × 2.5 = 7.5 → 7 down, 8 half even.
  #expect(try earned(earnProgram(.perItem(filter: 0), rate: ExactDecimal(significand: 25, scale: 1), rounding: .down)).0 == 7)
  #expect(try earned(earnProgram(.perItem(filter: 0), rate: ExactDecimal(significand: 25, scale: 1), rounding: .halfEven)).0 == 8)
  // A filtered per-spend: lattes only, $14.25 × 2 = 28.5 → 28.
  let (amount, explanation) = try earned(earnProgram(.perSpend(perMinor: 100, whole: false, filter: 0),
                                                     rate: ExactDecimal(significand: 2, scale: 0), rounding: .down))
  #expect(amount == 28)
  #expect(explanation == "$14.25 spent × 2 points per $1.00 = 28.5 → 28 points (round down)")
}
