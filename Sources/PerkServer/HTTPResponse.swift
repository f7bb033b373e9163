import PerkRuntime

/// One HTTP response: a status and a JSON (or text) body.
public struct HTTPResponse: Sendable {
  /// The status code.
  public var status: Int
  /// The body's bytes.
  public var body: [UInt8]
  /// The `Content-Type`.
  public var contentType: String

  /// A response with a body.
  public init(status: Int, body: [UInt8], contentType: String = "application/json") {
    self.status = status
    self.body = body
    self.contentType = contentType
  }

  /// A JSON response (pretty-printed with sorted keys, as `perk eval` prints).
  public static func json(_ status: Int, _ value: JSONOutput) -> HTTPResponse {
    HTTPResponse(status: status, body: Array(value.rendered().utf8))
  }

  /// A JSON response whose text is already rendered.
  public static func json(_ status: Int, text: String) -> HTTPResponse {
    HTTPResponse(status: status, body: Array(text.utf8))
  }

  /// Every error the service returns: `{"error": {"code", "message", "field"}}`, `code` a stable
  /// string (docs/serve.md lists them), `field` the request member at fault or `null`.
  public static func error(_ status: Int, code: String, message: String, field: String? = nil) -> HTTPResponse {
    json(status, .object(["error": .object([
      "code": .string(code), "message": .string(message), "field": field.map { .string($0) } ?? .null,
    ])]))
  }

  /// The status line's reason phrase.
  static func reason(_ status: Int) -> String {
    switch status {
    case 100: return "Continue"
    case 200: return "OK"
    case 400: return "Bad Request"
    case 401: return "Unauthorized"
    case 404: return "Not Found"
    case 405: return "Method Not Allowed"
    case 408: return "Request Timeout"
    case 409: return "Conflict"
    case 413: return "Content Too Large"
    case 422: return "Unprocessable Content"
    case 431: return "Request Header Fields Too Large"
    case 500: return "Internal Server Error"
    case 501: return "Not Implemented"
    case 503: return "Service Unavailable"
    default: return "Status"
    }
  }

  /// The bytes on the wire.
  func serialized(keepAlive: Bool, extraHeaders: [(String, String)] = []) -> [UInt8] {
    var head = "HTTP/1.1 \(status) \(HTTPResponse.reason(status))\r\n"
    head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
    head += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n"
    for (name, value) in extraHeaders { head += "\(name): \(value)\r\n" }
    head += "\r\n"
    return Array(head.utf8) + body
  }
}
