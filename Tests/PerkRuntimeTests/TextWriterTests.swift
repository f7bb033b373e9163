import Testing
@testable import PerkRuntime

/// Texts written byte by byte are exactly what interpolation writes.
@Suite struct TextWriterTests {
  @Test(arguments: [Int64(0), 1, 9, 10, 99, 100, 12_345, -1, -10, -9_999, .max, .min])
  func numbersAreWrittenAsInterpolationWritesThem(value: Int64) {
    #expect(TextWriter.assemble { $0.write(value) } == "\(value)")
    #expect(TextWriter.assemble { $0.write(Int(value)) } == "\(Int(value))")
  }

  @Test func piecesAreJoinedInOrder() {
    let text = TextWriter.assemble { text in
      text.write(3)
      text.write(" stamps collected; ")
      text.write(Int64(13))
      text.write(" on the card of ")
      text.write(Int64(-10))
    }
    #expect(text == "3 stamps collected; 13 on the card of -10")
  }

  @Test func nonASCIIAndEmptyPiecesAreCopiedWhole() {
    #expect(TextWriter.assemble { _ in } == "")
    #expect(TextWriter.assemble { $0.write("") } == "")
    let text = TextWriter.assemble { text in
      text.write("café ")
      text.write(Int64(12))
      text.write(" → 🎉")
      text.write("e\u{301}")
    }
    #expect(text == "café 12 → 🎉e\u{301}")
    #expect(text.utf8.count == "café 12 → 🎉e\u{301}".utf8.count)
  }

  @Test func smallAndLargeTextsBothComeOut() {
    #expect(TextWriter.assemble { $0.write("15 bytes exact!") } == "15 bytes exact!")
    let long = String(repeating: "stars and stamps ", count: 40)
    #expect(TextWriter.assemble { text in
      text.write(long)
      text.write(Int64.max)
    } == long + "\(Int64.max)")
  }
}
