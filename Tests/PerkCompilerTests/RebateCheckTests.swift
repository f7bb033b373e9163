import Foundation
import Perk
import PerkRuntime
import Testing

private let rebateHeader = """
  program "Wholesale"
    currency EUR
    timezone Europe/Warsaw


  """

/// `CODE message` of every diagnostic of a program made of `rebateHeader` and `body`.
private func rebateDiagnostics(_ body: String) -> [String] {
  compile([SourceFile(path: "t.perk", text: rebateHeader + body)]).diagnostics.map { "\($0.code.rawValue) \($0.message)" }
}

@Test func p4ChecksWithoutAnyDiagnostic() throws {
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("rules/p4-wholesale-rebates.perk")
  let compilation = compile([SourceFile(path: "p4.perk", bytes: Array(try Data(contentsOf: url)))])
  #expect(compilation.diagnostics.map(\.message) == [])
  #expect(compilation.program?.describe().split(separator: "\n").filter { $0.contains("rebate") || $0.hasPrefix("  ") } == [
    "rebate annual volume: retroactive on all per 12 months from 1-1, settle every 12 months, statement every 3 months",
    "  from €0.00 rate 0",
    "  from €10,000.00 rate 0.02",
    "  from €50,000.00 rate 0.035",
    "rebate distributor growth: retroactive on all per 12 months from 1-1, settle every 12 months, segment distributor",
    "  growth rate 0.01",
  ])
}

@Test func rebateLoweringKeepsFiscalStartFilterAndDefaultSettlement() throws {
  let compilation = compile([SourceFile(path: "t.perk", text: rebateHeader + """
    rebate beverages
      measure net spend on category beverages per fiscal year starting April 1
      incremental
        from €0 1%
        from €25,000.50 2.25%

    rebate monthly
      measure net spend per month
      retroactive
        from €100 1%
    """)])
  #expect(compilation.diagnostics.map(\.message) == [])
  let rebates = try #require(compilation.program).rebates
  #expect(rebates.count == 2)
  #expect(rebates[0].anchorMonth == 4 && rebates[0].anchorDay == 1)
  #expect(rebates[0].mode == .incremental)
  #expect(rebates[0].brackets == [RebateSpec.Bracket(fromMinor: 0, rate: ExactDecimal(significand: 1, scale: 2)),
                                  RebateSpec.Bracket(fromMinor: 2_500_050, rate: ExactDecimal(significand: 225, scale: 4))])
  #expect(rebates[0].filter != nil)
  #expect(rebates[0].settleMonths == 12)
  #expect(rebates[0].statementMonths == nil)
  #expect(rebates[1].periodMonths == 1 && rebates[1].settleMonths == 1)
}

@Test func rebateClauseMistakes() {
  #expect(rebateDiagnostics("""
    rebate a
      measure net spend per year
      measure net spend per quarter
      retroactive
      incremental
        from €10,000 2%
    """) == ["E0502 `measure` given twice", "E0502 a second bracket mode `incremental`"])
  #expect(rebateDiagnostics("""
    rebate a
      retroactive
    """) == ["E0503 rebate `a` without a `measure` clause", "E0503 `retroactive` without bracket lines"])
  #expect(rebateDiagnostics("""
    rebate a
      measure net spend per year
      settle at end of year
    """) == ["E0503 rebate `a` has no brackets and no `growth` clause"])
  #expect(rebateDiagnostics("""
    rebate a
      measure net spend per year
      retroactive
        from -€10 2%
        from €10,000 2
        from €20,000.001 3%
    """) == ["E0508 a bracket threshold cannot be negative", "E0406 `from` needs a percentage, found a number",
             "E0104 `from` amount has more decimals than EUR allows"])
  #expect(rebateDiagnostics("""
    rebate a
      measure net spend per year
      growth -1% of spend above last year's
    """) == ["E0526 rebate rate must be from 0% to 100%"])
}

@Test func bracketOrderAndGaps() {
  #expect(rebateDiagnostics("""
    rebate a
      measure net spend per year
      retroactive
        from €10,000 2%
        below €10,000 0%
        from €10,000 3%
    """) == ["E0525 a `below` bracket must be the first", "E0525 bracket thresholds do not increase"])
  #expect(rebateDiagnostics("""
    rebate a
      measure net spend per year
      retroactive
        below €10,000 0%
        from €9,000 2%
    """) == ["E0529 bracket `from` does not start where `below` ends"])
  // 100% is allowed, and so is a first `from` above zero without `below`.
  #expect(rebateDiagnostics("""
    rebate a
      measure net spend per year
      retroactive
        from €10,000 2%
        from €20,000 100%
    """) == [])
}

@Test func periodsOfSettlementStatementsAndGrowth() {
  #expect(rebateDiagnostics("""
    rebate a
      measure net spend per quarter
      retroactive
        from €10,000 2%
      settle at end of month
    """) == ["E0527 settlement at end of month comes before the quarter the rebate measures ends"])
  #expect(rebateDiagnostics("""
    rebate a
      measure net spend per quarter
      growth 1% of spend above last year's
      statement at end of quarter
    """) == ["E0528 growth compares with last year but the rebate measures per quarter",
             "W0113 statements at end of quarter come no more often than settlement"])
  // Quarters settled yearly with monthly statements: fine.
  #expect(rebateDiagnostics("""
    rebate a
      measure net spend per quarter
      retroactive
        from €10,000 2%
      settle at end of year
      statement at end of month
    """) == [])
}

@Test func rebateNamesAndZeroRates() {
  #expect(rebateDiagnostics("""
    rebate a
      measure net spend per year
      growth 2% of spend above last year's

    rebate a
      measure net spend per year
      growth 1% of spend above last year's
    """) == ["E0306 rebate `a` is declared twice"])
  #expect(rebateDiagnostics("""
    rebate a
      measure net spend per year
      growth 0% of spend above last year's
    """) == ["W0112 rebate `a` never pays anything"])
}
