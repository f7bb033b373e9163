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
}
