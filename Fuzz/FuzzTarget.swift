import PerkSource

// The stages the fuzzer drives. Until the parser and checker are integrated this only
// exercises the source model and rendering; replace the body with the parse + check calls
// (the same as PerkCLI's Engine.check).
enum FuzzTarget {
  static func check(_ files: [SourceFile]) -> [Diagnostic] {
    guard let file = files.first, !file.bytes.isEmpty else { return [] }
    // A synthetic diagnostic over an arbitrary range, so rendering sees odd offsets.
    let start = Int(file.bytes[0]) % (file.bytes.count + 1)
    let end = start + Int(file.bytes.last ?? 0)
    return [Diagnostic(.invalidCharacter, "fuzz", at: SourceRange(file: 0, start: start, end: end), label: "here")]
  }
}
