import Testing

@testable import PerkRuntime

/// Yearly dates, nearest occurrences and visit streaks, by local day.
@Suite struct TriggerDateTests {
  func d(_ text: String) -> LocalDate { LocalDate(iso: text)! }

  @Test func february29OccursOnFebruary28InCommonYears() {
    let leapling = d("2000-02-29")
    #expect(leapling.occurrence(inYear: 2027) == d("2027-02-28"))
    #expect(leapling.occurrence(inYear: 2028) == d("2028-02-29"))
    #expect(leapling.occurrence(inYear: 2100) == d("2100-02-28"))
    #expect(leapling.occurrence(inYear: 2000) == d("2000-02-29"))
    #expect(d("1990-03-01").occurrence(inYear: 2028) == d("2028-03-01"))
  }

  @Test func nearestOccurrenceLooksAcrossTheYearEnd() {
    let december28 = d("1990-12-28")
    #expect(december28.nearestOccurrence(to: d("2027-01-03")) == d("2026-12-28"))
    #expect(december28.nearestOccurrence(to: d("2027-06-29")) == d("2027-12-28"))
    #expect(december28.nearestOccurrence(to: d("2027-06-28")) == d("2026-12-28"))
    #expect(d("1990-01-02").nearestOccurrence(to: d("2026-12-30")) == d("2027-01-02"))
  }

  @Test func aTieGoesToTheEarlierOccurrence() {
    // A common year has no midpoint: 2026-07-02 is 182 days after 2026-01-01, 2026-07-03 is 182 before 2027-01-01.
    let january1 = d("1990-01-01")
    #expect(january1.nearestOccurrence(to: d("2026-07-02")) == d("2026-01-01"))
    #expect(january1.nearestOccurrence(to: d("2026-07-03")) == d("2027-01-01"))
    // A leap year: 2028-07-02 is 183 days after 2028-01-01 and 183 before 2029-01-01.
    #expect(january1.nearestOccurrence(to: d("2028-07-02")) == d("2028-01-01"))
  }

  @Test func withinCountsWholeLocalDays() {
    let birthday = d("1999-03-03")
    #expect(birthday.occurs(within: 7, of: d("2028-02-25")))
    #expect(!birthday.occurs(within: 7, of: d("2028-02-24")))
    #expect(birthday.occurs(within: 7, of: d("2027-02-24")))
    #expect(birthday.occurs(within: 0, of: d("2027-03-03")))
    #expect(!birthday.occurs(within: 0, of: d("2027-03-04")))
  }

  @Test func streaksCountConsecutiveISOWeeks() {
    var state = TriggerState()
    #expect(state.streak(on: d("2026-03-02"), purchase: false) == 0)
    #expect(state.streak(on: d("2026-03-02"), purchase: true) == 1)
    state.recordVisit(on: d("2026-03-02"))   // Monday, week 10
    state.recordVisit(on: d("2026-03-08"))   // Sunday, same week
    #expect(state.visitStreak == 1)
    state.recordVisit(on: d("2026-03-09"))   // Monday, week 11
    #expect(state.visitStreak == 2)
    // Week 12 has no visit yet: a non-purchase event still reads 2, a purchase 3.
    #expect(state.streak(on: d("2026-03-17"), purchase: false) == 2)
    #expect(state.streak(on: d("2026-03-17"), purchase: true) == 3)
    // Week 13 without week 12: broken.
    #expect(state.streak(on: d("2026-03-24"), purchase: false) == 0)
    #expect(state.streak(on: d("2026-03-24"), purchase: true) == 1)
    // Across the year end: ISO week 53 of 2026 (Monday 2026-12-28) then week 1 of 2027 (2027-01-04).
    var yearEnd = TriggerState()
    yearEnd.recordVisit(on: d("2026-12-31"))
    yearEnd.recordVisit(on: d("2027-01-04"))
    #expect(yearEnd.visitStreak == 2)
  }

  @Test func releaseAndCancelHeldTransfers() {
    let usd = Currency.named("USD")!
    func transfer(_ id: String, _ day: String) -> PointsTransfer {
      PointsTransfer(customer: "c1", from: "c2", currency: "points", amount: 300, value: Money(minorUnits: 300, currency: usd),
                     rule: "r", reason: "x", sourceTransaction: id, releaseOn: d(day))
    }
    var state = TriggerState()
    state.heldTransfers = [transfer("T1", "2026-03-16"), transfer("T2", "2026-03-20")]
    #expect(state.releaseTransfers(dueBy: d("2026-03-15")).isEmpty)
    #expect(state.releaseTransfers(dueBy: d("2026-03-16")).map(\.sourceTransaction) == ["T1"])
    #expect(state.cancelTransfers(of: "T1").isEmpty)
    #expect(state.cancelTransfers(of: "T2").map(\.sourceTransaction) == ["T2"])
    #expect(state.isEmpty)
  }
}
