import Foundation
import PerkCLI
import PerkSyntax
import PerkTestSupport
import Testing

/// `perk lsp`, driven through the built executable by a scripted session: every response is
/// compared exactly.
struct LanguageServerTests {
  static let uri = "file:///work/demo.perk"
  static let broken = """
    program "Demo"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    rule base earn
      on purchase
      earn 2 starz per $1 spent

    """
  static let fixed = broken.replacingOccurrences(of: "starz", with: "stars").replacingOccurrences(of: "rule base", with: "rule  base")

  static func frame(_ json: String) -> String { "Content-Length: \(json.utf8.count)\r\n\r\n\(json)" }

  static func request(_ id: Int, _ method: String, _ params: String) -> String {
    frame(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#)
  }

  static func notification(_ method: String, _ params: String) -> String {
    frame(#"{"jsonrpc":"2.0","method":"\#(method)","params":\#(params)}"#)
  }

  static func quoted(_ text: String) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed, .withoutEscapingSlashes]), as: UTF8.self)
  }

  static func at(_ line: Int, _ character: Int) -> String {
    #"{"textDocument":{"uri":"\#(uri)"},"position":{"line":\#(line),"character":\#(character)}}"#
  }

  /// The bodies of the framed messages in `output`, checking each frame's length.
  static func bodies(_ output: String) -> [String] {
    var bodies: [String] = []
    var rest = Substring(output)
    while let header = rest.range(of: "\r\n\r\n") {
      let length = Int(rest[rest.startIndex..<header.lowerBound].dropFirst("Content-Length: ".count)) ?? -1
      let bytes = Array(rest[header.upperBound...].utf8)
      guard length >= 0, length <= bytes.count else {
        Issue.record("bad frame in \(rest)")
        return bodies
      }
      bodies.append(String(decoding: bytes[0..<length], as: UTF8.self))
      rest = Substring(String(decoding: bytes[length...], as: UTF8.self))
    }
    #expect(rest.isEmpty)
    return bodies
  }

  @Test func aScriptedSession() throws {
    let session = [
      Self.request(1, "initialize", #"{"processId":null,"rootUri":null,"capabilities":{}}"#),
      Self.notification("initialized", "{}"),
      Self.notification("textDocument/didOpen",
                        #"{"textDocument":{"uri":"\#(Self.uri)","languageId":"perk","version":1,"text":\#(Self.quoted(Self.broken))}}"#),
      Self.notification("textDocument/didChange",
                        #"{"textDocument":{"uri":"\#(Self.uri)","version":2},"contentChanges":[{"text":\#(Self.quoted(Self.fixed))}]}"#),
      Self.request(2, "textDocument/hover", Self.at(9, 10)),
      Self.request(3, "textDocument/hover", Self.at(9, 3)),
      Self.request(8, "textDocument/hover", Self.at(8, 3)),
      Self.request(4, "textDocument/definition", Self.at(9, 10)),
      Self.request(5, "textDocument/completion", Self.at(9, 3)),
      Self.request(6, "textDocument/formatting", #"{"textDocument":{"uri":"\#(Self.uri)"},"options":{"tabSize":2,"insertSpaces":true}}"#),
      Self.request(7, "shutdown", "null"),
      Self.notification("exit", "null"),
    ].joined()
    let result = try PerkExecutable.run(arguments: ["lsp"], stdin: session)
    #expect(result.exitCode == 0)
    #expect(result.stderr == "")
    let bodies = Self.bodies(result.stdout)
    try #require(bodies.count == 10)
    #expect(bodies[0] == #"{"id":1,"jsonrpc":"2.0","result":{"capabilities":{"completionProvider":{"triggerCharacters":[]},"definitionProvider":true,"documentFormattingProvider":true,"hoverProvider":true,"textDocumentSync":{"change":1,"openClose":true}},"serverInfo":{"name":"perk","version":"\#(PerkCommandLine.version)"}}}"#)
    // The error, with its range in 0-based lines and UTF-16 columns.
    #expect(bodies[1] == #"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"diagnostics":[{"code":"E0302","message":"unknown points currency `starz`\nhelp: did you mean `stars`?","range":{"end":{"character":14,"line":9},"start":{"character":9,"line":9}},"severity":1,"source":"perk"}],"uri":"file:///work/demo.perk"}}"#)
    #expect(bodies[2] == #"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"diagnostics":[],"uri":"file:///work/demo.perk"}}"#)
    // A name: its declaration.
    #expect(bodies[3] == #"{"id":2,"jsonrpc":"2.0","result":{"contents":{"kind":"markdown","value":"points currency `stars`\n\n```perk\npoints stars\n  worth $0.01\n```"},"range":{"end":{"character":14,"line":9},"start":{"character":9,"line":9}}}}"#)
    // An effect: what it does in words, then its rule; another line of a rule: the rule.
    #expect(bodies[4] == #"{"id":3,"jsonrpc":"2.0","result":{"contents":{"kind":"markdown","value":"Earns 2 stars for every $1.00 spent on all items, counted after discounts.\n\n---\n\nrule `base earn`\n\nRuns on every purchase.\n\nEarns 2 stars for every $1.00 spent on all items, counted after discounts."}}}"#)
    #expect(bodies[5] == #"{"id":8,"jsonrpc":"2.0","result":{"contents":{"kind":"markdown","value":"rule `base earn`\n\nRuns on every purchase.\n\nEarns 2 stars for every $1.00 spent on all items, counted after discounts."}}}"#)
    #expect(bodies[6] == #"{"id":4,"jsonrpc":"2.0","result":{"range":{"end":{"character":12,"line":4},"start":{"character":7,"line":4}},"uri":"file:///work/demo.perk"}}"#)
    // Completion: the declared names, then every keyword of the table.
    let completion = try #require(try JSONSerialization.jsonObject(with: Data(bodies[7].utf8)) as? [String: Any])
    let items = try #require((completion["result"] as? [String: Any])?["items"] as? [[String: Any]])
    #expect(items.compactMap { $0["label"] as? String } == ["stars", "base earn"] + Keyword.allCases.map(\.rawValue))
    #expect(items.first?["detail"] as? String == "points currency")
    // Formatting through `perk fmt`: one edit, the whole text.
    let formatted = Self.quoted(Self.fixed.replacingOccurrences(of: "rule  base", with: "rule base"))
    #expect(bodies[8] == #"{"id":6,"jsonrpc":"2.0","result":[{"newText":\#(formatted),"range":{"end":{"character":0,"line":10},"start":{"character":0,"line":0}}}]}"#)
    #expect(bodies[9] == #"{"id":7,"jsonrpc":"2.0","result":null}"#)
  }

  /// The server asks for whole texts, but a client that sends edits with ranges is understood.
  @Test func anEditWithARangeIsApplied() throws {
    let range = #"{"start":{"line":9,"character":9},"end":{"line":9,"character":14}}"#
    let session = [
      Self.request(1, "initialize", "{}"),
      Self.notification("textDocument/didOpen",
                        #"{"textDocument":{"uri":"\#(Self.uri)","languageId":"perk","version":1,"text":\#(Self.quoted(Self.broken))}}"#),
      Self.notification("textDocument/didChange",
                        #"{"textDocument":{"uri":"\#(Self.uri)","version":2},"contentChanges":[{"range":\#(range),"text":"stars"}]}"#),
      Self.request(2, "textDocument/definition", Self.at(9, 10)),
      Self.request(3, "shutdown", "null"),
      Self.notification("exit", "null"),
    ].joined()
    let result = try PerkExecutable.run(arguments: ["lsp"], stdin: session)
    #expect(result.exitCode == 0)
    let bodies = Self.bodies(result.stdout)
    try #require(bodies.count == 5)
    #expect(bodies[1].contains(#""code":"E0302""#))
    #expect(bodies[2] == #"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"diagnostics":[],"uri":"file:///work/demo.perk"}}"#)
    #expect(bodies[3] == #"{"id":2,"jsonrpc":"2.0","result":{"range":{"end":{"character":12,"line":4},"start":{"character":7,"line":4}},"uri":"file:///work/demo.perk"}}"#)
  }

  /// Mistakes of a client are answered with JSON-RPC errors; the server goes on.
  @Test func badMessagesGetErrorsNotCrashes() throws {
    let session = [
      Self.request(1, "textDocument/hover", Self.at(0, 0)),
      Self.frame("{not json"),
      Self.frame(#"{"jsonrpc":"2.0","id":9,"params":{}}"#),
      Self.request(2, "initialize", "{}"),
      Self.request(3, "textDocument/hover", Self.at(0, 0)),
      Self.request(4, "perk/unknown", "{}"),
      Self.request(5, "textDocument/hover", #"{"textDocument":{"uri":"\#(Self.uri)"}}"#),
    ].joined()
    // The input ends without `exit`: status 1.
    let result = try PerkExecutable.run(arguments: ["lsp"], stdin: session)
    #expect(result.exitCode == 1)
    let bodies = Self.bodies(result.stdout)
    try #require(bodies.count == 7)
    #expect(bodies[0] == #"{"error":{"code":-32002,"message":"the server is not initialized"},"id":1,"jsonrpc":"2.0"}"#)
    #expect(bodies[1] == #"{"error":{"code":-32700,"message":"the message is not JSON"},"id":null,"jsonrpc":"2.0"}"#)
    #expect(bodies[2] == #"{"error":{"code":-32600,"message":"not a JSON-RPC request: no method"},"id":9,"jsonrpc":"2.0"}"#)
    #expect(bodies[3].hasPrefix(#"{"id":2,"jsonrpc":"2.0","result":{"capabilities""#))
    #expect(bodies[4] == #"{"error":{"code":-32602,"message":"unknown document"},"id":3,"jsonrpc":"2.0"}"#)
    #expect(bodies[5] == #"{"error":{"code":-32601,"message":"unknown method `perk/unknown`"},"id":4,"jsonrpc":"2.0"}"#)
    #expect(bodies[6] == #"{"error":{"code":-32602,"message":"unknown document"},"id":5,"jsonrpc":"2.0"}"#)
  }

  /// A header without a length cannot be skipped: the server says so and stops.
  @Test func aBrokenHeaderStopsTheServer() throws {
    let result = try PerkExecutable.run(arguments: ["lsp"], stdin: "Content-Length: 99999999999\r\n\r\n{}")
    #expect(result.exitCode == 1)
    #expect(Self.bodies(result.stdout) == [#"{"error":{"code":-32700,"message":"bad message header `Content-Length: 99999999999` (expected `Content-Length: N` up to 67108864 bytes)"},"id":null,"jsonrpc":"2.0"}"#])
  }
}
