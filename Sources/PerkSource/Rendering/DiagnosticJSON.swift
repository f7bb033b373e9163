import Foundation

/// Machine-readable diagnostics for editors and CI (`perk check --format json`).
///
/// The output is a pretty-printed JSON array with sorted keys; every object has the keys
/// `code`, `severity`, `message`, `path`, `range`, `label`, `labels`, `notes` and `help`
/// (absent values are `null`). A range is `{start: {line, column, offset}, end: {…}}`
/// with 1-based lines, 1-based character columns and 0-based byte offsets.
public enum DiagnosticJSON {
  /// Encodes diagnostics whose ranges point into `files`.
  public static func encode(_ diagnostics: [Diagnostic], files: [SourceFile]) -> String {
    var table: [SourceFile.ID: SourceFile] = [:]
    for file in files { table[file.id] = file }
    let entries = diagnostics.map { d in
      Entry(
        code: d.code.rawValue,
        severity: d.severity.rawValue,
        message: d.message,
        path: table[d.range.file]?.path,
        range: RangeJSON(d.range, in: table),
        label: d.primaryLabel,
        labels: d.labels.map {
          LabelJSON(message: $0.message, path: table[$0.range.file]?.path, range: RangeJSON($0.range, in: table))
        },
        notes: d.notes,
        help: d.help)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(entries) else { return "[]" }
    return String(decoding: data, as: UTF8.self)
  }

  private struct Entry: Encodable {
    var code, severity, message: String
    var path: String?
    var range: RangeJSON?
    var label: String?
    var labels: [LabelJSON]
    var notes: [String]
    var help: String?

    enum CodingKeys: String, CodingKey { case code, severity, message, path, range, label, labels, notes, help }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(code, forKey: .code)
      try c.encode(severity, forKey: .severity)
      try c.encode(message, forKey: .message)
      try c.encode(path, forKey: .path)  // Optional encodes as null: the key set stays stable.
      try c.encode(range, forKey: .range)
      try c.encode(label, forKey: .label)
      try c.encode(labels, forKey: .labels)
      try c.encode(notes, forKey: .notes)
      try c.encode(help, forKey: .help)
    }
  }

  private struct LabelJSON: Encodable {
    var message: String
    var path: String?
    var range: RangeJSON?

    enum CodingKeys: String, CodingKey { case message, path, range }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(message, forKey: .message)
      try c.encode(path, forKey: .path)
      try c.encode(range, forKey: .range)
    }
  }

  private struct RangeJSON: Encodable {
    var start: Position
    var end: Position

    init?(_ range: SourceRange, in files: [SourceFile.ID: SourceFile]) {
      guard let file = files[range.file] else { return nil }
      start = Position(file.location(of: range.start))
      end = Position(file.location(of: range.end))
    }
  }

  private struct Position: Encodable {
    var line, column, offset: Int
    init(_ location: SourceLocation) {
      line = location.line
      column = location.column
      offset = location.offset
    }
  }
}
