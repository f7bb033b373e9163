import Foundation
import PerkLanguageServer

/// `perk lsp`: the language server on standard input and output (editors/README.md).
enum LspCommand {
  static let help = """
    perk lsp — a Language Server for editors, over standard input and output

    USAGE:
      perk lsp

    Speaks the Language Server Protocol (JSON-RPC 2.0 with Content-Length framing) on
    standard input and output: diagnostics as you type (the same as `perk check`), hover on a
    name (its declaration; on a rule, what it does in words), completion of keywords and
    declared names, go to definition, and formatting through `perk fmt`. An editor starts it;
    editors/README.md shows how for VS Code, Neovim and Helix.

    EXIT STATUS:
      0 after `shutdown` and `exit`, 1 when the input ends or `exit` comes without `shutdown`

    """

  static func run(_ args: inout ArgumentList, console: inout Console) throws -> Int32 {
    let extra = try args.takePositionals(knownFlags: ["--color"])
    guard extra.isEmpty else { throw UsageError.missingArgument("nothing: `perk lsp` takes no files (an editor sends them)") }
    return LanguageServer(input: STDIN_FILENO, output: STDOUT_FILENO, version: PerkCommandLine.version).run()
  }
}
