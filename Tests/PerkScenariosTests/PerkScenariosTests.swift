import Testing
@testable import PerkScenarios

@Test func perkScenariosTargetLinks() { _ = PerkScenariosTarget.self }
