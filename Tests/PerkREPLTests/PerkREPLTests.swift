import Testing
@testable import PerkREPL

@Test func perkREPLTargetLinks() { _ = PerkREPLTarget.self }
