import Testing
@testable import PerkREPL

/// The line editor fed with the bytes a terminal sends: buffer, cursor and events.
@Suite struct LineEditorTests {
  /// Feeds `bytes` (decoded as a terminal would send them) and returns the events.
  @discardableResult
  static func type(_ text: String, into editor: inout LineEditor) -> [LineEditor.Event] {
    var decoder = KeyDecoder()
    var keys = decoder.decode(Array(text.utf8))
    keys += decoder.flush()
    return keys.map { editor.handle($0) }
  }

  @Test func insertingAndMovingByCharacters() {
    var e = LineEditor()
    Self.type("buy latte", into: &e)
    #expect(e.text == "buy latte")
    #expect(e.cursor == 9)
    Self.type("\u{1B}[D\u{1B}[D\u{02}", into: &e)  // left, left, Ctrl-B
    #expect(e.cursor == 6)
    Self.type("X\u{1B}[C\u{06}", into: &e)  // insert, right, Ctrl-F
    #expect(e.text == "buy laXtte")
    #expect(e.cursor == 9)
  }

  @Test func homeEndAndTheirEscapeSequences() {
    var e = LineEditor()
    Self.type("uy latte\u{01}b", into: &e)  // Ctrl-A, then insert at the start
    #expect(e.text == "buy latte")
    #expect(e.cursor == 1)
    Self.type("\u{05}", into: &e)
    #expect(e.cursor == 9)
    for home in ["\u{1B}[H", "\u{1B}OH", "\u{1B}[1~", "\u{1B}[7~"] {
      Self.type("\u{05}" + home, into: &e)
      #expect(e.cursor == 0)
    }
    for end in ["\u{1B}[F", "\u{1B}OF", "\u{1B}[4~", "\u{1B}[8~"] {
      Self.type("\u{01}" + end, into: &e)
      #expect(e.cursor == 9)
    }
  }

  @Test func wordJumpsWithAltAndCtrl() {
    var e = LineEditor()
    Self.type("buy 2 latte @ 4.50", into: &e)
    Self.type("\u{1B}b", into: &e)  // Alt-B: start of `50`
    #expect(e.cursor == 16)
    Self.type("\u{1B}[1;5D", into: &e)  // Ctrl-Left: start of `4`
    #expect(e.cursor == 14)
    Self.type("\u{1B}[1;3D\u{1B}[1;3D", into: &e)  // Alt-Left twice: `latte`, then `2`
    #expect(e.cursor == 4)
    Self.type("\u{1B}f", into: &e)  // Alt-F: end of `2`
    #expect(e.cursor == 5)
    Self.type("\u{1B}[1;5C", into: &e)  // Ctrl-Right: end of `latte`
    #expect(e.cursor == 11)
  }

  @Test func deletingCharactersWordsAndToEitherEnd() {
    var e = LineEditor()
    Self.type("buy 2 latte", into: &e)
    Self.type("\u{7F}", into: &e)  // Backspace
    #expect(e.text == "buy 2 latt")
    Self.type("\u{01}\u{1B}[3~", into: &e)  // Home, Delete
    #expect(e.text == "uy 2 latt")
    Self.type("\u{05}\u{17}", into: &e)  // End, Ctrl-W
    #expect(e.text == "uy 2 ")
    Self.type("latte\u{1B}\u{7F}", into: &e)  // Alt-Backspace
    #expect(e.text == "uy 2 ")
    Self.type("\u{01}\u{1B}d", into: &e)  // Alt-D at the start
    #expect(e.text == " 2 ")
    Self.type("\u{1B}[C\u{0B}", into: &e)  // Right, Ctrl-K
    #expect(e.text == " ")
    Self.type("abc def\u{1B}[D\u{1B}[D\u{15}", into: &e)  // Ctrl-U before `ef`
    #expect(e.text == "ef")
    #expect(e.cursor == 0)
    // Ctrl-D deletes under the cursor on a non-empty line.
    Self.type("\u{04}", into: &e)
    #expect(e.text == "f")
  }

  @Test func enterCtrlCAndCtrlD() {
    var e = LineEditor()
    #expect(Self.type("\u{04}", into: &e) == [.endOfInput])
    #expect(Self.type("ab\r", into: &e).last == .submit("ab"))
    e.reset()
    #expect(Self.type("junk\u{03}", into: &e).last == .cancel)
  }

