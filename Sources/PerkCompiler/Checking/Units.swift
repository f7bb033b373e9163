import Foundation
import PerkSource
import PerkRuntime
import PerkSyntax

/// The unit of a checked value: the lattice expressions are typed in.
///
/// `unknown` marks a value whose error was already reported, so later checks stay quiet.
package enum Unit: Hashable, Sendable {
  case money
  case points(Int)
  case count
  case percent
  case number
  case date
  case duration
  case time
  case weekday
  case month
  case bool
  case tier
  case string
  case unknown

  /// Whether a plain number can stand for this unit (`stars balance >= 100`, `basket items > 2`).
  var acceptsPlainNumber: Bool {
    switch self {
    case .points, .count, .number: return true
    default: return false
    }
  }

  /// Whether `<`, `>` and friends make sense for this unit.
  var isOrdered: Bool {
    switch self {
    case .bool, .tier, .string, .unknown: return false
    default: return true
    }
  }
}

/// A currency the compiler knows: its ISO code, minor digits and usual symbol.
package struct CurrencyInfo: Hashable, Sendable {
  package var code: String
  package var minorDigits: Int
  package var symbol: String?

  /// The ISO 4217 currencies Perk accepts: the runtime's table, so checking and evaluation
  /// agree on codes, symbols and minor digits.
  package static let known: [CurrencyInfo] = Currency.known.values.sorted { $0.code < $1.code }.map(CurrencyInfo.init)

  init(_ currency: Currency) {
    self.init(code: currency.code, minorDigits: currency.minorDigits,
              symbol: currency.symbol.trimmingCharacters(in: .whitespaces))
  }

  package init(code: String, minorDigits: Int, symbol: String?) {
    self.code = code
    self.minorDigits = minorDigits
    self.symbol = symbol
  }

  package static func lookup(code: String) -> CurrencyInfo? { Currency.named(code).map(CurrencyInfo.init) }

  /// The currency a symbol means in a program using `programCurrency`: `$` is the program's
  /// own currency when that currency writes `$`, otherwise the usual currency for the symbol.
  package static func lookup(symbol: String, programCurrency: CurrencyInfo?) -> CurrencyInfo? {
    Currency.resolving(symbol: symbol, programCurrency: programCurrency.flatMap { Currency.named($0.code) })
      .map(CurrencyInfo.init)
  }
}

/// How a unit is named in messages.
package func describe(_ unit: Unit, names: SymbolTable) -> String {
  switch unit {
  case .money: return "money"
  case .points(let id): return "points (`\(names.pointsName(id))`)"
  case .count: return "a count"
  case .percent: return "a percentage"
  case .number: return "a number"
  case .date: return "a date"
  case .duration: return "a duration"
  case .time: return "a time of day"
  case .weekday: return "a weekday"
  case .month: return "a month"
  case .bool: return "true or false"
  case .tier: return "a tier"
  case .string: return "text"
  case .unknown: return "an unknown value"
  }
}

/// The result unit of `a + b` / `a - b`, or nil when the units do not add.
func additionUnit(_ a: Unit, _ b: Unit, subtract: Bool) -> Unit? {
  switch (a, b) {
  case (.date, .duration): return .date
  case (.duration, .date) where !subtract: return .date
  case (.date, .date) where subtract: return .duration
  case (.number, let other) where other.acceptsPlainNumber || other == .percent: return other
  case (let other, .number) where other.acceptsPlainNumber || other == .percent: return other
  case (.count, .count): return .count
  default:
    if a == b, a != .bool, a != .tier, a != .string, a != .weekday, a != .month, a != .time { return a }
    return nil
  }
}

/// The result unit of `a * b`, or nil when both carry a unit (money × money).
func multiplicationUnit(_ a: Unit, _ b: Unit) -> Unit? {
  guard let ra = scalarRank(a), let rb = scalarRank(b) else { return nil }
  if ra == 3 && rb == 3 { return nil }
  return ra >= rb ? a : b
}

/// Number < count < percent < unit-carrying values; nil for values that never multiply.
private func scalarRank(_ u: Unit) -> Int? {
  switch u {
  case .number: return 0
  case .count: return 1
  case .percent: return 2
  case .money, .points, .duration: return 3
  default: return nil
  }
}

/// Whether values of these units may be compared with `op`.
func comparable(_ a: Unit, _ b: Unit, ordered: Bool) -> Bool {
  if ordered && (!a.isOrdered || !b.isOrdered) { return false }
  if a == b { return true }
  if a == .number { return b.acceptsPlainNumber }
  if b == .number { return a.acceptsPlainNumber }
  return false
}
