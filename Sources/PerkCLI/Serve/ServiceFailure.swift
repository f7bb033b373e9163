import PerkServer

/// A request the service refuses: the status, a stable code (docs/serve.md lists them), the
/// message and the request member at fault.
struct ServiceFailure: Error {
  var status: Int
  var code: String
  var message: String
  var field: String?

  var response: HTTPResponse { .error(status, code: code, message: message, field: field) }

  static func store(_ message: String) -> ServiceFailure {
    ServiceFailure(status: 503, code: "store_unavailable", message: "the account store failed: \(message)")
  }
}
