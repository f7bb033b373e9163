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
        facts.append(FutureFact(kind: .release, date: day, text: pointsFactText(amount, spec.name, " become spendable on ", day)))
      }
      var expiries: [LocalDate: Int64] = [:]
      for lot in lots where !lot.isPending {
        if let day = spec.effectiveExpiry(of: lot, lastPurchase: state.lastPurchase) { expiries[day, default: 0] += lot.amount }
      }
      for (day, amount) in expiries {
        facts.append(FutureFact(kind: .expiry, date: day, text: pointsFactText(amount, spec.name, " expire on ", day)))
      }
      if let first = expiries.min(by: { $0.key < $1.key }) {
        outcome.nextExpiry.append(ExpiryNotice(currency: spec.name, amount: first.value, date: first.key))
      }
    }
    outcome.nextExpiry.sort { ($0.date, $0.currency) < ($1.date, $1.currency) }
    // The lowest tier is never lost, so its keep is no news.
    if let tier = state.tier, tier != tiers?.levels.first?.name, let until = state.tierKeptUntil[tier] {
      let untilText = until.description
      facts.append(FutureFact(kind: .tierKept, date: until, text: TextWriter.assemble { text in
        text.write(tier)
        text.write(" is kept until ")
        text.write(untilText)
      }))
    }
    for transfer in state.triggers.heldTransfers {
      facts.append(FutureFact(kind: .transfer, date: transfer.releaseOn,
                              text: "\(transfer.amount) \(transfer.currency) for \(transfer.customer) on \(transfer.releaseOn) if \(transfer.sourceTransaction) is not returned before then"))
    }
    facts += rebateFacts(state: state)
    facts.sort { ($0.date, $0.kind.rawValue, $0.text) < ($1.date, $1.kind.rawValue, $1.text) }
    outcome.facts = facts
    var misses = nearMisses(state: state, today: today)
    let rebateMisses = rebateNearMisses(state: state, customer: customer, today: today)
    if !rebateMisses.isEmpty { misses += rebateMisses }
    outcome.nearMisses = misses
  }

  /// `coffee or tea items`, `latte`, `items`: what a filter selects, for people.
  func itemWords(_ filter: Int?, plural: Bool) -> String {
    TextWriter.assemble { writeItemWords(filter, plural: plural, into: &$0) }
  }

  /// Writes ``itemWords(_:plural:)`` (a near miss writes them into its own text).
  func writeItemWords(_ filter: Int?, plural: Bool, into text: inout TextWriter) {
    guard let filter, filters.indices.contains(filter) else { return text.write(plural ? "items" : "item") }
    // Read in place: a copied filter retains its values.
    for index in filters[filter].values.indices {
      if index > filters[filter].values.startIndex { text.write(index == filters[filter].values.endIndex - 1 ? " or " : ", ") }
      text.write(filters[filter].values[index])
    }
    guard filters[filter].field == .category else { return }
    text.write(plural ? " items" : " item")
  }

  func nearMisses(state: AccountState, today: LocalDate) -> [NearMiss] {
    var misses: [NearMiss] = []
    // A reward per currency, a card each, the next tier: made once at its size, not regrown.
    misses.reserveCapacity(points.count + cards.count + 1)
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
        misses.append(NearMiss(kind: .reward, goal: rewards[next].name, missing: missing, text: TextWriter.assemble { text in
          text.write(missing)
          text.write(" ")
          text.write(points[spec].name)
          text.write(" to ")
          text.write(rewards[next].name)
        }))
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
      // What a completed card gives, written into the near miss's text.
      func writePrize(into text: inout TextWriter) {
        if givesWhatItCollects { return text.write("a free one") }
        switch card.reward {
        case .cheapestItemFree(let f), .mostExpensiveItemFree(let f):
          text.write("a free ")
          writeItemWords(f, plural: false, into: &text)
        case .reward(let r): text.write(rewards.indices.contains(r) ? rewards[r].name : "the reward")
        case .voucher(let name, _, _, _):
          text.write("\"")
          text.write(name)
          text.write("\"")
        }
      }
      let missing: Int64
      switch card.collect {
      case .spend:
        // A card that collects spend counts money (minor units): "$39.80 more spend on fuel card".
        let money = Money(minorUnits: missingStamps, currency: currency).description
        misses.append(NearMiss(kind: .card, goal: card.name, missing: missingStamps, text: TextWriter.assemble { text in
          text.write(money)
          text.write(" more spend on ")
          text.write(card.name)
          text.write(" to ")
          writePrize(into: &text)
        }))
        continue
      case .perItem(let count, _), .perVisit(let count):
        missing = (missingStamps + count - 1) / count
      }
      misses.append(NearMiss(kind: .card, goal: card.name, missing: missing, text: TextWriter.assemble { text in
        text.write(missing)
        text.write(" more ")
        switch card.collect {
        case .perItem(_, let filter): writeItemWords(filter, plural: missing != 1, into: &text)
        case .perVisit, .spend: text.write(missing == 1 ? "visit" : "visits")
        }
        text.write(" to ")
        writePrize(into: &text)
        text.write(" (")
        text.write(card.name)
        text.write(")")
      }))
    }
    // The next tier.
    if let tiers, let held = state.tier, let index = tiers.levels.firstIndex(where: { $0.name == held }),
       index + 1 < tiers.levels.count, windows.indices.contains(tiers.window) {
      let next = tiers.levels[index + 1]
      // Read from the state's own ledger: resolving the whole state into a `WorkingState` for
      // this one sum cost a fifth of a till's evaluation.
      let (spend, visits) = WorkingState.sum(tiers.filter == nil ? state.ledger[...] : state.tierLedger[...], windows[tiers.window],
                                             today: today)
      // "$40.00 more spend or 2 more visits to gold (…)".
      var spendText: String?
      var visitsShort: Int64?
      var missing: Int64 = 0
      if tiers.measure != .visits, let threshold = next.spendMinor, threshold > spend {
        missing = threshold - spend
        spendText = Money(minorUnits: missing, currency: currency).description
      }
      if tiers.measure != .spend, let threshold = next.visits, threshold > visits {
        if spendText == nil { missing = threshold - visits }
        visitsShort = threshold - visits
      }
      if spendText != nil || visitsShort != nil {
        let filterText = tierFilterText
        misses.append(NearMiss(kind: .tier, goal: next.name, missing: missing, text: TextWriter.assemble { text in
          if let spendText {
            text.write(spendText)
            text.write(" more spend")
          }
          if let visitsShort {
            if spendText != nil { text.write(" or ") }
            text.write(visitsShort)
            text.write(visitsShort == 1 ? " more visit" : " more visits")
          }
          text.write(" to ")
          text.write(next.name)
          text.write(" (net amounts paid")
          text.write(filterText)
          text.write(", ")
          text.write(amountBasis.taxText)
          text.write(")")
        }))
      }
    }
    return misses
  }
}

/// A till fact about an amount of points: `120 stars expire on 2027-03-01`.
private func pointsFactText(_ amount: Int64, _ currency: String, _ words: String, _ day: LocalDate) -> String {
  let dayText = day.description
  return TextWriter.assemble { text in
    text.write(amount)
    text.write(" ")
    text.write(currency)
    text.write(words)
    text.write(dayText)
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
