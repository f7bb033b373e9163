import PerkRuntime

extension Session {
  /// `:save FILE`: the program's text (the loaded file, then typed declarations) followed by a
  /// `test` block replaying the session, with the observed outcomes as expectations, so
  /// `perk test FILE` checks that the program still behaves as it did in the session.
  mutating func save(to path: String) throws(InputProblem) -> String {
    guard program != nil else { throw InputProblem("no program to save", help: "`:load FILE` loads one") }
    let text = scenarioText()
    guard files.write(path, text) else { throw InputProblem("cannot write `\(path)`") }
    let events = history.filter { if case .event = $0.kind { return true } else { return false } }.count
    return "saved \(path): the program and a test of \(events) event\(events == 1 ? "" : "s"); run `perk test \(path)`\n"
  }

  /// The saved file's text.
  func scenarioText() -> String {
    var out = ""
    if let loadedText {
      out += loadedText
      if !out.hasSuffix("\n") { out += "\n" }
    }
    for declaration in typed {
      if !out.isEmpty, !out.hasSuffix("\n\n") { out += "\n" }
      out += declaration.hasSuffix("\n") ? declaration : declaration + "\n"
    }
    if !out.hasSuffix("\n\n") { out += "\n" }
    out += testBlock()
    return out
  }

  /// The `test` block: customers as first seen, every event with its date and time, and
  /// after each event what it earned and what the customer then has.
  func testBlock() -> String {
    guard let program else { return "" }
    var out = "test repl session\n"
    // Customers as they were when the session's first step ran (or now, when there is none).
    let start = history.first?.before ?? world
    var declared = Set<String>()
    func declare(_ name: String, from world: World) {
      guard !declared.contains(name), let account = world.accounts[name] ?? self.world.accounts[name] else { return }
      declared.insert(name)
      var parts = ["customer \(name)"]
      let c = account.customer
      if let b = c.birthday { parts.append("birthday \(b)") }
      if let s = c.signupDate { parts.append("signed up \(s)") }
      if let r = c.referredBy { parts.append("referred by \(r)") }
      if let s = c.segment { parts.append("segment \(s)") }
      if let t = account.startingTier { parts.append("tier \(t)") }
      out += "  " + parts.joined(separator: ", ") + "\n"
    }
    for name in start.order { declare(name, from: start) }
    for entry in history {
      let time = entry.before.clock
      switch entry.kind {
      case .clock(let to):
        let (date, minute) = timeZone.localTime(of: to)
        out += "  on \(date) \(Self.hhmm(minute)) time passes\n"
      case .event(let id, let event):
        guard let name = entry.customer else { continue }
        declare(name, from: entry.before)
        let (date, minute) = timeZone.localTime(of: time)
        let when = "  on \(date) \(Self.hhmm(minute)) \(name) "
        switch event.kind {
        case .purchase:
          out += when + "buys " + event.lines.map { "\($0.quantity) \($0.sku) at \($0.unitPrice) (\($0.category))" }.joined(separator: ", ") + " as \(id)\n"
        case .return(let original):
          out += when + "returns " + event.lines.map { "\($0.quantity) \($0.sku)" }.joined(separator: ", ") + " from \(original)\n"
        case .redemption(let reward):
          out += when + "redeems \(reward)\n"
        case .signup:
          out += when + "signs up\n"
        case .custom(let happened):
          out += when + "triggers \(happened)\n"
        }
        guard let outcome = entry.outcome else { continue }
        for award in outcome.awards {
          switch award.kind {
          case .points(let currency, let amount, _):
            out += "  expect \(name) earns \(amount) \(currency) from \(award.source)\n"
          case .freeItem(let sku, _):
            out += "  expect \(name) gets \(sku) free\n"
          default: continue
          }
        }
        var has = program.pointsCurrencyNames.map { "\(outcome.state.balances[$0] ?? 0) \($0)" }
        has += program.cards.map { "\(outcome.state.stamps[$0.name] ?? 0) stamps on \($0.name)" }
        if let tier = outcome.state.tier { has.append("tier \(tier)") }
        if !has.isEmpty { out += "  expect \(name) has " + has.joined(separator: ", ") + "\n" }
      }
    }
    return out
  }
}
