/// The bounds on what one client may send, so a slow or huge request cannot stall or exhaust
/// the server (docs/serve.md lists the defaults).
public struct HTTPLimits: Sendable {
  /// The request line and headers together, in bytes (431 beyond).
  public var maximumHeaderBytes = 16 * 1024
  /// The number of header fields (431 beyond).
  public var maximumHeaderCount = 64
  /// The body, in bytes (413 beyond).
  public var maximumBodyBytes = 1024 * 1024
  /// How long a kept-alive connection may wait for its next request before it is closed, in milliseconds.
  public var idleTimeoutMilliseconds = 30_000
  /// How long a request may take to arrive once its first byte has (408 beyond), in milliseconds.
  public var readTimeoutMilliseconds = 10_000
  /// The connections served at once; further clients wait in the listen backlog.
  public var maximumConnections = 256

  /// The defaults.
  public init() {}
}
