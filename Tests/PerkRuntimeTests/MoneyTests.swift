import Foundation
import Testing

@testable import PerkRuntime

let usd = Currency.named("USD")!
let eur = Currency.named("EUR")!
let jpy = Currency.named("JPY")!

struct RoundingCase: Sendable, CustomTestStringConvertible {
  let numerator: Int128
  let denominator: Int128
  let mode: RoundingMode
  let expected: Int64
  var testDescription: String { "\(numerator)/\(denominator) \(mode.rawValue) = \(expected)" }
}

let roundingCases: [RoundingCase] = [
  RoundingCase(numerator: 27, denominator: 2, mode: .down, expected: 13),
  RoundingCase(numerator: 27, denominator: 2, mode: .up, expected: 14),
  RoundingCase(numerator: 27, denominator: 2, mode: .halfUp, expected: 14),
  RoundingCase(numerator: 27, denominator: 2, mode: .halfEven, expected: 14),
  RoundingCase(numerator: 25, denominator: 2, mode: .halfEven, expected: 12),
  RoundingCase(numerator: -27, denominator: 2, mode: .down, expected: -13),
  RoundingCase(numerator: -27, denominator: 2, mode: .halfUp, expected: -14),
  RoundingCase(numerator: 10, denominator: 3, mode: .halfUp, expected: 3),
  RoundingCase(numerator: 20, denominator: 3, mode: .down, expected: 6),
  RoundingCase(numerator: 20, denominator: 3, mode: .up, expected: 7),
]

@Test(arguments: roundingCases)
func roundsOnce(_ c: RoundingCase) {
  #expect(c.mode.divide(c.numerator, by: c.denominator) == c.expected)
}

@Test func divisionThatDoesNotFitIsReportedNotTrapped() {
  #expect(RoundingMode.down.divide(Int128(Int64.max) * 4, by: 2) == nil)
  #expect(RoundingMode.down.divide(1, by: 0) == nil)
}

@Test func moneyParsesExactly() {
  #expect(Money(parsing: "4.50", currency: usd)?.minorUnits == 450)
  #expect(Money(parsing: "4.1", currency: usd)?.minorUnits == 410)
  #expect(Money(parsing: "1,500.25", currency: usd)?.minorUnits == 150_025)
  #expect(Money(parsing: "-3", currency: usd)?.minorUnits == -300)
  #expect(Money(parsing: "4.5000", currency: usd)?.minorUnits == 450)
  // Four and a half, or 4500 written with a point between thousands: refused, not guessed.
  #expect(Money(parsing: "4.500", currency: usd) == nil)
  #expect(Money(parsing: "4.505", currency: usd) == nil)
  #expect(Money(parsing: "12", currency: jpy)?.minorUnits == 12)
  #expect(Money(parsing: "12.5", currency: jpy) == nil)
  #expect(Money(parsing: "abc", currency: usd) == nil)
  #expect(Money(parsing: "99999999999999999999", currency: usd) == nil)
}

@Test func moneyFormats() {
  #expect(Money(minorUnits: 450, currency: usd).description == "$4.50")
  #expect(Money(minorUnits: 1_000_000, currency: eur).description == "€10,000.00")
  #expect(Money(minorUnits: -125, currency: usd).description == "-$1.25")
  #expect(Money(minorUnits: 5, currency: usd).decimalString == "0.05")
  #expect(Money(minorUnits: 1200, currency: jpy).description == "¥1,200")
}

@Test func moneyArithmeticReportsOverflow() {
  let big = Money(minorUnits: .max, currency: usd)
  #expect(big.adding(Money(minorUnits: 1, currency: usd)) == nil)
  #expect(Money(minorUnits: 450, currency: usd).multiplied(by: ExactDecimal(significand: 35, scale: 3), rounding: .halfEven)?.minorUnits == 16)
  #expect(big.multiplied(by: ExactDecimal(significand: 2, scale: 0), rounding: .down) == nil)
}

@Test func exactDecimalDescription() {
  #expect(ExactDecimal(significand: 15, scale: 1).description == "1.5")
  #expect(ExactDecimal(significand: 200, scale: 2).description == "2")
  #expect(ExactDecimal(significand: 35, scale: 3).description == "0.035")
}
