import PerkSource

/// A parsed `.perk` file: its declarations in source order.
public struct SourceFileSyntax: Hashable, Sendable {
  /// The declarations, including `.invalid` ones the parser recovered from.
  public var declarations: [Declaration]
  /// The whole file.
  public var range: SourceRange
  /// Every item filter (`in category coffee, tea`) of the file, in source order, wherever it is
  /// written: the checker looks for category and SKU names that are probably typos.
  public var itemFilters: [ItemFilter]
  /// Creates a file syntax tree.
  public init(declarations: [Declaration], range: SourceRange, itemFilters: [ItemFilter] = []) {
    self.declarations = declarations
    self.range = range
    self.itemFilters = itemFilters
  }
}

/// A top-level declaration: a keyword at column 1 and the indented clauses under it.
public enum Declaration: Hashable, Sendable {
  /// `program "Name"`
  case program(ProgramDeclaration)
  /// `points stars`
  case points(PointsDeclaration)
  /// `tiers by spend over last 12 months`
  case tiers(TiersDeclaration)
  /// `stamps coffee card`
  case stamps(StampsDeclaration)
  /// `rule base earn`
  case rule(RuleDeclaration)
  /// `reward free drink`
  case reward(RewardDeclaration)
  /// `rebate annual volume`
  case rebate(RebateDeclaration)
  /// `test the tenth coffee is free`: a scenario run by `perk test`.
  case test(TestDeclaration)
  /// A declaration the parser could not make sense of (already reported).
  case invalid(SourceRange)
}

/// `program "Bean & Leaf Rewards"` with `currency` and `timezone` clauses.
public struct ProgramDeclaration: Hashable, Sendable {
  /// A clause of a program declaration.
  public enum Clause: Hashable, Sendable {
    /// `currency USD`
    case currency(Name)
    /// `timezone America/New_York`
    case timezone(Name)
    /// `calendar in customer time zones`: calendar questions in each customer's own zone.
    case customerCalendar(SourceRange)
    /// `budget $10,000 per month`: the most all rules together give away, all customers together.
    case budget(amount: Expression, period: Located<CapPeriodSyntax>, range: SourceRange)
    /// `thresholds before discounts` / `thresholds after discounts`
    case thresholds(Located<ThresholdBasisSyntax>)
    /// `amounts before tax` / `amounts include tax`
    case tax(Located<TaxBasisSyntax>)
    /// `on return recompute awards` and its forms: what returns do to every rule's awards.
    case onReturn(Located<ReturnPolicySyntax>)
    /// `categories coffee, tea` / `skus latte, scone`: the names the program's filters may use;
    /// any other is then an error.
    case catalog(field: ItemFilter.Field, values: [Name], range: SourceRange)
    /// `messages at most 2 per week`: the most messages one customer is sent per calendar period.
    case messageCap(count: Located<Int64>, unit: DurationUnit, range: SourceRange)
    /// `quiet hours 21:00 to 8:00`: messages due then, in the customer's local time, wait.
    case quietHours(from: TimeLiteral, to: TimeLiteral, range: SourceRange)
    /// `consent for sms from attribute sms_opt_in`: messages on the channel need the attribute.
    case consent(channel: Name, attribute: Name, range: SourceRange)
    /// `message costs $0.02 via sms`: what sending one costs (`perk sim` adds it to the cost).
    case messageCost(amount: Expression, channel: Name, range: SourceRange)
    /// A clause the parser could not read (already reported).
    case invalid(SourceRange)
  }
  /// The program's display name.
  public var name: Located<String>
  /// The clauses in source order.
  public var clauses: [Clause]
  /// The declaration keyword's range.
  public var keywordRange: SourceRange
  /// The whole declaration.
  public var range: SourceRange
  /// Creates a program declaration.
  public init(name: Located<String>, clauses: [Clause], keywordRange: SourceRange, range: SourceRange) {
    self.name = name
    self.clauses = clauses
    self.keywordRange = keywordRange
    self.range = range
  }
}

