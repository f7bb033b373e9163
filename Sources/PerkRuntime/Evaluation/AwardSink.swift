/// Where the steps shared by the general evaluation and the purchase plan (stamps, free items,
/// card vouchers and rewards, the plan's earning and tier changes) put what they give.
///
/// An outcome keeps ``Award``s, with names and explanations. The simulator's planned purchases
/// keep ``FiledAward``s instead (``PlannedAwards``): the few numbers its figures file, with no
/// award built — making, copying and dropping an `Award` (its names, its source's location) was
/// a fifth of a planned purchase. The step says both; each sink keeps one, and with the sink a
/// generic parameter the other is never made.
protocol AwardSink {
  /// Adds an award: `award` is built only by a sink that keeps awards.
  mutating func add(_ award: @autoclosure () -> Award, filed: FiledAward)
  /// Adds the awards of the period ends that ran before a planned purchase, first.
  mutating func addPeriodEnds(_ awards: [Award])
}

extension Array: AwardSink where Element == Award {
  // Inlined, so that the award is built in place rather than through a closure with its captures.
  @inline(__always)
  mutating func add(_ award: @autoclosure () -> Award, filed: FiledAward) { append(award()) }
  mutating func addPeriodEnds(_ awards: [Award]) { append(contentsOf: awards) }
}

/// What the simulator's figures read of an award (``Award``'s cost kind and value, its source,
/// the points it gives), in the program's numbers.
package struct FiledAward: Sendable, Equatable {
  /// The declaration that gave it: a rule's index; then the cards, after the rules; then the
  /// tiers (``Program/awardSourceName(_:)``).
  package var source: Int32
  /// Its cost kind's place in the simulator's cost kinds (`AwardCost.kindOrder`); -1 when it
  /// costs nothing (stamps, tier changes).
  package var costKind: Int8
  /// The currency of a points award; -1 for the others.
  package var currency: Int32
  /// The points a points award gives.
  package var points: Int64
  /// What it costs, in the program's currency's minor units.
  package var costMinor: Int64

  /// Points of `currency` given by rule `rule`, costing `value`.
  static func points(rule: Int, currency: Int, amount: Int64, value: Int64) -> FiledAward {
    FiledAward(source: Int32(rule), costKind: 0, currency: Int32(currency), points: amount, costMinor: value)
  }

  /// Stamps collected on card `card`.
  static func stamps(card: Int, program: Program) -> FiledAward {
    FiledAward(source: Int32(program.rules.count + card), costKind: -1, currency: -1, points: 0, costMinor: 0)
  }

  /// An item made free by card `card`.
  static func freeItem(card: Int, value: Int64, program: Program) -> FiledAward {
    FiledAward(source: Int32(program.rules.count + card), costKind: 1, currency: -1, points: 0, costMinor: value)
  }

  /// A voucher worth `value` from `source` (``FiledAward/source``).
  static func voucher(source: Int, value: Int64) -> FiledAward {
    FiledAward(source: Int32(source), costKind: 3, currency: -1, points: 0, costMinor: value)
  }

  /// A catalog reward worth `value` from `source` (``FiledAward/source``).
  static func reward(source: Int, value: Int64) -> FiledAward {
    FiledAward(source: Int32(source), costKind: 4, currency: -1, points: 0, costMinor: value)
  }

  /// A change of tier.
  static func tierChange(program: Program) -> FiledAward {
    FiledAward(source: Int32(program.rules.count + program.cards.count), costKind: -1, currency: -1, points: 0, costMinor: 0)
  }
}

/// The awards of the simulator's last planned purchase, kept in ``EvaluationBuffers``
/// (``Program/purchasePlanned(_:customer:account:options:restoresOnError:)``).
package struct PlannedAwards: AwardSink, Sendable {
  /// The awards of the period ends that ran before the purchase (lots expiring, a tier
  /// lapsing), as the general evaluation gave them: they come first.
  package private(set) var periodEnds: [Award] = []
  /// The purchase's own awards, in order.
  package private(set) var filed: [FiledAward] = []

  @inline(__always)
  mutating func add(_ award: @autoclosure () -> Award, filed: FiledAward) { self.filed.append(filed) }
  mutating func addPeriodEnds(_ awards: [Award]) { periodEnds = awards }

  /// Empties both lists for the next purchase, keeping their storage.
  mutating func removeAll() {
    if !periodEnds.isEmpty { periodEnds.removeAll() }
    filed.removeAll(keepingCapacity: true)
  }
}

extension Program {
  /// The name a ``FiledAward/source`` number files under: its rule's, its card's, or `tiers`.
  package func awardSourceName(_ number: Int32) -> String {
    let number = Int(number)
    if number < rules.count { return rules[number].name }
    if number < rules.count + cards.count { return cards[number - rules.count].name }
    return "tiers"
  }
}
