import Foundation

extension Currency {
  /// Resolves a money symbol written in a program (`$`, `€`, `£`, `¥`) against the
  /// program's currency: the symbol means the program currency when that currency uses
  /// it (so `$` is CAD in a CAD program), otherwise the usual currency for the symbol
  /// (`€` is EUR). Returns nil for a symbol Perk does not know.
  ///
  /// Why: `$5` in a Canadian program must not silently become US dollars.
  public static func resolving(symbol: String, programCurrency: Currency?) -> Currency? {
    if let program = programCurrency, program.symbol.trimmingCharacters(in: .whitespaces) == symbol { return program }
    switch symbol {
    case "$": return named("USD")
    case "€": return named("EUR")
    case "£": return named("GBP")
    case "¥": return named("JPY")
    default: return nil
    }
  }
}
