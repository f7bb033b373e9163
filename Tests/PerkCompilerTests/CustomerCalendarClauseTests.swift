import Perk
import Testing

/// `calendar in customer time zones`: read, checked once, carried into the program.
@Suite struct CustomerCalendarClauseTests {
  static func source(_ clauses: String) -> String {
    "program \"Travel\"\n  currency GBP\n  timezone Europe/London\n" + clauses
      + "\npoints miles\n  worth £0.01\n\nrule base earn\n  on purchase\n  earn 1 miles per £1 spent\n"
  }

  @Test func theClauseSetsTheProgramsCalendar() throws {
    let with = try #require(compile(source: Self.source("  calendar in customer time zones\n")).program)
    #expect(with.calendarInCustomerZones)
    let without = try #require(compile(source: Self.source("")).program)
    #expect(!without.calendarInCustomerZones)
  }

  @Test func aMisspelledOrRepeatedClauseIsALocatedError() {
    let twice = compile(source: Self.source("  calendar in customer time zones\n  calendar in customer time zones\n"))
    #expect(twice.diagnostics.map(\.message) == ["`calendar in customer time zones` given twice"])
    #expect(twice.diagnostics.first.map { twice.files[0].location(of: $0.range.start).line } == 5)
    let short = compile(source: Self.source("  calendar in customer time zone\n"))
    #expect(short.diagnostics.map(\.code) == [.expectedToken])
    #expect(short.diagnostics.map(\.message) == ["expected `zones` after `calendar in customer time`, found `zone`"])
    let extra = compile(source: Self.source("  calendar in customer time zones please\n"))
    #expect(extra.diagnostics.map(\.code) == [.unexpectedTrailingText])
    #expect(short.program == nil && extra.program == nil)
  }
}
