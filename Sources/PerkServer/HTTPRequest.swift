/// One parsed HTTP/1.1 request.
public struct HTTPRequest: Sendable {
  /// The method, as sent (`GET`, `POST`…).
  public var method: String
  /// The path, without the query, percent-decoded.
  public var path: String
  /// The query parameters (`?preview=true`), percent-decoded; a name given twice keeps the last.
  public var query: [String: String]
  /// The header fields, names lower-cased; a name given twice keeps the values joined by `, `.
  public var headers: [String: String]
  /// The body.
  public var body: [UInt8]

  /// Creates a request (tests make them directly).
  public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: [UInt8] = []) {
    self.method = method
    self.path = path
    self.query = query
    self.headers = headers
    self.body = body
  }

  /// Whether the client asked to close the connection after this request.
  var wantsClose: Bool { headers["connection"]?.lowercased().contains("close") ?? false }
}
