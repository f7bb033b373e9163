import PerkOutput
import PerkRuntime

extension Session {
  /// `:save FILE`: the program's text (the loaded file without its own `test` blocks, then
  /// the typed declarations) followed by a `test` block replaying the session's steps, so
  /// `perk test FILE` checks that the program still behaves as it does now.
  ///
  /// The expectations come from replaying the steps against the program as it is at the
  /// save, from new accounts: when declarations were typed after some events, those events
  /// may give more (or less) than they did in the session, and the file says what the
  /// program gives now. The reply counts such events.
  mutating func save(to path: String) throws(InputProblem) -> String {
    guard let program else { throw InputProblem("no program to save", help: "`:load FILE` loads one") }
    let replayed = replay(program)
    let text = scenarioText(replayed)
    do {
      try files.write(path, text)
    } catch let error as OutputError {
      throw InputProblem("cannot write `\(path)`: \(error.reason)")
    } catch {
      throw InputProblem("cannot write `\(path)`")
    }
    let events = history.filter { if case .event = $0.kind { return true } else { return false } }.count
    var out = "saved \(path): the program and a test of \(events) event\(events == 1 ? "" : "s"); run `perk test \(path)`\n"
    if replayed.changed > 0 {
      out += "  note: \(replayed.changed) event\(replayed.changed == 1 ? "" : "s") give\(replayed.changed == 1 ? "s" : "") something else with the program as it is now; the test expects what it gives now\n"
    }
    return out
  }

  /// The session's steps run again against `program` from new accounts.
  struct Replay {
    /// The outcome of each event step, by history index.
    var outcomes: [Int: Outcome] = [:]
    /// After each clock step, the accounts of the customers that took part, by history index.
    var afterClock: [Int: [String: AccountState]] = [:]
    /// The customers in the order a test declares them (at their first event).
    var declared: [String] = []
    /// The customer profiles at their first event.
    var profiles: [String: Customer] = [:]
    /// Events whose outcome differs from the one seen in the session.
    var changed = 0
  }

  func replay(_ program: Program) -> Replay {
    var r = Replay()
    var states: [String: AccountState] = [:]
    // Every customer of the session, with the profile they had when they first appear.
    for name in world.order {
      let first = history.first { $0.before.accounts[name] != nil }?.before.accounts[name] ?? world.accounts[name]
      guard let account = first else { continue }
      r.declared.append(name)
      r.profiles[name] = account.customer
      // A customer starts new, or at the tier the REPL gave them.
      states[name] = account.startingTier == nil ? AccountState() : startingState(tier: account.startingTier ?? "", base: AccountState(), customer: account.customer, on: history.first?.before.clock ?? world.clock)
    }
    func credit(_ outcome: Outcome, _ changed: inout Set<String>) {
      for transfer in outcome.transfers {
        guard let state = states[transfer.customer], let customer = r.profiles[transfer.customer],
              let credited = try? program.credit(transfer, customer: customer, state: state) else { continue }
        states[transfer.customer] = credited.state
        changed.insert(transfer.customer)
      }
    }
    for (index, entry) in history.enumerated() {
      switch entry.kind {
      case .clock(let to):
        var changed = Set<String>()
        let before = states
        for name in r.declared {
          guard let state = states[name], let customer = r.profiles[name],
                let outcome = try? program.advance(to: to, customer: customer, state: state) else { continue }
          states[name] = outcome.state
          credit(outcome, &changed)
        }
        // Claimed only when a period end changed what a test can see.
        var after: [String: AccountState] = [:]
        for name in r.declared {
          guard let s = states[name], let b = before[name] else { continue }
          if s.balances != b.balances || s.stamps != b.stamps || s.tier != b.tier { after[name] = s }
        }
        r.afterClock[index] = after
      case .event(_, let event):
        guard let name = entry.customer, let state = states[name], let customer = r.profiles[name],
              let outcome = try? program.evaluate(event, customer: customer, state: state) else { continue }
        states[name] = outcome.state
        var changed = Set<String>()
        credit(outcome, &changed)
        r.outcomes[index] = outcome
        if let seen = entry.outcome, seen.awards != outcome.awards || seen.rejection != outcome.rejection { r.changed += 1 }
      }
    }
    return r
  }

