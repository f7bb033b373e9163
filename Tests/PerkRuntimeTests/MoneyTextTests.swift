import PerkTestSupport
import Testing

@testable import PerkRuntime

/// One text read as an amount: the minor units, or the problem that refuses it.
struct MoneyTextCase: Sendable, CustomTestStringConvertible {
  let text: String
  let mark: DecimalMark
  let currency: String
  let expected: Result<Int64, MoneyProblem>
  init(_ text: String, _ expected: Result<Int64, MoneyProblem>) {
    self.init(text, .point, "USD", expected)
  }
  init(_ text: String, _ mark: DecimalMark, _ currency: String, _ expected: Result<Int64, MoneyProblem>) {
    self.text = text
    self.mark = mark
    self.currency = currency
    self.expected = expected
  }
  var testDescription: String { "\(text) (\(mark), \(currency))" }
}

let moneyTextCases: [MoneyTextCase] = [
  // Read exactly, with a decimal point.
  MoneyTextCase("4.50", .success(450)),
  MoneyTextCase("4.5", .success(450)),
  MoneyTextCase("-3", .success(-300)),
  MoneyTextCase("1,234.50", .success(123_450)),
  MoneyTextCase("$1,234.50", .success(123_450)),
  MoneyTextCase("-$1,234,567.5", .success(-123_456_750)),
  MoneyTextCase("$-4", .success(-400)),
  MoneyTextCase("USD 4.50", .success(450)),
  MoneyTextCase("4.50 USD", .success(450)),
  MoneyTextCase("4.5000", .success(450)),
  MoneyTextCase("0.500", .success(50)),
  MoneyTextCase(".75", .success(75)),
  MoneyTextCase("12345.678", .failure(.tooManyDecimals)),
  MoneyTextCase("1,234.500", .success(123_450)),
  // Decimal commas are never read as grouping (the 100× misreading).
  MoneyTextCase("4,50", .failure(.otherDecimalMark)),
  MoneyTextCase("4,5", .failure(.otherDecimalMark)),
  MoneyTextCase("1.234,50", .failure(.otherDecimalMark)),
  MoneyTextCase("1.234.567", .failure(.otherDecimalMark)),
  // Either convention would read these, differently.
  MoneyTextCase("1,234", .failure(.ambiguous)),
  MoneyTextCase("4,500", .failure(.ambiguous)),
  MoneyTextCase("4.500", .failure(.ambiguous)),
  MoneyTextCase("$1,000", .failure(.ambiguous)),
  // Grouping only by exactly three digits, and only before the decimals.
  MoneyTextCase("12,34.50", .failure(.badGrouping)),
  MoneyTextCase("1234,567.00", .failure(.badGrouping)),
  MoneyTextCase("1,234,567", .failure(.badGrouping)),
  MoneyTextCase("0,500", .failure(.badGrouping)),
  // Not amounts.
  MoneyTextCase("$$4", .failure(.notANumber)),
  MoneyTextCase("abc4", .failure(.notANumber)),
  MoneyTextCase("€4", .failure(.notANumber)),
  MoneyTextCase("1e3", .failure(.notANumber)),
  MoneyTextCase("4.", .failure(.notANumber)),
  MoneyTextCase("", .failure(.notANumber)),
  MoneyTextCase("-", .failure(.notANumber)),
  MoneyTextCase("4.50.", .failure(.notANumber)),
  MoneyTextCase("4.505", .failure(.tooManyDecimals)),
  MoneyTextCase("99999999999999999999", .failure(.tooLarge)),
  // With a decimal comma, the same rules mirrored.
  MoneyTextCase("4,50", .comma, "EUR", .success(450)),
  MoneyTextCase("1.234,50", .comma, "EUR", .success(123_450)),
  MoneyTextCase("4,50 €", .comma, "EUR", .success(450)),
  MoneyTextCase("€ -4,5", .comma, "EUR", .success(-450)),
  MoneyTextCase("4.50", .comma, "EUR", .failure(.otherDecimalMark)),
  MoneyTextCase("1,234.50", .comma, "EUR", .failure(.otherDecimalMark)),
  MoneyTextCase("1.234", .comma, "EUR", .failure(.ambiguous)),
  MoneyTextCase("4,500", .comma, "EUR", .failure(.ambiguous)),
  // Currencies with other numbers of decimals.
  MoneyTextCase("1200", .point, "JPY", .success(1200)),
  MoneyTextCase("1,200.00", .point, "JPY", .success(1200)),
  MoneyTextCase("1,200", .point, "JPY", .failure(.ambiguous)),
  MoneyTextCase("12.5", .point, "JPY", .failure(.tooManyDecimals)),
  MoneyTextCase("4.500", .point, "KWD", .success(4500)),
  MoneyTextCase("KD 4.250", .point, "KWD", .success(4250)),
  MoneyTextCase("CHF 4.50", .point, "CHF", .success(450)),
  MoneyTextCase("R$ 4,50", .comma, "BRL", .success(450)),
]

