import Foundation
import Perk
import PerkSource
import PerkSyntax
import PerkTestSupport
import Testing

/// `perk fmt`, through the built executable, and the layout of the shipped files and docs.
struct FmtCommandTests {
  static let messy = "rule  a\n    on purchase\n    earn 1   stars\n"
  static let tidy = "rule a\n  on purchase\n  earn 1 stars\n"

  @Test func rewritesFilesInPlaceAndLeavesFormattedOnesAlone() throws {
    let scratch = try ScratchDirectory("perk-fmt")
    try Self.messy.write(toFile: scratch.path("a.perk"), atomically: true, encoding: .utf8)
    try Self.tidy.write(toFile: scratch.path("b.perk"), atomically: true, encoding: .utf8)
    let before = try FileManager.default.attributesOfItem(atPath: scratch.path("b.perk"))[.systemFileNumber] as? Int
    let result = try PerkExecutable.run(arguments: ["fmt", scratch.path("a.perk"), scratch.path("b.perk")])
    #expect(result.exitCode == 0)
    #expect(result.stdout == "")
    #expect(result.stderr == "")
    #expect(scratch.read("a.perk") == Self.tidy)
    #expect(scratch.read("b.perk") == Self.tidy)
    // An unchanged file is not rewritten (an atomic rewrite would give it a new inode).
    let after = try FileManager.default.attributesOfItem(atPath: scratch.path("b.perk"))[.systemFileNumber] as? Int
    #expect(before == after)
  }

  @Test func checkListsFilesThatWouldChangeAndWritesNothing() throws {
    let scratch = try ScratchDirectory("perk-fmt")
    try Self.messy.write(toFile: scratch.path("a.perk"), atomically: true, encoding: .utf8)
    try Self.tidy.write(toFile: scratch.path("b.perk"), atomically: true, encoding: .utf8)
    let result = try PerkExecutable.run(arguments: ["fmt", "--check", scratch.path("a.perk"), scratch.path("b.perk")])
    #expect(result.exitCode == 1)
    #expect(result.stdout == "")
    #expect(result.stderr == "\(scratch.path("a.perk")): not formatted (run `perk fmt \(scratch.path("a.perk"))`)\n")
    #expect(scratch.read("a.perk") == Self.messy)
    let clean = try PerkExecutable.run(arguments: ["fmt", "--check", scratch.path("b.perk")])
    #expect(clean.exitCode == 0)
    #expect(clean.stderr == "")
  }

  @Test func dashReadsStandardInputAndWritesStandardOutput() throws {
    let result = try PerkExecutable.run(arguments: ["fmt", "-"], stdin: Self.messy)
    #expect(result.exitCode == 0)
    #expect(result.stdout == Self.tidy)
    let check = try PerkExecutable.run(arguments: ["fmt", "--check", "-"], stdin: Self.messy)
    #expect(check.exitCode == 1)
    #expect(check.stdout == "")
    #expect(check.stderr == "<stdin>: not formatted (run `perk fmt -`)\n")
  }

  @Test func aFileWithLexicalErrorsIsReportedAndLeftAlone() throws {
    let scratch = try ScratchDirectory("perk-fmt")
    let text = "rule  a\n  earn 10 stars @ 3\n"
    try text.write(toFile: scratch.path("bad.perk"), atomically: true, encoding: .utf8)
    try Self.messy.write(toFile: scratch.path("good.perk"), atomically: true, encoding: .utf8)
    let result = try PerkExecutable.run(arguments: ["fmt", scratch.path("bad.perk"), scratch.path("good.perk")])
    #expect(result.exitCode == 1)
    #expect(result.stderr.contains("error[E0101]: unexpected character `@`"))
    #expect(result.stderr.hasSuffix("error: \(scratch.path("bad.perk")): not formatted: it has lexical errors\n"))
    #expect(scratch.read("bad.perk") == text)
    // The next file is still formatted.
    #expect(scratch.read("good.perk") == Self.tidy)
  }

