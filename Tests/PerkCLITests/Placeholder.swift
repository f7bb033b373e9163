import Testing
@Test func PerkCLITestsPlaceholder() { #expect(Bool(true)) }
