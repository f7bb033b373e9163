import PerkSource

/// A name as written: one or more words (`base earn`, `coffee card`), or a string.
///
/// Words are joined by single spaces, so `base   earn` and `base earn` are the same
/// name. Names are compared exactly; did-you-mean help catches near misses.
public struct Name: Hashable, Sendable, CustomStringConvertible {
  /// The words joined by single spaces.
  public var text: String
  /// Where the name is written.
  public var range: SourceRange
  /// Creates a name.
  public init(_ text: String, range: SourceRange) {
    self.text = text
    self.range = range
  }
  /// The name's text.
  public var description: String { text }
}

/// A value with the source range it was written at.
public struct Located<Value: Hashable & Sendable>: Hashable, Sendable {
  /// The value.
  public var value: Value
  /// Where it is written.
  public var range: SourceRange
  /// Creates a located value.
  public init(_ value: Value, range: SourceRange) {
    self.value = value
    self.range = range
  }
}
