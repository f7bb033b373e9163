/// What an evaluation works out beyond the awards, their amounts and the new state.
///
/// A till shows a customer why they earned what they earned and what comes next, so by default
/// everything is computed. A bulk caller that only adds up amounts (the simulator over millions
/// of purchases) turns the texts and the till facts off: the awards, their amounts and values,
/// the balances and the state are exactly the same either way.
public struct EvaluationOptions: Sendable, Hashable {
  /// Each award's ``Award/explanation``; when off, explanations are empty strings.
  public var explanations: Bool
  /// The till facts of the outcome: ``Outcome/pending``, ``Outcome/nextExpiry``,
  /// ``Outcome/facts`` and ``Outcome/nearMisses``; when off, they are left empty.
  public var tillFacts: Bool

  /// Whether to record what the evaluation exercised (``Outcome/trace``): rule conditions
  /// seen true or false, limits and caps reached. Off by default; `perk test --coverage` asks.
  package var trace = false
  /// Whether to count, per rule, the conditions that did not hold, the limits that stopped it
  /// and its firings (``RuleTally``, read with ``Account/takeRuleTally()``). Off by default;
  /// `perk sim` asks, to say why a rule never fired.
  package var tallies = false
  /// Whether a purchase keeps its record (its lines, what each earned, what its rules read)
  /// for a later return of it. On by default. A caller that knows no return will come — `perk
  /// sim` on a customer whose history has none — turns it off: the awards, amounts, balances and
  /// tiers are the same, the state only lacks the records, and a return would find its
  /// purchase unknown. (Keeping them was about a sixth of a café purchase's evaluation.)
  package var keepsReturnRecords = true
  /// The purchases of one customer's whole history (`events`) that must keep their record
  /// (``keepsReturnRecords``) for the history's returns to come out as if every purchase kept
  /// one: those a return names. Nil when every purchase must keep it — when the history has
  /// more purchases than records are kept, which records are dropped first depends on them all.
  ///
  /// A return reads its original's record only; a purchase without one merges its points lots
  /// with others of the same expiry, which changes no amount spent, expiring or taken back
  /// (Expiry.swift) — only the explanation of an expiry, which names the earning days of the
  /// lots it takes (the merged lot keeps the earliest).
  package static func purchasesKeepingRecords(in events: [Event]) -> Set<String>? {
    var returned: Set<String> = []
    var purchases = 0
    for event in events {
      switch event.kind {
      case .purchase: purchases += 1
      case .return(let original): returned.insert(original)
      default: break
      }
    }
    return purchasesKeepingRecords(purchases: purchases, returned: returned)
  }
  /// ``purchasesKeepingRecords(in:)`` of a history counted by its caller: its number of
  /// purchases and the originals its returns name (the simulator finds them without making
  /// the events).
  package static func purchasesKeepingRecords(purchases: Int, returned: Set<String>) -> Set<String>? {
    purchases > EvaluationRun.recordLimit ? nil : returned
  }
  /// Creates options; by default everything is computed.
  public init(explanations: Bool = true, tillFacts: Bool = true) {
    self.explanations = explanations
    self.tillFacts = tillFacts
  }

  /// Everything: explanations and till facts (what ``Program/evaluate(_:customer:state:)`` gives).
  public static let full = EvaluationOptions()
  /// Awards, amounts and state only: no explanations, no till facts.
  public static let amountsOnly = EvaluationOptions(explanations: false, tillFacts: false)
}
