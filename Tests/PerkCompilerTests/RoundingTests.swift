import Foundation
import Perk
import PerkRuntime
import Testing

// Rounding wherever an amount is computed (docs/language.md "Rounding"): a rule's `round` over
// the currency's, a `multiply` rule's `round` for the awards it multiplies, units on percentage
// discounts and rebates, and the checks on all of them.

// MARK: - The one rounding type

/// (numerator, denominator, unit in minor units, mode, expected minor units)
struct MoneyRoundingCase: Sendable, CustomTestStringConvertible {
  var numerator: Int128, denominator: Int128, unit: Int64, mode: RoundingMode, expected: Int64
  init(_ n: Int128, _ d: Int128, _ unit: Int64, _ mode: RoundingMode, _ expected: Int64) {
    (numerator, denominator, self.unit, self.mode, self.expected) = (n, d, unit, mode, expected)
  }
  var testDescription: String { "\(numerator)/\(denominator) to \(unit) \(mode.rawValue)" }
}

private let moneyCases: [MoneyRoundingCase] = [
  // (numerator, denominator, unit, mode, expected minor units)
  MoneyRoundingCase(1050, 100, 1, .down, 10),
  MoneyRoundingCase(1050, 100, 1, .up, 11),
  MoneyRoundingCase(1050, 100, 1, .halfUp, 11),
  MoneyRoundingCase(1050, 100, 1, .halfEven, 10),
  MoneyRoundingCase(1150, 100, 1, .halfEven, 12),
  MoneyRoundingCase(1049, 100, 1, .halfUp, 10),
  // 375 minor units (3.75) to whole units of 100.
  MoneyRoundingCase(375, 1, 100, .down, 300),
  MoneyRoundingCase(375, 1, 100, .up, 400),
  MoneyRoundingCase(375, 1, 100, .halfUp, 400),
  MoneyRoundingCase(375, 1, 100, .halfEven, 400),
  // 2.50 to whole units: the halves.
  MoneyRoundingCase(250, 1, 100, .halfUp, 300),
  MoneyRoundingCase(250, 1, 100, .halfEven, 200),
  MoneyRoundingCase(350, 1, 100, .halfEven, 400),
  MoneyRoundingCase(249, 1, 100, .halfUp, 200),
  // Exact multiples are left alone in every mode.
  MoneyRoundingCase(400, 1, 100, .up, 400),
  // 12.345 of 3-decimal minor units (KWD) to the cent (unit 10): 12.345 → 12.34 or 12.35.
  MoneyRoundingCase(12345, 1, 10, .halfEven, 12340),
  MoneyRoundingCase(12345, 1, 10, .halfUp, 12350),
  MoneyRoundingCase(12341, 1, 10, .up, 12350),
]

@Test(arguments: moneyCases)
func moneyRoundingRoundsOnceToItsUnit(_ c: MoneyRoundingCase) {
  #expect(MoneyRounding(mode: c.mode, unitMinor: c.unit).divide(c.numerator, by: c.denominator) == c.expected)
}

@Test func moneyRoundingReportsOverflowInsteadOfTrapping() {
  #expect(MoneyRounding(mode: .up, unitMinor: 100).divide(Int128(Int64.max), by: 1) == nil)
  #expect(MoneyRounding(mode: .down, unitMinor: 100).divide(Int128(Int64.max) * 1000, by: 1) == nil)
}

// MARK: - Points: the rule's `round` over the currency's

private func stars(rounding rule: String?, currency: String? = nil, spent: String) throws -> [String] {
  var source = """
    program "Shop"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    """
  if let currency { source += "  round \(currency)\n" }
  source += "\nrule base earn\n  on purchase\n  earn 1 stars per $2 spent\n"
  if let rule { source += "  round \(rule)\n" }
  var shop = try Shop(source)
  return awardLines(try shop.buy("2026-03-02T10:00", [("tea", "tea", 1, spent)]))
}

@Test(arguments: [
  // $21.00 / $2 = 10.5; $23.00 → 11.5; $20.98 → 10.49; $21.02 → 10.51.
  ("down", "21.00", 10), ("up", "21.00", 11), ("half up", "21.00", 11), ("half even", "21.00", 10),
  ("half even", "23.00", 12), ("half up", "20.98", 10), ("up", "20.02", 11), ("half even", "21.02", 11),
])
func aRuleRoundStatesHowItsPointsRound(_ mode: String, _ spent: String, _ expected: Int) throws {
  #expect(try stars(rounding: mode, spent: spent) == ["base earn: \(expected) stars"])
}

