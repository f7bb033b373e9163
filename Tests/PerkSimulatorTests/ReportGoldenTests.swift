import Foundation
import Perk
import PerkTestSupport
import Testing
@testable import PerkSimulator

@Suite struct ReportGoldenTests {
  static func result() throws -> SimulationResult {
    try Fixture.simulate(.file(Fixture.path("small.csv")), policy: .asap)
  }

  static func stable(_ text: String) -> String { text.replacingOccurrences(of: Fixture.path("small.csv"), with: "small.csv") }

  @Test func text() throws {
    Golden.assertMatches(actual: Self.stable(TextReport.render(try Self.result(), settings: ReportSettings(budget: 2000, breakage: (1, 10)))),
                         goldenPath: "../SimulatorFixtures/Goldens/small.txt")
  }

  @Test func json() throws {
    Golden.assertMatches(actual: Self.stable(JSONReport.render(try Self.result(), settings: ReportSettings(budget: 2000), compare: nil, sweep: [])),
                         goldenPath: "../SimulatorFixtures/Goldens/small.json")
  }

  @Test func csv() throws {
    Golden.assertMatches(actual: CSVReport.monthly(try Self.result()), goldenPath: "../SimulatorFixtures/Goldens/small.csv")
  }

  @Test func htmlHasEveryChartAndNoNetwork() throws {
    let html = HTMLReport.render(try Self.result(), settings: ReportSettings(), compare: nil, sweep: [])
    for name in HTMLReport.chartNames { #expect(html.contains("data-chart=\"\(name)\"")) }
    #expect(!html.contains("http://") || !html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
    #expect(!html.contains("https://"))
  }
}