  /// The saved file's text.
  func scenarioText(_ replayed: Replay) -> String {
    var out = ""
    if let loadedText {
      out += Self.withoutTests(loadedText)
      while out.hasSuffix("\n\n") { out.removeLast() }
      if !out.isEmpty, !out.hasSuffix("\n") { out += "\n" }
    }
    for declaration in typed {
      if !out.isEmpty { out += "\n" }
      out += declaration.hasSuffix("\n") ? declaration : declaration + "\n"
    }
    if !out.isEmpty { out += "\n" }
    return out + testBlock(replayed)
  }

  /// A program's text without its `test` declarations (each runs from a column-1 `test` to
  /// the next line at column 1 that is not a comment).
  static func withoutTests(_ text: String) -> String {
    var kept: [Substring] = []
    var inTest = false
    // Blank and column-1 comment lines after a test belong to what follows it.
    var between: [Substring] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let blankOrComment = line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#")
      if inTest, blankOrComment {
        between.append(line)
        continue
      }
      if !(line.first?.isWhitespace ?? true), !line.hasPrefix("#") {
        inTest = line.split(separator: " ").first.map { $0.lowercased() == "test" } ?? false
        if !inTest { kept += between }
        between = []
      }
      if !inTest { kept.append(line) }
    }
    if !between.isEmpty { kept.append("") }
    // One blank line where a test was taken out from between two.
    var result: [Substring] = []
    for line in kept where !(line.isEmpty && result.last?.isEmpty == true) { result.append(line) }
    return result.joined(separator: "\n")
  }

  /// The `test` block: customers at their first event, every step with its date and time,
  /// and after each event what it earned and what the customer then has.
  func testBlock(_ r: Replay) -> String {
    guard let program else { return "" }
    var out = "test repl session\n"
    // A starting tier (`:customer NAME tier gold`) is not something a test can state, so
    // nothing is claimed about such a customer.
    let unclaimed = Set(r.declared.filter { name in history.contains { $0.before.accounts[name]?.startingTier != nil } })
    for name in r.declared {
      guard let profile = r.profiles[name] else { continue }
      var parts = ["customer \(Self.scenarioName(name))"]
      if let b = profile.birthday { parts.append("birthday \(b)") }
      if let s = profile.signupDate { parts.append("signed up \(s)") }
      if let who = profile.referredBy { parts.append("referred by \(Self.scenarioName(who))") }
      if let s = profile.segment { parts.append("segment \(Self.scenarioName(s))") }
      // A test refuses a zone its program ignores (E0542).
      if let zone = profile.timeZone, program.calendarInCustomerZones { parts.append("timezone \(zone.identifier)") }
      out += "  " + parts.joined(separator: ", ") + "\n"
    }
    for name in r.declared where unclaimed.contains(name) {
      out += "  # \(name) started at a tier given in the REPL, which a test cannot state: nothing is claimed about \(name)\n"
    }
    func has(_ name: String, _ state: AccountState) {
      guard !unclaimed.contains(name) else { return }
      var facts = program.pointsCurrencyNames.map { "\(state.balances[$0] ?? 0) \($0)" }
      facts += program.cards.map { "\(state.stamps[$0.name] ?? 0) stamps on \($0.name)" }
      if !program.tierNames.isEmpty { facts.append(state.tier.map { "tier \($0)" } ?? "no tier") }
      if !facts.isEmpty { out += "  expect \(Self.scenarioName(name)) has " + facts.joined(separator: ", ") + "\n" }
    }
    for (index, entry) in history.enumerated() {
      switch entry.kind {
      case .clock(let to):
        let (date, minute) = timeZone.localTime(of: to)
        out += "  on \(date) \(Self.hhmm(minute)) time passes\n"
        for (name, state) in (r.afterClock[index] ?? [:]).sorted(by: { $0.key < $1.key }) { has(name, state) }
      case .event(let id, let event):
        guard let name = entry.customer, r.profiles[name] != nil else { continue }
        let (date, minute) = timeZone.localTime(of: event.time)
        let who = Self.scenarioName(name)
        let when = "  on \(date) \(Self.hhmm(minute)) \(who) "
        switch event.kind {
        case .purchase:
          out += when + "buys " + event.lines.map { "\($0.quantity) \(Self.scenarioName($0.sku)) at \($0.unitPrice) (\(Self.scenarioName($0.category)))" }
            .joined(separator: ", ") + " as \(id)\n"
        case .return(let original):
          out += when + "returns " + event.lines.map { "\($0.quantity) \(Self.scenarioName($0.sku))" }.joined(separator: ", ") + " from \(original)\n"
        case .redemption(let reward):
          out += when + "redeems \(reward)\n"
        case .signup:
          out += when + "signs up\n"
        case .custom(let happened):
          out += when + "triggers \(happened)\n"
        }
        guard let outcome = r.outcomes[index] else { continue }
        // A refusal must be claimed (a test fails on an unclaimed one), even for a customer
        // whose figures are not; without its reason, which quotes those figures.
        if unclaimed.contains(name) {
          if outcome.rejection != nil { out += "  expect \(who) is rejected\n" }
          continue
        }
        if let reason = outcome.rejection {
          out += "  expect \(who) is rejected \"\(reason.replacingOccurrences(of: "\"", with: "\\\""))\"\n"
          continue
        }
        var earned: [(String, String, Int64)] = []
        var free: [(String, Int64)] = []
        for award in outcome.awards {
          switch award.kind {
          case .points(let currency, let amount, _) where amount > 0:
            if let i = earned.firstIndex(where: { $0.0 == currency && $0.1 == award.source }) { earned[i].2 += amount } else {
              earned.append((currency, award.source, amount))
            }
          case .freeItem(let sku, _):
            if let i = free.firstIndex(where: { $0.0 == sku }) { free[i].1 += 1 } else { free.append((sku, 1)) }
          default: continue
          }
        }
        for (currency, rule, amount) in earned { out += "  expect \(who) earns \(amount) \(currency) from \(rule)\n" }
        for award in outcome.awards {
          if case .rebate(let rebate) = award.kind, rebate.phase == .accrual {
            out += "  expect \(who) accrues \(rebate.amount) on \(rebate.rebate)\n"
          }
        }
        for (sku, count) in free { out += "  expect \(who) gets \(count == 1 ? "" : "\(count) ")\(Self.scenarioName(sku)) free\n" }
        for award in outcome.awards {
          guard case .voucher(let voucher, let value, let until) = award.kind else { continue }
          let name = "\"" + voucher.replacingOccurrences(of: "\"", with: "\\\"") + "\""
          out += "  expect \(who) gets voucher \(name) worth \(value)" + (until.map { " valid until \($0)" } ?? "") + "\n"
        }
        if case .purchase = event.kind { out += "  expect \(who) pays \(outcome.amountPaid)\n" }
        if case .return = event.kind {
          // What the return took back, per currency, and the money it gave back.
          for currency in program.pointsCurrencyNames {
            let net = outcome.awards.reduce(Int64(0)) { sum, award in
              if case .points(currency, let amount, _) = award.kind { return sum &+ amount }
              return sum
            }
            if net < 0 { out += "  expect \(who) loses \(-net) \(currency)\n" }
          }
          if let refunded = outcome.refunded { out += "  expect \(who) is refunded \(refunded)\n" }
        }
        has(name, outcome.state)
      }
    }
    return out
  }

  /// A name as a test line reads it: one word as is, anything else as a string.
  static func scenarioName(_ name: String) -> String {
    !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
      ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }
}
