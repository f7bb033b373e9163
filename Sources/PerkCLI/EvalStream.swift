import Foundation
import Perk
import PerkRuntime
import PerkSource

/// `perk eval FILE... --stream`: JSON Lines in, JSON Lines out, one process for a batch.
///
/// Each input line is an ``EventEnvelope`` (`{"customer": …, "event": …, "state": …}`); each
/// output line is `{"customer": ID, "outcome": …, "state": …}`, the outcome and state as
/// `perk eval` writes them, on one line. A line without `state` continues the state this
/// process last wrote for that customer (a new account the first time). A bad line gets an
/// `{"error": {…}, "line": N}` line and the stream goes on; the exit status is then 1.
enum EvalStream {
  static func run(_ files: [SourceFile], decimalMark: DecimalMark, input: Int32, console: Console) throws -> Int32 {
    let compilation = compile(files)
    guard let program = compilation.program, !compilation.hasErrors else {
      let renderer = DiagnosticRenderer(files: files, colors: console.colors)
      console.err(renderer.render(compilation.diagnostics))
      if let summary = renderer.summary(of: compilation.diagnostics) { console.err(summary + "\n") }
      return 1
    }
    var states: [String: AccountState] = [:]
    var failed = false
    var lineNumber = 0
    try readLines(input) { line in
      lineNumber += 1
      guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != UInt8(ascii: "\r") }) else { return }
      let path = "<stdin>:\(lineNumber)"
      do {
        let envelope: EventEnvelope
        do throws(EventEnvelope.Problem) {
          envelope = try EventEnvelope.decode(line, path: "<stdin>", program: program, allowsState: true, decimalMark: decimalMark)
        } catch {
          throw LineFailure(code: error.field.map { "invalid_\($0)" } ?? "invalid_json", message: shifted(error.message, lineNumber),
                            field: error.field)
        }
        let customer = envelope.customer ?? Customer(id: envelope.customerID)
        let state = envelope.state ?? states[envelope.customerID] ?? AccountState()
        let outcome: Outcome
        do {
          outcome = try program.evaluate(envelope.event, customer: customer, state: state)
        } catch {
          throw LineFailure(code: "evaluation_failed", message: "\(path): evaluation failed: \(error)", field: "event")
        }
        states[envelope.customerID] = outcome.state
        let text = "{\"customer\":" + JSONOutput.string(envelope.customerID).line()
          + ",\"outcome\":" + Engine.outcomeJSON(outcome, program: program, event: envelope.event, customer: customer).line()
          + ",\"state\":" + (try Engine.stateJSON(outcome.state, pretty: false)) + "}\n"
        try console.out(text)
      } catch let failure as LineFailure {
        failed = true
        let error = JSONOutput.object([
          "error": .object(["code": .string(failure.code), "message": .string(failure.message),
                            "field": failure.field.map { .string($0) } ?? .null]),
          "line": .integer(Int64(lineNumber)),
        ])
        try console.out(error.line() + "\n")
      }
    }
    return failed ? 1 : 0
  }

  private struct LineFailure: Error {
    var code: String
    var message: String
    var field: String?
  }

  /// `<stdin>:1:COL: …` (positions within the line) as `<stdin>:LINE:COL: …`.
  private static func shifted(_ message: String, _ line: Int) -> String {
    guard message.hasPrefix("<stdin>:1:") else { return message }
    return "<stdin>:\(line):" + message.dropFirst("<stdin>:1:".count)
  }

  /// Calls `body` with each line of `descriptor` (without its newline) as it arrives.
  private static func readLines(_ descriptor: Int32, _ body: ([UInt8]) throws -> Void) throws {
    var pending: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      if count < 0 { throw UserInputError(description: "<stdin>: cannot read: \(String(cString: strerror(errno)))") }
      if count == 0 { break }
      pending += chunk[0..<count]
      var start = 0
      while let newline = pending[start...].firstIndex(of: 10) {
        try body(Array(pending[start..<newline]))
        start = newline + 1
      }
      pending.removeFirst(start)
    }
    if !pending.isEmpty { try body(pending) }
  }
}
