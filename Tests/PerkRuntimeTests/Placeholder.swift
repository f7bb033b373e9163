import Testing
@Test func PerkRuntimeTestsPlaceholder() { #expect(Bool(true)) }
