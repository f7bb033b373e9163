import Testing
@testable import PerkRuntime

/// The purchase plan's running sum of the tier window against the plain sum over the ledger.
@Suite struct TierWindowSumTests {
  /// Purchases on days moving forward, as the plan records them, with returns taking spend off
  /// earlier days, a horizon that prunes days still inside the window, days out of order and
  /// spends large enough to saturate: after every step the running sum (when there is one) reads
  /// what the plain sum reads.
  @Test(arguments: [WindowSpec.lastMonths(12), .lastDays(30), .calendar(.month), .lastCalendar(.quarter, count: 2)],
        [Int64(400), 20])
  func matchesThePlainSum(window: WindowSpec, horizonDays: Int64) throws {
    var generator = SeededGenerator(seed: 17)
    var working = WorkingState.empty
    var today = LocalDate(year: 2025, month: 1, day: 1)!
    var reused = 0
    for step in 0..<3_000 {
      today = today.adding(days: Int64(generator.next(upTo: 12)))
      var day = today
      if generator.next(upTo: 40) == 0 { day = today.adding(days: -Int64(generator.next(upTo: 30))) }  // out of order
      if generator.next(upTo: 25) == 0, !working.ledger.isEmpty {
        // A return: spend leaves an earlier day, and the running sum must be read again.
        let returned = working.ledger[working.ledger.startIndex + generator.next(upTo: working.ledger.count)]
        WorkingState.takeBack(Int64(generator.next(upTo: 5_000)), on: returned.date, from: &working.ledger)
        #expect(working.tierWindow == nil)
      }
      if working.tierWindow != nil { reused += 1 }
      let measure = working.plannedTierSum(window, today: day)
      #expect(measure == WorkingState.sum(working.ledger, window, today: day), "step \(step)")
      let paid = generator.next(upTo: 200) == 0 ? Int64.max / 3 : Int64(generator.next(upTo: 10_000))
      let inOrder = working.ledger.last.map { $0.date <= day } ?? true
      let visitedToday = working.ledger.last.map { $0.date == day && $0.purchases > 0 } ?? false
      let running = inOrder ? working.tierWindow : nil
      do {
        try WorkingState.record(paid, purchases: 1, on: day, oldest: day.adding(days: -horizonDays), in: &working.ledger)
      } catch {
        continue  // the day's spend would overflow: the ledger is unchanged
      }
      #expect(working.tierWindow == nil)
      working.tierWindow = running?.recording(paid, visitedBefore: visitedToday, in: working.ledger)
      if let kept = working.tierWindow {
        #expect(kept.measure == WorkingState.sum(working.ledger, window, today: day), "step \(step)")
      }
    }
    // With a horizon longer than the window, most purchases read the running sum.
    #expect(horizonDays < 366 || reused > 1_500)
  }

  /// A ledger with a day after today, or a negative spend (a stored state can hold one), keeps
  /// no running sum: the saturating plain sum is read instead.
  @Test func keepsNoSumItCannotKeepExactly() {
    let today = LocalDate(year: 2026, month: 3, day: 10)!
    let later: ArraySlice = [AccountState.LedgerDay(date: today.adding(days: 1), spend: 5, purchases: 1)]
    #expect(TierWindowSum(later, .lastDays(30), today: today) == nil)
    let negative: ArraySlice = [AccountState.LedgerDay(date: today, spend: -5, purchases: 1)]
    #expect(TierWindowSum(negative, .lastDays(30), today: today) == nil)
    var working = WorkingState.empty
    working.ledger = negative
    #expect(working.plannedTierSum(.lastDays(30), today: today) == (-5, 1))
    #expect(working.tierWindow == nil)
  }
}

/// A small deterministic generator (SplitMix64), so that a failure repeats.
private struct SeededGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next(upTo bound: Int) -> Int {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return Int((z ^ (z >> 31)) % UInt64(bound))
  }
}