@Test func theRuleRoundWinsOverTheCurrencys() throws {
  #expect(try stars(rounding: nil, currency: "up", spent: "20.02") == ["base earn: 11 stars"])
  #expect(try stars(rounding: "down", currency: "up", spent: "20.02") == ["base earn: 10 stars"])
  #expect(try stars(rounding: "half up", currency: "down", spent: "21.00") == ["base earn: 11 stars"])
  // Without either the default is down.
  #expect(try stars(rounding: nil, spent: "21.98") == ["base earn: 10 stars"])
}

@Test func theRuleRoundAppearsInTheExplanation() throws {
  var shop = try Shop(shopHeader + "\nrule base earn\n  on purchase\n  earn 1 stars per $2 spent\n  round half up\n")
  let outcome = try shop.buy("2026-03-02T10:00", [("tea", "tea", 1, "21.00")])
  #expect(outcome.awards.first?.explanation == "$21.00 spent × 1 stars per $2.00 = 10.5 → 11 stars (round half up)")
}

@Test func aPerItemRuleRoundsItsOwnWay() throws {
  var shop = try Shop(shopHeader + "\nrule base earn\n  on purchase\n  earn 0.5 stars per item\n  round half up\n")
  #expect(awardLines(try shop.buy("2026-03-02T10:00", [("tea", "tea", 3, "1.00")])) == ["base earn: 2 stars"])
}

// MARK: - Multiplied awards

private let multiplied = """
  program "Shop"
    currency USD
    timezone America/New_York

  points stars
    worth $0.01

  rule base earn
    on purchase
    earn 1 stars per $1 spent

  rule weekend
    on purchase
    when weekday is Saturday
    multiply stars by 1.5

  """

@Test func aMultiplyRoundStatesHowTheAwardsItMultipliesRound() throws {
  // $7.00 × 1.5 = 10.5: down (the currency's default) gives 10, the multiply's `half up` 11.
  var plain = try Shop(multiplied)
  #expect(awardLines(try plain.buy("2026-03-07T10:00", [("tea", "tea", 1, "7.00")])) == ["base earn: 10 stars"])
  var rounded = try Shop(multiplied + "  round half up\n")
  #expect(awardLines(try rounded.buy("2026-03-07T10:00", [("tea", "tea", 1, "7.00")])) == ["base earn: 11 stars"])
  // A weekday: the multiply does not fire, its rounding does not apply ($7.50 → 7).
  #expect(awardLines(try rounded.buy("2026-03-09T10:00", [("tea", "tea", 1, "7.50")])) == ["base earn: 7 stars"])
}

@Test func theEarningRulesRoundWinsOverTheMultiplys() throws {
  let source = multiplied.replacingOccurrences(of: "earn 1 stars per $1 spent\n", with: "earn 1 stars per $1 spent\n  round down\n")
    + "  round up\n"
  var shop = try Shop(source)
  #expect(awardLines(try shop.buy("2026-03-07T10:00", [("tea", "tea", 1, "7.00")])) == ["base earn: 10 stars"])
}

@Test func aTierMultipliedAwardRoundsOnceWithTheRulesRounding() throws {
  let source = """
    program "Shop"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    tiers by spend this year
      member from $0 earn x1
      silver from $10 earn x1.5

    rule base earn
      on purchase
      earn 1 stars per $1 spent
      round half even

    """
  var shop = try Shop(source)
  _ = try shop.buy("2026-03-02T10:00", [("tea", "tea", 1, "10.00")])
  // Silver: $5.00 × 1.5 = 7.5 → 8 (half even), $7.00 × 1.5 = 10.5 → 10.
  #expect(awardLines(try shop.buy("2026-03-03T10:00", [("tea", "tea", 1, "5.00")])) == ["base earn: 8 stars"])
  #expect(awardLines(try shop.buy("2026-03-04T10:00", [("tea", "tea", 1, "7.00")])) == ["base earn: 10 stars"])
}

// MARK: - Percentage discounts

private func discount(_ rounding: String, price: String, currency: String = "USD", symbol: String = "$") throws -> [String] {
  var shop = try Shop("""
    program "Shop"
      currency \(currency)
      timezone America/New_York

    rule sale
      on purchase
      discount 15% on basket \(rounding)

    """)
  return awardLines(try shop.buy("2026-03-02T10:00", [("coat", "coats", 1, price)]))
}

