/// What the till shows besides the awards: pending points, the next expiry, future-dated
/// facts and near misses. Computed from the state after the event, on the event's local day.
///
/// Money in near misses is the net amount paid (after free items and promotions, before tax),
/// the same amount tiers measure.
extension Program {
  func addTillFacts(to outcome: inout Outcome, state: AccountState, customer: Customer, today: LocalDate) {
    var facts: [FutureFact] = []
    outcome.pending = [:]
    outcome.nextExpiry = []
    for spec in points {
      let lots = state.lots.filter { $0.currency == spec.name }
      let pending = lots.filter(\.isPending)
      if !pending.isEmpty { outcome.pending[spec.name] = pending.reduce(0) { $0 + $1.amount } }
      var releases: [LocalDate: Int64] = [:]
      for lot in pending { if let day = lot.pendingUntil { releases[day, default: 0] += lot.amount } }
      for (day, amount) in releases {
        facts.append(FutureFact(kind: .release, date: day, text: "\(amount) \(spec.name) become spendable on \(day)"))
      }
      var expiries: [LocalDate: Int64] = [:]
      for lot in lots where !lot.isPending {
        if let day = spec.effectiveExpiry(of: lot, lastPurchase: state.lastPurchase) { expiries[day, default: 0] += lot.amount }
      }
      for (day, amount) in expiries {
        facts.append(FutureFact(kind: .expiry, date: day, text: "\(amount) \(spec.name) expire on \(day)"))
      }
      if let first = expiries.min(by: { $0.key < $1.key }) {
        outcome.nextExpiry.append(ExpiryNotice(currency: spec.name, amount: first.value, date: first.key))
      }
    }
    outcome.nextExpiry.sort { ($0.date, $0.currency) < ($1.date, $1.currency) }
    // The lowest tier is never lost, so its keep is no news.
    if let tier = state.tier, tier != tiers?.levels.first?.name, let until = state.tierKeptUntil[tier] {
      facts.append(FutureFact(kind: .tierKept, date: until, text: "\(tier) is kept until \(until)"))
    }
    for transfer in state.triggers.heldTransfers {
      facts.append(FutureFact(kind: .transfer, date: transfer.releaseOn,
                              text: "\(transfer.amount) \(transfer.currency) for \(transfer.customer) on \(transfer.releaseOn) if \(transfer.sourceTransaction) is not returned before then"))
    }
    facts += rebateFacts(state: state)
    facts.sort { ($0.date, $0.kind.rawValue, $0.text) < ($1.date, $1.kind.rawValue, $1.text) }
    outcome.facts = facts
    outcome.nearMisses = nearMisses(state: state, today: today) + rebateNearMisses(state: state, customer: customer, today: today)
  }

  /// `coffee or tea items`, `latte`, `items`: what a filter selects, for people.
  func itemWords(_ filter: Int?, plural: Bool) -> String {
    guard let filter, filters.indices.contains(filter) else { return plural ? "items" : "item" }
    let values = filters[filter].values
    // Appended in place: `joined` over a slice cost more than the rest of a near miss.
    var names = ""
    for index in values.indices {
      if index > values.startIndex { names += index == values.endIndex - 1 ? " or " : ", " }
      names += values[index]
    }
    guard filters[filter].field == .category else { return names }
    names += plural ? " items" : " item"
    return names
  }

