import PerkRuntime

/// `perk gen`: a seeded, deterministic synthetic purchase history.
///
/// Integer-only randomness (SplitMix64), so the same arguments give the same bytes on every
/// machine. Each customer gets a visit rate drawn from a skewed (roughly Pareto) distribution,
/// a join day, a churn day (or none), and visits spread over the months with weekday and
/// seasonal weights; baskets are drawn from the shape's catalog; a few purchases are returned.
package struct HistoryGenerator: Sendable {
  package enum Shape: String, Sendable, CaseIterable {
    /// Regulars and occasional customers of a café (about 86 rows a customer-year).
    case cafe, grocery, wholesale
    /// A CD store's occasional customers, as in the CDNOW history: about 3 purchases each over
    /// 18 months, most customers once or twice, a few regulars.
    case sparse
  }

  struct Item {
    var sku: String
    var category: String
    var priceMinor: Int64
    /// Relative popularity.
    var weight: UInt64
  }

  package var customers: Int
  package var months: Int
  package var seed: UInt64
  package var shape: Shape
  /// The first day of the history.
  package var start: LocalDate
  /// The chance that a purchase has a line returned: 1 in 60 by default, (0, 1) for none.
  package var returnChance: (numerator: UInt64, denominator: UInt64) = (1, 60)
  /// Times are written as local wall-clock times (no offset) of this zone's program.
  package init(customers: Int, months: Int, seed: UInt64, shape: Shape, start: LocalDate = LocalDate(year: 2026, month: 1, day: 1)!) {
    self.customers = customers
    self.months = months
    self.seed = seed
    self.shape = shape
    self.start = start
  }

  var catalog: [Item] {
    switch shape {
    case .cafe:
      return [
        Item(sku: "latte", category: "coffee", priceMinor: 450, weight: 30),
        Item(sku: "espresso", category: "coffee", priceMinor: 300, weight: 12),
        Item(sku: "cappuccino", category: "coffee", priceMinor: 425, weight: 18),
        Item(sku: "chai", category: "tea", priceMinor: 400, weight: 8),
        Item(sku: "green-tea", category: "tea", priceMinor: 350, weight: 5),
        Item(sku: "croissant", category: "pastry", priceMinor: 375, weight: 10),
        Item(sku: "muffin", category: "pastry", priceMinor: 325, weight: 7),
        Item(sku: "sandwich", category: "food", priceMinor: 895, weight: 6),
        Item(sku: "beans-1lb", category: "retail", priceMinor: 1800, weight: 1),
      ]
    case .grocery:
      return [
        Item(sku: "milk", category: "dairy", priceMinor: 349, weight: 20),
        Item(sku: "cheese", category: "dairy", priceMinor: 599, weight: 8),
        Item(sku: "bread", category: "bakery", priceMinor: 299, weight: 18),
        Item(sku: "apples", category: "produce", priceMinor: 449, weight: 14),
        Item(sku: "salad", category: "produce", priceMinor: 399, weight: 10),
        Item(sku: "chicken", category: "meat", priceMinor: 1099, weight: 9),
        Item(sku: "pasta", category: "pantry", priceMinor: 199, weight: 12),
        Item(sku: "coffee-beans", category: "pantry", priceMinor: 1299, weight: 4),
        Item(sku: "detergent", category: "household", priceMinor: 1499, weight: 3),
        Item(sku: "wine", category: "alcohol", priceMinor: 1299, weight: 4),
      ]
    case .wholesale:
      return [
        Item(sku: "pallet-water", category: "beverages", priceMinor: 24_000, weight: 10),
        Item(sku: "case-coffee", category: "beverages", priceMinor: 18_500, weight: 8),
        Item(sku: "flour-25kg", category: "dry goods", priceMinor: 3_200, weight: 14),
        Item(sku: "oil-20l", category: "dry goods", priceMinor: 5_400, weight: 9),
        Item(sku: "napkins-case", category: "supplies", priceMinor: 2_900, weight: 12),
        Item(sku: "cups-case", category: "supplies", priceMinor: 4_100, weight: 11),
        Item(sku: "cleaner-5l", category: "cleaning", priceMinor: 1_900, weight: 6),
      ]
    case .sparse:
      return [
        Item(sku: "cd-new", category: "cd", priceMinor: 1_699, weight: 20),
        Item(sku: "cd-catalog", category: "cd", priceMinor: 1_199, weight: 30),
        Item(sku: "cd-budget", category: "cd", priceMinor: 799, weight: 15),
        Item(sku: "cd-box", category: "cd", priceMinor: 3_499, weight: 3),
        Item(sku: "dvd", category: "video", priceMinor: 1_999, weight: 6),
      ]
    }
  }

  /// Mean visits per month for the median customer (in hundredths), and basket size range.
  var profile: (visitsPerMonthHundredths: UInt64, maxLines: UInt64, maxQuantity: UInt64, hour: (UInt64, UInt64)) {
    switch shape {
    case .cafe: return (500, 3, 2, (7, 12))
    case .grocery: return (400, 8, 3, (9, 12))
    case .wholesale: return (200, 5, 12, (8, 9))
    case .sparse: return (9, 2, 3, (10, 20))
    }
  }

  package static let header = "customer,txn,time,sku,category,qty,unit_price,type,orig_txn"

  /// Calls `body` with each CSV line (header first), customer by customer; rows of one customer
  /// are in time order. Memory is one customer's rows.
  package func generate(_ body: (String) throws -> Void) rethrows {
    try body(HistoryGenerator.header)
    let items = catalog
    let totalWeight = items.reduce(UInt64(0)) { $0 + $1.weight }
    let profile = self.profile
    let days = Int64(start.adding(months: months).dayNumber - start.dayNumber)
    guard days > 0 else { return }
    let width = max(4, String(customers).count)
    for c in 0..<customers {
      var random = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(c))
      let idNumber = String(c + 1)
      let id = "c" + String(repeating: "0", count: max(0, width - idNumber.count)) + idNumber
      // Skewed frequency: a Pareto-like multiplier in hundredths, 25 ... ~2000 (most customers rare, a few regulars).
      let u = random.below(1000) + 1
      let multiplier = min(2000, 25 * 1000 / u)  // hundredths of the median rate
      let join = Int64(random.below(UInt64(max(1, days / 3))))
      let churn: Int64 = random.chance(35, in: 100) ? join + Int64(random.below(UInt64(max(1, days - join)))) : days
      var rows: [(day: Int64, minute: Int64, line: String)] = []
      var txnCount = 0
      var purchases: [(txn: String, day: Int64, minute: Int64, lines: [(Item, Int64)])] = []
      for day in join..<churn {
        let date = start.adding(days: day)
        let c = date.components
        // Weekday and season weights in hundredths: weekends busier for retail, weekdays for cafés, December peak.
        let weekday = date.weekday
        var weight: UInt64 = 100
        switch shape {
        case .cafe: weight = weekday <= 5 ? 115 : 65
        case .grocery: weight = weekday >= 6 ? 140 : 85
        case .wholesale: weight = weekday <= 5 ? 140 : 0
        case .sparse: weight = weekday >= 6 ? 120 : 92
        }
        if c.month == 12 { weight = weight * 130 / 100 }
        if c.month == 1 || c.month == 2 { weight = weight * 85 / 100 }
        // Visits per day = rate × multiplier × weight / (30 days × 100 × 100 × 100), as a probability in millionths.
        let perMillion = profile.visitsPerMonthHundredths * multiplier * weight * 1_000_000 / (30 * 100 * 100 * 100)
        guard random.chance(min(perMillion, 900_000), in: 1_000_000) else { continue }
        txnCount += 1
        let txn = "\(id)-\(txnCount)"
        let minute = Int64(profile.hour.0 * 60 + random.below((profile.hour.1 - profile.hour.0 + 1) * 60))
        let lineCount = 1 + random.below(profile.maxLines)
        var lines: [(Item, Int64)] = []
        for _ in 0..<lineCount {
          var pick = random.below(totalWeight)
          var chosen = items[0]
          for item in items {
            if pick < item.weight { chosen = item; break }
            pick -= item.weight
          }
          let quantity = Int64(1 + random.below(profile.maxQuantity))
          lines.append((chosen, quantity))
        }
        purchases.append((txn, day, minute, lines))
        for (item, quantity) in lines {
          rows.append((day, minute, "\(id),\(txn),\(Self.timeText(start.adding(days: day), minute)),\(item.sku),\(item.category),\(quantity),\(Money(minorUnits: item.priceMinor, currency: Currency.named("USD")!).decimalString),purchase,"))
        }
        // About 1 purchase in 60 has one line returned within two weeks.
        if random.chance(returnChance.numerator, in: returnChance.denominator), let (item, quantity) = lines.first {
          let returnDay = day + 1 + Int64(random.below(14))
          guard returnDay < days else { continue }
          let returned = 1 + Int64(random.below(UInt64(quantity)))
          rows.append((returnDay, minute, "\(id),\(txn)-r,\(Self.timeText(start.adding(days: returnDay), minute)),\(item.sku),\(item.category),-\(returned),\(Money(minorUnits: item.priceMinor, currency: Currency.named("USD")!).decimalString),return,\(txn)"))
        }
      }
      rows.sort { $0.day != $1.day ? $0.day < $1.day : $0.minute < $1.minute }
      for row in rows { try body(row.line) }
    }
  }

  /// A sparse history: `customers` customers with one purchase each (one café line), on days
  /// drawn evenly from `years` years from `start`. The cost of simulating it should grow with
  /// the purchases, not with customers × months (`perk-benchmark --long-span-only`).
  package static func onePurchaseEach(customers: Int, years: Int, seed: UInt64,
                                      start: LocalDate = LocalDate(year: 2000, month: 1, day: 1)!) -> [UInt8] {
    var out = Array((header + "\n").utf8)
    let days = UInt64(max(1, start.adding(months: 12 * years).dayNumber - start.dayNumber))
    var random = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15)
    let width = max(4, String(customers).count)
    for c in 0..<customers {
      let idNumber = String(c + 1)
      let id = "c" + String(repeating: "0", count: max(0, width - idNumber.count)) + idNumber
      let day = start.adding(days: Int64(random.below(days)))
      let minute = Int64(8 * 60 + random.below(12 * 60))
      let quantity = 1 + random.below(3)
      out.append(contentsOf: "\(id),\(id)-1,\(timeText(day, minute)),latte,coffee,\(quantity),4.50,purchase,\n".utf8)
    }
    return out
  }

  static func timeText(_ date: LocalDate, _ minute: Int64) -> String {
    let h = minute / 60
    let m = minute % 60
    return "\(date)T\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m):00"
  }

  /// The whole history as bytes (for small, built-in examples).
  package func bytes() -> [UInt8] {
    var out: [UInt8] = []
    generate { line in
      out.append(contentsOf: line.utf8)
      out.append(10)
    }
    return out
  }
}
