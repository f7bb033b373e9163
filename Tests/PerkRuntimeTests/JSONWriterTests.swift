import Testing
@testable import PerkRuntime

/// The bytes `JSONOutput` writes, pinned: reports, traces, state files and `perk eval` all
/// read them, and a writer rewritten for speed must give the same ones.
@Suite struct JSONWriterTests {
  static let document = JSONOutput.object([
    "b": .array([.integer(-9_223_372_036_854_775_808), .integer(9_223_372_036_854_775_807), .integer(0), .null, .bool(true), .bool(false)]),
    "a": .string("quote \" backslash \\ newline \n return \r tab \t bell \u{07} unit \u{1F} nul \u{0}"),
    "é": .string("café ☕ 𝄞 e\u{301}"),
    "empty": .object(["list": .array([]), "object": .object([:]), "text": .string("")]),
    "nested": .array([.object(["z": .integer(1), "y": .array([.string("x")])])]),
  ])

  @Test func prettyTextIsPinned() {
    let expected = """
      {
        "a": "quote \\" backslash \\\\ newline \\n return \\r tab \\t bell \\u0007 unit \\u001f nul \\u0000",
        "b": [
          -9223372036854775808,
          9223372036854775807,
          0,
          null,
          true,
          false
        ],
        "empty": {
          "list": [],
          "object": {},
          "text": ""
        },
        "nested": [
          {
            "y": [
              "x"
            ],
            "z": 1
          }
        ],
        "é": "café ☕ 𝄞 e\u{301}"
      }

      """
    #expect(Self.document.rendered() == expected)
  }

  @Test func compactTextIsPinned() {
    let expected = #"{"a":"quote \" backslash \\ newline \n return \r tab \t bell \u0007 unit \u001f nul \u0000","#
      + #""b":[-9223372036854775808,9223372036854775807,0,null,true,false],"empty":{"list":[],"object":{},"text":""},"#
      + #""nested":[{"y":["x"],"z":1}],"é":"café ☕ 𝄞 e"# + "\u{301}" + #""}"#
    #expect(Self.document.compactRendered() == expected)
    #expect(JSONOutput.string("a\u{7F}b").compactRendered() == "\"a\u{7F}b\"")
  }

  @Test func integersAreSpelledAsStringSpellsThem() {
    let values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, 12_345, -987_654_321, 1_000_000_000_000, .max, .min, .max - 1, .min + 1]
    for value in values {
      var bytes: [UInt8] = []
      JSONOutput.integer(value, into: &bytes)
      #expect(String(decoding: bytes, as: UTF8.self) == String(value))
    }
  }

  /// A document written member by member gives the bytes of the same document built as values.
  @Test func theWriterWritesWhatTheValuesRender() {
    guard case .object(var members) = Self.document else { return }
    members["nested"] = nil
    members["empty"] = nil
    var writer = JSONWriter()
    writer.writeObject(members, written: [
      "nested": { writer, indent in
        writer.writeArray(count: 1, indent: indent) { writer, _, indent in
          writer.writeObject(keys: JSONKeys(["y", "z"]), indent: indent) { writer, key, indent in
            if key == 0 { writer.write(.array([.string("x")]), indent: indent) } else { writer.write(integer: 1) }
          }
        }
      },
      "empty": { writer, indent in
        writer.writeObject(["text": .string("")], written: [
          "list": { writer, indent in writer.writeArray(count: 0, indent: indent) { _, _, _ in } },
          "object": { writer, indent in writer.writeObject([:], written: [:], indent: indent) },
        ], indent: indent)
      },
    ], indent: 0)
    #expect(writer.rendered() == Self.document.rendered())

    var strings = JSONWriter()
    strings.writeObject(keys: JSONKeys(["a", "é"]), indent: 0) { writer, key, _ in
      writer.write(string: key == 0 ? "quote \" tab \t nul \u{0}" : "café")
    }
    #expect(strings.rendered() == JSONOutput.object(["a": .string("quote \" tab \t nul \u{0}"), "é": .string("café")]).rendered())
    #expect(JSONWriter().rendered() == "\n")
  }

  /// Deep indents.
  @Test func deepIndentsAreSpaces() {
    var value = JSONOutput.integer(7)
    for _ in 0..<40 { value = .array([value]) }
    var expected = ""
    for level in 0..<40 { expected += String(repeating: " ", count: 2 * level) + "[\n" }
    expected += String(repeating: " ", count: 80) + "7\n"
    for level in (0..<40).reversed() { expected += String(repeating: " ", count: 2 * level) + "]\n" }
    #expect(value.rendered() == expected)
  }
}
