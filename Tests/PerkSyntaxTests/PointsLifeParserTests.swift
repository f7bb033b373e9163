import PerkSource
import Testing

@testable import PerkSyntax

private func parsePoints(_ text: String) -> (tree: String, messages: [String]) {
  let source = SourceFile(path: "t.perk", text: text)
  var diagnostics = Diagnostics()
  let syntax = PerkParser.parse(source, diagnostics: &diagnostics)
  return (dump(syntax, source: source), diagnostics.sorted().map { "\($0.code.rawValue) \($0.message)" })
}

@Test(arguments: [
  ("  expire 12 months after earning\n", ".after"),
  ("  expire 30 days after earning\n", ".after"),
  ("  expire at end of month 12 months after earning\n", ".endOfMonthAfter"),
  ("  expire after 18 months without activity\n", ".withoutActivity"),
  ("  spend oldest first\n", ".oldestFirst"),
  ("  spend closest to expiry first\n", ".closestToExpiryFirst"),
  ("  hold 14 days\n", "excludesEarningDay: false"),
  ("  hold 14 days counting the earning day\n", "excludesEarningDay: false"),
  ("  hold 2 weeks not counting the earning day\n", "excludesEarningDay: true"),
  ("  on return take back points, never below zero\n", ".neverBelowZero"),
  ("  on return take back points, allow negative balance\n", ".allowNegativeBalance"),
])
func pointsLifeClausesParse(_ clause: String, _ fragment: String) {
  let (tree, messages) = parsePoints("points stars\n" + clause)
  #expect(messages == [])
  #expect(tree.contains(fragment), "\(tree)")
  #expect(!tree.contains(".invalid"))
}

@Test(arguments: [
  ("  expire 12 months\n", "E0201 expected `after` after the duration, found end of line"),
  ("  expire at end of 12 months after earning\n", "E0201 expected `month` after `expire at end of`, found `12 months`"),
  ("  expire after 18 months\n", "E0201 expected `without` after the duration, found end of line"),
  ("  expire soon\n", "E0201 expected a duration, `at end of month` or `after` after `expire`, found `soon`"),
  ("  spend newest first\n", "E0201 expected `oldest` or `closest to expiry` after `spend`, found `newest`"),
  ("  hold 14\n", "E0201 expected a duration such as `14 days` after `hold`, found `14`"),
  ("  hold 14 days not counting\n", "E0201 expected `the` after `counting`, found end of line"),
  ("  hold 14 days not the earning day\n", "E0201 expected `counting` after `not`, found `the`"),
  ("  on return take back points never below zero\n",
   "E0201 expected `,` after `on return take back points`, found `never`"),
  ("  on return take back points, forgive\n",
   "E0201 expected `never below zero` or `allow negative balance` after `on return take back points,`, found `forgive`"),
])
func brokenPointsLifeClausesSayWhatWasExpected(_ clause: String, _ message: String) {
  let (tree, messages) = parsePoints("points stars\n" + clause)
  #expect(messages == [message])
  #expect(tree.contains(".invalid"))
}
