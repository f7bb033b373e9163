import PerkRuntime

/// Points movements of one currency.
package struct PointsFlow: Sendable, Equatable {
  package var issued: Int64 = 0
  package var redeemed: Int64 = 0
  package var expired: Int64 = 0
  /// Points taken back by returns (or other decreases outside redemption and expiry).
  package var clawedBack: Int64 = 0

  package init() {}

  package mutating func add(_ other: PointsFlow) {
    issued &+= other.issued
    redeemed &+= other.redeemed
    expired &+= other.expired
    clawedBack &+= other.clawedBack
  }

  /// The change in the balance these movements make.
  package var net: Int64 { issued &- redeemed &- expired &- clawedBack }
}

/// One month of the simulation (local calendar month of the program's time zone).
package struct MonthFigures: Sendable, Equatable {
  package var revenue: Int64 = 0
  package var transactions: Int64 = 0
  /// Customers with at least one purchase this month.
  package var activeCustomers: Int64 = 0
  /// Customers who had joined the simulation by the month's end (had an event by then).
  package var knownCustomers: Int64 = 0
  package var costByKind: [String: Int64] = [:]
  package var points: [String: PointsFlow] = [:]
  /// Balances at the month's end, by currency (the closing liability in points).
  package var closing: [String: Int64] = [:]
  /// Customers holding each tier at the month's end.
  package var tiers: [String: Int64] = [:]
  /// Messages sent (due, not suppressed), by rule then channel.
  package var messages = MessageCounts()

  package init() {}

  package var cost: Int64 { costByKind.values.reduce(0, &+) }

  package mutating func add(_ other: MonthFigures) {
    messages.add(other.messages)
    revenue &+= other.revenue
    transactions &+= other.transactions
    activeCustomers &+= other.activeCustomers
    knownCustomers &+= other.knownCustomers
    for (k, v) in other.costByKind { costByKind[k, default: 0] &+= v }
    for (k, v) in other.points { points[k, default: PointsFlow()].add(v) }
    for (k, v) in other.closing { closing[k, default: 0] &+= v }
    for (k, v) in other.tiers { tiers[k, default: 0] &+= v }
  }
}

/// One customer's result, kept exactly for the distribution, top customers and comparisons.
package struct CustomerFigure: Sendable, Equatable {
  package var id: String
  package var cost: Int64
  package var revenue: Int64
  package init(id: String, cost: Int64, revenue: Int64) {
    self.id = id
    self.cost = cost
    self.revenue = revenue
  }
}

