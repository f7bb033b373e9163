import Foundation
import Testing

/// Golden-file comparison: the expected output lives in a file next to the test.
public enum Golden {
  /// Compares `actual` with the file at `goldenPath`, resolved relative to the calling test file.
  ///
  /// When the file is missing or `PERK_RECORD_GOLDEN=1`, writes it and fails with
  /// "recorded new baseline", so a recording run never passes silently.
  public static func assertMatches(
    actual: String,
    goldenPath: String,
    filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let url = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent(goldenPath)
    let record = ProcessInfo.processInfo.environment["PERK_RECORD_GOLDEN"] == "1"
    guard !record, let data = FileManager.default.contents(atPath: url.path) else {
      do {
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(actual.utf8).write(to: url)
        Issue.record(Comment(rawValue: "recorded new baseline at \(url.path)"), sourceLocation: sourceLocation)
      } catch {
        Issue.record(Comment(rawValue: "cannot write golden \(url.path): \(error)"), sourceLocation: sourceLocation)
      }
      return
    }
    let expected = String(decoding: data, as: UTF8.self)
    if expected != actual {
      let diff = lineDiff(expected: expected, actual: actual)
      Issue.record(
        Comment(rawValue: "output differs from \(goldenPath) (- expected, + actual; PERK_RECORD_GOLDEN=1 re-records):\n\(diff)"),
        sourceLocation: sourceLocation)
    }
  }

  /// A minimal line diff (longest common subsequence), `-` for expected-only and `+` for actual-only lines.
  public static func lineDiff(expected: String, actual: String) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var lcs = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in stride(from: a.count - 1, through: 0, by: -1) {
      for j in stride(from: b.count - 1, through: 0, by: -1) {
        lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
      }
    }
    var out: [String] = []
    var (i, j) = (0, 0)
    while i < a.count || j < b.count {
      if i < a.count, j < b.count, a[i] == b[j] {
        out.append("  " + a[i]); i += 1; j += 1
      } else if j < b.count, i == a.count || lcs[i][j + 1] >= lcs[i + 1][j] {
        out.append("+ " + b[j]); j += 1
      } else {
        out.append("- " + a[i]); i += 1
      }
    }
    return out.joined(separator: "\n")
  }
}
