// The example programs the fuzz targets run their inputs against (see docs/fuzzing.md).
import Foundation
import Perk

/// `rules/*.perk` and `Fuzz/programs/*.perk` (programs with features no example has), read
/// once from the working directory (scripts/fuzz.sh runs from the repository root) and
/// compiled: the inputs under test are histories, JSON and REPL lines, so the programs are
/// fixed, and a control field picks one of them.
enum FuzzPrograms {
  /// Each program's path (`rules/cafe.perk`) → its text.
  static let texts: [String: String] = {
    var texts: [String: String] = [:]
    for directory in ["rules", "Fuzz/programs"] {
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
        fatalError("fuzz harness: run from the repository root (no `\(directory)/` here)")
      }
      for name in names where name.hasSuffix(".perk") {
        let path = directory + "/" + name
        if let data = FileManager.default.contents(atPath: path) { texts[path] = String(decoding: data, as: UTF8.self) }
      }
    }
    return texts
  }()

  /// The compiled programs, by base name (`cafe`, `p7-referral`, `budgeted`), in path order.
  static let all: [(name: String, program: Program)] = texts.keys.sorted().compactMap { path in
    guard let program = compile(source: texts[path]!, path: path).program else {
      fatalError("fuzz harness: \(path) does not compile")
    }
    let name = String(path.split(separator: "/").last!.dropLast(".perk".count))
    return (name, program)
  }

  /// The program a control field names: an example's base name, otherwise one chosen by the
  /// field's bytes (so a mutated name still picks some program); `cafe` when empty.
  static func named(_ field: Substring) -> Program {
    let name = field.trimmingCharacters(in: .whitespaces)
    if name.isEmpty { return named("cafe") }
    if let match = all.first(where: { $0.name == name }) { return match.program }
    let sum = name.utf8.reduce(0) { $0 &+ Int($1) }
    return all[sum % all.count].program
  }
}
