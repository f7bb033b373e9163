import PerkRuntime
import PerkSyntax
import Testing

@testable import PerkCompiler

/// The lexer (which reads `12.50 USD`), the checker and the runtime share one list of currencies.
@Test func currencyTablesAgree() {
  #expect(Lexer.currencyCodes == Set(Currency.known.keys))
  #expect(Set(CurrencyInfo.known.map(\.code)) == Set(Currency.known.keys))
  #expect(CurrencyInfo.lookup(code: "KWD")?.minorDigits == 3)
  #expect(CurrencyInfo.lookup(symbol: "$", programCurrency: CurrencyInfo.lookup(code: "CAD"))?.code == "CAD")
  #expect(CurrencyInfo.lookup(symbol: "$", programCurrency: CurrencyInfo.lookup(code: "EUR"))?.code == "USD")
}
