import Perk
import PerkRuntime

/// The café program (rules/cafe.perk) written by hand in plain Swift, as a team without Perk
/// would write it: the yardstick every benchmark figure is divided by.
///
/// Same semantics as the program: stamps and free cheapest coffee/tea units first, 2 stars per $1
/// on non-pastry net spend, 6 per $1 on pastry, ×1.5/×2 for gold/reserve, ×2 on Tuesdays in
/// November 2026, 200 stars welcome back (≥ 90 days, basket ≥ $20, once per 365 days), a $5
/// birthday voucher (once per calendar year), tiers by spend over the last 12 months kept until
/// the next signup anniversary.
struct HandCafe {
  struct Account {
    var stars: Int64 = 0
    var stamps: Int64 = 0
    var ledger: [(day: Int64, spend: Int64)] = []
    var kept: [Int64] = [Int64.min, Int64.min, Int64.min]
    var lastPurchase: Int64?
    var welcomeBack: [Int64] = []
    var birthdayYears: [Int] = []
    var tier = 0
  }

  struct Totals: Equatable {
    var stars: Int64 = 0
    var freeItems: Int64 = 0
    var vouchers: Int64 = 0
    var revenue: Int64 = 0
    var purchases: Int64 = 0
    var cost: Int64 { stars + freeItems + vouchers }
  }

  let zone: ProgramTimeZone
  static let thresholds: [Int64] = [0, 50_000, 150_000]

  func spend(_ account: Account, today: LocalDate) -> Int64 {
    let start = today.adding(months: -12).dayNumber + 1
    var total: Int64 = 0
    for entry in account.ledger.reversed() {
      if entry.day < start { break }
      if entry.day <= today.dayNumber { total += entry.spend }
    }
    return total
  }

  func qualified(_ spend: Int64) -> Int {
    var level = 0
    for (i, threshold) in HandCafe.thresholds.enumerated() where spend >= threshold { level = i }
    return level
  }

  func held(_ account: Account, qualified: Int, today: Int64) -> Int {
    var held = qualified
    for level in 0..<3 where level > held && account.kept[level] >= today { held = level }
    return held
  }

  /// A basket line as the hand-written code keeps it: what the program's filters need of its
  /// category, and integer cents.
  struct Line {
    enum Kind: UInt8 { case cup, pastry, other }
    var kind: Kind
    var quantity: Int64
    var unit: Int64
    /// Units made free by the stamp card.
    var free: Int64 = 0

    init(kind: Kind, quantity: Int64, unit: Int64) {
      self.kind = kind
      self.quantity = quantity
      self.unit = unit
    }

    init(_ item: LineItem) {
      let kind: Kind = item.category == "coffee" || item.category == "tea" ? .cup : item.category == "pastry" ? .pastry : .other
      self.init(kind: kind, quantity: item.quantity, unit: item.unitPrice.minorUnits)
    }
  }

  /// One purchase: updates the account and the totals.
  func purchase(_ event: Event, customer: Customer, account: inout Account, totals: inout Totals) {
    let (today, _) = zone.localTime(of: event.time)
    withUnsafeTemporaryAllocation(of: Line.self, capacity: event.lines.count) { lines in
      for (i, item) in event.lines.enumerated() { (lines.baseAddress! + i).initialize(to: Line(item)) }
      purchase(on: today, lines: lines, customer: customer, account: &account, totals: &totals)
    }
  }

  /// One purchase of `lines` on the local day `today` (the lines' `free` counts are overwritten).
  func purchase(on today: LocalDate, lines: UnsafeMutableBufferPointer<Line>, customer: Customer, account: inout Account,
                totals: inout Totals) {
    let day = today.dayNumber
    let tier = held(account, qualified: qualified(spend(account, today: today)), today: day)
    // Stamps and free units.
    var units: Int64 = 0
    for i in lines.indices {
      if lines[i].kind == .cup { units += lines[i].quantity }
      lines[i].free = 0
      totals.revenue += lines[i].unit * lines[i].quantity
    }
    let total = account.stamps + units
    var completed = total / 10
    account.stamps = total % 10
    while completed > 0 {
      var best = -1
      for i in lines.indices where lines[i].kind == .cup && lines[i].free < lines[i].quantity {
        if best < 0 || lines[i].unit < lines[best].unit { best = i }
      }
      if best < 0 { break }
      lines[best].free += 1
      totals.freeItems += lines[best].unit
      completed -= 1
    }
    var pastry: Int64 = 0
    var other: Int64 = 0
    var basket: Int64 = 0
    for line in lines {
      let net = line.unit * (line.quantity - line.free)
      if line.kind == .pastry { pastry += net } else { other += net }
      basket += net
    }
    // Multipliers as exact fractions: tier × Tuesday.
    var numerator: Int64 = 1
    var denominator: Int64 = 1
    if tier == 1 { numerator *= 15; denominator *= 10 }
    if tier == 2 { numerator *= 2 }
    let c = today.components
    if today.weekday == 2, c.year == 2026, c.month == 11 { numerator *= 2 }
    var earned: Int64 = 0
    if other > 0 { earned += other * 2 * numerator / (100 * denominator) }
    if pastry > 0 { earned += pastry * 6 * numerator / (100 * denominator) }
    if let last = account.lastPurchase, day - last >= 90, basket >= 2000,
       !account.welcomeBack.contains(where: { $0 >= day - 364 }) {
      earned += 200
      account.welcomeBack.append(day)
    }
    if let birthday = customer.birthday, birthday.components.month == c.month, !account.birthdayYears.contains(c.year) {
      totals.vouchers += 500
      account.birthdayYears.append(c.year)
    }
    account.stars += earned
    totals.stars += earned
    totals.purchases += 1
    // State: ledger, last purchase, tier review.
    if let last = account.ledger.last, last.day == day {
      account.ledger[account.ledger.count - 1].spend += basket
    } else {
      account.ledger.append((day, basket))
    }
    let oldest = day - 373
    if let first = account.ledger.first, first.day < oldest { account.ledger.removeAll { $0.day < oldest } }
    account.lastPurchase = day
    let q = qualified(spend(account, today: today))
    var until: Int64
    if let signup = customer.signupDate {
      var years = 0
      var anniversary = signup
      while anniversary <= today { years += 1; anniversary = signup.adding(months: 12 * years) }
      until = anniversary.dayNumber
    } else {
      until = today.adding(months: 12).dayNumber
    }
    for level in 0...q where account.kept[level] < until { account.kept[level] = until }
    account.tier = held(account, qualified: q, today: day)
  }
}
