/// Bad input data (a JSON file, a history row): where it is and what is wrong.
public struct InputError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The file, or `<stdin>`.
  public var path: String
  /// The 1-based line, 0 when unknown.
  public var line: Int
  /// The 1-based column, 0 when unknown.
  public var column: Int
  /// What is wrong.
  public var message: String

  /// Creates an input error.
  public init(path: String, line: Int, column: Int, message: String) {
    self.path = path
    self.line = line
    self.column = column
    self.message = message
  }

  /// `path:line:column: message`.
  public var description: String {
    line > 0 ? "\(path):\(line):\(column): \(message)" : "\(path): \(message)"
  }
}
