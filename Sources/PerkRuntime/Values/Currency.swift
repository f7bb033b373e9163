/// A currency: its ISO 4217 code, its usual symbol and how many minor digits it has.
public struct Currency: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The ISO 4217 code, such as `USD`.
  public let code: String
  /// The symbol used when formatting, such as `$`.
  public let symbol: String
  /// How many digits the minor unit has: 2 for cents, 0 for yen.
  public let minorDigits: Int

  /// Creates a currency.
  public init(code: String, symbol: String, minorDigits: Int) {
    self.code = code
    self.symbol = symbol
    self.minorDigits = minorDigits
  }

  /// The known currencies, by code.
  public static let known: [String: Currency] = {
    let table: [(String, String, Int)] = [
      ("USD", "$", 2), ("EUR", "€", 2), ("GBP", "£", 2), ("JPY", "¥", 0), ("CHF", "CHF ", 2),
      ("CAD", "$", 2), ("AUD", "$", 2), ("NZD", "$", 2), ("PLN", "zł ", 2), ("SEK", "kr ", 2),
      ("NOK", "kr ", 2), ("DKK", "kr ", 2), ("CZK", "Kč ", 2), ("HUF", "Ft ", 2), ("INR", "₹", 2),
      ("CNY", "¥", 2), ("MXN", "$", 2), ("BRL", "R$", 2), ("ZAR", "R", 2), ("SGD", "$", 2),
      ("HKD", "$", 2), ("KRW", "₩", 0), ("TRY", "₺", 2), ("ILS", "₪", 2), ("AED", "AED ", 2),
      ("KWD", "KD ", 3), ("BHD", "BD ", 3),
    ]
    return Dictionary(uniqueKeysWithValues: table.map { ($0.0, Currency(code: $0.0, symbol: $0.1, minorDigits: $0.2)) })
  }()

  /// The currency with this ISO code, if Perk knows it.
  public static func named(_ code: String) -> Currency? { known[code] }

  /// The code, such as `USD`.
  public var description: String { code }

  /// 10 to the power of the minor digits: 100 for cents.
  package var minorScale: Int64 {
    var scale: Int64 = 1
    for _ in 0..<minorDigits { scale *= 10 }
    return scale
  }
}
