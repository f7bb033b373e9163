import PerkSource
import PerkTestSupport
import Testing

@testable import PerkSyntax

func parse(_ text: String) -> (SourceFileSyntax, [Diagnostic]) {
  var diagnostics = Diagnostics()
  let syntax = PerkParser.parse(SourceFile(path: "test.perk", text: text), diagnostics: &diagnostics)
  return (syntax, diagnostics.sorted())
}

func codes(_ text: String) -> [String] {
  parse(text).1.map { "\($0.code.rawValue)@\(SourceFile(path: "t", text: text).location(of: $0.range.start).line)" }
}

@Test func cafeProgramParsesWithoutDiagnostics() {
  let (syntax, diagnostics) = parse(cafeProgram)
  #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
  // rules/cafe.perk: ten program declarations, then its `test` declarations.
  #expect(syntax.declarations.filter { if case .test = $0 { false } else { true } }.count == 10)
  guard case .rule(let pastry) = syntax.declarations[5] else {
    Issue.record("expected the pastry rule")
    return
  }
  #expect(pastry.name.text == "pastry triple")
  #expect(pastry.clauses.count == 3)
  guard case .effect(.earn(_, let currency, .perSpend(_, false, let filter?, false), _)) = pastry.clauses[1] else {
    Issue.record("expected a per-spend earn clause, got \(pastry.clauses[1])")
    return
  }
  #expect(currency.text == "stars")
  #expect(filter.field == .category && filter.values.map(\.text) == ["pastry"])
  guard case .replaces(let replaced, _) = pastry.clauses[2] else {
    Issue.record("expected replaces")
    return
  }
  #expect(replaced.text == "base earn")
}

@Test func tiersHeaderAndLevels() {
  let (syntax, diagnostics) = parse("""
    tiers by spend or visits over last 12 months
      blue from $0
      silver from $2,500 or 25 visits earn x1.5
      keep for 12 months
    """)
  #expect(diagnostics.isEmpty)
  guard case .tiers(let tiers) = syntax.declarations.first else {
    Issue.record("expected tiers")
    return
  }
  #expect(tiers.measure.value == .spendOrVisits)
  #expect(tiers.window.value == .last(DurationLiteral(count: 12, unit: .month)))
  guard case .level(let silver) = tiers.clauses[1] else {
    Issue.record("expected a level")
    return
  }
  #expect(silver.thresholds.count == 2)
  #expect(silver.multiplier?.kind == .literal(.number(DecimalLiteral(significand: 15, scale: 1))))
  guard case .keep(let keep) = tiers.clauses[2] else {
    Issue.record("expected keep")
    return
  }
  #expect(keep.value == .forDuration(DurationLiteral(count: 12, unit: .month)))
}

@Test func conditionPrecedence() {
  let (syntax, diagnostics) = parse("""
    rule r
      when not tier is gold or basket total + \u{24}5 * 2 >= \u{24}20 and weekday in Saturday, Sunday
    """)
  #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
  guard case .rule(let rule) = syntax.declarations.first, case .when(let condition) = rule.clauses.first,
        case .binary(.or, let left, let right) = condition.kind else {
    Issue.record("expected an `or` at the top")
    return
  }
  guard case .unary(.not, _) = left.kind else { Issue.record("expected not"); return }
  guard case .binary(.and, let comparison, let member) = right.kind else { Issue.record("expected and"); return }
  guard case .binary(.greaterEqual, let sum, _) = comparison.kind, case .binary(.add, _, let product) = sum.kind,
        case .binary(.multiply, _, _) = product.kind else {
    Issue.record("expected arithmetic precedence")
    return
  }
  guard case .member(_, let members, false) = member.kind else { Issue.record("expected membership"); return }
  #expect(members.count == 2)
}

@Test func quantitiesWithNames() {
  let (syntax, diagnostics) = parse("""
    rule r
      when coffee card stamps >= 3 and stars balance < 100 and spend this year > \u{24}1 and days since last purchase >= 90
    """)
  #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
  #expect(syntax.declarations.count == 1)
}

