import Testing

@testable import PerkLanguageServer

/// Positions in LSP's terms (0-based lines, UTF-16 columns) and the names a document declares.
struct DocumentTests {
  static let text = "rule a\n  give voucher \"😀 €\" worth $5\n"

  @Test func positionsCountUTF16Units() {
    let document = Document(uri: "file:///x/a%20b.perk", text: Self.text)
    #expect(document.file.path == "/x/a b.perk")
    // `😀` is 4 bytes and 2 UTF-16 units, `€` 3 bytes and 1 unit.
    let euro = Array(Self.text.utf8).firstIndex(of: 0xE2)!
    #expect(document.position(of: euro).line == 1)
    #expect(document.position(of: euro).character == 19)
    #expect(document.offset(line: 1, character: 19) == euro)
    #expect(document.offset(line: 1, character: 17) == euro - 5)
    // Past the end of a line or of the text: clamped, never a trap.
    #expect(document.offset(line: 0, character: 99) == 6)
    #expect(document.offset(line: 99, character: 0) == Self.text.utf8.count)
    #expect(document.offset(line: -1, character: -5) == 0)
    #expect(document.position(of: 10_000).line == 2)
  }

  @Test func theLongestDeclaredNameUnderTheCursorWins() {
    let document = Document(uri: "file:///c.perk", text: """
      points stars
        worth $0.01

      stamps coffee card
        collect 1 per item in category coffee
        every 10 stamps: cheapest item in category coffee is free

      rule coffee
        on purchase
        earn 1 stars

      """)
    #expect(document.symbols.map(\.name) == ["stars", "coffee card", "coffee"])
    let line = Array(document.file.bytes)
    let cardOffset = line.indices.first { line[$0...].starts(with: Array("coffee card".utf8)) }!
    #expect(document.symbol(at: cardOffset + 2)?.symbol.kind == "stamp card")
    #expect(document.symbol(at: document.offset(line: 7, character: 6))?.symbol.kind == "rule")
    // `coffee` in `category coffee` is a category, but a rule has that name: it is offered.
    #expect(document.symbol(at: document.offset(line: 4, character: 35))?.symbol.name == "coffee")
    #expect(document.symbol(at: document.offset(line: 8, character: 3)) == nil)
  }
}