/// How a computed amount is rounded to whole units.
public enum RoundingSyntax: String, Hashable, Sendable, CaseIterable {
  /// `round down`: towards zero.
  case down
  /// `round up`: away from zero.
  case up
  /// `round half up`: to nearest, halves away from zero.
  case halfUp = "half up"
  /// `round half even`: to nearest, halves to the even neighbour.
  case halfEven = "half even"
}

/// The unit a money amount is rounded to: `to the cent` or `to whole units`.
public enum RoundingUnitSyntax: String, Hashable, Sendable, CaseIterable {
  /// `to the cent`: a hundredth of the currency unit.
  case cent = "the cent"
  /// `to whole units`: whole dollars, euros, yen.
  case whole = "whole units"
}

/// `round half up to whole units`: how a computed amount is rounded, and for money to what unit.
public struct AmountRoundingSyntax: Hashable, Sendable {
  /// The direction.
  public var mode: Located<RoundingSyntax>
  /// `to the cent` / `to whole units`; nil when not written.
  public var unit: Located<RoundingUnitSyntax>?
  /// The whole clause, from `round`.
  public var range: SourceRange
  /// Creates a rounding clause.
  public init(mode: Located<RoundingSyntax>, unit: Located<RoundingUnitSyntax>?, range: SourceRange) {
    self.mode = mode
    self.unit = unit
    self.range = range
  }
}

/// `points stars` with `worth` and `round` clauses.
public struct PointsDeclaration: Hashable, Sendable {
  /// A clause of a points declaration.
  public enum Clause: Hashable, Sendable {
    /// `worth $0.01`: what one point costs when redeemed.
    case worth(Expression)
    /// `round down`: how earned amounts become whole points.
    case round(Located<RoundingSyntax>)
    /// `expire 12 months after earning` and its forms: when points expire.
    case expire(Located<ExpirySyntax>)
    /// `spend oldest first` / `spend closest to expiry first`: which points a redemption spends.
    case spend(Located<SpendOrderSyntax>)
    /// `hold 14 days [not counting the earning day]`: earned points are pending this long before they can be spent.
    case hold(Located<HoldDuration>)
    /// `on return take back points, never below zero`: what a return does when points were spent.
    case onReturn(Located<ClawbackSyntax>)
    /// `cap at 300 per day`: the most a customer earns of this currency per period.
    case cap(CapSyntax)
    /// A clause the parser could not read (already reported).
    case invalid(SourceRange)
  }
  /// The currency's name, such as `stars`.
  public var name: Name
  /// The clauses in source order.
  public var clauses: [Clause]
  /// The whole declaration.
  public var range: SourceRange
  /// Creates a points declaration.
  public init(name: Name, clauses: [Clause], range: SourceRange) {
    self.name = name
    self.clauses = clauses
    self.range = range
  }
}

/// When points expire.
public enum ExpirySyntax: Hashable, Sendable {
  /// `expire 12 months after earning`: a fixed lifetime from the earning day.
  case after(DurationLiteral)
  /// `expire at end of month 12 months after earning`: the end of the n-th month after the earning month.
  case endOfMonthAfter(DurationLiteral)
  /// `expire after 18 months without activity`: the whole balance, once no purchase happened this long.
  case withoutActivity(DurationLiteral)
}

/// Which points a redemption spends first.
public enum SpendOrderSyntax: String, Hashable, Sendable {
  /// `spend oldest first` (the default).
  case oldestFirst = "oldest first"
  /// `spend closest to expiry first`.
  case closestToExpiryFirst = "closest to expiry first"
}

/// What a return does when the points it takes back were already spent.
public enum ClawbackSyntax: String, Hashable, Sendable {
  /// `on return take back points, never below zero` (the default): the shortfall is reported.
  case neverBelowZero = "never below zero"
  /// `on return take back points, allow negative balance`.
  case allowNegativeBalance = "allow negative balance"
}

/// What tiers qualify on.
public enum TierMeasureSyntax: String, Hashable, Sendable {
  /// `by spend`
  case spend
  /// `by visits`
  case visits
  /// `by spend or visits`
  case spendOrVisits = "spend or visits"
}

