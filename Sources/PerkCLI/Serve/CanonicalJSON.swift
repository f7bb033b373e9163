import PerkRuntime

/// A request body's JSON without its layout: members in order, numbers as written, no white
/// space. Two bodies with the same canonical text are the same request (a retry), however
/// the client spaced them.
enum CanonicalJSON {
  static func text(_ node: JSONNode) -> String {
    var text = ""
    write(node, into: &text)
    return text
  }

  private static func write(_ node: JSONNode, into text: inout String) {
    switch node.value {
    case .null: text += "null"
    case .bool(let value): text += value ? "true" : "false"
    case .number(let digits): text += digits
    case .string(let value): text += JSONOutput.string(value).line()
    case .array(let elements):
      text += "["
      for (index, element) in elements.enumerated() {
        if index > 0 { text += "," }
        write(element, into: &text)
      }
      text += "]"
    case .object(let members):
      text += "{"
      for (index, member) in members.enumerated() {
        if index > 0 { text += "," }
        text += JSONOutput.string(member.key).line() + ":"
        write(member.value, into: &text)
      }
      text += "}"
    }
  }
}