@Test(arguments: moneyTextCases)
func moneyTextReadsOrRefuses(_ c: MoneyTextCase) {
  #expect(MoneyText.parse(c.text, currency: Currency.named(c.currency)!, mark: c.mark) == c.expected)
}

@Test func jsonNumbersHaveADecimalPoint() {
  #expect(MoneyText.parseJSONNumber("4.500", currency: usd) == .success(450))
  #expect(MoneyText.parseJSONNumber("-3", currency: usd) == .success(-300))
  #expect(MoneyText.parseJSONNumber("4.505", currency: usd) == .failure(.tooManyDecimals))
  #expect(MoneyText.parseJSONNumber("45e-1", currency: usd) == .failure(.notANumber))
}

@Test func moneyProblemsNameTheFix() {
  #expect(MoneyProblem.otherDecimalMark.explanation("4,50", currency: usd, mark: .point)
    == "`,` is not the decimal mark here; write `4.50`, or, if the file writes decimals with a comma, read it with `--decimal-comma`")
  #expect(MoneyProblem.otherDecimalMark.explanation("1.234,50", currency: usd, mark: .point)
    == "`,` is not the decimal mark here; write `1234.50`, or, if the file writes decimals with a comma, read it with `--decimal-comma`")
  #expect(MoneyProblem.otherDecimalMark.explanation("4.50", currency: eur, mark: .comma)
    == "`.` is not the decimal mark here; write `4,50`, or read the file without `--decimal-comma`")
  #expect(MoneyProblem.ambiguous.explanation("1,234", currency: usd, mark: .point)
    == "`,` could group thousands or mark the decimals; write it with no separator or with `.` and 2 decimals, "
    + "or, if the file writes decimals with a comma, read it with `--decimal-comma`")
  #expect(MoneyProblem.notANumber.explanation("$$4", currency: usd, mark: .point)
    == "write digits with `.` before the decimals, such as `4.50`, optionally with `$` or `USD`")
  #expect(MoneyProblem.notANumber.explanation("x", currency: jpy, mark: .point)
    == "write digits with `.` before the decimals, such as `450`, optionally with `¥` or `JPY`")
  #expect(MoneyProblem.badGrouping.explanation("12,34.50", currency: usd, mark: .point)
    == "a thousands separator `,` must group exactly three digits and be followed by `.` and the decimals, such as `1,234.00`")
  #expect(MoneyProblem.tooManyDecimals.explanation("4.505", currency: usd, mark: .point) == "USD has 2 decimals; more would need rounding")
}

@Test func moneyParsingFollowsTheMark() {
  #expect(Money(parsing: "4,50", currency: eur, mark: .comma)?.minorUnits == 450)
  #expect(Money(parsing: "4,50", currency: usd) == nil)
}

/// Whatever the text, the two conventions never both accept it with different amounts: what
/// one would read differently from the other is refused, not guessed. And nothing traps.
@Test func theTwoConventionsNeverDisagree() {
  var random = SeededGenerator(state: 16)
  let alphabet = Array("0123456789000.,.,-$€ USDKWD")
  for currency in [usd, eur, jpy, Currency.named("KWD")!] {
    for _ in 0..<20_000 {
      let text = String((0..<Int.random(in: 0...12, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
      let point = MoneyText.parse(text, currency: currency, mark: .point)
      let comma = MoneyText.parse(text, currency: currency, mark: .comma)
      if case .success(let a) = point, case .success(let b) = comma { #expect(a == b, "\(text) in \(currency.code)") }
      for (result, mark) in [(point, DecimalMark.point), (comma, .comma)] {
        if case .failure(let problem) = result { #expect(!problem.explanation(text, currency: currency, mark: mark).isEmpty) }
      }
    }
  }
}

/// Every amount written the usual ways, grouped or not, with either mark, reads back exactly.
@Test func writtenAmountsReadBack() {
  var random = SeededGenerator(state: 17)
  for _ in 0..<5_000 {
    let minor = Int64.random(in: -10_000_000_000...10_000_000_000, using: &random)
    let plain = Money(minorUnits: minor, currency: usd).decimalString
    let grouped = Money(minorUnits: minor, currency: usd).description
    #expect(MoneyText.parse(plain, currency: usd, mark: .point) == .success(minor), "\(plain)")
    #expect(MoneyText.parse(grouped, currency: usd, mark: .point) == .success(minor), "\(grouped)")
    let mirrored = String(grouped.map { $0 == "," ? "." : $0 == "." ? "," : $0 })
    #expect(MoneyText.parse(mirrored, currency: usd, mark: .comma) == .success(minor), "\(mirrored)")
  }
}
