import Testing
@Test func PerkCompilerTestsPlaceholder() { #expect(Bool(true)) }
