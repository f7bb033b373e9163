import PerkSyntax

/// What a lowered condition reads from an evaluation: one accessor per quantity.
///
/// Money is in minor units of the program currency; dates are local day numbers (days since
/// 1970-01-01 in the program's time zone); `nil` means the value is missing (no previous
/// purchase, no birthday), which makes every comparison with it false.
package protocol ConditionInputs: SendableMetatype {
  func basketTotal(filter: Int?) -> Int64
  func basketItems(filter: Int?) -> Int64
  var weekday: Int { get }
  var dayNumber: Int64 { get }
  var minuteOfDay: Int { get }
  var month: Int { get }
  var dayOfMonth: Int { get }
  var tierIndex: Int? { get }
  var birthdayMonth: Int? { get }
  var signupDayNumber: Int64? { get }
  var segment: String? { get }
  var store: String? { get }
  var channel: String? { get }
  var daysSinceLastPurchase: Int64? { get }
  var daysSinceSignup: Int64? { get }
  var purchasesSoFar: Int64 { get }
  func balance(currency: Int) -> Int64
  func stamps(card: Int) -> Int64
  func spend(window: Int) -> Int64
  func visits(window: Int) -> Int64
  // Retention triggers (defaults below answer "missing" / zero).
  func birthdayWithin(days: Int64) -> Bool
  func anniversaryWithin(days: Int64) -> Bool
  var isFirstPurchase: Bool { get }
  var isReferred: Bool { get }
  var visitStreakWeeks: Int64 { get }
  func visitsAfterEvent(window: Int) -> Int64
  func spendAfterEvent(window: Int) -> Int64
  var purchasesSoFarAfterEvent: Int64 { get }
}

extension ConditionInputs {
  package func birthdayWithin(days: Int64) -> Bool { false }
  package func anniversaryWithin(days: Int64) -> Bool { false }
  package var isFirstPurchase: Bool { false }
  package var isReferred: Bool { false }
  package var visitStreakWeeks: Int64 { 0 }
  package func visitsAfterEvent(window: Int) -> Int64 { visits(window: window) }
  package func spendAfterEvent(window: Int) -> Int64 { spend(window: window) }
  package var purchasesSoFarAfterEvent: Int64 { purchasesSoFar }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
package func civilDayNumber(year: Int, month: Int, day: Int) -> Int64 {
  let y = Int64(month <= 2 ? year - 1 : year)
  let era = (y >= 0 ? y : y - 399) / 400
  let yoe = y - era * 400
  let m = Int64(month)
  let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
  let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
  return era * 146097 + doe - 719468
}

/// Interns item filters and history windows to small ids so evaluation never compares strings
/// to find them.
///
/// Looked up by hash, not by scanning: a generated program can have a distinct filter on
/// each of tens of thousands of rules, and a scan per rule made lowering quadratic (issue 16).
package struct LoweringTables: Sendable {
  package private(set) var filters: [CheckedFilter] = []
  package private(set) var windows: [WindowSyntax] = []
  /// The windows conditions read (the tiers' window only when a condition reads it too).
  package private(set) var conditionWindows: Set<Int> = []
  private var filterIDs: [CheckedFilter: Int] = [:]
  private var windowIDs: [WindowSyntax: Int] = [:]
  package init() {}
  package mutating func filter(_ f: CheckedFilter?) -> Int? {
    guard let f else { return nil }
    if let i = filterIDs[f] { return i }
    filterIDs[f] = filters.count
    filters.append(f)
    return filters.count - 1
  }
  /// A window a condition reads.
  package mutating func window(_ w: WindowSyntax) -> Int {
    let id = tierWindow(w)
    conditionWindows.insert(id)
    return id
  }
  /// The window tiers are measured over.
  package mutating func tierWindow(_ w: WindowSyntax) -> Int {
    if let i = windowIDs[w] { return i }
    windowIDs[w] = windows.count
    windows.append(w)
    return windows.count - 1
  }
}
