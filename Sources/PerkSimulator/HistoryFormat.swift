/// The layout of a history file.
package enum HistoryFormat: String, Sendable, CaseIterable {
  /// Comma-separated, with a header row; fields may be quoted (`"a, b"`, `""` for a quote).
  case csv
  /// Tab-separated, with a header row.
  case tsv
  /// Fields separated by runs of spaces or tabs, with a header row (fixed-width exports such as CDNOW).
  case whitespace
  /// One JSON object per line; keys are the column names.
  case jsonl

  /// The format a file's name or first line suggests: `.tsv`, `.jsonl`/`.ndjson`, `.csv` by name;
  /// otherwise a first line starting with `{` is JSON Lines, one with a tab TSV, one with a comma CSV,
  /// and anything else whitespace-separated.
  package static func detect(path: String, firstLine: [UInt8]) -> HistoryFormat {
    let lower = path.lowercased()
    if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return .tsv }
    if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
    if lower.hasSuffix(".csv") { return .csv }
    let trimmed = firstLine.drop { $0 == 32 || $0 == 9 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
    if trimmed.first == UInt8(ascii: "{") { return .jsonl }
    if firstLine.contains(9) { return .tsv }
    if firstLine.contains(UInt8(ascii: ",")) { return .csv }
    return .whitespace
  }

  /// Splits one line into field byte ranges. CSV quotes are removed and `""` unescaped, which
  /// needs a copy: such fields come back in `unquoted`, addressed by negative indexes.
  static func split(_ line: UnsafeBufferPointer<UInt8>, format: HistoryFormat, into fields: inout [Range<Int>],
                    unquoted: inout [[UInt8]]) -> String? {
    fields.removeAll(keepingCapacity: true)
    unquoted.removeAll(keepingCapacity: true)
    let n = line.count
    switch format {
    case .whitespace:
      var i = 0
      while i < n {
        while i < n, line[i] == 32 || line[i] == 9 { i += 1 }
        guard i < n else { break }
        let start = i
        while i < n, line[i] != 32, line[i] != 9 { i += 1 }
        fields.append(start..<i)
      }
    case .tsv:
      var start = 0
      for i in 0..<n where line[i] == 9 {
        fields.append(start..<i)
        start = i + 1
      }
      fields.append(start..<n)
    case .csv:
      var i = 0
      while true {
        if i < n, line[i] == 34 {
          // A quoted field: copy it, unescaping doubled quotes.
          var value: [UInt8] = []
          i += 1
          var closed = false
          while i < n {
            if line[i] == 34 {
              if i + 1 < n, line[i + 1] == 34 { value.append(34); i += 2; continue }
              closed = true
              i += 1
              break
            }
            value.append(line[i])
            i += 1
          }
          guard closed else { return "unterminated quoted field" }
          guard i == n || line[i] == 44 else { return "text after a closing quote" }
          unquoted.append(value)
          // Negative ranges mark copies: -(k + 1) is unquoted[k].
          fields.append(-(unquoted.count)..<(-(unquoted.count)))
          if i == n { break }
          i += 1
        } else {
          let start = i
          while i < n, line[i] != 44 { i += 1 }
          fields.append(start..<i)
          if i == n { break }
          i += 1
        }
      }
    case .jsonl:
      break
    }
    return nil
  }
}