@Test func rewardOneLineForm() {
  let (syntax, diagnostics) = parse("reward free drink costs 150 stars, worth \u{24}5\n")
  #expect(diagnostics.isEmpty)
  guard case .reward(let reward) = syntax.declarations.first else { Issue.record("expected reward"); return }
  #expect(reward.name.text == "free drink")
  #expect(reward.clauses.count == 2)
}

@Test func recoveryReportsEveryIndependentError() {
  let source = """
    program "X"
      currency USD
      timezon UTC
    rul base earn
      on purchase
    rule ok
      on purchse
      earn 2 stars per \u{24}1 spent extra
    points stars
      worth
    """
  #expect(codes(source) == ["E0203@3", "E0202@4", "E0201@7", "E0209@8", "E0207@10"])
}

@Test func deepNestingIsOneErrorNotACrash() {
  let source = "rule deep\n  when " + String(repeating: "(", count: 100_000) + "\nrule after\n  on purchase\n"
  let (syntax, diagnostics) = parse(source)
  #expect(diagnostics.map(\.code) == [.nestingTooDeep])
  #expect(syntax.declarations.count == 2)
}

@Test func longChainsCountAsNesting() {
  let source = "rule chain\n  when " + Array(repeating: "1", count: 5_000).joined(separator: " + ") + " > 0\n"
  #expect(parse(source).1.map(\.code) == [.nestingTooDeep])
}

@Test func randomBytesNeverCrash() {
  var generator = SeededGenerator(state: 0x5EED_0001)
  let alphabet = Array("rule when earn per $1.5 x2 ( ) , : \n  # \"a 2026-02-30 9:00 € × stars balance is not in to".utf8) + [0xFF, 0xC3]
  for _ in 0..<2_000 {
    let length = Int.random(in: 0..<200, using: &generator)
    let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
    var diagnostics = Diagnostics()
    let file = SourceFile(path: "fuzz", bytes: bytes)
    let tokens = Lexer.tokenize(file, into: &diagnostics)
    #expect(tokens.last?.kind == .endOfFile && tokens.last?.range.start == bytes.count)
    for token in tokens { #expect(token.range.start <= token.range.end && token.range.end <= bytes.count) }
    _ = PerkParser.parse(file, diagnostics: &diagnostics)
    for diagnostic in diagnostics.all { #expect(diagnostic.range.end <= bytes.count) }
  }
}

@Test func dumpShowsTreeWithLineColumnRanges() {
  let source = SourceFile(path: "t.perk", text: "reward free drink costs 150 stars, worth $5\n")
  var diagnostics = Diagnostics()
  let syntax = PerkParser.parse(source, diagnostics: &diagnostics)
  let text = dump(syntax, source: source)
  print(text)
  #expect(text.contains("1:1-"))
  #expect(text.contains("\"free drink\""))
}

@Test func oneMegabyteLineDoesNotCrash() {
  let line = "rule long\n  when " + String(repeating: "a ", count: 500_000) + "\n  earn 1 stars\n"
  let (syntax, _) = parse(line)
  #expect(syntax.declarations.count == 1)
  let words = "rule " + String(repeating: "x", count: 1_000_000) + "\n"
  let (other, _) = parse(words)
  #expect(other.declarations.count == 1)
}

@Test func namesMayContainWholeNumbersAfterTheFirstWord() {
  let (syntax, diagnostics) = parse("rule summer bonus 2026\n  on purchase\n  earn 2 stars\nreward 2 for 1\n")
  guard case .rule(let rule) = syntax.declarations.first else {
    Issue.record("expected a rule")
    return
  }
  #expect(rule.name.text == "summer bonus 2026")
  // A name cannot start with a number: `reward 2 for 1` has no name.
  #expect(diagnostics.map(\.code) == [.missingName])
}
