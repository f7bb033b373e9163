import Foundation
import PerkTestSupport
import Testing

/// docs/examples/serve_client.py, the Python example of docs/serve.md, against a live server.
@Test(.enabled(if: python3Path != nil, "python3 is needed to run the Python client example"))
func thePythonClientExampleRunsAgainstALiveServer() throws {
  let scratch = try ScratchDirectory("perk-serve-python")
  try "py-token\n".write(toFile: scratch.path("token"), atomically: true, encoding: .utf8)
  let server = try LiveServer(["rules/cafe.perk", "--token-file", scratch.path("token")])
  let process = Process()
  process.executableURL = URL(fileURLWithPath: python3Path!)
  process.arguments = ["docs/examples/serve_client.py", "http://127.0.0.1:\(server.port)", "py-token"]
  process.currentDirectoryURL = PerkExecutable.repositoryRoot()
  let output = Pipe()
  process.standardOutput = output
  process.standardError = output
  try process.run()
  let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  #expect(process.waitForExit().status == 0, "\(text)")
  #expect(text == """
    earned: 18 stars, 39 stars
    balances: {'stars': 57}
    tier: green
    near miss: 93 stars to free drink
    near miss: 9 more coffee or tea items to a free one (coffee card)
    near miss: $492.25 more spend to gold (net amounts paid, before tax)
    refused: idempotency_conflict on event.id

    """)
}
