extension Program {
  /// A stable, line-per-fact dump of the compiled program, for golden tests.
  ///
  /// Conditions are closures and cannot be printed; a rule with one says `when <condition>`.
  package func describe() -> String {
    var out: [String] = []
    out.append("program \"\(name)\" currency \(currency.code) timezone \(timeZone.identifier)")
    if calendarInCustomerZones { out.append("calendar in customer time zones") }
    func filter(_ index: Int?) -> String {
      guard let index else { return "all" }
      guard filters.indices.contains(index) else { return "filter#\(index)" }
      let f = filters[index]
      return "\(f.negated ? "not " : "")\(f.field == .category ? "category" : "sku") \(f.values.joined(separator: ", "))"
    }
    func pointsName(_ index: Int) -> String { points.indices.contains(index) ? points[index].name : "points#\(index)" }
    for (index, window) in windows.enumerated() { out.append("window \(index): \(window)") }
    for p in points { out.append("points \(p.name) worth \(p.worthMinor) minor, round \(p.rounding.rawValue)") }
    if let tiers {
      let counting = tiers.filter.map { " counting \(filter($0))" } ?? ""
      out.append("tiers by \(tiers.measure)\(counting) over window \(tiers.window), keep \(tiers.keep)")
      for level in tiers.levels {
        let spend = level.spendMinor.map { "spend \(Money(minorUnits: $0, currency: currency))" }
        let visits = level.visits.map { "visits \($0)" }
        out.append("  \(level.name) from \([spend, visits].compactMap { $0 }.joined(separator: " or ")) earn x\(level.multiplier)")
      }
    }
    for card in cards {
      let collect: String
      switch card.collect {
      case .perItem(let n, let f): collect = "collect \(n) per item in \(filter(f))"
      case .perVisit(let n): collect = "collect \(n) per visit"
      case .spend(let f): collect = "collect spend in \(filter(f))"
      }
      let reward: String
      switch card.reward {
      case .cheapestItemFree(let f): reward = "cheapest item in \(filter(f)) is free"
      case .mostExpensiveItemFree(let f): reward = "most expensive item in \(filter(f)) is free"
      case .reward(let r): reward = "reward \(rewards.indices.contains(r) ? rewards[r].name : "#\(r)")"
      case .voucher(let name, let worth, let days, let months):
        let validity = days.map { " valid \($0) days" } ?? months.map { " valid \($0) months" } ?? ""
        reward = "voucher \"\(name)\" worth \(Money(minorUnits: worth, currency: currency))\(validity)"
      }
      out.append("stamps \(card.name): \(collect); every \(card.every): \(reward)")
    }
    for rule in rules {
      var head = "rule \(rule.name) on \(rule.trigger)"
      if rule.condition != nil { head += " when <condition>" }
      if let replaced = rule.replaces { head += " replaces \(rules.indices.contains(replaced) ? rules[replaced].name : "#\(replaced)")" }
      out.append(head)
      for effect in rule.effects {
        switch effect {
        case .earn(let rate, let c, let basis):
          switch basis {
          case .flat: out.append("  earn \(rate) \(pointsName(c))")
          case .perSpend(let per, let whole, let f, let before):
            out.append("  earn \(rate) \(pointsName(c)) per \(whole ? "whole " : "")\(Money(minorUnits: per, currency: currency)) on \(filter(f))"
                       + (before ? " before discounts" : ""))
          case .perItem(let f, let before):
            out.append("  earn \(rate) \(pointsName(c)) per item in \(filter(f))" + (before ? " before discounts" : ""))
          }
        case .multiply(let c, let factor): out.append("  multiply \(pointsName(c)) by \(factor)")
        case .voucher(let name, let worth, let days, let months):
          let validity = days.map { " valid \($0) days" } ?? months.map { " valid \($0) months" } ?? ""
          out.append("  voucher \"\(name)\" worth \(Money(minorUnits: worth, currency: currency))\(validity)")
        case .reward(let r): out.append("  reward \(rewards.indices.contains(r) ? rewards[r].name : "#\(r)")")
        case .price(let price): out.append("  \(price)")
        case .earnForReferrer(let amount, let c, let hold):
          out.append("  earn \(amount) \(pointsName(c)) for referrer held \(hold) days")
        case .message(let message): out.append("  send message \(message.parts.count) parts via \(message.channel.rawValue)")
        }
      }
      for limit in rule.limits { out.append("  at most \(limit.count) per \(limit.period)") }
    }
    for reward in rewards {
      out.append("reward \(reward.name) costs \(reward.cost) \(pointsName(reward.currency)), worth \(Money(minorUnits: reward.worthMinor, currency: currency))")
    }
    for rebate in rebates {
      out.append("rebate \(rebate.name): \(rebate.mode.rawValue) on \(filter(rebate.filter)) per \(rebate.periodMonths) months from "
        + "\(rebate.anchorMonth)-\(rebate.anchorDay), settle every \(rebate.settleMonths) months"
        + (rebate.statementMonths.map { ", statement every \($0) months" } ?? "")
        + (rebate.segment.map { ", segment \($0)" } ?? ""))
      for bracket in rebate.brackets {
        out.append("  from \(Money(minorUnits: bracket.fromMinor, currency: currency)) rate \(bracket.rate)")
      }
      if let growth = rebate.growthRate { out.append("  growth rate \(growth)") }
    }
    return out.joined(separator: "\n") + "\n"
  }
}
