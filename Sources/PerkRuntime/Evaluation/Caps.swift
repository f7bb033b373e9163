extension AccountState {
  /// Points earned under one cap on one local day.
  public struct CapUsage: Hashable, Sendable, Codable {
    /// The local day.
    public var date: LocalDate
    /// Points earned that day under the cap (after trimming).
    public var amount: Int64
    /// Creates a usage entry.
    public init(date: LocalDate, amount: Int64) {
      self.date = date
      self.amount = amount
    }

    // Listed (CaseIterable) so a strict reading knows every key: see JSONTreeDecoder.
    private enum CodingKeys: String, CodingKey, CaseIterable { case date, amount }
  }
}

/// Caps trim earning (per spend and per item, after multipliers) so a customer never earns more
/// than the cap in its period: the currency's caps (`cap at 300 per day` in `points`) count every
/// rule's earning of it, a rule's caps (`cap stars at 300 per day`) count that rule's earning.
/// Awards fill a cap in stacking order; the one that crosses it is cut to what is left, later
/// ones earn nothing. The excess is lost, never carried over. Flat bonuses are not capped.
/// Periods are calendar periods in the program's time zone (ISO weeks start on Monday).
extension EvaluationRun {
  /// Returns the amount kept and the amount lost; appends the cap's story to `text`.
  mutating func applyCaps(_ amount: Int64, rule index: Int, currency: Int, text: inout String) -> (kept: Int64, lost: Int64) {
    // Most earnings have no cap: leave before building anything (an array of tuples looks its
    // type up at run time).
    guard amount > 0, !program.points[currency].caps.isEmpty || program.rules[index].stacking.caps.contains(where: { $0.currency == currency }) else {
      return (amount, 0)
    }
    let spec = program.points[currency]
    var applicable: [(key: String, cap: CapSpec, label: String)] = []
    for cap in spec.caps { applicable.append(("points \(spec.name)", cap, "")) }
    for cap in program.rules[index].stacking.caps where cap.currency == currency {
      applicable.append(("rule \(program.rules[index].name)/\(spec.name)", cap, " for this rule"))
    }
    guard !applicable.isEmpty, amount > 0 else { return (amount, 0) }
    var kept = amount
    var binding: (cap: CapSpec, used: Int64, label: String)?
    for (key, cap, label) in applicable {
      let used = capUsed(key, period: cap.period)
      let room = max(0, cap.amount - used)
      if room < kept {
        kept = room
        binding = (cap, used, label)
      }
      if options.trace, room < amount { trace.capsReached.insert(.init(rule: label.isEmpty ? nil : program.rules[index].name, spec: cap)) }
    }
    // Record under every key the award counts for (both caps see what was actually earned).
    var keys: [String] = []
    for entry in applicable where !keys.contains(entry.key) { keys.append(entry.key) }
    for key in keys { recordCapUsage(key, kept) }
    guard let binding else { return (kept, 0) }
    let lost = amount - kept
    text += "; capped at \(binding.cap.amount) \(spec.name) per \(EvaluationRun.periodName(binding.cap.period))\(binding.label)"
      + " with \(binding.used) already earned: \(kept) kept, \(lost) lost"
    return (kept, lost)
  }

  static func periodName(_ period: CapPeriod) -> String {
    switch period {
    case .transaction: return "transaction"
    case .calendar(let unit): return unit.rawValue
    }
  }

  /// Points earned under a cap key in the cap's current period, this event included (the
  /// state's entries already hold what this event earned so far).
  func capUsed(_ key: String, period: CapPeriod) -> Int64 {
    guard case .calendar(let unit) = period else { return promotions.capThisEvent[key] ?? 0 }
    let start = WorkingState.start(of: .calendar(unit), today: today)
    var total: Int64 = 0
    for entry in working.capUsage[key] ?? [] where entry.date >= start && entry.date <= today {
      total = total.addingReportingOverflow(entry.amount).partialValue
    }
    return total
  }

  /// Adds to this event's tally and to the day's entry in the state; forgets days before this year.
  mutating func recordCapUsage(_ key: String, _ amount: Int64) {
    promotions.capThisEvent[key, default: 0] += amount
    var entries = working.capUsage[key] ?? []
    // The longest cap periods are the calendar year and an ISO week reaching back into the
    // previous year, so older days can never count again.
    let oldest = min(today.startOfYear, today.startOfWeek)
    entries.removeAll { $0.date < oldest }
    if let last = entries.indices.last, entries[last].date == today {
      entries[last].amount += amount
    } else {
      entries.append(AccountState.CapUsage(date: today, amount: amount))
      entries.sort { $0.date < $1.date }
    }
    working.capUsage[key] = entries
  }
}
