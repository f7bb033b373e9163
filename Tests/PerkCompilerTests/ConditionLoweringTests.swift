import PerkSource
import PerkSyntax
import Testing
@testable import PerkCompiler

/// A hand-filled evaluation for testing lowered conditions without the runtime.
struct FakeInputs: ConditionInputs {
  var total: Int64 = 0
  var items: Int64 = 0
  var weekday = 1
  var dayNumber: Int64 = 0
  var minuteOfDay = 0
  var month = 1
  var dayOfMonth = 1
  var tierIndex: Int?
  var birthdayMonth: Int?
  var signupDayNumber: Int64?
  var segment: String?
  var store: String?
  var channel: String?
  var daysSinceLastPurchase: Int64?
  var daysSinceSignup: Int64?
  var purchasesSoFar: Int64 = 0
  var balances: [Int64] = [0]
  func basketTotal(filter: Int?) -> Int64 { total }
  func basketItems(filter: Int?) -> Int64 { items }
  func balance(currency: Int) -> Int64 { balances[currency] }
  func stamps(card: Int) -> Int64 { 0 }
  func spend(window: Int) -> Int64 { 0 }
  func visits(window: Int) -> Int64 { 0 }
}

@Suite struct ConditionLoweringTests {
  func predicate(_ b: ASTBuilder, _ cond: Expression) -> ConditionLowering<FakeInputs>.Predicate {
    var diagnostics = Diagnostics()
    let program = check([b.file([b.program(), b.points("stars"),
                                 b.rule("x", [b.onPurchase, .when(cond), b.earn(1, "stars")])])],
                        sources: [], diagnostics: &diagnostics)
    #expect(!diagnostics.hasErrors)
    var lowering = ConditionLowering<FakeInputs>(minorDigits: 2)
    return lowering.predicate(program.rules.first?.condition)
  }

  @Test func welcomeBack() {
    let b = ASTBuilder()
    let cond = b.bin(.and, b.bin(.greaterEqual, b.q(.daysSinceLastPurchase), b.num(90)),
                     b.bin(.greaterEqual, b.q(.basketTotal(nil)), b.dollars(20)))
    let p = predicate(b, cond)
    #expect(p(FakeInputs(total: 2000, daysSinceLastPurchase: 90)))
    #expect(!p(FakeInputs(total: 1999, daysSinceLastPurchase: 90)))
    #expect(!p(FakeInputs(total: 2000, daysSinceLastPurchase: 89)))
    // No previous purchase: the comparison with a missing value is false.
    #expect(!p(FakeInputs(total: 5000, daysSinceLastPurchase: nil)))
  }

  @Test func dateRangeAndWeekday() {
    let b = ASTBuilder()
    let cond = b.bin(.and, b.bin(.equal, b.q(.weekday), b.e(.literal(.weekday(2)))),
                     b.e(.between(b.q(.date), low: b.date(2026, 11, 1), high: b.date(2026, 11, 30), negated: false)))
    let p = predicate(b, cond)
    let nov24 = civilDayNumber(year: 2026, month: 11, day: 24)
    #expect(p(FakeInputs(weekday: 2, dayNumber: nov24)))
    #expect(!p(FakeInputs(weekday: 3, dayNumber: nov24)))
    #expect(!p(FakeInputs(weekday: 2, dayNumber: civilDayNumber(year: 2026, month: 12, day: 1))))
    #expect(p(FakeInputs(weekday: 2, dayNumber: civilDayNumber(year: 2026, month: 11, day: 30))))
  }

  @Test func arithmeticOnMoneyAndPercent() {
    let b = ASTBuilder()
    // basket total * 10% >= $2.50
    let pct = b.e(.literal(.percent(DecimalLiteral(significand: 10, scale: 0))))
    let cond = b.bin(.greaterEqual, b.bin(.multiply, b.q(.basketTotal(nil)), pct), b.dollars(250, scale: 2))
    let p = predicate(b, cond)
    #expect(p(FakeInputs(total: 2500)))
    #expect(!p(FakeInputs(total: 2499)))
  }

  @Test func civilDays() {
    #expect(civilDayNumber(year: 1970, month: 1, day: 1) == 0)
    #expect(civilDayNumber(year: 2000, month: 3, day: 1) == 11017)
    #expect(civilDayNumber(year: 1969, month: 12, day: 31) == -1)
  }
}
