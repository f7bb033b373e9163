import Foundation
import PerkTestSupport
import Testing

/// Rule files as bytes: a byte-order mark, Latin-1 text, control characters; run as the built `perk`.
@Suite final class TextInputTests {
  static let root = PerkExecutable.repositoryRoot()
  static let cafe = (try? Data(contentsOf: root.appendingPathComponent("rules/cafe.perk"))).map { Array($0) } ?? []
  let directory: URL

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("perk-text-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: directory) }

  func file(_ name: String, _ bytes: [UInt8]) throws -> String {
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
  }

  /// The café program with `line` put after its first line.
  func cafe(inserting line: [UInt8]) -> [UInt8] {
    let firstLineEnd = Self.cafe.firstIndex(of: 10)! + 1
    return Array(Self.cafe[..<firstLineEnd]) + line + Array(Self.cafe[firstLineEnd...])
  }

  @Test func aRuleFileWithAByteOrderMarkIsAccepted() throws {
    let path = try file("bom.perk", [0xEF, 0xBB, 0xBF] + Self.cafe)
    let result = try PerkExecutable.run(arguments: ["check", path])
    #expect(result.exitCode == 0)
    #expect(result.stderr == "")
  }

  @Test func latin1InACommentOrStringIsE0107() throws {
    let comment = try file("comment.perk", cafe(inserting: Array("# caf".utf8) + [0xE9] + [10]))
    let result = try PerkExecutable.run(arguments: ["check", comment])
    #expect(result.exitCode == 1)
    #expect(result.stderr.hasPrefix("error[E0107]: invalid UTF-8 byte 0xE9 in a comment\n --> \(comment):2:6\n"))
    #expect(result.stderr.hasSuffix("  = help: save the file as UTF-8\n\nerror: 1 error emitted\n"))
    let string = try file("string.perk", cafe(inserting: Array("reward \"caf".utf8) + [0xE9] + Array("\" costs 10 stars\n".utf8)))
    let stringResult = try PerkExecutable.run(arguments: ["check", string])
    #expect(stringResult.exitCode == 1)
    #expect(stringResult.stderr.hasPrefix("error[E0107]: invalid UTF-8 byte 0xE9 in a string\n --> \(string):2:12\n"))
  }

  @Test func controlCharactersAreNeverEchoedRaw() throws {
    let path = try file("escape.perk", cafe(inserting: Array("rule \u{1B}[2J\u{0}x\n".utf8)))
    let result = try PerkExecutable.run(arguments: ["check", path])
    #expect(result.exitCode == 1)
    #expect(!result.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    #expect(result.stderr.contains("2 | rule \\u{1B}[2J\\0x\n"))
    #expect(result.stderr.contains("error[E0101]: unexpected character `\\u{1B}`\n"))
    // The CLI's own messages quote names and input too.
    let missing = try PerkExecutable.run(arguments: ["check", directory.path + "/no\u{1B}]0;title\u{7}.perk"])
    #expect(missing.exitCode == 1)
    #expect(missing.stderr == "error: \(directory.path)/no\\u{1B}]0;title\\u{07}.perk: no such file\n")
  }
}
