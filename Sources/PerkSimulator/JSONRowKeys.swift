import PerkRuntime
import PerkSource

/// The key check of a JSON Lines row (history or customers), as strict as `perk eval`'s
/// reading: a key the row does not know, or a key given twice, rejects the row, naming the
/// key with did-you-mean help. Keys match case-insensitively, as header names do.
enum JSONRowKeys {
  /// Why the row's keys cannot be read, or nil when every key is known and given once.
  /// `known` are the names the file may use (after `--map`, whose `renames` say where a canonical
  /// name went); `what` names the row in the message.
  static func problem(_ members: [(key: String, value: JSONNode)], known: [String], renames: [String: String] = [:],
                      what: String) -> String? {
    let lowered = Set(known.map { $0.lowercased() })
    var seen: [String: String] = [:]
    for member in members {
      let key = member.key.lowercased()
      guard lowered.contains(key) else {
        var message = "unknown key `\(member.key.escapingControls)` in \(what)"
        if let renamed = renames[key] { message += "; `--map \(key)=\(renamed)` names it `\(renamed)`" }
        else if let close = Suggestions.closest(to: member.key, in: known) { message += "; did you mean `\(close)`?" }
        else { message += "; the keys are " + known.map { "`\($0)`" }.joined(separator: ", ") }
        return message
      }
      if let first = seen[key] {
        return "`\(member.key.escapingControls)` is given twice in \(what)"
          + (first == member.key ? "" : " (as `\(first.escapingControls)`)")
      }
      seen[key] = member.key
    }
    return nil
  }
}
