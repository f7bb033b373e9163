import Testing

@testable import PerkREPL

/// Long REPL output lines break at spaces, with a hanging indent; short lines are untouched.
@Suite struct WordWrapTests {
  @Test func aLongLineBreaksAtTheLastSpaceThatFits() {
    let line = "  next: 132 stars to free drink · 9 more coffee or tea items to a free one (coffee card) · "
      + "$495.50 more spend to gold (net amounts paid, before tax)"
    #expect(WordWrap.wrap(line + "\n", width: 80) == """
        next: 132 stars to free drink · 9 more coffee or tea items to a free one
          (coffee card) · $495.50 more spend to gold (net amounts paid, before tax)

      """)
  }

  @Test func linesThatFitKeepTheirPaddingAndAWordWiderThanTheTerminalStaysWhole() {
    let table = "  stars        1200 (worth $12.00)\n  coffee card  0 of 10 stamps\n"
    #expect(WordWrap.wrap(table, width: 40) == table)
    #expect(WordWrap.wrap("ab cdefghijklmnop qr", width: 8) == "ab\n  cdefghijklmnop\n  qr")
    #expect(WordWrap.wrap("anything", width: 0) == "anything")
  }

  @Test func colourEscapesTakeNoColumns() {
    let green = "\u{1B}[32m+18 stars\u{1B}[0m"
    // 10 columns of text plus escapes: fits in 20 although it is longer in characters.
    #expect(WordWrap.wrap("  \(green) base", width: 20) == "  \(green) base")
    #expect(WordWrap.wrap("  \(green) base earn rule", width: 20) == "  \(green) base\n    earn rule")
  }
}
