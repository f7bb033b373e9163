/// The layout of a history file.
package enum HistoryFormat: String, Sendable, CaseIterable {
  /// Comma-separated, with a header row; fields may be quoted (`"a, b"`, `""` for a quote).
  case csv
  /// Semicolon-separated and quoted like CSV: spreadsheet exports where the comma is the
  /// decimal mark (read their amounts with `--decimal-comma`).
  case semicolon
  /// Tab-separated, with a header row.
  case tsv
  /// Fields separated by runs of spaces or tabs, with a header row (fixed-width exports such as CDNOW).
  case whitespace
  /// One JSON object per line; keys are the column names.
  case jsonl

  /// The format a file's name or first line suggests: `.tsv`, `.jsonl`/`.ndjson` by name; `.csv`
  /// is CSV, or semicolon-separated when the first line has more semicolons than commas (as
  /// spreadsheets in continental Europe write it). Otherwise a first line starting with `{` is
  /// JSON Lines, one with a tab TSV, one with a comma or semicolon CSV or semicolon-separated,
  /// and anything else whitespace-separated.
  package static func detect(path: String, firstLine: [UInt8]) -> HistoryFormat {
    let lower = path.lowercased()
    if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return .tsv }
    if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
    let commas = firstLine.count(where: { $0 == 44 })
    let semicolons = firstLine.count(where: { $0 == 59 })
    if lower.hasSuffix(".csv") { return semicolons > commas ? .semicolon : .csv }
    let trimmed = firstLine.drop { $0 == 32 || $0 == 9 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
    if trimmed.first == UInt8(ascii: "{") { return .jsonl }
    if firstLine.contains(9) { return .tsv }
    if semicolons > commas { return .semicolon }
    if commas > 0 { return .csv }
    return .whitespace
  }

  /// The byte between fields of CSV and semicolon-separated files, which quote alike.
  var separator: UInt8 { self == .semicolon ? 59 : 44 }

  /// Why a record cannot be split into fields.
  enum SplitProblem: Equatable {
    /// A quoted field still open at the end (in CSV it may go on on the next line).
    case unterminatedQuote
    case textAfterClosingQuote

    var reason: String {
      switch self {
      case .unterminatedQuote: return "unterminated quoted field"
      case .textAfterClosingQuote: return "text after a closing quote (a quote inside a quoted value is written `\"\"`)"
      }
    }
  }

  /// Splits one record into field byte ranges. CSV quotes are removed and `""` unescaped, which
  /// needs a copy: such fields come back in `unquoted`, addressed by negative indexes.
  static func split(_ line: UnsafeBufferPointer<UInt8>, format: HistoryFormat, into fields: inout [Range<Int>],
                    unquoted: inout [[UInt8]]) -> SplitProblem? {
    fields.removeAll(keepingCapacity: true)
    // Most records have no quoted field: clearing an empty array still went through its
    // general removal.
    if !unquoted.isEmpty { unquoted.removeAll(keepingCapacity: true) }
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
      while true {
        let end = firstIndex(of: 9, in: line, from: start)
        fields.append(start..<end)
        if end == n { break }
        start = end + 1
      }
    case .csv, .semicolon:
      let separator = format.separator
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
          guard closed else { return .unterminatedQuote }
          guard i == n || line[i] == separator else { return .textAfterClosingQuote }
          unquoted.append(value)
          // Negative ranges mark copies: -(k + 1) is unquoted[k].
          fields.append(-(unquoted.count)..<(-(unquoted.count)))
          if i == n { break }
          i += 1
        } else {
          let start = i
          i = firstIndex(of: separator, in: line, from: i)
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

  /// The index of the first `byte` in `line` at or after `start`, or the line's length. Eight
  /// bytes a step: byte by byte, finding the ends of fields was most of splitting a record.
  @inline(__always)
  static func firstIndex(of byte: UInt8, in line: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    let n = line.count
    guard let base = line.baseAddress else { return n }
    let ones: UInt64 = 0x0101_0101_0101_0101
    let pattern = UInt64(byte) &* ones
    var i = start
    while i + 8 <= n {
      // Bytes equal to `byte` are zero in `word`; the lowest flagged byte is the first zero byte
      // (a borrow can only flag bytes above a zero one).
      let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) ^ pattern
      let zeros = (word &- ones) & ~word & 0x8080_8080_8080_8080
      if zeros != 0 { return i + zeros.trailingZeroBitCount >> 3 }
      i += 8
    }
    while i < n, base[i] != byte { i += 1 }
    return i
  }

  /// Whether a CSV (or semicolon-separated) line ends inside a quoted field, given whether it
  /// starts inside one (the line after a line break inside a quoted field does).
  static func endsInsideQuotes(_ line: UnsafeBufferPointer<UInt8>, startingInside: Bool, separator: UInt8) -> Bool {
    var inside = startingInside
    var fieldStart = !startingInside
    var i = 0
    let n = line.count
    while i < n {
      let byte = line[i]
      if inside {
        if byte == 34 {
          if i + 1 < n, line[i + 1] == 34 { i += 2; continue }
          inside = false
        }
      } else if byte == separator {
        fieldStart = true
        i += 1
        continue
      } else if byte == 34, fieldStart {
        inside = true
      }
      fieldStart = false
      i += 1
    }
    return inside
  }

  /// Why a record with `count` fields is refused under a header of `header` fields.
  static func fieldCountReason(_ count: Int, header: Int, format: HistoryFormat) -> String {
    let text = "\(count) field\(count == 1 ? "" : "s"), but the header has \(header)"
    guard count > header else { return text }
    switch format {
    case .csv: return text + ": a value holding a comma must be quoted (`\"4,50\"`), or it becomes two fields"
    case .semicolon: return text + ": a value holding a semicolon must be quoted, or it becomes two fields"
    case .tsv: return text + ": a value holding a tab becomes two fields"
    case .whitespace: return text + ": a value holding a space becomes two fields (or use CSV or TSV)"
    case .jsonl: return text
    }
  }
}
