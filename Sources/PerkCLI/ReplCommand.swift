/// `perk repl`: being built (issues 3–5); its owner replaces this file.
enum ReplCommand {
  static func run(_ args: inout ArgumentList, console: inout Console) throws -> Int32 {
    console.err("perk repl: not built yet\n")
    return 2
  }
}
