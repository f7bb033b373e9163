/// A source text and the table that maps byte offsets to lines and columns.
///
/// Tokens and syntax nodes store byte offsets only (see ``SourceRange``); lines and
/// columns are computed on demand when a diagnostic is shown, as Go's `token.File` does.
public struct SourceFile: Sendable, Hashable {
  /// A small identifier of a file inside one compilation, stored in every range.
  public typealias ID = Int

  /// The file's identifier within its compilation (its index in the list of files).
  public let id: ID
  /// The path as given by the user; `<repl>` or `<stdin>` when there is no file.
  public let path: String
  /// The UTF-8 bytes of the file as read, less a leading byte-order mark (an editor on
  /// Windows may write one; it is not part of the text and would shift line 1's columns).
  public let bytes: [UInt8]
  /// The byte offset at which each line starts; the first entry is 0.
  public let lineStarts: [Int]
  /// Whether each line is pure ASCII, where a column is a byte count (no decoding needed).
  let lineIsASCII: [Bool]

  /// Creates a source file from raw bytes; a UTF-8 byte-order mark at the start is dropped.
  public init(id: ID = 0, path: String, bytes: [UInt8]) {
    self.id = id
    self.path = path
    let bytes = bytes.starts(with: Self.byteOrderMark) ? Array(bytes.dropFirst(Self.byteOrderMark.count)) : bytes
    self.bytes = bytes
    var starts = [0]
    var ascii = [true]
    for (offset, byte) in bytes.enumerated() {
      if byte == UInt8(ascii: "\n") {
        starts.append(offset + 1)
        ascii.append(true)
      } else if byte >= 0x80 {
        ascii[ascii.count - 1] = false
      }
    }
    self.lineStarts = starts
    self.lineIsASCII = ascii
  }

  /// U+FEFF in UTF-8.
  static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

  /// Creates a source file from text.
  public init(id: ID = 0, path: String, text: String) {
    self.init(id: id, path: path, bytes: Array(text.utf8))
  }

  /// The 1-based line that contains `offset` (an offset equal to `bytes.count` is on the last line).
  public func line(containing offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return low + 1
  }

  /// The bytes of a 1-based line, without its line terminator.
  public func lineBytes(_ line: Int) -> ArraySlice<UInt8> {
    guard line >= 1, line <= lineStarts.count else { return [] }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return bytes[start..<max(start, end)]
  }

  /// The text of a 1-based line, without its terminator; invalid UTF-8 is repaired for display.
  public func lineText(_ line: Int) -> String {
    String(decoding: lineBytes(line), as: UTF8.self)
  }

  /// Line and column of a byte offset, for people.
  ///
  /// The column counts Unicode characters (what a reader sees), so `€` before an
  /// error counts as one column although it is three bytes.
  public func location(of offset: Int) -> SourceLocation {
    let clamped = min(max(0, offset), bytes.count)
    let line = line(containing: clamped)
    let start = lineStarts[line - 1]
    if lineIsASCII[line - 1] {
      return SourceLocation(path: path, line: line, column: clamped - start + 1, offset: clamped)
    }
    let prefix = String(decoding: bytes[start..<clamped], as: UTF8.self)
    return SourceLocation(path: path, line: line, column: prefix.count + 1, offset: clamped)
  }

  /// The text covered by a range of this file.
  public func text(of range: SourceRange) -> String {
    let start = min(max(0, range.start), bytes.count)
    let end = min(max(start, range.end), bytes.count)
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }
}
