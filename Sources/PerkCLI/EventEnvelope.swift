import PerkRuntime

/// One event with the customer it is for, and optionally the state to evaluate it on: a line
/// of `perk eval --stream` and the body of `perk serve`'s `POST /v1/events`.
///
///     {"customer": "alice", "event": {"type": "purchase", …}}
///     {"customer": {"id": "alice", "birthday": "1990-03-14"}, "event": {…}, "state": {…}}
///
/// The event, customer and state are read by the same functions as `perk eval --event`,
/// `--customer` and `--state` (docs/interchange.md).
struct EventEnvelope {
  var event: Event
  /// The customer's id.
  var customerID: String
  /// The customer, when given as an object rather than an id.
  var customer: Customer?
  /// The state, when given.
  var state: AccountState?

  /// A mistake in an envelope: the member at fault and where.
  struct Problem: Error {
    var field: String?
    var message: String
  }

  static let keys = ["customer", "event", "state"]

  /// Reads an envelope from `bytes`; errors say `path:line:column` and name the member.
  static func decode(_ bytes: [UInt8], path: String, program: Program, allowsState: Bool,
                     decimalMark: DecimalMark = .point) throws(Problem) -> EventEnvelope {
    let node: JSONNode
    do {
      node = try JSONNode.parse(bytes, path: path)
    } catch {
      throw Problem(field: nil, message: error.description)
    }
    guard case .object(let members) = node.value else {
      throw Problem(field: nil, message: "\(path):\(node.line):\(node.column): expected an object with `customer` and `event`")
    }
    var seen: Set<String> = []
    for member in members {
      guard keys.contains(member.key) else {
        throw Problem(field: member.key, message: "\(path):\(member.value.line):\(member.value.column): unknown member `\(member.key)`; "
                        + "expected `customer`, `event`" + (allowsState ? " and `state`" : ""))
      }
      guard seen.insert(member.key).inserted else {
        throw Problem(field: member.key, message: "\(path):\(member.value.line):\(member.value.column): `\(member.key)` is given twice")
      }
    }
    if let stateNode = node["state"], !allowsState {
      throw Problem(field: "state", message: "\(path):\(stateNode.line):\(stateNode.column): the service keeps each account's state; "
                      + "send no `state`")
    }
    guard let eventNode = node["event"] else {
      throw Problem(field: "event", message: "\(path):\(node.line):\(node.column): missing `event`")
    }
    guard let customerNode = node["customer"] else {
      throw Problem(field: "customer", message: "\(path):\(node.line):\(node.column): missing `customer` (an id, or a customer object)")
    }
    var envelope: EventEnvelope
    do {
      envelope = EventEnvelope(event: try program.decodeEvent(eventNode, path: path, decimalMark: decimalMark), customerID: "")
    } catch {
      throw Problem(field: "event", message: error.description)
    }
    switch customerNode.value {
    case .string(let id) where !id.isEmpty:
      envelope.customerID = id
    case .object:
      do {
        let customer = try Customer.decode(customerNode, path: path)
        envelope.customer = customer
        envelope.customerID = customer.id
      } catch {
        throw Problem(field: "customer", message: error.description)
      }
    default:
      throw Problem(field: "customer",
                    message: "\(path):\(customerNode.line):\(customerNode.column): `customer` must be a customer's id or a customer object")
    }
    if let stateNode = node["state"] {
      do {
        envelope.state = try program.decodeState(stateNode, path: path)
      } catch {
        throw Problem(field: "state", message: error.description)
      }
    }
    return envelope
  }
}