  @Test func historyUpAndDownKeepTheDraft() {
    var e = LineEditor(history: ["first", "second"])
    Self.type("draft", into: &e)
    Self.type("\u{1B}[A", into: &e)
    #expect(e.text == "second")
    Self.type("\u{10}", into: &e)  // Ctrl-P
    #expect(e.text == "first")
    Self.type("\u{1B}[A", into: &e)  // already the oldest
    #expect(e.text == "first")
    Self.type("\u{1B}[B\u{0E}", into: &e)  // down, Ctrl-N
    #expect(e.text == "draft")
    #expect(e.cursor == 5)
    e.remember("third")
    e.remember("third")
    e.remember("  ")
    #expect(e.history == ["first", "second", "third"])
  }

  @Test func reverseSearch() {
    var e = LineEditor(history: ["buy 2 latte @ 4.50 coffee", ":state", "buy croissant @ 3.25 pastry", ":history"])
    Self.type("\u{12}buy", into: &e)
    #expect(e.searchLine == "(reverse-i-search)`buy': buy croissant @ 3.25 pastry")
    Self.type("\u{12}", into: &e)  // older match
    #expect(e.searchLine == "(reverse-i-search)`buy': buy 2 latte @ 4.50 coffee")
    Self.type("\u{12}", into: &e)  // no older match
    #expect(e.searchLine == "(failed reverse-i-search)`buy': buy 2 latte @ 4.50 coffee")
    #expect(Self.type("\r", into: &e) == [.submit("buy 2 latte @ 4.50 coffee")])
    #expect(e.searchLine == nil)

    e.reset()
    Self.type("xy\u{12}sta", into: &e)
    #expect(e.searchLine == "(reverse-i-search)`sta': :state")
    Self.type("\u{03}", into: &e)  // Ctrl-C leaves the search and restores the line
    #expect(e.searchLine == nil)
    #expect(e.text == "xy")

    e.reset()
    Self.type("\u{12}hist\u{1B}[D", into: &e)  // a movement key accepts the match and moves
    #expect(e.text == ":history")
    #expect(e.cursor == 7)
    Self.type("\u{12}zzz", into: &e)
    #expect(e.searchLine == "(failed reverse-i-search)`zzz': ")
  }

  @Test func tabCompletesTheCommonPrefixOrLists() {
    let words = [":state", ":save", ":use"]
    var e = LineEditor { text, cursor in
      CompletionOffer(start: 0, candidates: words)
    }
    Self.type(":u\t", into: &e)
    #expect(e.text == ":use ")
    e.reset()
    #expect(Self.type(":s\t", into: &e).last == .list([":state", ":save"]))
    #expect(e.text == ":s")
    Self.type("t\t", into: &e)
    #expect(e.text == ":state ")
  }

  @Test func decoderWaitsForTheRestOfASequence() {
    var d = KeyDecoder()
    #expect(d.decode([0x1B]).isEmpty)
    #expect(d.hasPending)
    #expect(d.decode([UInt8(ascii: "[")]).isEmpty)
    #expect(d.decode([UInt8(ascii: "A")]) == [.up])
    #expect(d.decode([0x1B]).isEmpty)
    #expect(d.flush() == [.escape])
    // UTF-8 split across reads.
    let euro = Array("€".utf8)
    #expect(d.decode([euro[0]]).isEmpty)
    #expect(d.decode(Array(euro[1...])) == [.character("€")])
  }

  @Test func aLongLineScrollsSidewaysAroundTheCursor() {
    let text = Array("buy 2 latte @ 4.50 coffee")  // 25 characters
    #expect(visibleWindow(of: text, cursor: 25, room: 40) == ("buy 2 latte @ 4.50 coffee", 25))
    // At the end: the start is hidden.
    #expect(visibleWindow(of: text, cursor: 25, room: 11) == ("<0 coffee", 9))
    // At the start: the end is hidden.
    #expect(visibleWindow(of: text, cursor: 0, room: 11) == ("buy 2 la>", 0))
    // In the middle: both.
    #expect(visibleWindow(of: text, cursor: 12, room: 11) == ("<2 latte >", 9))
    // Exactly as wide as the room: shown whole, the cursor in the free column.
    #expect(visibleWindow(of: Array("0123456789"), cursor: 10, room: 11) == ("0123456789", 10))
  }
}
