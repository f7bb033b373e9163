import PerkSource
import PerkTestSupport
import Testing

@testable import PerkSyntax

@Test func unknownDeclarationSuggestsKeyword() {
  let (_, diagnostics) = parse("rul base earn\n  on purchase\nrule ok\n  on purchase\n")
  #expect(diagnostics.map(\.code) == [.unknownDeclaration])
  #expect(diagnostics.first?.help == "did you mean `rule`?")
}

@Test func unknownClauseSuggestsClauseKeyword() {
  let (_, diagnostics) = parse("rule r\n  eran 2 stars\n")
  #expect(diagnostics.map(\.code) == [.unknownClause])
  #expect(diagnostics.first?.help == "did you mean `earn`?")
}

@Test func unclosedParenthesisLabelsTheOpeningParen() {
  let text = "rule r\n  when (1 > 2\n  on purchase\n"
  let (_, diagnostics) = parse(text)
  #expect(diagnostics.map(\.code) == [.unclosedParenthesis])
  let opening = Array(text.utf8).firstIndex(of: UInt8(ascii: "("))
  let labelled = diagnostics.first.map { [$0.range.start] + $0.labels.map(\.range.start) } ?? []
  #expect(opening.map { labelled.contains($0) } == true, "\(diagnostics)")
}

@Test func indentedLinesWithoutDeclaration() {
  #expect(codes("  earn 2 stars\n  on purchase\nrule r\n  on purchase\n") == ["E0208@1"])
}

@Test func expectedFoundNamesEndOfLine() {
  let (_, diagnostics) = parse("rule r\n  multiply stars by\n")
  #expect(diagnostics.count == 1)
  #expect(diagnostics.first?.message.hasSuffix("found end of line") == true, "\(diagnostics.map(\.message))")
}

@Test func badHeaderSkipsToNextDeclaration() {
  #expect(codes("tiers by weather\n  gold from $0\n  keep for 12 months\nrule r\n  on purchse\n") == ["E0201@1", "E0201@5"])
}

@Test func fourIndependentErrorsNoCascades() {
  let source = """
    program "X"
      currency USD
    rul base earn
      on purchase
    rule ok
      when (1 > 2
      earn 2 stars per $1 spent extra
    reward r costs 10 stars
      wroth $5
    """
  #expect(codes(source) == ["E0202@3", "E0205@6", "E0209@7", "E0203@9"])
}

@Test func fullyRandomBytesNeverCrash() {
  var generator = SeededGenerator(state: 0x5EED_0002)
  for _ in 0..<2_000 {
    let length = Int.random(in: 0..<300, using: &generator)
    let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
    var diagnostics = Diagnostics()
    let file = SourceFile(path: "fuzz", bytes: bytes)
    let tokens = Lexer.tokenize(file, into: &diagnostics)
    #expect(tokens.last?.kind == .endOfFile && tokens.last?.range.start == bytes.count)
    #expect(tokens.filter { $0.kind == .endOfFile }.count == 1)
    for token in tokens { #expect(token.range.start <= token.range.end && token.range.end <= bytes.count) }
    _ = PerkParser.parse(file, diagnostics: &diagnostics)
    for diagnostic in diagnostics.all { #expect(diagnostic.range.end <= bytes.count) }
  }
}

@Test func errorsAfterNestingOverflowStillReported() {
  let source = "rule deep\n  when " + String(repeating: "(", count: 100_000) + "\n  eran 1 stars\nrule after\n  on purchse\n"
  #expect(codes(source) == ["E0204@2", "E0201@5"])
}

@Test func parseExpressionForTheREPL() {
  var diagnostics = Diagnostics()
  let expression = PerkParser.parseExpression(SourceFile(path: "repl", text: "basket total >= $20 and not tier is gold"),
                                              diagnostics: &diagnostics)
  #expect(diagnostics.all.isEmpty)
  guard case .binary(.and, _, _) = expression.kind else {
    Issue.record("expected and, got \(expression.kind)")
    return
  }
}

@Test(arguments: ["a, ", "1 + ", "not ", "- ", "\" ", "stars ", "9:", "in ", ")"])
func adversarialLongLinesFinish(_ unit: String) {
  let line = "rule r\n  when x in " + String(repeating: unit, count: 30_000) + "\nrule after\n  on purchase\n"
  let (syntax, diagnostics) = parse(line)
  #expect(syntax.declarations.count == 2)
  #expect(diagnostics.count <= 2, "\(diagnostics.map(\.message))")
}
