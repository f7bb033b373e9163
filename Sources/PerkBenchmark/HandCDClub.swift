import PerkRuntime

/// The CD club (`Benchmark.cdClubSource`) written by hand as a performance engineer would, for
/// the sparse workload: one pass over the bytes of a canonical CSV history of purchases (no
/// returns, rows of a customer together and in time order, as `perk gen` writes them), integer
/// cents, no Foundation, no per-row allocation. It computes what `perk sim` reports as the
/// reward cost: points at their worth ($0.01) when earned, plus the vouchers of the stamp card.
///
/// The program, rule by rule: 1 point per $1 of the basket (rounded down) times the tier held
/// when the purchase starts — by spend over the last 365 days including today (earlier
/// purchases only): ×1 below $100, ×1.5 from $100, ×2 from $300; 50 points when the last
/// purchase was 180 or more days before; a stamp per item, a $12 voucher for every 10 stamps.
/// Expiry moves no cost, so it is not modelled.
enum HandCDClub {
  struct Totals: Equatable {
    var points: Int64 = 0
    var vouchers: Int64 = 0
    /// The reward cost in cents.
    var cost: Int64 { points + vouchers * 1_200 }
  }

  /// One customer's account: the last purchase day, stamps, and spend by day inside the window.
  struct Account {
    var lastDay: Int64 = .min
    var stamps: Int64 = 0
    var days: [(day: Int64, spend: Int64)] = []

    mutating func reset() {
      lastDay = .min
      stamps = 0
      days.removeAll(keepingCapacity: true)
    }
  }

  static func run(_ bytes: [UInt8]) -> Totals {
    bytes.withUnsafeBufferPointer { run($0) }
  }

  static func run(_ text: UnsafeBufferPointer<UInt8>) -> Totals {
    var totals = Totals()
    var account = Account()
    // The basket being read: its customer and transaction (byte ranges), day, spend and items.
    var customer = 0..<0
    var txn = 0..<0
    var day: Int64 = 0
    var spend: Int64 = 0
    var items: Int64 = 0
    var open = false

    func same(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
      guard a.count == b.count else { return false }
      var i = a.lowerBound, j = b.lowerBound
      while i < a.upperBound {
        if text[i] != text[j] { return false }
        i += 1
        j += 1
      }
      return true
    }

    func close() {
      guard open else { return }
      // The tier held: spend over the last 365 days, today included, before this basket.
      let first = day - 364
      var window: Int64 = 0
      for entry in account.days where entry.day >= first && entry.day <= day { window += entry.spend }
      let earned: Int64
      if window >= 30_000 { earned = spend * 2 / 100 } else if window >= 10_000 { earned = spend * 3 / 200 } else { earned = spend / 100 }
      totals.points += earned
      if account.lastDay != .min, day - account.lastDay >= 180 { totals.points += 50 }
      account.stamps += items
      totals.vouchers += account.stamps / 10
      account.stamps %= 10
      if let last = account.days.last, last.day == day {
        account.days[account.days.count - 1].spend += spend
      } else {
        account.days.append((day, spend))
      }
      // Days that can no longer be in any window leave (rows come in time order).
      if account.days.count > 64, let keep = account.days.firstIndex(where: { $0.day >= day - 364 }), keep > 0 {
        account.days.removeFirst(keep)
      }
      if day > account.lastDay { account.lastDay = day }
      open = false
    }

    var index = 0
    // Skip the header.
    while index < text.count, text[index] != 10 { index += 1 }
    index += 1
    while index < text.count {
      // customer,txn,time,sku,category,qty,unit_price,type,orig_txn
      var fields: (Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>) = (0..<0, 0..<0, 0..<0, 0..<0, 0..<0, 0..<0)
      var field = 0
      var start = index
      while index < text.count, text[index] != 10 {
        if text[index] == 44 {
          switch field {
          case 0: fields.0 = start..<index
          case 1: fields.1 = start..<index
          case 2: fields.2 = start..<index
          case 5: fields.4 = start..<index
          case 6: fields.5 = start..<index
          default: break
          }
          field += 1
          start = index + 1
        }
        index += 1
      }
      index += 1
      guard field >= 7 else { continue }
      if !same(fields.0, customer) {
        close()
        account.reset()
        customer = fields.0
      } else if !same(fields.1, txn) {
        close()
      }
      if !open {
        txn = fields.1
        day = dayNumber(text, fields.2.lowerBound)
        spend = 0
        items = 0
        open = true
      }
      let quantity = integer(text, fields.4)
      spend += quantity * cents(text, fields.5)
      items += quantity
    }
    close()
    return totals
  }

  /// Days since 1970-01-01 of the `yyyy-MM-dd` at `at` (the local day: times carry no offset).
  static func dayNumber(_ text: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int64 {
    func digits(_ from: Int, _ count: Int) -> Int {
      var value = 0
      for i in from..<(from + count) { value = value * 10 + Int(text[i] &- 48) }
      return value
    }
    // The calendar arithmetic is the standard one (`days_from_civil`); the rows' dates are valid.
    return LocalDate(year: digits(at, 4), month: digits(at + 5, 2), day: digits(at + 8, 2))?.dayNumber ?? 0
  }

  static func integer(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64 {
    var value: Int64 = 0
    for i in range { value = value * 10 + Int64(text[i] &- 48) }
    return value
  }

  /// `12.99` as 1299.
  static func cents(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64 {
    var value: Int64 = 0
    var decimals = -1
    for i in range {
      if text[i] == 46 { decimals = 0; continue }
      value = value * 10 + Int64(text[i] &- 48)
      if decimals >= 0 { decimals += 1 }
    }
    while decimals < 2 { value *= 10; decimals = max(decimals, 0) + 1 }
    return value
  }
}
