/// `--rejects FILE`: every rejected row as CSV, `file,line,reason,raw`, where the report shows
/// only the first 20.
///
/// `raw` is the row's bytes exactly as in the file (the lines of a multi-line record joined by
/// `\n`), so a fixed copy of it can be pasted back; fields are quoted as RFC 4180 says.
package enum RejectsCSV {
  package static let header = Array("file,line,reason,raw\n".utf8)

  /// Appends one rejected row.
  package static func append(_ row: BadRow, to out: inout [UInt8]) {
    field(Array(row.path.utf8), &out)
    out.append(44)
    out.append(contentsOf: String(row.line).utf8)
    out.append(44)
    field(Array(row.reason.utf8), &out)
    out.append(44)
    field(row.raw, &out)
    out.append(10)
  }

  static func field(_ bytes: [UInt8], _ out: inout [UInt8]) {
    guard bytes.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) else {
      out.append(contentsOf: bytes)
      return
    }
    out.append(34)
    for byte in bytes {
      if byte == 34 { out.append(34) }
      out.append(byte)
    }
    out.append(34)
  }
}
