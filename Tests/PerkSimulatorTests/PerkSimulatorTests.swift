import Testing
@testable import PerkSimulator

@Test func perkSimulatorTargetLinks() { _ = PerkSimulatorTarget.self }