/// How long a tier, once reached, is kept even if the measure falls.
public enum TierKeepSyntax: Hashable, Sendable {
  /// `keep for 12 months`: from the day it was (last) reached.
  case forDuration(DurationLiteral)
  /// `keep until end of next year`: the rest of this calendar period and all of the next.
  case untilEndOfNext(DurationUnit)
  /// `keep until next anniversary`: the next anniversary of the customer's signup.
  case untilNextAnniversary
  /// `keep for 12 months from reaching`: from the day the level was reached, not extended by
  /// qualifying again while it is kept; qualifying after it has lapsed reaches it again.
  case forDurationFromReaching(DurationLiteral)
}

/// `review at start of each quarter, down at most one level`: when a tier may fall, and how far.
public struct TierReviewSyntax: Hashable, Sendable {
  /// When the scheduled review happens.
  public enum Schedule: Hashable, Sendable {
    /// `review on signup anniversary`
    case signupAnniversary
    /// `review at start of each month` (`quarter`, `year`)
    case startOf(CalendarPeriodSyntax)
  }
  /// How far a review may lower the tier.
  public enum Downgrade: String, Hashable, Sendable {
    /// `down to the qualified level`
    case toQualified = "to the qualified level"
    /// `down at most one level`
    case atMostOneLevel = "at most one level"
  }
  /// When the review happens.
  public var schedule: Schedule
  /// How far it may lower the tier.
  public var downgrade: Downgrade
  /// Creates a review clause.
  public init(schedule: Schedule, downgrade: Downgrade) {
    self.schedule = schedule
    self.downgrade = downgrade
  }
}

/// `tiers by spend over last 12 months` with one line per tier.
public struct TiersDeclaration: Hashable, Sendable {
  /// `gold from $500 earn x1.5`, or `silver from $2,500 or 25 visits earn x1.5`.
  public struct Level: Hashable, Sendable {
    /// The tier's name.
    public var name: Name
    /// The thresholds (money, a visit count, or both joined by `or`).
    public var thresholds: [Expression]
    /// The earning multiplier after `earn x`, if any.
    public var multiplier: Expression?
    /// The whole line.
    public var range: SourceRange
    /// Creates a tier level.
    public init(name: Name, thresholds: [Expression], multiplier: Expression?, range: SourceRange) {
      self.name = name
      self.thresholds = thresholds
      self.multiplier = multiplier
      self.range = range
    }
  }
  /// A line of a tiers declaration.
  public enum Clause: Hashable, Sendable {
    /// A tier level line.
    case level(Level)
    /// `keep …`
    case keep(Located<TierKeepSyntax>)
    /// `review …`
    case review(Located<TierReviewSyntax>)
    /// A clause the parser could not read (already reported).
    case invalid(SourceRange)
  }
  /// What tiers qualify on.
  public var measure: Located<TierMeasureSyntax>
  /// The window the measure is summed over.
  public var window: Located<WindowSyntax>
  /// `tiers by spend not in category giftcard …`: the lines that count toward status.
  public var filter: ItemFilter?
  /// The lines in source order.
  public var clauses: [Clause]
  /// The whole declaration.
  public var range: SourceRange
  /// Creates a tiers declaration.
  public init(measure: Located<TierMeasureSyntax>, window: Located<WindowSyntax>, clauses: [Clause], range: SourceRange,
              filter: ItemFilter? = nil) {
    self.measure = measure
    self.window = window
    self.filter = filter
    self.clauses = clauses
    self.range = range
  }
}

/// What a completed stamp card gives.
public enum CardRewardSyntax: Hashable, Sendable {
  /// `cheapest item [in category …] is free`
  case cheapestItemFree(ItemFilter?)
  /// `most expensive item [in category …] is free`
  case mostExpensiveItemFree(ItemFilter?)
  /// `reward free drink`
  case reward(Name)
  /// `voucher "10¢ off per gallon" worth $0.10 [valid for 30 days]`
  case voucher(name: Located<String>, worth: Expression, validFor: Located<DurationLiteral>?)
}

