import Foundation
import PerkTestSupport

/// A seeded random program of the .perk language, drawn from a menu of features (points with
/// worth, rounding, expiry, holds and caps; tiers; stamp cards; earning, promotions, limits,
/// stacking and budgets; period-end, contact and tier-change rules; rewards; rebates;
/// referrals; return policies), and the names a history for it may use.
///
/// Every program it makes must compile without errors: the differential test fails on one that
/// does not, printing the seed and the source. Warnings stay: overlapping promotions, a second
/// currency no rule earns, a condition another implies are programs people write.
struct GeneratedProgram {
  /// The categories filters may name, each with its SKUs. Histories also buy from
  /// ``unnamedCategories``, which no filter names.
  static let categories: [(name: String, skus: [String])] = [
    ("coffee", ["latte", "espresso"]), ("pastry", ["croissant", "muffin"]), ("retail", ["beans", "mug"]),
    ("snacks", ["chips", "nuts"]), ("tea", ["chai", "sencha"]),
  ]
  /// Categories no rule names: lines the filters must leave alone.
  static let unnamedCategories: [(name: String, skus: [String])] = [("giftcard", ["card"]), ("misc", ["bag", "stamp"])]

  let source: String
  /// The money symbol of the program's currency (`$` or `€`).
  let symbol: String
  let currencyCode: String
  /// The catalog rewards, for redemptions.
  let rewards: [String]
  /// The names of `on event NAME` rules, for custom events.
  let customEvents: [String]
  /// The segments rules and rebates read.
  let segments: [String]

  /// Draws one program; `plain` leaves out what the purchase plan does not cover (holds,
  /// caps, budgets, promotions, stacking, rebates, referrals, messages, period-end and
  /// tier-change rules, tier filters and reviews, spend cards), so that its purchases run as
  /// the plan (PurchasePlan.swift).
  init(_ random: inout SeededGenerator, plain: Bool = false) {
    var menu = Menu(random: random)
    menu.plain = plain
    source = menu.program()
    random = menu.random
    symbol = menu.symbol
    currencyCode = menu.currencyCode
    rewards = menu.rewards
    customEvents = menu.customEvents
    segments = ["vip", "trade"]
  }
}

/// The drawing itself: each feature is in or out by a roll, and later features read what the
/// earlier ones declared (a reward rule needs a reward, an expiry warning an expiring currency).
private struct Menu {
  var random: SeededGenerator
  var symbol = "$"
  var currencyCode = "USD"
  /// Points currencies: name and whether their points expire after earning.
  var currencies: [(name: String, expires: Bool)] = []
  var tierLevels: [String] = []
  var rewards: [String] = []
  var customEvents: [String] = []
  var firstCurrencyCapped = false
  /// Only what the purchase plan covers.
  var plain = false

  mutating func roll(_ n: UInt64) -> Int { Int(random.next() % n) }
  mutating func chance(_ percent: Int) -> Bool { roll(100) < percent }
  mutating func pick<T>(_ options: [T]) -> T { options[roll(UInt64(options.count))] }

  /// Money in the program's currency, with thousands grouped as the lexer wants them.
  func money(_ cents: Int) -> String {
    let units = cents / 100
    var digits = String(units)
    var grouped = ""
    while digits.count > 3 {
      grouped = "," + digits.suffix(3) + grouped
      digits = String(digits.dropLast(3))
    }
    grouped = digits + grouped
    let rest = cents % 100
    return symbol + grouped + (rest == 0 ? "" : "." + (rest < 10 ? "0" : "") + String(rest))
  }

  mutating func category() -> String { pick(GeneratedProgram.categories).name }

  /// An item filter, or nothing.
  mutating func filter(optional: Bool = true) -> String {
    if optional && chance(40) { return "" }
    switch roll(5) {
    case 0: return " in category \(category())"
    case 1:
      let a = category()
      var b = category()
      if b == a { b = a == "tea" ? "coffee" : "tea" }
      return " in category \(a), \(b)"
    case 2: return " not in category \(category())"
    case 3: return " on sku \(pick(GeneratedProgram.categories.flatMap(\.skus)))"
    default: return " in category \(category())"
    }
  }

  mutating func currency() -> String { pick(currencies).name }

