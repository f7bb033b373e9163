import PerkTestSupport
import Testing

@testable import PerkRuntime

/// An amount's two texts, written literally as the formatter before the byte writer gave them.
struct MoneyFormatCase: Sendable, CustomTestStringConvertible {
  let currency: Currency
  let minorUnits: Int64
  let description: String
  let decimalString: String
  init(_ currency: Currency, _ minorUnits: Int64, _ description: String, _ decimalString: String) {
    self.currency = currency
    self.minorUnits = minorUnits
    self.description = description
    self.decimalString = decimalString
  }
  var testDescription: String { "\(minorUnits) \(currency.code)" }
}

private let kwd = Currency.named("KWD")!
private let chf = Currency.named("CHF")!
private let pln = Currency.named("PLN")!
private let inr = Currency.named("INR")!
private let brl = Currency.named("BRL")!
// No known currency has one, four or eighteen decimals; `Currency.init` is public, so any can be made.
private let tenths = Currency(code: "XTN", symbol: "T", minorDigits: 1)
private let four = Currency(code: "XFR", symbol: "F", minorDigits: 4)
private let eighteen = Currency(code: "XET", symbol: "E", minorDigits: 18)

let moneyFormatCases: [MoneyFormatCase] = [
  MoneyFormatCase(usd, 0, "$0.00", "0.00"),
  MoneyFormatCase(usd, 1, "$0.01", "0.01"),
  MoneyFormatCase(usd, -1, "-$0.01", "-0.01"),
  MoneyFormatCase(usd, 5, "$0.05", "0.05"),
  MoneyFormatCase(usd, 45, "$0.45", "0.45"),
  MoneyFormatCase(usd, 450, "$4.50", "4.50"),
  MoneyFormatCase(usd, -125, "-$1.25", "-1.25"),
  MoneyFormatCase(usd, 999, "$9.99", "9.99"),
  MoneyFormatCase(usd, 1_000, "$10.00", "10.00"),
  MoneyFormatCase(usd, 99_999, "$999.99", "999.99"),
  MoneyFormatCase(usd, 100_000, "$1,000.00", "1000.00"),
  MoneyFormatCase(usd, -123_456_789, "-$1,234,567.89", "-1234567.89"),
  MoneyFormatCase(usd, 1_000_000_000, "$10,000,000.00", "10000000.00"),
  MoneyFormatCase(usd, .max, "$92,233,720,368,547,758.07", "92233720368547758.07"),
  MoneyFormatCase(usd, .min, "-$92,233,720,368,547,758.08", "-92233720368547758.08"),
  MoneyFormatCase(usd, .min + 1, "-$92,233,720,368,547,758.07", "-92233720368547758.07"),
  MoneyFormatCase(jpy, 0, "¥0", "0"),
  MoneyFormatCase(jpy, 1, "¥1", "1"),
  MoneyFormatCase(jpy, -1, "-¥1", "-1"),
  MoneyFormatCase(jpy, 5, "¥5", "5"),
  MoneyFormatCase(jpy, 45, "¥45", "45"),
  MoneyFormatCase(jpy, 450, "¥450", "450"),
  MoneyFormatCase(jpy, -125, "-¥125", "-125"),
  MoneyFormatCase(jpy, 999, "¥999", "999"),
  MoneyFormatCase(jpy, 1_000, "¥1,000", "1000"),
  MoneyFormatCase(jpy, 99_999, "¥99,999", "99999"),
  MoneyFormatCase(jpy, 100_000, "¥100,000", "100000"),
  MoneyFormatCase(jpy, -123_456_789, "-¥123,456,789", "-123456789"),
  MoneyFormatCase(jpy, 1_000_000_000, "¥1,000,000,000", "1000000000"),
  MoneyFormatCase(jpy, .max, "¥9,223,372,036,854,775,807", "9223372036854775807"),
  MoneyFormatCase(jpy, .min, "-¥9,223,372,036,854,775,808", "-9223372036854775808"),
  MoneyFormatCase(jpy, .min + 1, "-¥9,223,372,036,854,775,807", "-9223372036854775807"),
  MoneyFormatCase(kwd, 0, "KD 0.000", "0.000"),
  MoneyFormatCase(kwd, 1, "KD 0.001", "0.001"),
  MoneyFormatCase(kwd, -1, "-KD 0.001", "-0.001"),
  MoneyFormatCase(kwd, 5, "KD 0.005", "0.005"),
  MoneyFormatCase(kwd, 45, "KD 0.045", "0.045"),
  MoneyFormatCase(kwd, 450, "KD 0.450", "0.450"),
  MoneyFormatCase(kwd, -125, "-KD 0.125", "-0.125"),
  MoneyFormatCase(kwd, 999, "KD 0.999", "0.999"),
  MoneyFormatCase(kwd, 1_000, "KD 1.000", "1.000"),
  MoneyFormatCase(kwd, 99_999, "KD 99.999", "99.999"),
  MoneyFormatCase(kwd, 100_000, "KD 100.000", "100.000"),
  MoneyFormatCase(kwd, -123_456_789, "-KD 123,456.789", "-123456.789"),
  MoneyFormatCase(kwd, 1_000_000_000, "KD 1,000,000.000", "1000000.000"),
  MoneyFormatCase(kwd, .max, "KD 9,223,372,036,854,775.807", "9223372036854775.807"),
  MoneyFormatCase(kwd, .min, "-KD 9,223,372,036,854,775.808", "-9223372036854775.808"),
  MoneyFormatCase(kwd, .min + 1, "-KD 9,223,372,036,854,775.807", "-9223372036854775.807"),
  MoneyFormatCase(eighteen, 0, "E0.000000000000000000", "0.000000000000000000"),
  MoneyFormatCase(eighteen, 1, "E0.000000000000000001", "0.000000000000000001"),
  MoneyFormatCase(eighteen, -1, "-E0.000000000000000001", "-0.000000000000000001"),
  MoneyFormatCase(eighteen, 5, "E0.000000000000000005", "0.000000000000000005"),
  MoneyFormatCase(eighteen, 45, "E0.000000000000000045", "0.000000000000000045"),
  MoneyFormatCase(eighteen, 450, "E0.000000000000000450", "0.000000000000000450"),
  MoneyFormatCase(eighteen, -125, "-E0.000000000000000125", "-0.000000000000000125"),
  MoneyFormatCase(eighteen, 999, "E0.000000000000000999", "0.000000000000000999"),
  MoneyFormatCase(eighteen, 1_000, "E0.000000000000001000", "0.000000000000001000"),
  MoneyFormatCase(eighteen, 99_999, "E0.000000000000099999", "0.000000000000099999"),
  MoneyFormatCase(eighteen, 100_000, "E0.000000000000100000", "0.000000000000100000"),
  MoneyFormatCase(eighteen, -123_456_789, "-E0.000000000123456789", "-0.000000000123456789"),
  MoneyFormatCase(eighteen, 1_000_000_000, "E0.000000001000000000", "0.000000001000000000"),
  MoneyFormatCase(eighteen, .max, "E9.223372036854775807", "9.223372036854775807"),
  MoneyFormatCase(eighteen, .min, "-E9.223372036854775808", "-9.223372036854775808"),
  MoneyFormatCase(eighteen, .min + 1, "-E9.223372036854775807", "-9.223372036854775807"),
  MoneyFormatCase(chf, 0, "CHF 0.00", "0.00"),
  MoneyFormatCase(chf, -1, "-CHF 0.01", "-0.01"),
  MoneyFormatCase(chf, 450, "CHF 4.50", "4.50"),
  MoneyFormatCase(chf, 100_000, "CHF 1,000.00", "1000.00"),
  MoneyFormatCase(chf, -123_456_789, "-CHF 1,234,567.89", "-1234567.89"),
  MoneyFormatCase(chf, .max, "CHF 92,233,720,368,547,758.07", "92233720368547758.07"),
  MoneyFormatCase(chf, .min, "-CHF 92,233,720,368,547,758.08", "-92233720368547758.08"),
  MoneyFormatCase(pln, 0, "zł 0.00", "0.00"),
  MoneyFormatCase(pln, -1, "-zł 0.01", "-0.01"),
  MoneyFormatCase(pln, 450, "zł 4.50", "4.50"),
  MoneyFormatCase(pln, 100_000, "zł 1,000.00", "1000.00"),
  MoneyFormatCase(pln, -123_456_789, "-zł 1,234,567.89", "-1234567.89"),
  MoneyFormatCase(pln, .max, "zł 92,233,720,368,547,758.07", "92233720368547758.07"),
  MoneyFormatCase(pln, .min, "-zł 92,233,720,368,547,758.08", "-92233720368547758.08"),
  MoneyFormatCase(inr, 0, "₹0.00", "0.00"),
  MoneyFormatCase(inr, -1, "-₹0.01", "-0.01"),
  MoneyFormatCase(inr, 450, "₹4.50", "4.50"),
  MoneyFormatCase(inr, 100_000, "₹1,000.00", "1000.00"),
  MoneyFormatCase(inr, -123_456_789, "-₹1,234,567.89", "-1234567.89"),
  MoneyFormatCase(inr, .max, "₹92,233,720,368,547,758.07", "92233720368547758.07"),
  MoneyFormatCase(inr, .min, "-₹92,233,720,368,547,758.08", "-92233720368547758.08"),
  MoneyFormatCase(brl, 0, "R$0.00", "0.00"),
  MoneyFormatCase(brl, -1, "-R$0.01", "-0.01"),
  MoneyFormatCase(brl, 450, "R$4.50", "4.50"),
  MoneyFormatCase(brl, 100_000, "R$1,000.00", "1000.00"),
  MoneyFormatCase(brl, -123_456_789, "-R$1,234,567.89", "-1234567.89"),
  MoneyFormatCase(brl, .max, "R$92,233,720,368,547,758.07", "92233720368547758.07"),
  MoneyFormatCase(brl, .min, "-R$92,233,720,368,547,758.08", "-92233720368547758.08"),
  MoneyFormatCase(eur, 0, "€0.00", "0.00"),
  MoneyFormatCase(eur, -1, "-€0.01", "-0.01"),
  MoneyFormatCase(eur, 450, "€4.50", "4.50"),
  MoneyFormatCase(eur, 100_000, "€1,000.00", "1000.00"),
  MoneyFormatCase(eur, -123_456_789, "-€1,234,567.89", "-1234567.89"),
  MoneyFormatCase(eur, .max, "€92,233,720,368,547,758.07", "92233720368547758.07"),
  MoneyFormatCase(eur, .min, "-€92,233,720,368,547,758.08", "-92233720368547758.08"),
  MoneyFormatCase(tenths, 0, "T0.0", "0.0"),
  MoneyFormatCase(tenths, -1, "-T0.1", "-0.1"),
  MoneyFormatCase(tenths, 450, "T45.0", "45.0"),
  MoneyFormatCase(tenths, 100_000, "T10,000.0", "10000.0"),
  MoneyFormatCase(tenths, -123_456_789, "-T12,345,678.9", "-12345678.9"),
  MoneyFormatCase(tenths, .max, "T922,337,203,685,477,580.7", "922337203685477580.7"),
  MoneyFormatCase(tenths, .min, "-T922,337,203,685,477,580.8", "-922337203685477580.8"),
  MoneyFormatCase(four, 0, "F0.0000", "0.0000"),
  MoneyFormatCase(four, -1, "-F0.0001", "-0.0001"),
  MoneyFormatCase(four, 450, "F0.0450", "0.0450"),
  MoneyFormatCase(four, 100_000, "F10.0000", "10.0000"),
  MoneyFormatCase(four, -123_456_789, "-F12,345.6789", "-12345.6789"),
  MoneyFormatCase(four, .max, "F922,337,203,685,477.5807", "922337203685477.5807"),
  MoneyFormatCase(four, .min, "-F922,337,203,685,477.5808", "-922337203685477.5808"),
]

