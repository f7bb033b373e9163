import Foundation
import PerkSource

/// `perk demo`: checks the built-in café program and runs the demo purchases through it.
enum DemoCommand {
  static func run(_ args: inout ArgumentList, console: inout Console) throws -> Int32 {
    let showProgram = args.takeFlag("--show-program")
    _ = try args.takePositionals(knownFlags: ["--show-program", "--color"])
    guard args.items.isEmpty else { throw UsageError.missingArgument("nothing: `perk demo` takes no files") }

    let file = SourceFile(id: 0, path: CafeExample.path, text: CafeExample.program)
    if showProgram { try console.out(CafeExample.program + "\n") }
    let diagnostics = Engine.check([file])
    if !diagnostics.isEmpty {
      let renderer = DiagnosticRenderer(files: [file], colors: console.colors)
      console.err(renderer.render(diagnostics))
      if let summary = renderer.summary(of: diagnostics) { console.err(summary + "\n") }
      if diagnostics.contains(where: { $0.severity == .error }) { return 1 }
    }
    try console.out("Bean & Leaf Rewards: \(CafeExample.purchases.count) purchases for customer c-1001\n")
    var state: Data? = nil
    for (index, (title, event)) in CafeExample.purchases.enumerated() {
      try console.out("\n\(index + 1). \(title)\n")
      let result = try Engine.evaluate(
        [file], event: Data(event.utf8), eventPath: "<demo event \(index + 1)>",
        customer: Data(CafeExample.customer.utf8), customerPath: "<demo customer>",
        state: state, statePath: "<demo state>")
      try console.out(result.outcome + "\n")
      state = Data(result.state.utf8)
    }
    return 0
  }
}