  mutating func program() -> String {
    if chance(35) {
      symbol = "€"
      currencyCode = "EUR"
    }
    var text = "program \"Generated\"\n  currency \(currencyCode)\n"
    text += "  timezone \(pick(["America/New_York", "Europe/Warsaw", "Australia/Sydney", "America/Los_Angeles"]))\n"
    if chance(10) { text += "  calendar in customer time zones\n" }
    if chance(10) { text += "  amounts include tax\n" }
    if chance(25) { text += "  consent for sms from attribute sms_opt_in\n" }
    if !plain && chance(10) { text += "  message costs \(money(2)) via sms\n" }
    if !plain && chance(15) { text += "  budget \(money(pick([2_000, 5_000, 20_000]))) per \(pick(["month", "week", "year"]))\n" }
    if chance(20) { text += "  thresholds after discounts\n" }
    if chance(25) {
      text += "  on return \(pick(["keep awards", "reverse awards by share", "recompute awards", "reopen limits and caps"]))\n"
    }
    if chance(25) { text += "  messages at most \(1 + roll(3)) per \(pick(["day", "week", "month"]))\n" }
    if chance(10) { text += "  quiet hours 21:00 to 8:00\n" }
    text += "\n"
    text += points()
    if chance(55) { text += tiers() }
    if chance(20) { rewards.append("free drink") }
    if chance(50) { rewards.append("tote bag") }
    var body = ""
    if chance(50) { body += stamps() }
    body += "rule base earn\n  on purchase\n  earn \(1 + roll(3)) \(currencies[0].name) per \(money(pick([100, 100, 200, 500]))) spent\n\n"
    for index in 0..<(2 + roll(6)) { body += rule(index + 1) }
    // A group of one rule says nothing (W: single-rule group): such a clause is dropped.
    for clause in ["  group deals\n", "  best of offers\n"] where body.components(separatedBy: clause).count == 2 {
      body = body.replacingOccurrences(of: clause, with: "")
    }
    if !plain && chance(20) { body += rebate() }
    for (index, reward) in rewards.enumerated() {
      // A capped, expiring currency may never reach a dear reward (E: unaffordable reward).
      let cost = index == 0 ? pick([50, 150, 400]) : pick(firstCurrencyCapped ? [300] : [300, 1_200])
      body += "reward \(reward) costs \(cost) \(currencies[0].name), worth \(money(pick([300, 500, 1_800])))\n\n"
    }
    return text + body
  }

  mutating func points() -> String {
    var text = ""
    let names = chance(30) ? ["stars", "miles"] : ["stars"]
    for name in names {
      text += "points \(name)\n"
      if chance(90) { text += "  worth \(pick([money(1), symbol + "0.005", money(2)]))\n" }
      if chance(50) { text += "  round \(pick(["down", "up", "half up", "half even"]))\n" }
      var expires = false
      switch roll(6) {
      case 0:
        text += "  expire \(pick(["90 days", "6 months", "1 year", "30 days"])) after earning\n"
        expires = true
      case 1:
        text += "  expire at end of month \(pick(["3 months", "12 months"])) after earning\n"
        expires = true
      case 2: text += "  expire after \(pick(["3 months", "60 days"])) without activity\n"
      default: break
      }
      if chance(20) { text += "  spend \(pick(["oldest", "closest to expiry"])) first\n" }
      if !plain && chance(20) { text += "  hold \(pick(["7 days", "14 days not counting the earning day", "2 weeks"]))\n" }
      if !plain && chance(20) {
        text += "  cap at \(pick([200, 500])) per \(pick(["day", "month", "transaction"]))\n"
        if currencies.isEmpty { firstCurrencyCapped = true }
      }
      if chance(20) { text += "  on return take back points, \(pick(["never below zero", "allow negative balance"]))\n" }
      text += "\n"
      currencies.append((name, expires))
    }
    return text
  }

