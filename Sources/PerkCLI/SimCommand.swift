/// `perk sim`: being built (issues 3–5); its owner replaces this file.
enum SimCommand {
  static func run(_ args: inout ArgumentList, console: inout Console) throws -> Int32 {
    console.err("perk sim: not built yet\n")
    return 2
  }
}