/// Everything a simulation adds up: integers only, so any split of the customers (threads,
/// shards) sums back to exactly the same figures.
package struct Figures: Sendable, Equatable {
  package var purchases: Int64 = 0
  package var returns: Int64 = 0
  /// Redemptions recorded in the history.
  package var historyRedemptions: Int64 = 0
  /// Redemptions the policy modelled.
  package var modelledRedemptions: Int64 = 0
  package var customEvents: Int64 = 0
  package var signups: Int64 = 0
  /// Events the program refused (an evaluation error, a rejected redemption or return) or already saw.
  package var rejectedEvents: Int64 = 0
  package var duplicateEvents: Int64 = 0
  /// Referral transfers credited to referrers (their points are in the cost and the points flow).
  package var referralCredits: Int64 = 0
  /// Gross value of purchased lines minus the value of returned lines.
  package var revenue: Int64 = 0
  /// Money given back by returns (what makes the customer's net payment the kept basket's price).
  package var refunds: Int64 = 0
  /// The cost returns took back (negative: points reversed at their worth, free items and
  /// discounts withdrawn, vouchers and rewards withdrawn); already in the cost by kind and rule.
  package var returnsCost: Int64 = 0
  package var costByKind: [String: Int64] = [:]
  package var costByRule: [String: Int64] = [:]
  /// Points of currencies without a stated `worth`, by rule then currency: they cost an unknown
  /// amount, so they are in no money figure and are reported as counts.
  package var unvaluedPointsByRule: [String: [String: Int64]] = [:]
  package var points: [String: PointsFlow] = [:]
  /// Balances at the end, by currency.
  package var outstanding: [String: Int64] = [:]
  /// Rewards redeemed: count and stated worth, by reward name.
  package var rewardsRedeemed: [String: Int64] = [:]
  package var rewardsRedeemedWorth: [String: Int64] = [:]
  /// Month index (year × 12 + month − 1) → figures.
  package var months: [Int: MonthFigures] = [:]
  /// Cost by local day number, for when a budget runs out.
  package var dailyCost: [Int64: Int64] = [:]
  /// The first few event problems, `customer txn: reason`, in customer order.
  package var eventProblems: [String] = []
  /// Rebates accrued in periods not settled by the end of the run, by rebate (minor units): a
  /// liability that is not in the cost until a settlement pays it.
  package var rebatesAccrued: [String: Int64] = [:]
  /// Rule firings each budget refused (`program` or the rule's name), when budgets are applied.
  package var budgetRefusals: [String: Int64] = [:]
  /// `budget|period start` → the local day number the budget first ran short in that period.
  package var budgetRanShort: [String: Int64] = [:]
  /// Awards of events (not of returns or period ends) by source: a rule that has none never fired.
  package var awardsBySource: [String: Int64] = [:]
  /// Per rule, what its evaluations decided on the events whose trigger matched it, by
  /// ``NeverFiredReason/key(_:)`` (``RuleTally``): why a rule never fired.
  package var ruleTallies: [String: [String: Int64]] = [:]
  /// The categories and SKUs the program's filters name that purchased lines had.
  package var categoriesSeen: Set<String> = []
  package var skusSeen: Set<String> = []
  /// Messages sent, suppressed and deferred (`send message`).
  package var messages = MessageCounts()

  package init() {}

  package var cost: Int64 { costByKind.values.reduce(0, &+) }
  /// Transactions of the history: purchases, returns, redemptions and custom events (the signups
  /// a customers file adds are counted apart, as the monthly series does).
  package var transactions: Int64 { purchases &+ returns &+ historyRedemptions &+ customEvents }

  package static let problemSampleLimit = 20

  package mutating func add(_ other: Figures) {
    purchases &+= other.purchases
    returns &+= other.returns
    historyRedemptions &+= other.historyRedemptions
    modelledRedemptions &+= other.modelledRedemptions
    customEvents &+= other.customEvents
    signups &+= other.signups
    rejectedEvents &+= other.rejectedEvents
    duplicateEvents &+= other.duplicateEvents
    referralCredits &+= other.referralCredits
    revenue &+= other.revenue
    refunds &+= other.refunds
    returnsCost &+= other.returnsCost
    for (k, v) in other.costByKind { costByKind[k, default: 0] &+= v }
    for (k, v) in other.costByRule { costByRule[k, default: 0] &+= v }
    for (rule, byCurrency) in other.unvaluedPointsByRule {
      for (currency, v) in byCurrency { unvaluedPointsByRule[rule, default: [:]][currency, default: 0] &+= v }
    }
    for (k, v) in other.points { points[k, default: PointsFlow()].add(v) }
    for (k, v) in other.outstanding { outstanding[k, default: 0] &+= v }
    for (k, v) in other.rewardsRedeemed { rewardsRedeemed[k, default: 0] &+= v }
    for (k, v) in other.rewardsRedeemedWorth { rewardsRedeemedWorth[k, default: 0] &+= v }
    for (k, v) in other.months { months[k, default: MonthFigures()].add(v) }
    for (k, v) in other.dailyCost { dailyCost[k, default: 0] &+= v }
    for (k, v) in other.rebatesAccrued { rebatesAccrued[k, default: 0] &+= v }
    for (k, v) in other.budgetRefusals { budgetRefusals[k, default: 0] &+= v }
    messages.add(other.messages)
    for (k, v) in other.budgetRanShort { budgetRanShort[k] = min(budgetRanShort[k] ?? .max, v) }
    for (k, v) in other.awardsBySource { awardsBySource[k, default: 0] &+= v }
    for (rule, byKey) in other.ruleTallies {
      for (k, v) in byKey { ruleTallies[rule, default: [:]][k, default: 0] &+= v }
    }
    categoriesSeen.formUnion(other.categoriesSeen)
    skusSeen.formUnion(other.skusSeen)
    // The sample is the smallest problems in text order (each starts with the customer id), so a
    // union of shard samples gives the same sample as one run.
    if !other.eventProblems.isEmpty {
      eventProblems = Array((eventProblems + other.eventProblems).sorted().prefix(Figures.problemSampleLimit))
    }
  }
}