  mutating func tiers() -> String {
    let measure = pick(["spend", "spend", "visits", "spend or visits"])
    let window = pick(["over last 90 days", "over last 12 months", "this year", "this month", "in calendar year",
                       "over last 3 calendar months", "in last 2 calendar quarters"])
    var text = "tiers by \(measure)\(!plain && chance(20) ? filter(optional: false) : "") \(window)\n"
    func threshold(_ step: Int) -> String {
      let spend = money([0, pick([3_000, 6_000]), pick([15_000, 25_000])][step])
      let visits = "\([0, pick([2, 3]), pick([5, 8])][step]) visits"
      switch measure {
      case "spend": return spend
      case "visits": return visits
      default: return step == 0 ? spend : spend + " or " + visits
      }
    }
    tierLevels = chance(50) ? ["member", "silver", "gold"] : ["member", "gold"]
    for (step, level) in tierLevels.enumerated() {
      let multiplier = step == 0 ? "" : " earn " + pick(["x1.5", "x2", "x1.25"])
      text += "  \(level) from \(threshold(tierLevels.count == 2 && step == 1 ? 2 : step))\(multiplier)\n"
    }
    switch plain ? pick([0, 1, 2, 4]) : roll(6) {
    case 0: text += "  keep for \(pick(["2 months", "90 days"]))\(chance(30) ? " from reaching" : "")\n"
    case 1: text += "  keep until end of next \(pick(["month", "year"]))\n"
    case 2: text += "  keep until next anniversary\n"
    case 3:
      text += "  review \(pick(["at start of each month", "at start of each quarter", "on signup anniversary"])), "
        + "down \(pick(["to the qualified level", "at most one level"]))\n"
    default: break
    }
    return text + "\n"
  }

  mutating func stamps() -> String {
    var text = "stamps punch card\n"
    switch roll(plain ? 2 : 3) {
    case 0:
      text += "  collect \(1 + roll(2)) per item\(filter())\n"
      text += "  every \(pick([3, 5, 8])) stamps: \(pick(["cheapest", "most expensive"])) item\(filter()) is free\n"
    case 1:
      text += "  collect 1 per visit\n"
      if !rewards.isEmpty && chance(50) {
        text += "  every \(pick([3, 5])) stamps: reward \(rewards[0])\n"
      } else {
        text += "  every \(pick([3, 5])) stamps: voucher \"Visit treat\" worth \(money(pick([300, 500])))\(chance(50) ? " valid for 30 days" : "")\n"
      }
    default:
      text += "  collect spend\(filter())\n"
      text += "  every \(money(pick([2_000, 5_000]))) spent: voucher \"Spend treat\" worth \(money(pick([200, 500])))\n"
    }
    if chance(40) { text += "  on return \(pick(["take back stamps", "keep stamps"]))\n" }
    if chance(20) { text += "  on return restore free items\n" }
    return text + "\n"
  }

  /// A condition on a purchase.
  mutating func purchaseCondition() -> String {
    switch roll(21) {
    case 0: return "weekday is \(pick(["Monday", "Tuesday", "Saturday"]))"
    case 1: return "weekday in Saturday, Sunday"
    case 2: return "date in 2026-03-01 to 2026-08-31"
    case 3: return "days since last purchase >= \(pick([14, 30, 60]))"
    case 4: return "basket total >= \(money(pick([1_000, 2_000, 4_000])))"
    case 5: return "basket items >= \(pick([2, 3, 5]))"
    case 6: return "month is birthday month"
    case 7: return "spend over last 30 days >= \(money(pick([2_000, 5_000])))"
    case 8: return "visits this month reaches \(pick([2, 3]))"
    case 9: return "purchases so far >= \(pick([1, 3, 5]))"
    case 10: return "first purchase"
    case 11: return tierLevels.isEmpty ? "basket total >= \(money(1_500))" : "tier is \(tierLevels.last!)"
    case 12: return "\(currency()) balance > \(pick([100, 300]))"
    case 13: return "segment is \"vip\""
    case 14: return "birthday within 7 days"
    case 15: return "visit streak >= 2 weeks"
    case 16: return "time in 11:00 to 14:00"
    case 17: return "basket total\(filter(optional: false)) >= \(money(pick([500, 1_000])))"
    case 18: return "visits over last 3 calendar months >= \(pick([2, 4]))"
    case 19: return "store is \"downtown\""
    default: return "day of month <= 10"
    }
  }

