import PerkSource

/// A volume rebate: which spend counts, over which periods, how volume becomes money,
/// and when it is stated and settled.
///
/// Periods are whole numbers of months counted from an anchor day (1 January for calendar
/// periods, the fiscal year's first day otherwise), in the program's time zone: quarters of
/// a fiscal year starting 1 April start on 1 April, 1 July, 1 October and 1 January.
package struct RebateSpec: Sendable {
  /// How brackets turn volume into money.
  package enum Mode: String, Sendable, Hashable {
    /// The whole volume at the rate of the highest bracket reached.
    case retroactive
    /// Each slice of volume at its own bracket's rate.
    case incremental
  }

  /// A bracket: from `fromMinor` (inclusive) up to the next bracket, at `rate` (a fraction: 2% is 0.02).
  package struct Bracket: Sendable, Hashable {
    package var fromMinor: Int64
    package var rate: ExactDecimal
    package init(fromMinor: Int64, rate: ExactDecimal) {
      self.fromMinor = fromMinor
      self.rate = rate
    }
  }

  /// What a true-up settlement does when the period to date earns less than was already paid.
  package enum NegativeDifference: String, Sendable, Hashable {
    /// The settlement pays the negative difference: the customer pays it back.
    case clawedBack = "clawed back"
    /// Nothing is paid; the shortfall is deducted from the next settlements (into the next period if need be).
    case carriedForward = "carried forward"
    /// Nothing is paid and nothing is deducted later.
    case forgiven
  }

  /// `settle at end of quarter, paying the difference to date, …` on a longer measure period.
  package struct TrueUp: Sendable, Hashable {
    /// The true-up period length in months (shorter than the measure period).
    package var months: Int
    package var negative: NegativeDifference
    package init(months: Int, negative: NegativeDifference) {
      self.months = months
      self.negative = negative
    }
  }

  package var name: String
  package var location: SourceLocation?
  /// The lines that count (nil: every line).
  package var filter: Int?
  /// Only customers of this segment take part (nil: everyone).
  package var segment: String?
  /// The measure period's length in months: 1, 3 or 12.
  package var periodMonths: Int
  /// The first day of a measure year: month 1...12 and day 1...31 (clamped in short months).
  package var anchorMonth: Int
  package var anchorDay: Int
  package var mode: Mode
  /// Brackets by ascending `fromMinor`; volume below the first one earns nothing. Empty for a pure growth rebate.
  package var brackets: [Bracket]
  /// `growth R of spend above last year's`: R times the volume above the previous period's.
  package var growthRate: ExactDecimal?
  /// Settlement period length in months (a multiple of `periodMonths`).
  package var settleMonths: Int
  /// Statement period length in months, if statements are issued.
  package var statementMonths: Int?
  /// `round half up to whole units`; by default half even to the minor unit.
  package var rounding = MoneyRounding(mode: .halfEven)
  /// True-up settlements inside the measure period (nil: one settlement per measure period).
  package var trueUp: TrueUp?

  package init(name: String, location: SourceLocation?, filter: Int?, segment: String?, periodMonths: Int,
               anchorMonth: Int, anchorDay: Int, mode: Mode, brackets: [Bracket], growthRate: ExactDecimal?,
               settleMonths: Int, statementMonths: Int?) {
    self.name = name
    self.location = location
    self.filter = filter
    self.segment = segment
    self.periodMonths = periodMonths
    self.anchorMonth = anchorMonth
    self.anchorDay = anchorDay
    self.mode = mode
    self.brackets = brackets
    self.growthRate = growthRate
    self.settleMonths = settleMonths
    self.statementMonths = statementMonths
  }

  /// Volume is kept in slices of the shortest period anything reads: statement or true-up periods
  /// when they are more frequent than the measure period, else measure periods.
  var sliceMonths: Int { min(periodMonths, statementMonths ?? periodMonths, trueUp?.months ?? periodMonths) }

  /// Whether this customer takes part.
  func applies(to customer: Customer) -> Bool {
    segment.map { $0 == customer.segment } ?? true
  }

  // MARK: - Period arithmetic (all in local dates)

  /// The first day of the `months`-long period that contains `date`.
  package func periodStart(of date: LocalDate, months: Int) -> LocalDate {
    let (year, month, _) = date.components
    let index = year * 12 + (month - 1)
    let anchor = anchorMonth - 1
    var k = floorDivide(index - anchor, months)
    var start = day(monthIndex: anchor + k * months)
    if start > date {
      k -= 1
      start = day(monthIndex: anchor + k * months)
    }
    return start
  }

  /// The first day of the period after the one starting on `start` (its exclusive end).
  package func periodEnd(startingAt start: LocalDate, months: Int) -> LocalDate {
    let (year, month, _) = start.components
    return day(monthIndex: year * 12 + (month - 1) + months)
  }

  /// The day on which a measure period starting on `start` is settled: the end of the settlement
  /// period that contains its last day.
  package func settlementDay(ofPeriodStartingAt start: LocalDate) -> LocalDate {
    let lastDay = periodEnd(startingAt: start, months: periodMonths).adding(days: -1)
    return periodEnd(startingAt: periodStart(of: lastDay, months: settleMonths), months: settleMonths)
  }

  /// The anchor day in the month with absolute index `index` (year × 12 + month − 1).
  private func day(monthIndex index: Int) -> LocalDate {
    let year = floorDivide(index, 12)
    let month = index - year * 12 + 1
    return LocalDate(year: year, month: month, day: min(anchorDay, LocalDate.daysIn(month: month, year: year)))
      ?? LocalDate(dayNumber: 0)
  }

  private func floorDivide(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
  }

  /// The period for people: `2026`, `2026 Q1`, `2026-03`, or `2026-04-01 to 2027-03-31` for fiscal periods.
  package func periodLabel(startingAt start: LocalDate, months: Int) -> String {
    let (year, month, _) = start.components
    if anchorMonth == 1, anchorDay == 1 {
      switch months {
      case 12: return String(year)
      case 3: return "\(year) Q\((month - 1) / 3 + 1)"
      case 1: return String(start.description.prefix(7))
      default: break
      }
    }
    return "\(start) to \(periodEnd(startingAt: start, months: months).adding(days: -1))"
  }
}
