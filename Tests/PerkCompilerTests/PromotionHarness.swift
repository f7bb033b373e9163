import Foundation
import Perk
import Testing

/// A program compiled from text and one customer's account, for promotion, stacking, cap and budget tests.
struct Shop {
  let program: Program
  var state = AccountState()
  var customer = Customer(id: "c1")
  var budgets = BudgetLedger()
  var count = 0

  init(_ source: String) throws {
    let compilation = compile(source: source, path: "shop.perk")
    guard let program = compilation.program else {
      throw EvaluationError("does not compile: \(compilation.diagnostics.map { "\($0.code.rawValue) \($0.message)" })")
    }
    self.program = program
  }

  /// A local wall-clock time (`2026-03-02T08:00`) in the program's zone.
  func instant(_ local: String) -> Instant {
    let parts = local.split(separator: "T")
    let date = LocalDate(iso: parts[0])!
    let clock = parts.count > 1 ? parts[1].split(separator: ":").map { Int64($0)! } : [0, 0]
    return program.timeZone.instant(of: date, secondOfDay: clock[0] * 3600 + clock[1] * 60)
  }

  /// Buys (sku, category, quantity, unit price) at a local time; budgets go through the shop's ledger.
  mutating func buy(_ time: String, _ lines: [(String, String, Int64, String)], id: String? = nil) throws -> Outcome {
    count += 1
    let items = lines.map { LineItem(sku: $0.0, category: $0.1, quantity: $0.2, unitPrice: Money(parsing: $0.3, currency: program.currency)!) }
    let event = Event(kind: .purchase, id: id ?? "T\(count)", time: instant(time), lines: items)
    let outcome = try program.evaluate(event, customer: customer, state: state, budgets: &budgets)
    state = outcome.state
    return outcome
  }
}

/// Every award as one line of text: `source: kind value`.
func awardLines(_ outcome: Outcome) -> [String] {
  outcome.awards.map { award in
    switch award.kind {
    case .points(let currency, let amount, _): return "\(award.source): \(amount) \(currency)"
    case .discount(let value): return "\(award.source): discount \(value)"
    case .freeItem(let sku, let value): return "\(award.source): free \(sku) \(value)"
    case .voucher(let name, let value, _): return "\(award.source): voucher \(name) \(value)"
    case .reward(let name, _): return "\(award.source): reward \(name)"
    case .stamps(let card, let count): return "\(card): \(count) stamps"
    case .tierChange(let from, let to): return "tiers: \(from ?? "-") → \(to ?? "-")"
    default: return "\(award.source): \(award.kind)"
    }
  }
}

/// The codes a source compiles to, in order.
func codes(_ source: String) -> [String] {
  compile(source: source, path: "shop.perk").diagnostics.map(\.code.rawValue)
}

let shopHeader = """
  program "Shop"
    currency USD
    timezone America/New_York

  points stars
    worth $0.01

  """
