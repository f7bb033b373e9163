import Foundation

/// The `--token-file` check: `Authorization: Bearer TOKEN`, compared in constant time.
public struct BearerToken: Sendable {
  private let token: [UInt8]

  /// Reads the token from `path` (one line; surrounding white space is not part of it).
  public init(contentsOf path: String) throws(ServerError) {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ServerError(message: "\(path): cannot read the token file")
    }
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard !text.isEmpty, !text.contains(where: \.isWhitespace) else {
      throw ServerError(message: "\(path): the token file must hold one token, without spaces")
    }
    token = Array(text.utf8)
  }

  /// Whether the request carries the token.
  public func admits(_ request: HTTPRequest) -> Bool {
    guard let header = request.headers["authorization"] else { return false }
    let prefix = "Bearer "
    guard header.hasPrefix(prefix) else { return false }
    return BearerToken.equal(Array(header.utf8.dropFirst(prefix.utf8.count)), token)
  }

  /// Compares without stopping at the first difference, so the time taken does not tell an
  /// attacker how much of a guess was right (only, at most, whether its length was).
  static func equal(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
    var difference = UInt8(given.count == expected.count ? 0 : 1)
    for index in 0..<expected.count {
      difference |= expected[index] ^ (index < given.count ? given[index] : 0)
    }
    return difference == 0
  }
}
