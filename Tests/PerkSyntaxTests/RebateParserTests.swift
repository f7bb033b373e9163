import Foundation
import PerkSource
import Testing

@testable import PerkSyntax

private func parseRebateSource(_ text: String) -> (SourceFileSyntax, [Diagnostic]) {
  let source = SourceFile(path: "t.perk", text: text)
  var diagnostics = Diagnostics()
  let syntax = PerkParser.parse(source, diagnostics: &diagnostics)
  return (syntax, diagnostics.sorted())
}

private func clauses(_ text: String) -> [RebateDeclaration.Clause] {
  let (syntax, _) = parseRebateSource(text)
  guard case .rebate(let r)? = syntax.declarations.first else { return [] }
  return r.clauses
}

let rebateForms: [FormCase] = [
  FormCase(source: "rebate r\n  measure net spend per calendar year\n", fragment: ".measure"),
  FormCase(source: "rebate r\n  measure spend on category tea, \"hot water\" per quarter\n", fragment: ".category"),
  FormCase(source: "rebate r\n  measure net spend per fiscal year starting April 1\n", fragment: "month: 4"),
  FormCase(source: "rebate r\n  measure net spend per fiscal year starting 1 April\n", fragment: "month: 4"),
  FormCase(source: "rebate r\n  retroactive\n    below €10,000 0%\n    from €10,000 at 2%\n", fragment: ".bracket"),
  FormCase(source: "rebate r\n  incremental\n    from 10,000 EUR 2%\n", fragment: ".incremental"),
  FormCase(source: "rebate r\n  growth 1% of spend above last year's\n", fragment: ".growth"),
  FormCase(source: "rebate r\n  growth 1.5% of net spend above last quarter\n", fragment: ".quarter"),
  FormCase(source: "rebate r\n  settle at end of year\n", fragment: ".settle"),
  FormCase(source: "rebate r\n  statement at end of month\n", fragment: ".statement"),
  FormCase(source: "rebate r\n  statements at end of quarter\n", fragment: ".statement"),
  FormCase(source: "rebate r\n  for segment distributor\n", fragment: ".segment"),
  FormCase(source: "rebate volume 2026\n  settle at end of year\n", fragment: "\"volume 2026\""),
]

@Test(arguments: rebateForms) func everyRebateFormParses(_ form: FormCase) {
  let (syntax, diagnostics) = parseRebateSource(form.source)
  #expect(diagnostics.map(\.message) == [])
  let tree = dump(syntax, source: SourceFile(path: "t.perk", text: form.source))
  #expect(tree.contains(form.fragment), "\(tree)")
  #expect(!tree.contains(".invalid"), "\(tree)")
}

