import Testing
@Test func PerkSourceTestsPlaceholder() { #expect(Bool(true)) }