  @Test func helpNamesTheNewCommands() throws {
    let overview = try PerkExecutable.run(arguments: ["--help"])
    #expect(overview.stdout.contains("\n  fmt      Lay out Perk files in the one canonical layout (--check for CI)\n"))
    #expect(overview.stdout.contains("\n  lsp      A Language Server for editors"))
    for command in ["fmt", "lsp"] {
      let a = try PerkExecutable.run(arguments: ["help", command])
      let b = try PerkExecutable.run(arguments: [command, "--help"])
      #expect(a.exitCode == 0 && b.exitCode == 0)
      #expect(a.stdout == b.stdout)
      #expect(a.stdout.hasPrefix("perk \(command) — "))
    }
  }

  @Test func usageErrors() throws {
    let none = try PerkExecutable.run(arguments: ["fmt"])
    #expect(none.exitCode == 2)
    #expect(none.stderr.hasPrefix("error: missing a Perk file to format"))
  }

  /// A directory means every .perk file under it; a path that cannot be read is reported and
  /// the other paths are still formatted.
  @Test func directoriesAndMissingPaths() throws {
    let scratch = try ScratchDirectory("perk-fmt")
    try FileManager.default.createDirectory(atPath: scratch.path("rules/deeper"), withIntermediateDirectories: true)
    try Self.messy.write(toFile: scratch.path("rules/a.perk"), atomically: true, encoding: .utf8)
    try Self.messy.write(toFile: scratch.path("rules/deeper/b.perk"), atomically: true, encoding: .utf8)
    try Self.messy.write(toFile: scratch.path("rules/notes.txt"), atomically: true, encoding: .utf8)
    let result = try PerkExecutable.run(arguments: ["fmt", scratch.path("missing.perk"), scratch.path("rules")])
    #expect(result.exitCode == 1)
    #expect(result.stderr == "error: \(scratch.path("missing.perk")): no such file or directory\n")
    #expect(scratch.read("rules/a.perk") == Self.tidy)
    #expect(scratch.read("rules/deeper/b.perk") == Self.tidy)
    #expect(scratch.read("rules/notes.txt") == Self.messy)
  }

  /// CI runs `perk fmt --check rules/*.perk`; the docs' examples are held to the same layout.
  @Test(arguments: DocumentationBlocks.files(in: "rules", suffix: ".perk"))
  func ruleFilesAreFormatted(path: String) throws {
    let data = try Data(contentsOf: DocumentationBlocks.root.appendingPathComponent(path))
    try Self.expectFormattedAndSameProgram(SourceFile(path: path, bytes: Array(data)))
  }

  @Test func docsExamplesAreFormatted() throws {
    let blocks = DocumentationBlocks.blocks.filter { $0.expectedCode == nil }
    #expect(blocks.count >= 10)
    for block in blocks {
      try Self.expectFormattedAndSameProgram(SourceFile(path: block.description, text: block.text))
    }
  }

  /// fmt(x) == x, fmt(fmt(x)) == fmt(x), and x and fmt(x) compile to the same program.
  static func expectFormattedAndSameProgram(_ file: SourceFile) throws {
    guard case .success(let formatted) = Formatter.format(file) else {
      Issue.record("\(file.path) has lexical errors")
      return
    }
    #expect(formatted == String(decoding: file.bytes, as: UTF8.self), "\(file.path): run `perk fmt`")
    let again = SourceFile(path: file.path, text: formatted)
    guard case .success(let twice) = Formatter.format(again) else { return }
    #expect(twice == formatted, "\(file.path): not idempotent")
    #expect(Formatter.syntaxWithoutPositions(file) == Formatter.syntaxWithoutPositions(again))
    let original = compile([file]).program?.describe()
    #expect(original != nil, "\(file.path) does not compile")
    #expect(compile([again]).program?.describe() == original)
  }
}