@Test func rebateClausesKeepTheirValues() {
  let parsed = clauses("""
    rebate annual volume
      measure net spend per fiscal year starting April 1
      retroactive
        below €10,000    0%
        from  €10,000    2%
      growth 1% of spend above last year's
      settle at end of year
      statement at end of quarter
      for segment distributor
    """)
  #expect(parsed.count == 8)
  guard parsed.count == 8 else { return }
  if case .measure(let filter, let period, _) = parsed[0] {
    #expect(filter == nil)
    #expect(period.value == RebatePeriodSyntax(unit: .year, fiscalStart: .init(month: 4, day: 1)))
  } else {
    Issue.record("not a measure: \(parsed[0])")
  }
  if case .brackets(let mode) = parsed[1] { #expect(mode.value == .retroactive) } else { Issue.record("no mode") }
  if case .bracket(let b) = parsed[2] { #expect(b.isBelow) } else { Issue.record("no below") }
  if case .bracket(let b) = parsed[3] { #expect(!b.isBelow) } else { Issue.record("no from") }
  if case .growth(_, let unit, _) = parsed[4] { #expect(unit.value == .year) } else { Issue.record("no growth") }
  if case .settle(let unit) = parsed[5] { #expect(unit.value == .year) } else { Issue.record("no settle") }
  if case .statement(let unit) = parsed[6] { #expect(unit.value == .quarter) } else { Issue.record("no statement") }
  if case .segment(let name, _) = parsed[7] { #expect(name.text == "distributor") } else { Issue.record("no segment") }
}

@Test func aBracketBeforeItsModeIsE0216AndTheRestStillParses() {
  let (syntax, diagnostics) = parseRebateSource("""
    rebate r
      from €10,000 2%
      retroactive
        from €20,000 3%
    """)
  #expect(diagnostics.map { "\($0.code.rawValue) \($0.message)" } == ["E0216 bracket line before `retroactive` or `incremental`"])
  guard case .rebate(let r)? = syntax.declarations.first else { Issue.record("no rebate"); return }
  #expect(r.clauses.count == 3)
  if case .invalid = r.clauses[0] {} else { Issue.record("first clause should be invalid") }
  if case .bracket = r.clauses[2] {} else { Issue.record("third clause should be a bracket") }
}

@Test(arguments: [("February 29", "fiscal year cannot start on `February 29`"),
                  ("April 31", "fiscal year cannot start on `April 31`"),
                  ("0 June", "fiscal year cannot start on `June 0`")])
func impossibleFiscalStartsAreE0217(start: String, message: String) {
  let (_, diagnostics) = parseRebateSource("rebate r\n  measure net spend per fiscal year starting \(start)\n")
  #expect(diagnostics.map { "\($0.code.rawValue) \($0.message)" } == ["E0217 \(message)"])
}

@Test func rebateSyntaxMistakesAreOneErrorEach() {
  let cases: [(String, String)] = [
    ("  measure net spend per week\n", "E0201 expected `month`, `quarter` or `year` after `per`, found `week`"),
    ("  measure gross spend per year\n", "E0201 expected `spend` after `measure`, found `gross`"),
    ("  growth 1% of spend above last week's\n", "E0201 expected `year's`, `quarter's` or `month's` after `last`, found `week's`"),
    ("  settle at end of decade\n", "E0201 expected `month`, `quarter` or `year` after `settle at end of`, found `decade`"),
    ("  mesure net spend per year\n", "E0203 unknown clause `mesure` in a rebate"),
    ("  for segment\n", "E0201 expected a segment name after `segment`, found end of line"),
  ]
  for (line, expected) in cases {
    let (_, diagnostics) = parseRebateSource("rebate r\n" + line)
    #expect(diagnostics.map { "\($0.code.rawValue) \($0.message)" } == [expected], "\(line)")
  }
  let (_, unknown) = parseRebateSource("rebate r\n  mesure net spend per year\n")
  #expect(unknown.first?.help == "did you mean `measure`?")
}

@Test func rebateTestClaimsParse() {
  let text = """
    test rebates
      customer acme
      on 2026-03-10 acme buys 10 pallet at €1,000.00
      expect acme accrues €200.00 on annual volume
      expect acme gets statement €0.00 from annual volume 2026
      expect acme gets rebate €1,750.00 from annual volume
    """
  let (syntax, diagnostics) = parseRebateSource(text)
  #expect(diagnostics.map(\.message) == [])
  let tree = dump(syntax, source: SourceFile(path: "t.perk", text: text))
  #expect(tree.contains(".accrual") && tree.contains(".statement") && tree.contains(".settlement"), "\(tree)")
  #expect(tree.contains("\"annual volume 2026\""), "\(tree)")
  let (_, missing) = parseRebateSource("test t\n  customer acme\n  expect acme accrues 200 on annual volume\n")
  #expect(missing.map { "\($0.code.rawValue) \($0.message)" } == ["E0201 expected an amount such as `€200.00` after `accrues`, found `200`"])
  let (_, preposition) = parseRebateSource("test t\n  customer acme\n  expect acme gets rebate €5 on annual volume\n")
  #expect(preposition.map { "\($0.code.rawValue) \($0.message)" } == ["E0201 expected `from` after the amount, found `on`"])
}

@Test(arguments: [("clawed back", RebateNegativeDifference.clawedBack), ("carried forward", .carriedForward),
                  ("forgiven", .forgiven)])
func aTrueUpParsesItsNegativeDifferencePolicy(_ words: String, _ policy: RebateNegativeDifference) {
  let parsed = clauses("rebate r\n  settle at end of quarter, paying the difference to date, a negative difference is \(words)\n")
  guard case .trueUp(let unit, let negative)? = parsed.first else {
    Issue.record("not a true-up: \(parsed)")
    return
  }
  #expect(unit.value == .quarter)
  #expect(negative.value == policy)
}

@Test func aTrueUpWithAnUnknownPolicyIsALocatedErrorAndTheNextClauseStillParses() {
  let text = "rebate r\n  settle at end of quarter, paying the difference to date, a negative difference is waived\n  statement at end of month\n"
  let (syntax, diagnostics) = parseRebateSource(text)
  #expect(diagnostics.map(\.message) == [
    "expected `clawed back`, `carried forward` or `forgiven` after `a negative difference is`, found `waived`",
  ])
  #expect(diagnostics.first.map { text.utf8.dropFirst($0.range.start).starts(with: "waived".utf8) } == true)
  guard case .rebate(let r)? = syntax.declarations.first else { return }
  #expect(r.clauses.count == 2)
  if case .statement = r.clauses.last {} else { Issue.record("the statement line was lost: \(r.clauses)") }
}
