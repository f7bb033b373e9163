import PerkRuntime
import PerkSource

/// A checked `test` declaration: every name resolved, every date and amount exact, ready to run.
///
/// Values use the runtime's names (currency, card, rule and reward names are the keys the runtime's
/// balances and awards use), so the scenario runner compares without any lookup.
package struct CheckedScenario: Sendable {
  /// The test's name.
  package var name: String
  /// The test's name as written (for `file:line` in reports).
  package var nameRange: SourceRange
  /// The steps in source order.
  package var steps: [ScenarioStep]
}

/// One step of a scenario.
package enum ScenarioStep: Sendable {
  /// A customer joins the test's world.
  case customer(ScenarioCustomer)
  /// An event happens.
  case event(ScenarioEvent)
  /// A claim is checked.
  case expect(ScenarioExpectation)
}

/// A customer of a scenario: the runtime's customer and starting balances.
package struct ScenarioCustomer: Sendable {
  package var customer: Customer
  /// Starting points balances by currency name (`with 300 stars`).
  package var balances: [String: Int64]
  package var range: SourceRange
}

/// One basket line, with the price in minor units of the program currency.
package struct ScenarioLine: Hashable, Sendable {
  package var sku: String
  package var category: String
  package var quantity: Int64
  package var unitPriceMinor: Int64
}

/// A dated event of a scenario.
package struct ScenarioEvent: Sendable {
  package enum Kind: Sendable {
    case purchase
    case `return`(original: String)
    case redemption(reward: String)
    case signup
    case custom(String)
    /// Period ends up to the date, for every customer declared so far.
    case timePasses
  }
  package var kind: Kind
  /// Who acts; nil for `time passes`.
  package var customer: String?
  /// The transaction id: the label, or `line N` when the line has none.
  package var id: String
  /// The local date and second of the day in the program's time zone.
  package var date: LocalDate
  package var secondOfDay: Int64
  package var lines: [ScenarioLine]
  package var store: String?
  package var channel: String?
  package var range: SourceRange
}

/// A claim of an `expect` line; a `has` line with several items gives one expectation per item.
package struct ScenarioExpectation: Sendable {
  package enum Claim: Hashable, Sendable {
    /// Points of a currency earned by the last event, from one rule or all.
    case earns(currency: String, amount: Int64, rule: String?)
    /// Units of an item made free by the last event.
    case freeItem(sku: String, count: Int64)
    /// A voucher given by the last event, optionally with its value in minor units.
    case voucher(name: String, worthMinor: Int64?, validUntil: LocalDate?)
    /// A catalog reward given by the last event.
    case reward(String)
    /// Stamps collected on a card by the last event.
    case collects(card: String, count: Int64)
    /// The last event changed the tier to this one.
    case tierChange(to: String)
    /// The last event gave nothing at all.
    case nothing
    /// The last event made no item free.
    case nothingFree
    /// The last event gave no voucher.
    case noVoucher
    /// The amount paid in the last event, in minor units.
    case pays(Int64)
    /// A balance now.
    case balance(currency: String, amount: Int64)
    /// Stamps on a card now.
    case stamps(card: String, count: Int64)
    /// The tier held now (nil: none).
    case tier(String?)
    /// The last event was rejected, with a reason containing this text when given.
    case rejected(reason: String?)
    /// Points of a currency that expired in the last event (a period end).
    case expired(currency: String, amount: Int64)
    /// Points spent on catalog rewards in the last event, on one reward or all.
    case spends(currency: String, amount: Int64, reward: String?)
    /// Held points released in the last event.
    case released(currency: String, amount: Int64)
    /// The money a return gave back, in minor units.
    case refunded(Int64)
    /// A message the till shows after the last event (near miss, expiry, future fact).
    case told(String)
    /// A message the last event (or the period ends before it) made due, on one channel or any;
    /// text nil: no message at all; `negated`: no such message.
    case sent(text: String?, channel: String?, negated: Bool)
    /// Points the last event (a return) could not take back, by currency.
    case short(currency: String, amount: Int64)
    /// Money taken off by promotions in the last event, in minor units, from one rule or all.
    case saves(Int64, rule: String?)
    /// Points held now (not yet spendable).
    case pending(currency: String, amount: Int64)
    /// The next expiry of a currency now: how many points, and the first day they are gone.
    case expiring(currency: String, amount: Int64, date: LocalDate)
    /// A volume rebate's figure in the last event, in minor units; `phase` is `accrual`,
    /// `statement` or `settlement` (the runtime's `RebateAward.Phase` raw values).
    case rebate(phase: String, rebate: String, amountMinor: Int64)

    /// Whether the claim is about the last event (true) or the account now (false).
    package var isAboutLastEvent: Bool {
      switch self {
      case .balance, .stamps, .tier, .pending, .expiring: return false
      default: return true
      }
    }
  }
  /// Whose outcome or state; nil means the last event's customer.
  package var customer: String?
  package var claim: Claim
  /// The claim as written (an item of a `has` list, or the whole line).
  package var range: SourceRange
  /// The whole `expect` line.
  package var lineRange: SourceRange
}
