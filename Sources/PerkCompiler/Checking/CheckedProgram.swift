import PerkRuntime
import PerkSource
import PerkSyntax

/// The checked form of a program: every name resolved to an integer id, every amount exact.
///
/// Ids are indexes into the arrays below; lowering turns this into the runtime's `Program`.
package struct CheckedProgram: Sendable {
  package var name: String = ""
  package var currency: CurrencyInfo = CurrencyInfo(code: "USD", minorDigits: 2, symbol: "$")
  package var timeZoneIdentifier: String = "UTC"
  /// `calendar in customer time zones`: each customer's calendar runs in their own zone.
  package var calendarInCustomerZones = false
  package var pointsCurrencies: [CheckedPoints] = []
  package var tiers: CheckedTiers?
  package var stampCards: [CheckedStampCard] = []
  package var rules: [CheckedRule] = []
  package var rewards: [CheckedReward] = []
  package var rebates: [CheckedRebate] = []
  /// The `test` declarations, for `perk test`; lowering ignores them.
  package var scenarios: [CheckedScenario] = []
  /// `budget …` on the program.
  package var budget: CheckedBudget?
  /// `thresholds after discounts` (nil: not stated, before discounts).
  package var thresholdsAfterDiscounts: Bool?
  /// `amounts include tax` (nil: not stated, before tax).
  package var amountsIncludeTax: Bool?
  /// `on return …` on the program: what returns do to awards (nil: not stated, recompute).
  package var returnPolicy: ReturnPolicySyntax?
  /// `on return reopen limits and caps` on the program: for every rule.
  package var reopensLimitsOnReturn = false
  /// `messages at most …`, `quiet hours …`, `consent for …` (ContactChecks.swift).
  package var contactPolicy = ContactPolicy()
}

/// An exact decimal value (`significand × 10^-scale`), used for rates and amounts.
package typealias Exact = DecimalLiteral

package struct CheckedPoints: Sendable {
  package var id: Int
  package var name: String
  /// What one point is worth, in the program currency's major units.
  package var worth: Exact?
  package var rounding: RoundingSyntax
  package var range: SourceRange
  /// `expire …` (PointsLifeChecks.swift).
  package var expiry: ExpirySyntax? = nil
  package var spendOrder: SpendOrderSyntax = .oldestFirst
  package var hold: HoldDuration? = nil
  package var clawback: ClawbackSyntax = .neverBelowZero
  /// `cap at 300 per day`
  package var caps: [CheckedCap] = []
}

package struct CheckedTierLevel: Sendable {
  package var id: Int
  package var name: String
  /// Spend threshold in major units of the program currency.
  package var spendThreshold: Exact?
  package var visitThreshold: Int64?
  package var multiplier: Exact
  package var range: SourceRange
}

package struct CheckedTiers: Sendable {
  package var measure: TierMeasureSyntax
  package var window: WindowSyntax
  package var levels: [CheckedTierLevel]
  package var keep: TierKeepSyntax?
  package var range: SourceRange
  /// `review …`: scheduled reviews; nil for today's behaviour (the tier follows the measure at every event).
  package var review: TierReviewSyntax? = nil
  /// The lines whose spend (and visits) count toward status; nil for every line.
  package var filter: CheckedFilter?
}

/// Which basket lines a clause looks at.
package struct CheckedFilter: Hashable, Sendable {
  package var field: ItemFilter.Field
  package var values: [String]
  /// `not in category …`: matches the lines whose value is none of `values`.
  package var negated: Bool = false
}

package struct CheckedStampCard: Sendable {
  package enum Collect: Sendable {
    case perItem(count: Int64, filter: CheckedFilter?)
    case perVisit(count: Int64)
    /// `collect spend`: the card holds minor units; `every` is then a money threshold in minor units.
    case spend(filter: CheckedFilter?)
  }
  package enum CardReward: Sendable {
    case cheapestItemFree(CheckedFilter?)
    case mostExpensiveItemFree(CheckedFilter?)
    case reward(Int)
    case voucher(name: String, worth: Exact, validFor: DurationLiteral?)
  }
  package var id: Int
  package var name: String
  package var collect: Collect
  package var every: Int64
  package var reward: CardReward
  package var range: SourceRange
  /// `on return keep stamps`: returns leave the card alone.
  package var keepsStampsOnReturn = false
  /// `on return restore free items`: a free item a return takes away fills the card again.
  package var restoresFreeItemsOnReturn = false
}

package enum CheckedEarnBasis: Sendable {
  case flat
  /// `per $A spent`: `per` in major units; `beforeDiscounts` earns on the recorded price.
  case perSpend(per: Exact, whole: Bool, filter: CheckedFilter?, beforeDiscounts: Bool)
  /// `per item`: `beforeDiscounts` counts free units too.
  case perItem(filter: CheckedFilter?, beforeDiscounts: Bool)
}

package enum CheckedEffect: Sendable {
  case earn(amount: Exact, currency: Int, basis: CheckedEarnBasis)
  case multiply(currency: Int, factor: Exact)
  case voucher(name: String, worth: Exact, validFor: DurationLiteral?)
  case reward(Int)
  case price(CheckedPriceEffect)
  /// `earn 300 points for referrer held 14 days`: a flat amount for the referrer, released `holdDays`
  /// after the purchase day (one more with `not counting the earning day`).
  case earnForReferrer(amount: Int64, currency: Int, holdDays: Int64)
  /// `send message "…" via sms`; `ranges` locates each part (the whole string for plain text).
  case message(MessageSpec, ranges: [SourceRange])
}

package struct CheckedLimit: Sendable {
  package var count: Int64
  package var period: LimitPeriodSyntax
}

package struct CheckedRule: Sendable {
  package var id: Int
  package var name: String
  package var trigger: TriggerSyntax
  /// The conjunction of every `when` clause; nil when the rule has none.
  package var condition: TypedExpression?
  package var effects: [CheckedEffect]
  package var limits: [CheckedLimit]
  /// The rule whose per-spend earning this rule replaces on the lines it earns on.
  package var replaces: Int?
  package var range: SourceRange
  /// Priority, group, caps and budget.
  package var stacking = CheckedStacking()
  /// `hold 30 days` (PointsLifeChecks.swift).
  package var hold: Located<HoldDuration>? = nil
  /// `on return …` on the rule (nil: the program's policy).
  package var returnPolicy: ReturnPolicySyntax? = nil
  /// `on return reopen limits and caps` on the rule.
  package var reopensLimitsOnReturn = false
  /// `round half up` on the rule (RoundingChecks.swift).
  package var pointsRounding: Located<RoundingSyntax>? = nil
  /// When a contact trigger falls (ContactChecks.swift); nil for the other triggers.
  package var timing: CheckedTiming? = nil
}

package struct CheckedReward: Sendable {
  package var id: Int
  package var name: String
  package var cost: Int64
  package var currency: Int
  package var worth: Exact?
  package var range: SourceRange
}