@Test(arguments: moneyFormatCases)
func moneyTextIsPinned(_ c: MoneyFormatCase) {
  let money = Money(minorUnits: c.minorUnits, currency: c.currency)
  #expect(money.description == c.description)
  #expect(money.decimalString == c.decimalString)
}

@Test func plainTextWithADecimalCommaSwapsOnlyThePoint() {
  #expect(MoneyText.plain(-123_456_789, currency: usd, mark: .comma) == "-1234567,89")
  #expect(MoneyText.plain(1_200, currency: jpy, mark: .comma) == "1200")
}

/// The formatter before the byte writer, kept as the oracle: decimal text from `String` of the
/// whole and fractional parts, then the whole part grouped by three from the right.
private func referenceText(_ minor: Int64, _ currency: Currency) -> (description: String, decimalString: String) {
  let magnitude = minor.magnitude
  let scale = UInt64(currency.minorScale)
  var plain = String(magnitude / scale)
  if currency.minorDigits > 0 {
    let fraction = String(magnitude % scale)
    plain += "." + String(repeating: "0", count: currency.minorDigits - fraction.count) + fraction
  }
  let parts = plain.split(separator: ".", maxSplits: 1)
  var whole = String(parts[0])
  var grouped = ""
  while whole.count > 3 {
    grouped = "," + whole.suffix(3) + grouped
    whole.removeLast(3)
  }
  grouped = whole + grouped
  let body = parts.count > 1 ? grouped + "." + parts[1] : grouped
  let sign = minor < 0 ? "-" : ""
  return (sign + currency.symbol + body, sign + plain)
}

@Test func moneyTextAgreesWithTheReferenceOnSeededAmounts() {
  var generator = SeededGenerator(state: 17)
  let currencies = Currency.known.keys.sorted().map { Currency.known[$0]! } + [tenths, four, eighteen]
  for currency in currencies {
    for _ in 0..<400 {
      // Every magnitude from one digit to nineteen, either sign.
      let digits = Int.random(in: 0...18, using: &generator)
      var bound: Int64 = 1
      for _ in 0..<digits { bound *= 10 }
      let magnitude = Int64.random(in: 0...(digits == 18 ? .max : bound * 10 - 1), using: &generator)
      let minor = Bool.random(using: &generator) ? magnitude : -magnitude
      let money = Money(minorUnits: minor, currency: currency)
      let expected = referenceText(minor, currency)
      #expect(money.description == expected.description, "\(minor) \(currency.code)")
      #expect(money.decimalString == expected.decimalString, "\(minor) \(currency.code)")
    }
  }
}