/// `stamps coffee card` with `collect` and `every` clauses.
public struct StampsDeclaration: Hashable, Sendable {
  /// A clause of a stamps declaration.
  public enum Clause: Hashable, Sendable {
    /// `collect 1 per item in category coffee, tea`
    case collectPerItem(count: Expression, filter: ItemFilter?, range: SourceRange)
    /// `collect 1 per visit`
    case collectPerVisit(count: Expression, range: SourceRange)
    /// `collect spend [not in category giftcard]`: the card fills with money, remainder kept.
    case collectSpend(filter: ItemFilter?, range: SourceRange)
    /// `every 10 stamps: cheapest item in category coffee, tea is free`
    case every(count: Expression, reward: CardRewardSyntax, range: SourceRange)
    /// `on return keep stamps` / `on return take back stamps`
    case onReturn(Located<StampReturnSyntax>)
    /// A clause the parser could not read (already reported).
    case invalid(SourceRange)
  }
  /// The card's name, such as `coffee card`.
  public var name: Name
  /// The clauses in source order.
  public var clauses: [Clause]
  /// The whole declaration.
  public var range: SourceRange
  /// Creates a stamps declaration.
  public init(name: Name, clauses: [Clause], range: SourceRange) {
    self.name = name
    self.clauses = clauses
    self.range = range
  }
}

/// The event a rule reacts to.
public enum TriggerSyntax: Hashable, Sendable {
  /// `on purchase`
  case purchase
  /// `on signup`
  case signup
  /// `on event review written`
  case custom(Name)
  /// `on signup anniversary`: the period end at the start of each anniversary of the signup date.
  case signupAnniversary
  /// `on birthday`: the period end at the start of each birthday (February 28 for a February 29
  /// birthday in common years).
  case birthday
  /// `on 90 days after purchase [in category service]`: the period end `days` local days after the
  /// last purchase (with a line the filter matches).
  case afterPurchase(DurationLiteral, filter: ItemFilter?)
  /// `on 60 days without purchase`: the period end `days` local days after the last purchase.
  case withoutPurchase(DurationLiteral)
  /// `on 7 days before stars expire`: the period end `days` local days before points of the
  /// currency expire.
  case beforeExpiry(DurationLiteral, currency: Name)
  /// `on reaching tier gold`: when the tier held rises to that level or above from below it.
  case reachingTier(Name)
  /// `on losing tier gold`: when the tier held falls below that level from it or above.
  case losingTier(Name)
}

/// What an `earn … per …` clause counts.
public enum EarnBasisSyntax: Hashable, Sendable {
  /// `earn 200 stars`: a flat bonus.
  case flat
  /// `per $1 spent [on category …] [before discounts]`; `whole` for `per whole $1`;
  /// `beforeDiscounts` for the recorded price instead of the amount paid.
  case perSpend(per: Expression, whole: Bool, filter: ItemFilter?, beforeDiscounts: Bool = false)
  /// `per item [in category …] [before discounts]`; `beforeDiscounts` counts free units too.
  case perItem(filter: ItemFilter?, beforeDiscounts: Bool = false)
}

/// What a rule does when it fires.
public enum EffectSyntax: Hashable, Sendable {
  /// `earn 2 stars per $1 spent`
  case earn(amount: Expression, currency: Name, basis: EarnBasisSyntax, range: SourceRange)
  /// `multiply stars by 2`
  case multiply(currency: Name, factor: Expression, range: SourceRange)
  /// `give voucher "Birthday drink" worth $5 [valid for 30 days]`
  case voucher(name: Located<String>, worth: Expression, validFor: Located<DurationLiteral>?, range: SourceRange)
  /// `give reward free drink`
  case reward(Name, range: SourceRange)
  /// `discount 15% on basket`, `buy 3 in category snacks pay for 2`, `cheapest item … is free`
  case price(PriceEffectSyntax)
  /// `earn 300 points for referrer [held 14 days [not counting the earning day]]`: points for the customer's referrer,
  /// released (as a transfer) once the hold has passed without a return.
  case earnForReferrer(amount: Expression, currency: Name, basis: EarnBasisSyntax, recipient: Name,
                       hold: Located<HoldDuration>?, range: SourceRange)
  /// `send message "Hi {customer}" [via sms] [at 9:00]`: a message made due, placeholders in
  /// braces; `at`: at the next such local time of day.
  case message(text: Located<String>, channel: Name?, at: TimeLiteral? = nil, range: SourceRange)
}

