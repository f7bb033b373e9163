import Perk
import PerkRuntime
import PerkSource
import PerkSyntax
import PerkTestSupport
import Testing

/// `perk fmt` on generated programs (the return law's generator), each written in a seeded
/// random layout: extra spaces, odd indentation, blank lines, comments. Formatting is
/// idempotent and never changes the program.
@Suite struct FormatPropertyTests {
  /// `text` with its spacing disturbed: the tokens stay, the layout does not.
  static func scramble(_ text: String, _ random: inout SeededGenerator) -> String {
    func roll(_ n: UInt64) -> UInt64 { random.next() % n }
    var out = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if roll(5) == 0 { out += String(repeating: "\n", count: Int(roll(3))) }
      if roll(8) == 0 { out += String(repeating: " ", count: Int(roll(5))) + "# a note\n" }
      let indented = line.first == " "
      var body = line.drop { $0 == " " }
      if body.isEmpty { out += "\n"; continue }
      let indentation = indented ? String(repeating: roll(4) == 0 ? "\t" : " ", count: 1 + Int(roll(4))) : ""
      // Strings keep their inner spaces; elsewhere a space may become several.
      if !body.contains("\"") {
        body = Substring(body.split(separator: " ").map(String.init).joined(separator: String(repeating: " ", count: 1 + Int(roll(3)))))
      }
      out += indentation + body + (roll(6) == 0 ? "   # why" : "") + String(repeating: " ", count: Int(roll(2))) + "\n"
    }
    return out
  }

  @Test func formattingIsIdempotentAndKeepsTheProgram() throws {
    var random = SeededGenerator(state: 0x5EED_F0A7)
    for round in 0..<120 {
      let program = ReturnPropertyTests.program(&random)
      let scrambled = Self.scramble(program, &random)
      let file = SourceFile(path: "generated-\(round).perk", text: scrambled)
      guard case .success(let formatted) = Formatter.format(file) else {
        Issue.record("round \(round): lexical errors in\n\(scrambled)")
        continue
      }
      let formattedFile = SourceFile(path: file.path, text: formatted)
      guard case .success(let twice) = Formatter.format(formattedFile) else { continue }
      #expect(twice == formatted, "round \(round): not idempotent")
      let original = compile([file]).program?.describe()
      #expect(original != nil, "round \(round): the scrambled program does not compile\n\(scrambled)")
      #expect(compile([formattedFile]).program?.describe() == original, "round \(round)")
      #expect(Formatter.syntaxWithoutPositions(file) == Formatter.syntaxWithoutPositions(formattedFile))
      // The layout is canonical: the unscrambled program formats to the same text, but for
      // the comments the scrambling added.
      guard case .success(let plain) = Formatter.format(SourceFile(path: file.path, text: program)) else { continue }
      #expect(Self.withoutComments(formatted) == Self.withoutComments(plain), "round \(round)")
    }
  }

  /// The text without comment lines, trailing comments and blank lines.
  static func withoutComments(_ text: String) -> [String] {
    text.split(separator: "\n").compactMap { line in
      let code = line.hasSuffix("  # why") ? line.dropLast("  # why".count) : line
      return code.drop { $0 == " " }.hasPrefix("#") ? nil : String(code)
    }
  }
}
