import PerkRuntime

/// Settings of a report that are assumptions, not results.
package struct ReportSettings: Sendable, Equatable {
  /// The budget whose exhaustion day is reported, in minor units.
  package var budget: Int64?
  /// The share of outstanding points not expected to be redeemed, as numerator / denominator.
  package var breakage: (numerator: Int64, denominator: Int64) = (0, 1)
  /// How many top customers to list.
  package var top: Int = 10

  package init(budget: Int64? = nil, breakage: (Int64, Int64) = (0, 1), top: Int = 10) {
    self.budget = budget
    self.breakage = breakage
    self.top = top
  }

  package static func == (a: ReportSettings, b: ReportSettings) -> Bool {
    a.budget == b.budget && a.breakage == b.breakage && a.top == b.top
  }
}

/// Figures derived from a result: order statistics, roll-forward, budget day. Derived, never
/// stored in a way merging could disturb: a merged result derives them again.
package struct ReportFigures {
  package let result: SimulationResult
  package let settings: ReportSettings

  package init(_ result: SimulationResult, settings: ReportSettings) {
    self.result = result
    self.settings = settings
  }

  var figures: Figures { result.figures }
  var currency: Currency { result.currency }

  package func money(_ minor: Int64) -> String { Money(minorUnits: minor, currency: currency).description }

  /// The stated value of points of a currency, rounded half-even once.
  package func pointsValue(_ points: Int64, currency name: String) -> Int64 {
    guard let worth = result.pointsWorth[name] else { return 0 }
    return RoundingMode.halfEven.divide(Int128(points) * Int128(worth.significand), by: worth.denominator) ?? 0
  }

  /// The value deferred for points: stated value × (1 − breakage), rounded half-even once.
  package func deferredValue(_ points: Int64, currency name: String) -> Int64 {
    guard let worth = result.pointsWorth[name] else { return 0 }
    let (n, d) = settings.breakage
    let numerator = Int128(points) * Int128(worth.significand) * Int128(d - n)
    return RoundingMode.halfEven.divide(numerator, by: worth.denominator * Int128(d)) ?? 0
  }

  /// Currencies whose points have no stated `worth`: counted, never valued.
  package var unvaluedCurrencies: [String] { currencies.filter { result.pointsWorth[$0] == nil } }

  /// The money value of points as a report shows it, or `value unknown` without a stated worth.
  package func pointsMoney(_ points: Int64, currency name: String) -> String {
    result.pointsWorth[name] == nil ? Self.valueUnknown : money(pointsValue(points, currency: name))
  }

  /// Deferred revenue as a report shows it, or `value unknown` without a stated worth.
  package func deferredMoney(_ points: Int64, currency name: String) -> String {
    result.pointsWorth[name] == nil ? Self.valueUnknown : money(deferredValue(points, currency: name))
  }

  package static let valueUnknown = "value unknown"

  /// Rows for the cost tables: points of currencies without a worth, as counts (by kind: every
  /// issued point of the currency; by rule: what each rule earned).
  package var unvaluedByKind: [(label: String, points: String)] {
    unvaluedCurrencies.map { ("points: \($0) (\(Self.valueUnknown))", "\(Percent.grouped(figures.points[$0]?.issued ?? 0)) \($0)") }
  }

  package var unvaluedByRule: [(label: String, points: String)] {
    figures.unvaluedPointsByRule.keys.sorted().flatMap { rule in
      figures.unvaluedPointsByRule[rule]!.sorted { $0.key < $1.key }.map { (currency, n) in
        (rule, "\(Percent.grouped(n)) \(currency) (\(Self.valueUnknown))")
      }
    }
  }

  /// The note under money totals when some points have no stated worth.
  package var unvaluedNote: String? {
    let names = unvaluedCurrencies
    guard !names.isEmpty else { return nil }
    return "money totals exclude points of " + names.joined(separator: ", ") + ": no `worth` is stated, so their value is unknown"
  }

  package var currencies: [String] {
    Set(result.pointsWorth.keys).union(figures.points.keys).sorted()
  }

  /// Cost kinds present, in the fixed display order.
  package var costKinds: [String] {
    var kinds = Set(figures.costByKind.keys)
    for month in figures.months.values { kinds.formUnion(month.costByKind.keys) }
    let known = AwardCost.kindOrder.filter { kinds.contains($0) }
    return known + kinds.subtracting(known).sorted()
  }

  package var rulesByCost: [(String, Int64)] {
    figures.costByRule.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
  }

  package var months: [Int] { figures.months.keys.sorted() }

  package static func monthName(_ index: Int) -> String {
    let date = CustomerRun.firstDay(ofMonth: index)
    return String(date.description.prefix(7))
  }

  /// Nearest-rank percentile of per-customer cost (exact: one of the customers' values).
  package func percentile(_ p: Int, of sorted: [Int64]) -> Int64 {
    guard !sorted.isEmpty else { return 0 }
    let rank = (p * sorted.count + 99) / 100
    return sorted[max(0, min(sorted.count - 1, rank - 1))]
  }

  package var sortedCosts: [Int64] { result.customers.map(\.cost).sorted() }

  package var distribution: (median: Int64, p90: Int64, p99: Int64, max: Int64, mean: Int64) {
    let sorted = sortedCosts
    let total = sorted.reduce(Int64(0), &+)
    let mean = sorted.isEmpty ? 0 : total / Int64(sorted.count)
    return (percentile(50, of: sorted), percentile(90, of: sorted), percentile(99, of: sorted), sorted.last ?? 0, mean)
  }

  package var topCustomers: [CustomerFigure] {
    func before(_ a: CustomerFigure, _ b: CustomerFigure) -> Bool { a.cost != b.cost ? a.cost > b.cost : a.id < b.id }
    let top = settings.top
    guard top > 0 else { return [] }
    // A long list (`--top 5000`) is cut from the sorted customers: inserting into it would be quadratic.
    guard top <= 64 else { return Array(result.customers.sorted(by: before).prefix(top)) }
    // The first `top` in one pass, kept in order (insertion into a short list): sorting every
    // customer of a large history to show ten was most of the report's own work. The order is
    // total (ids are unique), so the list is the sorted one's prefix.
    var kept: [CustomerFigure] = []
    kept.reserveCapacity(min(top, result.customers.count) + 1)
    for customer in result.customers {
      if kept.count == top, !before(customer, kept[kept.count - 1]) { continue }
      var index = kept.count
      while index > 0, before(customer, kept[index - 1]) { index -= 1 }
      kept.insert(customer, at: index)
      if kept.count > top { kept.removeLast() }
    }
    return kept
  }

  /// The first day on which cumulative cost reaches the budget, or nil.
  package var budgetExhausted: LocalDate? {
    guard let budget = settings.budget else { return nil }
    var running: Int64 = 0
    for day in figures.dailyCost.keys.sorted() {
      running &+= figures.dailyCost[day]!
      if running >= budget { return LocalDate(dayNumber: day) }
    }
    return nil
  }

  /// Histogram of per-customer cost in round bins from 0 (or the minimum) to the maximum, at most `bins` of them.
  package func histogram(bins: Int) -> [(low: Int64, high: Int64, count: Int64)] {
    Histogram.bins(result.customers.map(\.cost), maxBins: bins)
  }

  /// Month-by-month liability of one currency: opening, movements, closing (points).
  package func rollForward(_ name: String) -> [(month: Int, opening: Int64, flow: PointsFlow, closing: Int64)] {
    var rows: [(Int, Int64, PointsFlow, Int64)] = []
    var opening: Int64 = 0
    for month in months {
      let figures = figures.months[month]!
      let flow = figures.points[name] ?? PointsFlow()
      let closing = figures.closing[name] ?? 0
      rows.append((month, opening, flow, closing))
      opening = closing
    }
    return rows
  }
}