/// The period an `at most` limit counts in.
public enum LimitPeriodSyntax: Hashable, Sendable {
  /// No period: per customer, ever.
  case ever
  /// `per day`, `per week`, `per month`, `per year`: calendar periods.
  case calendar(DurationUnit)
  /// `per 365 days`: a rolling window since the earlier awards.
  case rolling(DurationLiteral)
  /// `per birthday`: awards keyed by the birthday occurrence nearest to their day.
  case birthday
  /// `per signup anniversary`: awards keyed by the signup anniversary nearest to their day.
  case anniversary
}

/// `at most once per year`, `at most 3 times per month`.
public struct LimitSyntax: Hashable, Sendable {
  /// How many times (1 for `once`).
  public var count: Expression
  /// Over which period.
  public var period: LimitPeriodSyntax
  /// The whole clause.
  public var range: SourceRange
  /// Creates a limit.
  public init(count: Expression, period: LimitPeriodSyntax, range: SourceRange) {
    self.count = count
    self.period = period
    self.range = range
  }
}

/// `rule base earn` with trigger, conditions, effects and limits.
public struct RuleDeclaration: Hashable, Sendable {
  /// A clause of a rule.
  public enum Clause: Hashable, Sendable {
    /// `on purchase`
    case trigger(Located<TriggerSyntax>)
    /// `when …`; several `when` clauses must all hold.
    case when(Expression)
    /// `earn …`, `multiply …`, `give …`
    case effect(EffectSyntax)
    /// `at most …`
    case limit(LimitSyntax)
    /// `replaces base earn for those items`
    case replaces(Name, range: SourceRange)
    /// `priority`, `group`, `best of`, `cap`, `budget`
    case stacking(StackingClauseSyntax)
    /// `hold 30 days [not counting the earning day]`: the points this rule earns are pending this long before they can be spent.
    case hold(Located<HoldDuration>)
    /// `on return keep awards` and its forms: what returns do to this rule's awards.
    case onReturn(Located<ReturnPolicySyntax>)
    /// `round half up`: how this rule's earned (or, on a `multiply` rule, multiplied) points round.
    case round(AmountRoundingSyntax)
    /// A clause the parser could not read (already reported).
    case invalid(SourceRange)
  }
  /// The rule's name, such as `base earn`.
  public var name: Name
  /// The clauses in source order.
  public var clauses: [Clause]
  /// The whole declaration.
  public var range: SourceRange
  /// Creates a rule declaration.
  public init(name: Name, clauses: [Clause], range: SourceRange) {
    self.name = name
    self.clauses = clauses
    self.range = range
  }
}

/// `reward free drink costs 150 stars, worth $5`, or the same as indented clauses.
public struct RewardDeclaration: Hashable, Sendable {
  /// A clause of a reward declaration.
  public enum Clause: Hashable, Sendable {
    /// `costs 150 stars`
    case costs(amount: Expression, currency: Name, range: SourceRange)
    /// `worth $5`: what the reward costs the business.
    case worth(Expression)
    /// A clause the parser could not read (already reported).
    case invalid(SourceRange)
  }
  /// The reward's name, such as `free drink`.
  public var name: Name
  /// The clauses in source order (those on the header line first).
  public var clauses: [Clause]
  /// The whole declaration.
  public var range: SourceRange
  /// Creates a reward declaration.
  public init(name: Name, clauses: [Clause], range: SourceRange) {
    self.name = name
    self.clauses = clauses
    self.range = range
  }
}
