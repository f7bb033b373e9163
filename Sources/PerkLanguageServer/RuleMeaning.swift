import PerkRuntime

/// A compiled rule in words, for hover: when it runs and what each effect does.
///
/// Read from the lowered `RuleSpec`, so it says what the program does, not what the text
/// seems to say (a `replaces`, a rounding the currency sets, a filter with its categories).
struct RuleMeaning {
  let program: Program

  func sentences(_ rule: RuleSpec) -> [String] {
    var head = "Runs on every \(trigger(rule.trigger))"
    if rule.condition != nil { head += " when its `when` condition holds" }
    var lines = [head + "."]
    if let replaced = rule.replaces, program.rules.indices.contains(replaced) {
      lines.append("Replaces what `\(program.rules[replaced].name)` earns on the lines it earns on.")
    }
    lines += rule.effects.map(effect)
    for limit in rule.limits { lines.append("Fires at most \(times(limit.count)) \(period(limit.period)).") }
    if rule.holdDays > 0 { lines.append("Its points are held \(rule.holdDays) days before they can be spent.") }
    return lines
  }

  func effect(_ effect: EffectSpec) -> String {
    switch effect {
    case .earn(let rate, let currency, let basis):
      let points = "\(rate) \(pointsName(currency))"
      switch basis {
      case .flat:
        return "Earns \(points)."
      case .perSpend(let per, let whole, let filter, let before):
        let money = Money(minorUnits: per, currency: program.currency)
        let unit = whole ? "every whole \(money)" : "every \(money)"
        return "Earns \(points) for \(unit) spent on \(lines(filter))"
          + (before ? ", counted before discounts." : ", counted after discounts.")
      case .perItem(let filter, let before):
        return "Earns \(points) for each item among \(lines(filter))" + (before ? ", free items included." : ".")
      }
    case .multiply(let currency, let factor):
      return "Multiplies the \(pointsName(currency)) this event earns by \(factor)."
    case .voucher(let name, let worth, let days, let months):
      let validity = days.map { ", valid \($0) days" } ?? months.map { ", valid \($0) months" } ?? ""
      return "Gives a voucher \"\(name)\" worth \(Money(minorUnits: worth, currency: program.currency))\(validity)."
    case .reward(let index):
      return "Gives the reward `\(program.rewards.indices.contains(index) ? program.rewards[index].name : "#\(index)")` free."
    case .price(let price):
      return priceEffect(price)
    case .earnForReferrer(let amount, let currency, let hold):
      return "Earns \(amount) \(pointsName(currency)) for the customer's referrer, held \(hold) days."
    case .message(let message):
      let time = message.atMinute.map { " at \($0 / 60):" + ($0 % 60 < 10 ? "0" : "") + "\($0 % 60)" } ?? ""
      return "Sends a message by \(message.channel.rawValue)\(time)."
    }
  }

  private func priceEffect(_ price: PriceEffectSpec) -> String {
    switch price {
    case .percentOff(let fraction, let target, _):
      // A fraction has at least two decimals once multiplied by 100.
      var significand = fraction.significand
      for _ in 0..<max(0, 2 - fraction.scale) {
        let (times10, overflow) = significand.multipliedReportingOverflow(by: 10)
        if overflow { return "Takes a fraction \(fraction) off \(described(target))." }
        significand = times10
      }
      let percent = ExactDecimal(significand: significand, scale: max(0, fraction.scale - 2))
      return "Takes \(percent)% off \(described(target))."
    case .amountOff(let minor, let target):
      return "Takes \(Money(minorUnits: minor, currency: program.currency)) off \(described(target))."
    case .deal(let buy, let payFor, let filter, let across):
      return "Of every \(buy) items among \(lines(filter)) the customer pays for \(payFor)"
        + (across ? ", the cheapest free across the basket." : ", the cheapest of each group free.")
    case .freeItem(let cheapest, let filter):
      return "Makes the \(cheapest ? "cheapest" : "most expensive") item among \(lines(filter)) free."
    }
  }

  private func described(_ target: DiscountTargetSpec) -> String {
    switch target {
    case .basket: return "the basket"
    case .lines(let filter): return lines(filter) + ", taken together"
    case .perItem(let filter): return "each item among " + lines(filter)
    }
  }

  private func lines(_ filter: Int?) -> String {
    guard let filter, program.filters.indices.contains(filter) else { return "all items" }
    let spec = program.filters[filter]
    let field = spec.field == .category ? "category" : "SKU"
    return "the items \(spec.negated ? "not " : "")in \(field) \(spec.values.joined(separator: ", "))"
  }

  private func pointsName(_ index: Int) -> String {
    program.points.indices.contains(index) ? program.points[index].name : "points"
  }

  private func trigger(_ trigger: TriggerSpec) -> String {
    switch trigger {
    case .purchase: return "purchase"
    case .signup: return "signup"
    case .custom(let name): return "`\(name)` event"
    case .signupAnniversary: return "signup anniversary"
    case .birthday: return "birthday"
    case .afterPurchase(let days, let filter):
      return "\(days) days after the last purchase" + (filter == nil ? "" : " of \(lines(filter))")
    case .beforeExpiry(let days, let currency): return "\(days) days before \(pointsName(currency)) expire"
    case .tierReached(let level): return "reaching tier `\(tierName(level))`"
    case .tierLost(let level): return "losing tier `\(tierName(level))`"
    }
  }

  private func tierName(_ level: Int) -> String {
    program.tierNames.indices.contains(level) ? program.tierNames[level] : "#\(level)"
  }

  private func times(_ count: Int64) -> String { count == 1 ? "once" : count == 2 ? "twice" : "\(count) times" }

  private func period(_ period: LimitSpec.Period) -> String {
    switch period {
    case .ever: return "ever"
    case .calendar(let unit): return "per calendar \(unit.rawValue)"
    case .rollingDays(let days): return "in any \(days) days"
    case .rollingMonths(let months): return "in any \(months) months"
    case .birthday: return "per birthday"
    case .anniversary: return "per signup anniversary"
    }
  }
}
