/// Why an event could not be evaluated. A user's data never traps: it ends here.
public struct EvaluationError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What went wrong, for people.
  public var message: String
  /// Creates an error.
  public init(_ message: String) { self.message = message }
  /// The message.
  public var description: String { message }
}
