import Testing
@Test func PerkSyntaxTestsPlaceholder() { #expect(Bool(true)) }
