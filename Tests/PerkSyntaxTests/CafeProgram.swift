import Foundation

/// The café program of the language sketch, read from `rules/cafe.perk` so the tests,
/// the docs and `perk demo` share one copy.
let cafeProgram: String = {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  let url = root.appendingPathComponent("rules").appendingPathComponent("cafe.perk")
  guard let text = try? String(contentsOf: url, encoding: .utf8) else {
    fatalError("cannot read \(url.path): the tests run from a checkout of the repository")
  }
  return text
}()
