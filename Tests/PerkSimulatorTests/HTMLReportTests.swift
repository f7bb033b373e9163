import Foundation
import PerkTestSupport
import Testing
@testable import PerkSimulator

/// The HTML report says what the text report says, with charts.
@Suite struct HTMLReportTests {
  static let settings = ReportSettings(budget: 2000, breakage: (1, 10))

  static func results() throws -> (asap: SimulationResult, none: SimulationResult) {
    (try Fixture.simulate(.file(Fixture.path("small.csv")), policy: .asap), try Fixture.simulate(.file(Fixture.path("small.csv")), policy: .none))
  }

  static func matches(_ pattern: String, in text: String) -> [String] {
    let regex = try! NSRegularExpression(pattern: pattern)
    return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
      String(text[Range($0.range(at: 1), in: text)!])
    }
  }

  /// Every table title, every sentence and every money, percentage and count of the text report
  /// (with its comparison) is in the HTML report of the same run.
  @Test func everySectionAndFigureOfTheTextReportIsInTheHTML() throws {
    let (a, b) = try Self.results()
    let text = TextReport.render(a, settings: Self.settings) + "\n" + CompareReport.text(a, b, settings: Self.settings)
    let html = HTMLReport.render(a, settings: Self.settings, compare: b, sweep: [])
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var titles: [String] = []
    for (i, line) in lines.enumerated() where i + 1 < lines.count && lines[i + 1].hasPrefix("  --") {
      let first = line.trimmingCharacters(in: .whitespaces).components(separatedBy: "  ")[0]
      if !line.hasPrefix("   ") { titles.append(first) }
    }
    #expect(titles == ["Summary", "Cost by kind", "Cost by rule", "Points: stars (worth $0.01 each)", "Rewards redeemed", "month",
                       "Tiers at month end", "Monthly", "Cost per customer", "Top customers", "Gain most under B", "Lose most under B"])
    for title in titles { #expect(html.contains("<th>\(HTMLReport.escape(title))</th>"), "\(title)") }
    for sentence in lines where sentence.hasPrefix("  Liability") || sentence.hasPrefix("  Customers:") || sentence.hasPrefix("  Budget ")
      || sentence.hasPrefix("Comparison:") || sentence.hasPrefix("  warning:") {
      let body = sentence.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "warning: ", with: "")
      #expect(html.contains(HTMLReport.escape(body)), "\(body)")
    }
    for label in ["history", "period", "redemption"] {
      let value = lines.first { $0.hasPrefix("  \(label) ") }!.dropFirst(17)
      #expect(html.contains("<td>\(label)</td><td>\(HTMLReport.escape(String(value)))</td>"), "\(label)")
    }
    let figures = Self.matches("(-?\\$[0-9,]+\\.[0-9]+|-?[0-9.]+%|[0-9]{1,3}(,[0-9]{3})+|(?<![-0-9.,])[0-9]{2,}(?![-0-9.,]))", in: text)
    #expect(figures.count > 100)
    for figure in Set(figures) {
      // The figure whole: not the end of a longer number, nor its start.
      let whole = "(?<![0-9.,$-])" + NSRegularExpression.escapedPattern(for: figure) + "(?![0-9]|[.,][0-9])"
      #expect(!Self.matches("(" + whole + ")", in: html).isEmpty, "\(figure)")
    }
  }

  @Test func theReportHasEveryChartWithAxisTitles() throws {
    let (a, b) = try Self.results()
    let html = HTMLReport.render(a, settings: Self.settings, compare: b, sweep: [])
    let charts = Self.matches("data-chart=\"([^\"]*)\"", in: html)
    #expect(charts == ["cost-per-month", "revenue-per-month", "cost-share-per-month", "refunds", "redemptions", "rewards-redeemed-count",
                       "rewards-redeemed-value", "points-flow", "tier-populations", "cost-distribution", "compare-cost-per-month",
                       "compare-differences"])
    for name in HTMLReport.chartNames + HTMLReport.compareChartNames { #expect(charts.contains(name)) }
    let svgs = Self.matches("(<svg[^>]*>.*?</svg>)", in: html)
    #expect(svgs.count == charts.count)
    for svg in svgs { #expect(svg.contains("class=\"axis-title\" transform=\"translate(14,"), "\(svg.prefix(60))") }
  }

  /// A chart's ticks are round 1-2-5 values covering the data and zero; a negative bar hangs below the zero line.
  @Test func chartsHaveRoundTicksAndNegativeBars() {
    let svg = HTMLReport.chart(name: "t", labels: ["a", "b", "c"], series: [("s", [0, 1234, -300], "#000")], xTitle: "month",
                               yTitle: "things", format: { String($0) })
    #expect(Self.matches("class=\"tick\"[^>]*>([^<]*)<", in: svg) == ["-500", "0", "500", "1000", "1500"])
    #expect(svg.contains(">month</text>") && svg.contains("rotate(-90)\" text-anchor=\"middle\">things</text>"))
    let ticks: [Int64] = [-500, 0, 500, 1000, 1500]
    let zero = HTMLReport.y(0, ticks), below = HTMLReport.y(-300, ticks)
    #expect(zero == 183 && below == 214)
    #expect(svg.contains("y=\"\(zero)\" width=\"186\" height=\"\(below - zero)\" fill=\"#000\"><title>c s: -300</title>"))
  }

  /// The cost-share axis ticks are whole percentages: `15%`, not `15.0%`.
  @Test func costShareTicksAreWholePercentages() throws {
    #expect(Percent.of(1500, 10_000, digits: 0) == "15%")
    #expect(Percent.of(-500, 10_000, digits: 0) == "-5%")
    #expect(Percent.of(0, 10_000, digits: 0) == "0%")
    let html = HTMLReport.render(try Self.results().asap, settings: ReportSettings(), compare: nil, sweep: [])
    let chart = Self.matches("(<svg data-chart=\"cost-share-per-month\".*?</svg>)", in: html)[0]
    let ticks = Self.matches("class=\"tick\"[^>]*>([^<]*)<", in: chart)
    #expect(ticks.count >= 2 && ticks.first == "0%" && ticks.allSatisfy { $0.hasSuffix("%") && !$0.contains(".") }, "\(ticks)")
  }

  @Test func emptyTablesSayNone() throws {
    let (a, b) = try Self.results()
    let html = HTMLReport.render(b, settings: ReportSettings(), compare: b, sweep: [])
    #expect(html.contains("<th>Rewards redeemed</th><th>count</th><th>worth</th></tr></thead><tbody><tr><td class=\"none\" colspan=\"3\">none</td></tr>"))
    for title in ["Gain most under B", "Lose most under B"] {
      #expect(html.contains("<th>\(title)</th><th>A</th><th>B</th><th>B − A</th></tr></thead><tbody><tr><td class=\"none\" colspan=\"4\">none</td></tr>"))
    }
    #expect(!HTMLReport.render(a, settings: ReportSettings(), compare: nil, sweep: []).contains("class=\"none\""))
  }

  @Test func sidesAreNamedByFileWhenTheProgramNamesAreEqual() throws {
    let (a, b) = try Self.results()
    #expect(CompareReport.Sides(a, b) == CompareReport.Sides(a, b, files: nil))
    #expect(CompareReport.Sides(a, b).a == a.programName)
    let byFile = CompareReport.Sides(a, b, files: ("rules/cafe.perk", "/tmp/next/cafe-v2.perk"))
    #expect((byFile.a, byFile.b) == ("cafe.perk", "cafe-v2.perk"))
    let samePath = CompareReport.Sides(a, b, files: ("old/cafe.perk", "new/cafe.perk"))
    #expect((samePath.a, samePath.b) == ("old/cafe.perk", "new/cafe.perk"))
    var renamed = b
    renamed.programName = "Bean & Leaf Rewards v2"
    let byName = CompareReport.Sides(a, renamed, files: ("rules/cafe.perk", "cafe-v2.perk"))
    #expect((byName.a, byName.b) == ("Bean & Leaf Rewards", "Bean & Leaf Rewards v2"))
    let html = HTMLReport.render(a, settings: ReportSettings(), compare: b, sweep: [], sides: byFile)
    #expect(html.contains("<h2>Comparison: A = cafe.perk, B = cafe-v2.perk</h2>"))
    #expect(html.contains(">A: cafe.perk</text>") && html.contains(">B: cafe-v2.perk</text>"))
    #expect(CompareReport.text(a, b, settings: ReportSettings(), sides: byFile).hasPrefix("Comparison: A = cafe.perk, B = cafe-v2.perk\n"))
  }

  @Test func histogramsHaveRoundBinsCoveringEveryValue() throws {
    let bins = Histogram.bins([0, 5, 10, 999], maxBins: 20)
    #expect(bins.count == 20)
    #expect(bins.first! == (0, 49, 3) && bins.last! == (950, 999, 1))
    #expect(Histogram.bins([-120, 30], maxBins: 5).map { [$0.low, $0.high, $0.count] }
      == [[-150, -101, 1], [-100, -51, 0], [-50, -1, 0], [0, 49, 1]])
    #expect(Histogram.bins([7, 7], maxBins: 20).map(\.count).reduce(0, +) == 2)
    #expect(Histogram.bins([], maxBins: 20).isEmpty)
    let (a, b) = try Self.results()
    let differences = CompareReport.differenceHistogram(a, b, bins: 20)
    #expect(differences.map(\.count).reduce(0, +) == Int64(CompareReport.differences(a, b).count))
    #expect(CompareReport.differenceHistogram(a, a, bins: 20).map { [$0.low, $0.high, $0.count] } == [[0, 0, Int64(a.customers.count)]])
  }

  @Test func theReportIsSelfContained() throws {
    let (a, b) = try Self.results()
    for html in [HTMLReport.render(a, settings: Self.settings, compare: nil, sweep: []),
                 HTMLReport.render(a, settings: Self.settings, compare: b, sweep: [a, b])] {
      #expect(html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").range(of: "//") == nil)
      for fetch in [" src=", " href=", "url(", "@import", "<link", "<img", "<iframe"] { #expect(!html.contains(fetch), "\(fetch)") }
    }
  }

  /// The report's outline: sections, headings, charts and tables with their row counts.
  @Test func sectionStructureGolden() throws {
    let (a, b) = try Self.results()
    let html = HTMLReport.render(a, settings: Self.settings, compare: b, sweep: [a, b])
    let items = Self.matches("(<section id=\"[^\"]*\"|<h[123]>[^<]*</h[123]>|data-chart=\"[^\"]*\"|<table[^>]*><thead><tr><th>[^<]*</th>|<table class=\"pairs\">|<tr>|</table>)", in: html)
    var outline = ""
    var rows = 0
    for item in items {
      if item == "<tr>" { rows += 1; continue }
      if item == "</table>" { outline += "    rows: \(rows)\n"; continue }
      if item.hasPrefix("<table") { rows = 0 }
      if item.hasPrefix("<section") { outline += "section " + item.dropFirst(13).dropLast() + "\n" }
      else if item.hasPrefix("<table class=\"pairs\">") { outline += "  table (pairs)\n" }
      else if item.hasPrefix("<table") { outline += "  table " + Self.matches("<th>([^<]*)</th>", in: item)[0] + "\n" }
      else if item.hasPrefix("data-chart") { outline += "  chart " + item.dropFirst(12).dropLast() + "\n" }
      else { outline += "  " + item + "\n" }
    }
    Golden.assertMatches(actual: outline, goldenPath: "../SimulatorFixtures/Goldens/small-html-outline.txt")
  }
}