@Test(arguments: [
  // 15% of $25.00 = $3.75; of $10.00 = $1.50; of $30.00 = $4.50; of $3.30 = 49.5¢.
  ("round down to whole units", "25.00", "$3.00"), ("round up to whole units", "25.00", "$4.00"),
  ("round half up to whole units", "25.00", "$4.00"), ("round half even to whole units", "10.00", "$2.00"),
  ("round half even to whole units", "30.00", "$4.00"), ("round half up to whole units", "30.00", "$5.00"),
  ("round half up to the cent", "3.30", "$0.50"), ("round down to the cent", "3.30", "$0.49"),
  ("round half even", "3.30", "$0.50"), ("", "3.10", "$0.46"),
])
func aPercentageDiscountRoundsToItsUnit(_ rounding: String, _ price: String, _ expected: String) throws {
  #expect(try discount(rounding, price: price) == ["sale: discount \(expected)"])
}

@Test func aDiscountRoundedToWholeUnitsSaysSoInItsExplanation() throws {
  var shop = try Shop(shopHeader + "\nrule sale\n  on purchase\n  discount 15% on basket round half up to whole units\n")
  let outcome = try shop.buy("2026-03-02T10:00", [("coat", "coats", 1, "25.00")])
  #expect(outcome.awards.first?.explanation == "15% off $25.00 on 1 line = $4.00 (each line rounded half up to $1.00)")
}

@Test func wholeUnitsAndTheCentFollowTheCurrencysDecimals() throws {
  // Yen: whole units are the minor unit. Dinar (3 decimals): the cent is 10 fils.
  #expect(try discount("round half up to whole units", price: "2500", currency: "JPY") == ["sale: discount ¥375"])
  #expect(try discount("round half up to the cent", price: "3.300", currency: "KWD") == ["sale: discount KD 0.500"])
  #expect(try discount("round half even", price: "3.300", currency: "KWD") == ["sale: discount KD 0.495"])
  #expect(try discount("round down to whole units", price: "25.000", currency: "KWD") == ["sale: discount KD 3.000"])
}

@Test func aReturnRepricesTheKeptLinesWithTheDiscountsUnit() throws {
  var shop = try Shop(shopHeader + "\nrule sale\n  on purchase\n  discount 15% per item round half up to whole units\n")
  // Two coats at $25.00: each line's 15% is $7.50 → $8.00; the kept coat's $3.75 → $4.00.
  let bought = try shop.buy("2026-03-02T10:00", [("coat", "coats", 2, "25.00")], id: "T1")
  #expect(bought.amountPaid.decimalString == "42.00")
  let back = Event(kind: .return(original: "T1"), id: "R1", time: shop.instant("2026-03-03T10:00"),
                   lines: [LineItem(sku: "coat", category: "coats", quantity: 1, unitPrice: Money(parsing: "25.00", currency: shop.program.currency)!)])
  let outcome = try shop.program.evaluate(back, customer: shop.customer, state: shop.state)
  #expect(outcome.refunded?.decimalString == "21.00")
}

// MARK: - Rebates

private func rebateSource(_ rounding: String) -> String {
  """
  program "Trade"
    currency EUR
    timezone Europe/Berlin

  rebate trade volume
    measure net spend per calendar year
    retroactive
      from €100 2.5%
  \(rounding.isEmpty ? "" : "  " + rounding + "\n")
  """
}

@Test(arguments: [
  // 2.5% of €130.00 = €3.25; of €150.00 = €3.75; of €100.10 = €2.5025; of €101.00 = €2.525.
  ("", "130.00", "3.25"), ("round down to whole units", "130.00", "3.00"), ("round up to whole units", "130.00", "4.00"),
  ("round half up to whole units", "150.00", "4.00"), ("round half even to whole units", "100.00", "2.00"),
  ("round half up to whole units", "100.00", "3.00"), ("round up", "100.10", "2.51"), ("round down", "101.00", "2.52"),
  ("", "101.00", "2.52"), ("round half up to the cent", "101.00", "2.53"),
])
func aRebateRoundsAsItsRoundClauseSays(_ rounding: String, _ volume: String, _ expected: String) throws {
  var run = try RebateRun(source: rebateSource(rounding))
  let outcome = try run.buy(volume, on: "2026-03-10 10:00")
  #expect(rebateLines(outcome.awards) == ["accrual trade volume 2026-01-01: \(volume) → \(expected)"])
}