  mutating func limit() -> String {
    switch roll(8) {
    case 0: return "at most once per \(pick([7, 30, 90])) days"
    case 1: return "at most once per \(pick(["day", "week", "month", "year"]))"
    case 2: return "at most \(pick([2, 3])) times per month"
    case 3: return "at most once"
    case 4: return "at most once per birthday"
    default: return ""
    }
  }

  mutating func rule(_ index: Int) -> String {
    var name = "extra \(index)"
    var lines: [String] = []
    var trigger = "purchase"
    var earnsPoints = false
    var pointsCurrency: String?
    // Case 13 falls through to a referral rule when there is no reward to give.
    switch plain ? pick(rewards.isEmpty ? [0, 1, 2, 3, 4, 5, 6, 12, 15, 16, 24, 25] : [0, 1, 2, 3, 4, 5, 6, 12, 13, 15, 16, 24, 25]) : roll(27) {
    case 0, 1:
      pointsCurrency = currency()
      lines.append("earn \(pick([2, 3, 5])) \(pointsCurrency!) per \(chance(30) ? "whole " : "")\(money(pick([100, 500])))"
                   + " spent\(filter())\(pick(["", "", " before discounts", " after discounts"]))")
      earnsPoints = true
    case 2:
      pointsCurrency = currency()
      lines.append("earn \(pick([1, 3])) \(pointsCurrency!) per item\(filter())\(pick(["", " before discounts"]))")
      earnsPoints = true
    case 3:
      pointsCurrency = currencies[0].name
      lines.append("earn \(pick([3, 4])) \(pointsCurrency!) per \(money(100)) spent in category \(category())")
      lines.append("replaces base earn\(chance(70) ? " for those items" : "")")
      earnsPoints = true
    case 4, 5:
      lines.append("when \(purchaseCondition())")
      lines.append("earn \(pick([25, 50, 200])) \(currency())")
    case 6:
      lines.append("when \(purchaseCondition())")
      lines.append("multiply \(currency()) by \(pick(["2", "1.5", "3"]))")
    case 7:
      lines.append("discount \(pick([10, 15, 25]))% on \(pick(["basket", "category \(category())"]))"
                   + pick(["", "", " round half up", " round down to whole units"]))
    case 8:
      lines.append("when basket total >= \(money(pick([1_500, 3_000])))")
      lines.append("discount \(money(pick([137, 300, 500]))) on basket")
    case 9: lines.append("discount \(money(pick([25, 50]))) per item in category \(category())")
    case 10:
      lines.append("buy \(pick([2, 3])) in category \(category()) pay for \(1)\(pick(["", " cheapest across the basket", " in groups dearest first"]))")
    case 11:
      lines.append("when basket items >= \(pick([2, 3]))")
      lines.append("\(pick(["cheapest", "most expensive"])) item\(filter()) is free")
    case 12:
      lines.append("when \(purchaseCondition())")
      lines.append("give voucher \"Thanks\" worth \(money(pick([300, 500])))\(chance(50) ? " valid for 30 days" : "")")
    case 13:
      guard !rewards.isEmpty else { fallthrough }
      lines.append("when \(purchaseCondition())")
      lines.append("give reward \(pick(rewards))")
    case 14, 26:
      name = "referral \(index)"
      lines.append("when referred and first purchase")
      lines.append("earn \(pick([100, 300])) \(currencies[0].name)")
      lines.append("earn \(pick([100, 300])) \(currencies[0].name) for referrer\(chance(60) ? " held \(pick(["14 days", "7 days not counting the earning day"]))" : "")")
    case 15:
      trigger = "signup"
      lines.append("earn \(pick([50, 100])) \(currency())")
    case 16:
      let event = pick(["review written", "app opened"])
      if !customEvents.contains(event) { customEvents.append(event) }
      trigger = "event \(event)"
      lines.append("earn \(pick([10, 20])) \(currency())")
      if chance(60) { lines.append("at most once per \(pick(["month", "week"]))") }
    case 17:
      trigger = "birthday"
      if chance(40) { lines.append("when purchases so far >= 1") }
      lines.append(chance(50) ? "earn 100 \(currency())" : "give voucher \"Birthday\" worth \(money(500)) valid for 30 days")
    case 18:
      trigger = "signup anniversary"
      lines.append("earn \(pick([200, 500])) \(currency())")
    case 19:
      trigger = "\(pick([30, 60])) days without purchase"
      lines.append(chance(50) ? "give voucher \"Come back\" worth \(money(500))" : "send message \"We miss you, {customer}\"")
    case 20:
      trigger = "\(pick([2, 4])) weeks after purchase\(chance(40) ? " in category \(category())" : "")"
      lines.append("send message \"How was it? You have {\(currencies[0].name) balance} \(currencies[0].name)\" via \(pick(["email", "sms", "push"]))")
    case 21:
      if let expiring = currencies.first(where: \.expires) {
        trigger = "\(pick([7, 14])) days before \(expiring.name) expire"
        lines.append("send message \"{\(expiring.name) expiring} expire on {\(expiring.name) expiry date}\"")
      } else {
        lines.append("when \(purchaseCondition())")
        lines.append("earn 75 \(currency())")
      }
    case 22:
      if tierLevels.isEmpty { fallthrough }
      trigger = "\(pick(["reaching", "losing"])) tier \(tierLevels.last!)"
      lines.append(chance(50) ? "earn 250 \(currency())" : "send message \"Your tier is now {tier}\"")
    case 23:
      lines.append("earn \(pick([1, 2])) \(currency()) per \(money(100)) spent")
      lines.append("send message \"Thanks, {customer}\" via receipt")
      earnsPoints = true
    default:
      lines.append("when \(purchaseCondition())")
      if chance(50) { lines.append("when \(purchaseCondition())") }
      pointsCurrency = currency()
      lines.append("earn \(pick([2, 4])) \(pointsCurrency!) per \(money(100)) spent\(filter())")
      earnsPoints = true
    }
    if trigger == "purchase" {
      if chance(35) { lines.append(limit()) }
      if !plain && chance(15) { lines.append("priority \(pick([1, 5, 10]))") }
      switch plain ? 4 : roll(12) {
      case 0: lines.append("group deals")
      case 1: lines.append("best of offers")
      case 2: if let pointsCurrency, earnsPoints { lines.append("cap \(pointsCurrency) at \(pick([20, 100])) per \(pick(["transaction", "day", "month"]))\(chance(30) ? " per customer" : "")") }
      case 3: lines.append("budget \(money(pick([1_000, 5_000]))) per \(pick(["month", "week"]))")
      default: break
      }
      if !plain && earnsPoints && chance(15) { lines.append("hold \(pick(["7 days", "1 week"]))") }
      if earnsPoints && chance(15) { lines.append("round \(pick(["half up", "up", "half even"]))") }
      if !plain && chance(12) { lines.append("send message \"Thanks, {customer}\" via \(pick(["sms", "email", "push"]))") }
      if chance(12) { lines.append("on return \(pick(["keep awards", "reverse awards by share", "reopen limits and caps"]))") }
    }
    return "rule \(name)\n  on \(trigger)\n" + lines.filter { !$0.isEmpty }.map { "  " + $0 + "\n" }.joined() + "\n"
  }

  mutating func rebate() -> String {
    let unit = pick(["year", "quarter", "month"])
    var text = "rebate volume bonus\n  measure net spend\(chance(30) ? filter(optional: false) : "") per calendar \(unit)\n"
    let growth = unit == "year" && chance(25)
    if !growth || chance(50) {
      text += "  \(pick(["retroactive", "incremental"]))\n"
      if chance(40) { text += "    below \(money(10_000)) 0%\n" }
      text += "    from \(money(10_000)) 2%\n    from \(money(50_000)) 3.5%\n"
    }
    if growth { text += "  growth 1% of spend above last year's\n" }
    if unit == "year" && chance(40) {
      text += "  settle at end of quarter, paying the difference to date, a negative difference is "
        + pick(["clawed back", "carried forward", "forgiven"]) + "\n"
    } else if chance(40) {
      text += "  settle at end of \(unit)\n"
    }
    if unit != "month" && chance(40) { text += "  statement at end of month\n" }
    if chance(25) { text += "  for segment trade\n" }
    if chance(25) { text += "  round \(pick(["down", "half up"])) to whole units\n" }
    return text + "\n"
  }
}
