import PerkSource
import Testing
@testable import PerkCompiler

@Suite struct CafeCheckTests {
  @Test func cafeProgramChecksCleanAndResolves() throws {
    var diagnostics = Diagnostics()
    let program = checkSources([SourceFile(path: "cafe.perk", text: cafeProgram)], diagnostics: &diagnostics)
    #expect(diagnostics.sorted().map(\.message) == [])
    #expect(program.name == "Bean & Leaf Rewards")
    #expect(program.timeZoneIdentifier == "America/New_York")
    #expect(program.tiers?.levels.map(\.name) == ["green", "gold", "reserve"])
    #expect(program.tiers?.levels.map(\.spendThreshold) == [
      Exact(significand: 0, scale: 0), Exact(significand: 500, scale: 0), Exact(significand: 1500, scale: 0)])
    #expect(program.rules.map(\.name) == ["base earn", "pastry triple", "double star tuesday", "welcome back", "birthday treat"])
    #expect(program.rules[1].replaces == 0)
    #expect(program.rules[3].limits.first?.count == 1)
    #expect(program.stampCards.first?.every == 10)
    #expect(program.rewards.first?.cost == 150)
    var conditions = ConditionLowering<FakeInputs>(minorDigits: 2)
    let tuesday = conditions.predicate(program.rules[2].condition)
    #expect(tuesday(FakeInputs(weekday: 2, dayNumber: civilDayNumber(year: 2026, month: 11, day: 24))))
    #expect(!tuesday(FakeInputs(weekday: 2, dayNumber: civilDayNumber(year: 2026, month: 12, day: 1))))
    let birthday = conditions.predicate(program.rules[4].condition)
    #expect(birthday(FakeInputs(month: 3, birthdayMonth: 3)))
    #expect(!birthday(FakeInputs(month: 3, birthdayMonth: nil)))
  }
}
