/// A half-open range `start..<end` of UTF-8 byte offsets in one source file.
///
/// Every token and syntax node carries one. An empty range (start == end) marks a
/// point, such as the end of a file, which is the range `count..<count`.
public struct SourceRange: Hashable, Sendable, Codable, Comparable {
  /// The file the range belongs to (``SourceFile/id``).
  public var file: SourceFile.ID
  /// The 0-based byte offset of the first byte.
  public var start: Int
  /// The 0-based byte offset just past the last byte.
  public var end: Int

  /// Creates a range.
  public init(file: SourceFile.ID, start: Int, end: Int) {
    self.file = file
    self.start = start
    self.end = max(start, end)
  }

  /// A range that covers nothing, for values that come from no source (built in Swift).
  public static let none = SourceRange(file: -1, start: 0, end: 0)

  /// Whether the range points into a real file.
  public var isValid: Bool { file >= 0 }

  /// The number of bytes covered.
  public var length: Int { end - start }

  /// The smallest range covering both ranges (which must be in the same file).
  public func union(_ other: SourceRange) -> SourceRange {
    guard isValid else { return other }
    guard other.isValid else { return self }
    return SourceRange(file: file, start: min(start, other.start), end: max(end, other.end))
  }

  /// Orders ranges by file, then start, then end.
  public static func < (lhs: SourceRange, rhs: SourceRange) -> Bool {
    (lhs.file, lhs.start, lhs.end) < (rhs.file, rhs.start, rhs.end)
  }
}

/// A position for people: path, 1-based line and column, and the byte offset for tools.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The path as given by the user.
  public var path: String
  /// The 1-based line.
  public var line: Int
  /// The 1-based column, counted in Unicode characters.
  public var column: Int
  /// The 0-based UTF-8 byte offset.
  public var offset: Int

  /// Creates a location.
  public init(path: String, line: Int, column: Int, offset: Int) {
    self.path = path
    self.line = line
    self.column = column
    self.offset = offset
  }

  /// `path:line:column`.
  public var description: String { "\(path):\(line):\(column)" }
}
