import PerkSource

/// The one check every JSON object Perk reads goes through: no key twice, and no key the
/// reader does not know (a misspelt `"categroy"` would otherwise be ignored and its value lost).
enum ObjectKeys {
  /// The members of `node` (an object) by key, after refusing duplicate keys and, when `known`
  /// is given, any key not in it (with did-you-mean help).
  ///
  /// `what` names the object in messages: `a line`, `the event`, `` `records[0]` ``.
  static func check(_ node: JSONNode, known: [String]?, what: String, path: String) throws(InputError) -> [String: JSONNode] {
    guard case .object(let members) = node.value else {
      throw InputError(path: path, line: node.line, column: node.column, message: "\(what) must be a JSON object")
    }
    var byKey: [String: JSONNode] = [:]
    byKey.reserveCapacity(members.count)
    for (key, value) in members {
      if let first = byKey[key] {
        throw InputError(path: path, line: value.line, column: value.column,
                         message: "`\(key)` is given twice in \(what) (first at line \(first.line), column \(first.column))")
      }
      byKey[key] = value
    }
    guard let known else { return byKey }
    for (key, value) in members where !known.contains(key) {
      var message = "unknown key `\(key)` in \(what)"
      if let close = Suggestions.closest(to: key, in: known) {
        message += "; did you mean `\(close)`?"
      } else if known.isEmpty {
        message += "; it has no keys"
      } else {
        message += "; expected " + list(known)
      }
      throw InputError(path: path, line: value.line, column: value.column, message: message)
    }
    return byKey
  }

  /// `` `a`, `b` or `c` ``.
  static func list(_ keys: [String]) -> String {
    let quoted = keys.map { "`\($0)`" }
    guard quoted.count > 1 else { return quoted.first ?? "" }
    return quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
  }

  /// The key names of a `CodingKey` type that lists its cases, nil for one that does not
  /// (the keys of a dictionary, which are names chosen by the data).
  static func names<Key: CodingKey>(of type: Key.Type) -> [String]? {
    guard let listed = type as? any (CodingKey & CaseIterable).Type else { return nil }
    return caseNames(listed)
  }

  private static func caseNames<Key: CodingKey & CaseIterable>(_ type: Key.Type) -> [String] {
    Key.allCases.map(\.stringValue)
  }
}
