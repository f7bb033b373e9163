import Foundation
import PerkTestSupport
import Testing

@testable import PerkCLI

/// docs/tutorial.md, run step by step: each file block (```` ```perk my-cafe.perk ````) is written
/// as the reader writes it (or, under `rules/`, must equal the shipped file), and each `$ ` line
/// of a ```` ```console ```` block runs in a shell, its output (standard output and error, as a
/// terminal shows them) compared with the lines under it. `echo $?` prints the last status.
enum Tutorial {
  enum Step: CustomStringConvertible {
    case file(path: String, text: String, line: Int)
    case command(String, output: String, line: Int)

    var description: String {
      switch self {
      case .file(let path, _, let line): "docs/tutorial.md:\(line): \(path)"
      case .command(let command, _, let line): "docs/tutorial.md:\(line): $ \(command)"
      }
    }
  }

  static func steps(of markdown: String) -> [Step] {
    var steps: [Step] = []
    let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var index = 0
    while index < lines.count {
      let fence = lines[index]
      index += 1
      guard fence.hasPrefix("```") else { continue }
      let info = fence.dropFirst(3).split(separator: " ")
      var body: [(text: String, line: Int)] = []
      while index < lines.count, !lines[index].hasPrefix("```") {
        body.append((lines[index], index + 1))
        index += 1
      }
      index += 1  // the closing fence
      if info.count == 2 {
        steps.append(.file(path: String(info[1]), text: body.map { $0.text + "\n" }.joined(), line: body.first?.line ?? index))
      } else if info == ["console"] {
        var current: (command: String, output: String, line: Int)?
        var continued = false
        for (text, line) in body {
          if continued, var command = current {
            command.command += "\n" + text
            current = command
            continued = text.hasSuffix("\\")
          } else if text.hasPrefix("$ ") {
            if let done = current { steps.append(.command(done.command, output: done.output, line: done.line)) }
            current = (String(text.dropFirst(2)), "", line)
            continued = text.hasSuffix("\\")
          } else {
            current?.output += text + "\n"
          }
        }
        if let done = current { steps.append(.command(done.command, output: done.output, line: done.line)) }
      }
    }
    return steps
  }

  /// Runs `command` with `/bin/sh` in `directory`, `perk` on the path; output and error together.
  static func run(_ command: String, in directory: String) throws -> (output: String, status: Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.environment = [
      "PATH": PerkExecutable.productsDirectory.path + ":/usr/bin:/bin", "NO_COLOR": "1", "LC_ALL": "C.UTF-8",
      "HOME": directory,
    ]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    // No input: a pipe closed at once (not the machine's /dev/null).
    let input = Pipe()
    process.standardInput = input
    try process.run()
    try? input.fileHandleForWriting.close()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    return (String(decoding: data, as: UTF8.self), process.waitForExit().status)
  }
}

@Test func tutorialRunsStepByStep() throws {
  let root = PerkExecutable.repositoryRoot()
  let markdown = try String(contentsOf: root.appendingPathComponent("docs/tutorial.md"), encoding: .utf8)
  let steps = Tutorial.steps(of: markdown)
  #expect(steps.count(where: { if case .command = $0 { true } else { false } }) >= 10)
  let scratch = try ScratchDirectory("perk-tutorial")
  // The reader works in the repository root: `rules/` is there (read only here).
  try FileManager.default.createSymbolicLink(atPath: scratch.path("rules"), withDestinationPath: root.appendingPathComponent("rules").path)
  var status: Int32 = 0
  // PERK_RECORD_GOLDEN=1 writes each command's actual output under it in docs/tutorial.md (read the diff).
  let recording = ProcessInfo.processInfo.environment["PERK_RECORD_GOLDEN"] == "1"
  var recorded = markdown
  for step in steps {
    switch step {
    case .file(let path, let text, _):
      if path.hasPrefix("rules/") {
        let shipped = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        #expect(shipped == text, "\(step) differs from the shipped file")
      } else {
        try text.write(toFile: scratch.path(path), atomically: true, encoding: .utf8)
      }
    case .command(let command, let expected, _):
      if command == "echo $?" {
        #expect(expected == "\(status)\n", "\(step)")
        continue
      }
      let (output, exit) = try Tutorial.run(command, in: scratch.path(""))
      status = exit
      if recording, output != expected {
        recorded = recorded.replacingOccurrences(of: "$ \(command)\n\(expected)", with: "$ \(command)\n\(output)")
        continue
      }
      #expect(output == expected, "\(step)\n\(Golden.lineDiff(expected: expected, actual: output))")
    }
  }
  if recording, recorded != markdown {
    try recorded.write(to: root.appendingPathComponent("docs/tutorial.md"), atomically: true, encoding: .utf8)
  }
  // Step 4 ends with the café program of rules/cafe.perk (the built-in copy equals it).
  #expect(scratch.read("my-cafe.perk") == CafeExample.program)
  // The purchase's state went through the return.
  #expect(scratch.read("state.json")?.contains("\"r-1\"") == true)
}
