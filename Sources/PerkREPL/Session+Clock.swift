import PerkRuntime

extension Session {
  static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

  /// `2026-11-03 Tue 12:00 America/New_York`.
  func clockText(_ instant: Instant) -> String {
    shortTime(instant) + " " + timeZone.identifier
  }

  /// `2026-11-03 Tue 12:00`, in the program's zone.
  func shortTime(_ instant: Instant) -> String {
    let (date, minute) = timeZone.localTime(of: instant)
    return "\(date) \(Self.weekdayNames[date.weekday - 1]) \(Self.hhmm(minute))"
  }

  static func hhmm(_ minute: Int) -> String {
    let (h, m) = (minute / 60, minute % 60)
    return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
  }

  /// `HH:MM` as minutes of the day.
  static func minutes(_ text: String) -> Int? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
          let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m)
    else { return nil }
    return h * 60 + m
  }

  /// The longest move of the clock, in seconds: 100 years of 366 days.
  static let longestMove: Int64 = 100 * 366 * 86_400

  /// `:advance N days|weeks|months|years|hours|minutes`.
  mutating func advance(_ argument: String, span: Range<Int>) throws(InputProblem) -> String {
    let words = argument.split(separator: " ").map(String.init)
    let example = "write `:advance 30 days`"
    guard words.count == 2 else { throw InputProblem("`:advance` needs a count and a unit", span: span.isEmpty ? 0..<8 : span, help: example) }
    guard let n = Int64(words[0]), n > 0, n <= 100_000 else {
      throw InputProblem("`\(words[0])` is not a count from 1 to 100,000", span: span.lowerBound..<(span.lowerBound + words[0].count), help: example)
    }
    let unit = words[1].lowercased().hasSuffix("s") ? String(words[1].lowercased().dropLast()) : words[1].lowercased()
    let (date, minute) = timeZone.localTime(of: world.clock)
    let target: Instant
    let second = Int64(minute) * 60
    switch unit {
    case "day": target = timeZone.instant(of: date.adding(days: n), secondOfDay: second)
    case "week": target = timeZone.instant(of: date.adding(days: n * 7), secondOfDay: second)
    case "month": target = timeZone.instant(of: date.adding(months: Int(n)), secondOfDay: second)
    case "year": target = timeZone.instant(of: date.adding(months: Int(n) * 12), secondOfDay: second)
    case "hour": target = Instant(secondsSince1970: world.clock.secondsSince1970 + n * 3600)
    case "minute": target = Instant(secondsSince1970: world.clock.secondsSince1970 + n * 60)
    default:
      let unitStart = span.upperBound - words[1].count
      throw InputProblem("unknown unit `\(words[1])`", span: unitStart..<span.upperBound,
                         help: "use days, weeks, months, years, hours or minutes")
    }
    return try moveClock(to: target, text: ":advance \(n) \(words[1].lowercased())")
  }

  /// `:at DATE [HH:MM]` or `:at HH:MM` (today).
  mutating func moveClock(_ argument: String, span: Range<Int>) throws(InputProblem) -> String {
    let words = argument.split(separator: " ").map(String.init)
    let help = "write `:at 2026-12-31`, `:at 2026-12-31 09:30` or `:at 18:00`"
    guard (1...2).contains(words.count) else { throw InputProblem("`:at` needs a date, a time, or both", span: span.isEmpty ? 0..<3 : span, help: help) }
    var (date, minute) = timeZone.localTime(of: world.clock)
    var index = 0
    if let d = LocalDate(iso: words[0]) {
      date = d
      index = 1
      if words.count == 1 { minute = 12 * 60 }
    }
    if index < words.count {
      guard let m = Self.minutes(words[index]) else {
        let start = span.lowerBound + (index == 0 ? 0 : words[0].count + 1)
        throw InputProblem("`\(words[index])` is not \(index == 0 ? "a date or " : "")a time", span: start..<(start + words[index].count), help: help)
      }
      minute = m
      index += 1
    }
    guard index == words.count else { throw InputProblem("unexpected `\(words[index])`", span: span, help: help) }
    return try moveClock(to: timeZone.instant(of: date, secondOfDay: Int64(minute) * 60), text: ":at \(argument)")
  }

  /// Moves the clock forward and runs the period ends it crosses for every customer.
  mutating func moveClock(to target: Instant, text: String) throws(InputProblem) -> String {
    guard target >= world.clock else {
      throw InputProblem("the clock cannot go back (it is \(shortTime(world.clock)))", help: "`:undo` takes back events; `:reset` starts over")
    }
    // Period ends run day by day: a move of centuries is a typo, and must not hang.
    guard target.secondsSince1970 - world.clock.secondsSince1970 <= Self.longestMove else {
      throw InputProblem("the clock moves at most 100 years at a time (it is \(shortTime(world.clock)))",
                         help: "move it in steps if you mean it")
    }
    let before = world
    var out = "clock \(clockText(target))\n"
    var happened: [String] = []
    for name in world.order {
      guard let account = world.accounts[name] else { continue }
      let ended: Outcome?
      do {
        ended = try periodEnds(for: account, to: target)
      } catch {
        world = before
        throw error
      }
      guard var outcome = ended else { continue }
      if let lapse = lapsedTier(account, after: outcome, from: before.clock, to: target) {
        outcome.awards.append(lapse.award)
        outcome.state.tier = lapse.tier
      }
      world.accounts[name]?.state = outcome.state
      guard !outcome.awards.isEmpty || !outcome.transfers.isEmpty || !outcome.messages.isEmpty
              || !outcome.suppressedMessages.isEmpty else {
        out += creditTransfers(outcome)
        continue
      }
      world.last = LastOutcome(customer: name, input: text, event: nil, outcome: outcome)
      out += "  \(style.name(name)):\n" + awardLines(outcome.awards, indent: "    ")
      out += messageLines(outcome, indent: "    ", showingDue: true)
      out += creditTransfers(outcome)
      happened.append("\(name): " + summary(of: outcome))
    }
    world.clock = target
    history.append(HistoryEntry(kind: .clock(to: target), customer: nil, text: text,
                                summary: happened.isEmpty ? "nothing happened" : happened.joined(separator: "; "),
                                outcome: nil, before: before))
    if happened.isEmpty, program != nil, !world.order.isEmpty { out += "  no period end changed anything\n" }
    return out
  }

  /// A tier held only by a rolling window's spend is no longer held once the move took that
  /// spend out of the window: the evaluator lowers it at the next event, and no period end says
  /// so (a keep date that ends is a period end, and the runtime's own award makes this one
  /// stand aside). The REPL reports the drop when the clock passes it (as a `tiers` award, like
  /// a review's) and records the held tier, so the next event does not report it again. Both
  /// tiers are the runtime's own answer (``AccountView/tierIndex``).
  func lapsedTier(_ account: CustomerAccount, after outcome: Outcome, from: Instant, to target: Instant)
    -> (award: Award, tier: String)?
  {
    guard let program, let tiers = program.tiers else { return nil }
    if outcome.awards.contains(where: { if case .tierChange = $0.kind { true } else { false } }) { return nil }
    let before = program.view(customer: account.customer, state: account.state, at: from)
    let after = program.view(customer: account.customer, state: outcome.state, at: target)
    guard let was = before.tierIndex, let now = after.tierIndex, now < was else { return nil }
    let until = before.tierStanding?.keptUntil[was].map { " kept until \($0)" } ?? " no longer kept"
    let award = Award(kind: .tierChange(from: tiers.levels[was].name, to: tiers.levels[now].name), source: "tiers", location: nil,
                      explanation: "\(tiers.levels[was].name)\(until); the tier window now qualifies for \(tiers.levels[now].name)")
    return (award, tiers.levels[now].name)
  }

  /// The period ends between an account's last processed day and `target`: expiry, pending
  /// releases, settlements and tier reviews, as the runtime computes them. This is the only
  /// place the REPL moves an account through time.
  func periodEnds(for account: CustomerAccount, to target: Instant) throws(InputProblem) -> Outcome? {
    guard let program else { return nil }
    do {
      return try program.advance(to: target, customer: account.customer, state: account.state)
    } catch {
      throw InputProblem("the period ends cannot be run: \(error.message)")
    }
  }
}
