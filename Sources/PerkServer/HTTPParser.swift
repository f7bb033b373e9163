import Foundation

/// Reading a request's head (request line and header fields) within ``HTTPLimits``.
///
/// Hand-written and strict: anything that is not a plain HTTP/1.x request is refused with the
/// status a client can act on, never guessed at.
enum HTTPParser {
  /// The request line and header fields, before the body is read.
  struct Head {
    var method: String
    var target: String
    var headers: [String: String]
    /// The body's length from `Content-Length` (0 without one).
    var contentLength: Int
    var expectsContinue: Bool
    /// HTTP/1.0 closes after each response.
    var isHTTP10: Bool
  }

  /// Where the head ends (the index after `\r\n\r\n`), or nil when it has not all arrived.
  static func endOfHead(_ bytes: [UInt8]) -> Int? {
    guard bytes.count >= 4 else { return nil }
    for index in 3..<bytes.count where bytes[index] == 10 && bytes[index - 1] == 13 && bytes[index - 2] == 10 && bytes[index - 3] == 13 {
      return index + 1
    }
    return nil
  }

  /// Parses the head `bytes` (ending with the blank line).
  static func head(_ bytes: ArraySlice<UInt8>, limits: HTTPLimits) throws(HTTPFailure) -> Head {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw .malformed("the request head is not UTF-8")
    }
    var lines = text.components(separatedBy: "\r\n")
    while lines.last == "" { lines.removeLast() }
    guard let requestLine = lines.first else { throw .malformed("the request line is missing") }
    let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
    guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isUppercase }),
          parts[1].hasPrefix("/") else {
      throw .malformed("the request line is not `METHOD /path HTTP/1.1`")
    }
    guard parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
      throw HTTPFailure(status: 400, code: "unsupported_version", message: "only HTTP/1.1 and HTTP/1.0 are served")
    }
    let fields = lines.dropFirst()
    guard fields.count <= limits.maximumHeaderCount else {
      throw HTTPFailure(status: 431, code: "too_many_headers",
                        message: "the request has \(fields.count) header fields; at most \(limits.maximumHeaderCount) are accepted")
    }
    var headers: [String: String] = [:]
    for field in fields {
      guard let colon = field.firstIndex(of: ":") else { throw .malformed("a header field has no `:`") }
      let name = field[..<colon]
      guard !name.isEmpty, name.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
        throw .malformed("a header field's name is empty or holds spaces")
      }
      let value = field[field.index(after: colon)...].trimmingCharacters(in: [" ", "\t"])
      let key = name.lowercased()
      headers[key] = headers[key].map { $0 + ", " + value } ?? value
    }
    if headers["transfer-encoding"] != nil {
      throw HTTPFailure(status: 501, code: "unsupported_transfer_encoding",
                        message: "`Transfer-Encoding` is not supported; send the body with `Content-Length`")
    }
    var length = 0
    if let given = headers["content-length"] {
      guard let number = Int(given), number >= 0, given.allSatisfy(\.isASCII) else {
        throw .malformed("`Content-Length` is not a whole number of bytes")
      }
      length = number
    }
    if length > limits.maximumBodyBytes {
      throw HTTPFailure(status: 413, code: "body_too_large",
                        message: "the body is \(length) bytes; at most \(limits.maximumBodyBytes) are accepted")
    }
    let expects = headers["expect"]?.lowercased() == "100-continue"
    return Head(method: String(parts[0]), target: String(parts[1]), headers: headers, contentLength: length,
                expectsContinue: expects, isHTTP10: parts[2] == "HTTP/1.0")
  }

  /// Splits a request target into its percent-decoded path and query parameters.
  static func split(target: String) throws(HTTPFailure) -> (path: String, query: [String: String]) {
    let pieces = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
    guard let path = decode(String(pieces[0])) else { throw .malformed("the path has a bad percent escape") }
    var query: [String: String] = [:]
    if pieces.count == 2 {
      for pair in pieces[1].split(separator: "&") {
        let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard let name = decode(String(nameValue[0])), let value = decode(nameValue.count == 2 ? String(nameValue[1]) : "") else {
          throw .malformed("the query has a bad percent escape")
        }
        query[name] = value
      }
    }
    return (path, query)
  }

  /// `%XX` escapes and `+` (in queries, a space) decoded; nil for a broken escape or non-UTF-8.
  static func decode(_ text: String) -> String? {
    var bytes: [UInt8] = []
    var iterator = Array(text.utf8).makeIterator()
    while let byte = iterator.next() {
      if byte == UInt8(ascii: "%") {
        guard let high = iterator.next(), let low = iterator.next(),
              let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
        bytes.append(value)
      } else {
        bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
      }
    }
    return String(validating: bytes, as: UTF8.self)
  }
}

/// A request the server refuses before any handler sees it.
struct HTTPFailure: Error {
  var status: Int
  var code: String
  var message: String

  static func malformed(_ message: String) -> HTTPFailure {
    HTTPFailure(status: 400, code: "malformed_request", message: message)
  }

  var response: HTTPResponse { .error(status, code: code, message: message) }
}
