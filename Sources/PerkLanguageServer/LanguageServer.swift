import Foundation
import Perk
import PerkSource
import PerkSyntax

/// `perk lsp`: a Language Server Protocol server over standard input and output
/// (editors/README.md).
///
/// One thread reads a message, answers it and publishes diagnostics, then reads the next; a
/// document is compiled on every change (a rule file compiles in milliseconds). Full document
/// sync. A malformed message is answered with a JSON-RPC error, never a crash.
package final class LanguageServer {
  private let stream: MessageStream
  private let version: String
  private var documents: [String: Document] = [:]
  private var initialized = false
  private var shutdownRequested = false

  /// A server reading requests from `input` and writing to `output`.
  package init(input: Int32, output: Int32, version: String) {
    stream = MessageStream(input: input, output: output)
    self.version = version
  }

  /// Serves until `exit` (status 0 after `shutdown`, 1 without) or the end of input (1).
  package func run() -> Int32 {
    while true {
      let body: [UInt8]
      do {
        body = try stream.read()
      } catch .endOfInput {
        return 1
      } catch {
        // Without a length the next message cannot be found: report it and stop.
        send(["jsonrpc": "2.0", "id": NSNull(), "error": ["code": -32700, "message": "\(error)"]])
        return 1
      }
      guard let object = try? JSONSerialization.jsonObject(with: Data(body)) else {
        send(["jsonrpc": "2.0", "id": NSNull(), "error": ["code": -32700, "message": "the message is not JSON"]])
        continue
      }
      guard let message = object as? [String: Any], let method = message["method"] as? String else {
        let id = (object as? [String: Any])?["id"] ?? NSNull()
        send(["jsonrpc": "2.0", "id": id, "error": ["code": -32600, "message": "not a JSON-RPC request: no method"]])
        continue
      }
      if method == "exit" { return shutdownRequested ? 0 : 1 }
      let id = message["id"]
      let params = message["params"] as? [String: Any] ?? [:]
      let reply = handle(method, params: params, isRequest: id != nil)
      if let id {
        switch reply {
        case .result(let result): send(["jsonrpc": "2.0", "id": id, "result": result])
        case .error(let code, let text): send(["jsonrpc": "2.0", "id": id, "error": ["code": code, "message": text]])
        }
      }
    }
  }

  private enum Reply {
    case result(Any)
    case error(Int, String)
  }

  private func handle(_ method: String, params: [String: Any], isRequest: Bool) -> Reply {
    if method == "initialize" {
      initialized = true
      return .result(capabilities)
    }
    guard initialized else { return .error(-32002, "the server is not initialized") }
    if shutdownRequested, isRequest { return .error(-32600, "the server is shutting down") }
    switch method {
    case "initialized", "$/cancelRequest", "$/setTrace", "workspace/didChangeConfiguration":
      return .result(NSNull())
    case "shutdown":
      shutdownRequested = true
      return .result(NSNull())
    case "textDocument/didOpen":
      guard let item = params["textDocument"] as? [String: Any], let uri = item["uri"] as? String,
        let text = item["text"] as? String
      else { return .error(-32602, "didOpen needs textDocument.uri and textDocument.text") }
      update(uri, text: text)
    case "textDocument/didChange":
      guard let uri = uri(params), let changes = params["contentChanges"] as? [[String: Any]] else {
        return .error(-32602, "didChange needs textDocument.uri and contentChanges")
      }
      var text = documents[uri].map { String(decoding: $0.file.bytes, as: UTF8.self) } ?? ""
      for change in changes {
        guard let newText = change["text"] as? String else { return .error(-32602, "a change needs its text") }
        text = Self.applying(change["range"] as? [String: Any], newText, to: text, uri: uri)
      }
      update(uri, text: text)
    case "textDocument/didClose":
      if let uri = uri(params) {
        documents[uri] = nil
        publish(uri: uri, diagnostics: [])
      }
    case "textDocument/hover":
      return located(params) { document, offset in self.hover(document, offset) }
    case "textDocument/definition":
      return located(params) { document, offset in self.definition(document, offset) }
    case "textDocument/completion":
      return located(params) { document, _ in self.completion(document) }
    case "textDocument/formatting":
      guard let uri = uri(params), let document = documents[uri] else { return .error(-32602, "unknown document") }
      return .result(formatting(document))
    default:
      return isRequest ? .error(-32601, "unknown method `\(method)`") : .result(NSNull())
    }
    return .result(NSNull())
  }

  /// A change as the protocol sends it: the whole text (what this server asks for), or, from a
  /// client that sends edits anyway, `newText` replacing a range.
  static func applying(_ range: [String: Any]?, _ newText: String, to text: String, uri: String) -> String {
    guard let range, let start = range["start"] as? [String: Any], let end = range["end"] as? [String: Any] else {
      return newText
    }
    let file = SourceFile(path: uri, text: text)
    func offset(_ position: [String: Any]) -> Int {
      Document.offset(in: file, line: position["line"] as? Int ?? 0, character: position["character"] as? Int ?? 0)
    }
    let bytes = file.bytes
    let from = offset(start)
    let to = max(from, offset(end))
    return String(decoding: bytes[..<from] + Array(newText.utf8) + bytes[to...], as: UTF8.self)
  }

  private var capabilities: [String: Any] {
    [
      "capabilities": [
        "textDocumentSync": ["openClose": true, "change": 1],
        "hoverProvider": true,
        "definitionProvider": true,
        "completionProvider": ["triggerCharacters": [String]()],
        "documentFormattingProvider": true,
      ],
      "serverInfo": ["name": "perk", "version": version],
    ]
  }

  private func uri(_ params: [String: Any]) -> String? {
    (params["textDocument"] as? [String: Any])?["uri"] as? String
  }

  /// Runs `body` with the document and the byte offset of `params.position`.
  private func located(_ params: [String: Any], _ body: (Document, Int) -> Any) -> Reply {
    guard let uri = uri(params), let document = documents[uri] else { return .error(-32602, "unknown document") }
    guard let position = params["position"] as? [String: Any], let line = position["line"] as? Int,
      let character = position["character"] as? Int
    else { return .error(-32602, "a position needs a line and a character") }
    return .result(body(document, document.offset(line: line, character: character)))
  }

  // MARK: - Diagnostics

  private func update(_ uri: String, text: String) {
    let document = Document(uri: uri, text: text)
    documents[uri] = document
    publish(uri: uri, diagnostics: document.compilation.diagnostics.map { diagnostic in
      var message = diagnostic.message
      if let help = diagnostic.help { message += "\nhelp: \(help)" }
      return [
        "range": document.range(diagnostic.range),
        "severity": diagnostic.severity == .error ? 1 : 2,
        "code": diagnostic.code.rawValue,
        "source": "perk",
        "message": message,
      ] as [String: Any]
    })
  }

  private func publish(uri: String, diagnostics: [[String: Any]]) {
    send(["jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
          "params": ["uri": uri, "diagnostics": diagnostics]])
  }

  // MARK: - Hover, definition, completion, formatting

  /// On a declared name: its declaration (and, for a rule, what it does); on an effect, what it
  /// does in words and then its rule; elsewhere in a rule, the rule in words.
  private func hover(_ document: Document, _ offset: Int) -> Any {
    if let (symbol, range) = document.symbol(at: offset) {
      let line = document.position(of: symbol.nameRange.start).line
      let start = document.declarationLine(containing: symbol.nameRange.start) ?? line
      var text = "\(symbol.kind) `\(symbol.name)`\n\n```perk\n\(document.declarationText(startingAt: start))\n```"
      if symbol.kind == "rule", let meaning = ruleMeaning(document, named: symbol.name) { text += "\n\n" + meaning }
      return ["contents": ["kind": "markdown", "value": text], "range": document.range(range)]
    }
    // An effect: what it does, then the rest of its rule.
    if let (name, index) = document.effect(at: offset), let program = document.compilation.program,
      let rule = program.rules.first(where: { $0.name == name }), rule.effects.indices.contains(index),
      rule.effects.count == document.effectOffsets[name]?.count
    {
      let meaning = RuleMeaning(program: program)
      let text = "\(meaning.effect(rule.effects[index]))\n\n---\n\nrule `\(name)`\n\n"
        + meaning.sentences(rule).joined(separator: "\n\n")
      return ["contents": ["kind": "markdown", "value": text]]
    }
    // Elsewhere in a rule: the rule in words.
    if let start = document.declarationLine(containing: offset) {
      let words = document.file.lineText(start + 1).split(separator: " ")
      let name = words.dropFirst().joined(separator: " ")
      if words.first.map({ $0.lowercased() }) == Keyword.rule.rawValue, let meaning = ruleMeaning(document, named: name) {
        return ["contents": ["kind": "markdown", "value": "rule `\(name)`\n\n" + meaning]]
      }
    }
    return NSNull()
  }

  private func ruleMeaning(_ document: Document, named name: String) -> String? {
    guard let program = document.compilation.program, let rule = program.rules.first(where: { $0.name == name }) else {
      return nil
    }
    return RuleMeaning(program: program).sentences(rule).joined(separator: "\n\n")
  }

  private func definition(_ document: Document, _ offset: Int) -> Any {
    guard let (symbol, _) = document.symbol(at: offset) else { return NSNull() }
    return ["uri": document.uri, "range": document.range(symbol.nameRange)]
  }

  /// The language's keywords (the one table) and the document's declared names.
  private func completion(_ document: Document) -> Any {
    var items: [[String: Any]] = []
    var seen: Set<String> = []
    for symbol in document.symbols where seen.insert(symbol.name).inserted {
      items.append(["label": symbol.name, "kind": 6, "detail": symbol.kind])
    }
    for keyword in Keyword.allCases where seen.insert(keyword.rawValue).inserted {
      items.append(["label": keyword.rawValue, "kind": 14])
    }
    return ["isIncomplete": false, "items": items]
  }

  /// One edit replacing the whole text, or none when it is formatted or has lexical errors.
  private func formatting(_ document: Document) -> Any {
    guard case .success(let text) = Formatter.format(document.file), Array(text.utf8) != document.file.bytes else {
      return [Any]()
    }
    let end = document.position(of: document.file.bytes.count)
    return [[
      "range": ["start": ["line": 0, "character": 0], "end": ["line": end.line, "character": end.character]],
      "newText": text,
    ]]
  }

  // MARK: - Writing

  private func send(_ message: [String: Any]) {
    guard let data = try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return }
    stream.write(Array(data))
  }
}
