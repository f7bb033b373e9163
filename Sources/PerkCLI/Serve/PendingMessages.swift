import PerkRuntime
import PerkStore

/// The messages `perk serve` keeps for the deliverer (docs/serve.md, "Messages"): their ids,
/// their stored rows and their JSON in a listing.
enum PendingMessages {
  /// The rows for an outcome's messages to send (suppressed ones are only counted, never
  /// delivered). `cause` names what made them due (an event id, an advance of the customer, a
  /// credit): the same cause stored again gives the same ids, which the store keeps once.
  static func rows(_ messages: [DueMessage], customer: String, cause: String) -> [StoredMessage] {
    var seen: [String: Int] = [:]
    return messages.map { message in
      // Two messages of one rule due at one moment (two purchases in a minute) are told apart by their order.
      let key = "\(message.rule)\n\(message.dueText)"
      let index = seen[key, default: 0]
      seen[key] = index + 1
      let id = "m-" + SHA256.hex(Array("\(cause)\n\(customer)\n\(key)\n\(index)".utf8)).prefix(32)
      var object: [String: JSONOutput] = ["id": .string(id), "customer": .string(customer)]
      if case .object(let fields) = message.json { object.merge(fields) { kept, _ in kept } }
      return StoredMessage(id: id, customer: customer, message: JSONOutput.object(object).line())
    }
  }

  /// A stored row's JSON for a listing: the message's fields with its `id` and `customer`.
  static func json(_ row: StoredMessage) -> JSONOutput {
    guard let node = try? JSONNode.parse(Array(row.message.utf8), path: "<store>"), case .object(let members) = node.value else {
      return .object(["id": .string(row.id), "customer": .string(row.customer)])
    }
    var object: [String: JSONOutput] = [:]
    // The service writes only strings in a message row.
    for member in members {
      if case .string(let text) = member.value.value { object[member.key] = .string(text) }
    }
    return .object(object)
  }
}
