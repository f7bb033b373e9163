import PerkSource

extension Program {
  /// Reads an account state (as `perk eval --out-state` writes it) for this program, strictly.
  ///
  /// Every object's keys are checked against the state's coding keys (unknown and duplicate
  /// keys are errors with did-you-mean help), every value's type is checked, and every name
  /// the state holds — points currencies, stamp cards, tiers, rules, rebates, cap keys, the
  /// money currency of held transfers — must be one this program declares. A state written
  /// for another program, or before a rename, is refused rather than carried along unused:
  /// `docs/interchange.md` says how to bring one over.
  public func decodeState(_ node: JSONNode, path: String) throws(InputError) -> AccountState {
    let state = try JSONTreeDecoder.decode(AccountState.self, from: node, path: path, what: "the state")
    try StateNames(program: self, node: node, path: path).check(state)
    return state
  }
}

/// The check that a decoded state names only what its program declares.
private struct StateNames {
  let program: Program
  let node: JSONNode
  let path: String

  func check(_ state: AccountState) throws(InputError) {
    let currencies = program.points.map(\.name)
    let cards = program.cards.map(\.name)
    let tiers = program.tiers?.levels.map(\.name) ?? []
    let rules = program.rules.map(\.name)
    let rebates = program.rebates.map(\.name)
    for name in state.balances.keys.sorted() { try known(name, currencies, "points currency", at: "balances", name) }
    for name in state.stamps.keys.sorted() { try known(name, cards, "stamp card", at: "stamps", name) }
    if let tier = state.tier { try known(tier, tiers, "tier", at: "tier") }
    for name in state.tierKeptUntil.keys.sorted() { try known(name, tiers, "tier", at: "tier_kept_until", name) }
    for name in state.ruleAwards.keys.sorted() { try known(name, rules, "rule", at: "rule_awards", name) }
    for name in state.rebates.keys.sorted() { try known(name, rebates, "rebate", at: "rebates", name) }
    for name in state.triggers.lastPurchaseFor.keys.sorted() {
      try known(name, rules, "rule", at: "triggers", "last_purchase_for", name)
    }
    for (index, lot) in state.lots.enumerated() { try known(lot.currency, currencies, "points currency", at: "lots", index, "currency") }
    for (index, record) in state.records.enumerated() {
      for name in record.flatPoints.dictionary.keys.sorted() {
        try known(name, currencies, "points currency", at: "records", index, "flat_points", name)
      }
      for (lineIndex, line) in record.lines.enumerated() {
        for name in line.points.dictionary.keys.sorted() {
          try known(name, currencies, "points currency", at: "records", index, "lines", lineIndex, "points", name)
        }
        for name in line.stamps.dictionary.keys.sorted() {
          try known(name, cards, "stamp card", at: "records", index, "lines", lineIndex, "stamps", name)
        }
      }
      if let promotion = record.promotion {
        for (ruleIndex, name) in promotion.rules.enumerated() {
          try known(name, rules, "rule", at: "records", index, "promotion", "rules", ruleIndex)
        }
        for name in promotion.reversedPoints.keys.sorted() {
          try known(name, currencies, "points currency", at: "records", index, "promotion", "reversed_points", name)
        }
      }
    }
    for key in state.capUsage.keys.sorted() { try capKey(key, currencies: currencies, rules: rules) }
    for (index, transfer) in state.triggers.heldTransfers.enumerated() {
      try known(transfer.currency, currencies, "points currency", at: "triggers", "held_transfers", index, "currency")
      try known(transfer.rule, rules, "rule", at: "triggers", "held_transfers", index, "rule")
      if transfer.value.currency != program.currency {
        throw error("a held transfer is valued in \(transfer.value.currency.code), but the program counts money in \(program.currency.code)",
                    at: ["triggers", "held_transfers", index, "money_currency"])
      }
    }
  }

  /// A cap key is `points CURRENCY` or `rule RULE/CURRENCY` (see Caps.swift).
  func capKey(_ key: String, currencies: [String], rules: [String]) throws(InputError) {
    if key.hasPrefix("points "), currencies.contains(String(key.dropFirst("points ".count))) { return }
    if key.hasPrefix("rule ") {
      let rest = key.dropFirst("rule ".count)
      // A rule's name may hold a `/`: any split into a declared rule and currency will do.
      for slash in rest.indices where rest[slash] == "/" {
        if rules.contains(String(rest[..<slash])), currencies.contains(String(rest[rest.index(after: slash)...])) { return }
      }
    }
    throw error("unknown cap `\(key)` in the state; this program's caps are `points CURRENCY` or `rule RULE/CURRENCY` with "
                + "its own names (a state written for another program is refused: see docs/interchange.md)", at: ["cap_usage", key])
  }

  func known(_ name: String, _ names: [String], _ kind: String, at steps: any StatePathStep...) throws(InputError) {
    guard !names.contains(name) else { return }
    var message = "unknown \(kind) `\(name)` in the state"
    if let close = Suggestions.closest(to: name, in: names) {
      message += "; did you mean `\(close)`?"
    } else if names.isEmpty {
      message += "; the program has none"
    } else {
      message += "; the program has " + ObjectKeys.list(names)
    }
    throw error(message + " (a state written for another program is refused: see docs/interchange.md)", at: steps)
  }

  func error(_ message: String, at steps: [any StatePathStep]) -> InputError {
    let at = node.descendant(at: steps.map(\.key)) ?? node
    return InputError(path: path, line: at.line, column: at.column, message: message)
  }
}

/// One step of a path into the state's JSON: a member name or an array index.
private protocol StatePathStep {
  var key: any CodingKey { get }
}

extension String: StatePathStep {
  fileprivate var key: any CodingKey { StepKey(stringValue: self) }
}

extension Int: StatePathStep {
  fileprivate var key: any CodingKey { StepKey(intValue: self) }
}

private struct StepKey: CodingKey {
  let stringValue: String
  let intValue: Int?
  init(stringValue: String) {
    self.stringValue = stringValue
    intValue = nil
  }
  init(intValue: Int) {
    stringValue = "\(intValue)"
    self.intValue = intValue
  }
}