  func nearMisses(state: AccountState, today: LocalDate) -> [NearMiss] {
    var misses: [NearMiss] = []
    // Rewards: the cheapest reward not yet affordable in each currency. Specs are read in place
    // by index: a copied spec retains each of its fields.
    for spec in points.indices {
      let balance = state.balances[points[spec].name] ?? 0
      // The first of the cheapest, as `min(by:)` picks, with no filtered copy of the rewards.
      var next: Int?
      for r in rewards.indices
      where rewards[r].currency < points.count && points[rewards[r].currency].name == points[spec].name && rewards[r].cost > balance {
        if let best = next, (rewards[best].cost, rewards[best].name) <= (rewards[r].cost, rewards[r].name) { continue }
        next = r
      }
      if let next {
        let missing = rewards[next].cost - max(0, balance)
        misses.append(NearMiss(kind: .reward, goal: rewards[next].name, missing: missing,
                               text: "\(missing) \(points[spec].name) to \(rewards[next].name)"))
      }
    }
    // Stamp cards, counted in what the customer does: items bought or visits.
    for card in cards {
      let stamps = state.stamps[card.name] ?? 0
      let missingStamps = card.every - stamps % card.every
      // A card that collects the items it gives free says so once ("a free one"): its prize's
      // words would only be thrown away.
      var givesWhatItCollects = false
      switch (card.reward, card.collect) {
      case (.cheapestItemFree(let free), .perItem(_, let collected)), (.mostExpensiveItemFree(let free), .perItem(_, let collected)):
        givesWhatItCollects = free == collected
      default: break
      }
      let prize: String
      if givesWhatItCollects {
        prize = "a free one"
      } else {
        switch card.reward {
        case .cheapestItemFree(let f), .mostExpensiveItemFree(let f): prize = "a free \(itemWords(f, plural: false))"
        case .reward(let r): prize = rewards.indices.contains(r) ? rewards[r].name : "the reward"
        case .voucher(let name, _, _, _): prize = "\"\(name)\""
        }
      }
      let missing: Int64
      let what: String
      switch card.collect {
      case .spend:
        // A card that collects spend counts money (minor units): "$39.80 more spend on fuel card".
        misses.append(NearMiss(kind: .card, goal: card.name, missing: missingStamps,
                               text: "\(Money(minorUnits: missingStamps, currency: currency)) more spend on \(card.name) to \(prize)"))
        continue
      case .perItem(let count, let filter):
        missing = (missingStamps + count - 1) / count
        what = itemWords(filter, plural: missing != 1)
      case .perVisit(let count):
        missing = (missingStamps + count - 1) / count
        what = missing == 1 ? "visit" : "visits"
      }
      misses.append(NearMiss(kind: .card, goal: card.name, missing: missing, text: "\(missing) more \(what) to \(prize) (\(card.name))"))
    }
    // The next tier.
    if let tiers, let held = state.tier, let index = tiers.levels.firstIndex(where: { $0.name == held }),
       index + 1 < tiers.levels.count, windows.indices.contains(tiers.window) {
      let next = tiers.levels[index + 1]
      // Read from the state's own ledger: resolving the whole state into a `WorkingState` for
      // this one sum cost a fifth of a till's evaluation.
      let (spend, visits) = WorkingState.sum(tiers.filter == nil ? state.ledger[...] : state.tierLedger[...], windows[tiers.window],
                                             today: today)
      // "$40.00 more spend or 2 more visits": the parts appended in place, not joined from an array.
      var parts = ""
      var missing: Int64 = 0
      if tiers.measure != .visits, let threshold = next.spendMinor, threshold > spend {
        missing = threshold - spend
        parts = "\(Money(minorUnits: missing, currency: currency)) more spend"
      }
      if tiers.measure != .spend, let threshold = next.visits, threshold > visits {
        if parts.isEmpty { missing = threshold - visits } else { parts += " or " }
        parts += "\(threshold - visits) more visit\(threshold - visits == 1 ? "" : "s")"
      }
      if !parts.isEmpty {
        misses.append(NearMiss(kind: .tier, goal: next.name, missing: missing,
                               text: "\(parts) to \(next.name) (net amounts paid\(tierFilterText), \(amountBasis.taxText))"))
      }
    }
    return misses
  }
}

extension Program {
  /// ` not in category giftcard, shipping` when the tiers count only some lines, else empty.
  var tierFilterText: String {
    guard let filter = tiers?.filter, filters.indices.contains(filter) else { return "" }
    let f = filters[filter]
    return " \(f.negated ? "not in" : "in") \(f.field == .category ? "category" : "sku") \(f.values.joined(separator: ", "))"
  }
}