@Test func aRebateSettlesWithItsRoundingAndSaysSo() throws {
  var run = try RebateRun(source: rebateSource("round down to whole units"))
  _ = try run.buy("130.00", on: "2026-03-10 10:00")
  let ends = try run.periodEnds(through: "2027-01-01 00:00")
  #expect(rebateLines(ends) == ["settlement trade volume 2026-01-01: 130.00 → 3.00"])
  #expect(rebateTexts(ends) == [
    "settled: €130.00 net spend in 2026: rebate €3.00 = 2.5% of €130.00 (retroactive, from €100.00) = €3.25 rounded down to €1.00",
  ])
}

@Test func aRebateReturnRecomputesWithTheSameRounding() throws {
  var run = try RebateRun(source: rebateSource("round up to whole units"))
  _ = try run.buy("150.00", units: 2, on: "2026-03-10 10:00", id: "T1")
  // €300.00 → €7.50 → €8.00; one back leaves €150.00 → €3.75 → €4.00.
  let back = try run.giveBack(1, of: "T1", on: "2026-03-11 10:00")
  #expect(rebateLines(back.awards) == ["accrual trade volume 2026-01-01: 150.00 → 4.00"])
}

// MARK: - Checking

@Test func roundingClausesAreCheckedWithLocatedErrors() {
  let earn = shopHeader + "\nrule base earn\n  on purchase\n  earn 1 stars per $2 spent\n"
  #expect(codes(earn + "  round up\n  round down\n") == ["E0502"])
  #expect(codes(earn + "  round up to whole units\n") == ["E0536"])
  #expect(codes(earn + "  round half up to the cent\n") == ["E0536"])
  #expect(codes(shopHeader + "  round down to whole units\n") == ["E0536"])
  #expect(codes(shopHeader + "\nrule welcome\n  on purchase\n  earn 200 stars\n  round up\n") == ["E0537"])
  #expect(codes(shopHeader + "\nrule sale\n  on purchase\n  discount 10% on basket\n  round up\n") == ["E0537"])
  #expect(codes(shopHeader + "\nrule gift\n  on purchase\n  give voucher \"Gift\" worth $5\n  round up\n") == ["E0537"])
  // The effect refused already: no second error about the rounding.
  #expect(codes(shopHeader + "\nrule base earn\n  on purchase\n  earn 1 star per $2 spent\n  round up\n") == ["E0302"])
  #expect(codes(shopHeader + "\nrule sale\n  on purchase\n  discount $5 on basket round up to whole units\n") == ["E0508"])
  let yen = "program \"Shop\"\n  currency JPY\n  timezone Asia/Tokyo\n\nrule sale\n  on purchase\n"
  #expect(codes(yen + "  discount 10% on basket round half up to the cent\n") == ["E0538"])
  #expect(codes(yen + "  discount 10% on basket round half up to whole units\n").isEmpty)
  #expect(codes("program \"Shop\"\n  currency JPY\n  timezone Asia/Tokyo\n\nrebate r\n  measure net spend per year\n  retroactive\n    from ¥0 1%\n  round down to the cent\n")
    == ["E0538"])
  let rebate = rebateSource("round down to whole units")
  #expect(codes(rebate).isEmpty)
  #expect(codes(rebate + "  round up\n") == ["E0502"])
}

@Test func multiplyRulesOfOneCurrencyMustRoundAlike() {
  let twice = multiplied + "  round up\n\nrule members\n  on purchase\n  when segment is \"member\"\n  multiply stars by 2\n"
  #expect(codes(twice + "  round down\n") == ["E0539"])
  #expect(codes(twice + "  round up\n").isEmpty)
  #expect(codes(twice).isEmpty)
}

@Test func aMisspelledUnitIsASyntaxErrorNamingTheChoices() {
  let compilation = compile(source: shopHeader + "\nrule sale\n  on purchase\n  discount 10% on basket round up to dollars\n", path: "shop.perk")
  #expect(compilation.diagnostics.map(\.code.rawValue) == ["E0201"])
  #expect(compilation.diagnostics.first?.message.contains("`the cent` or `whole units`") == true)
  let file = SourceFile(path: "shop.perk", text: shopHeader + "\nrule sale\n  on purchase\n  discount 10% on basket round up to dollars\n")
  #expect(compilation.diagnostics.first.map { file.location(of: $0.range.start).line } == 10)
}
