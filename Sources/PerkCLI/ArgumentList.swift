import PerkSource

/// The remaining command-line arguments, consumed option by option.
///
/// Options take their value as the next argument or after `=` (`--format=json`).
/// A lone `-` is a value (standard input), not a flag.
struct ArgumentList {
  private(set) var items: [String]

  init(_ items: [String]) { self.items = items }

  /// Removes and returns the first argument.
  mutating func takeFirst() -> String? {
    items.isEmpty ? nil : items.removeFirst()
  }

  /// Removes a boolean flag; true if it was present.
  mutating func takeFlag(_ name: String) -> Bool {
    guard let index = items.firstIndex(of: name) else { return false }
    items.remove(at: index)
    return true
  }

  /// Removes an option and its value; the last occurrence wins.
  mutating func takeOption(_ name: String) throws -> String? {
    var value: String?
    while let index = items.firstIndex(where: { $0 == name || $0.hasPrefix(name + "=") }) {
      let item = items.remove(at: index)
      if item.count > name.count {
        value = String(item.dropFirst(name.count + 1))
      } else {
        guard index < items.count else { throw UsageError.missingValue(option: name) }
        value = items.remove(at: index)
      }
    }
    return value
  }

  /// The positional arguments left; any remaining `--flag` is an error with a suggestion.
  mutating func takePositionals(knownFlags: [String]) throws -> [String] {
    if let flag = items.first(where: { $0.hasPrefix("-") && $0 != "-" }) {
      throw UsageError.unknownFlag(flag, known: knownFlags)
    }
    defer { items = [] }
    return items
  }
}

/// A mistake in the command line itself (exit code 2).
enum UsageError: Error {
  case unknownCommand(String)
  case unknownFlag(String, known: [String])
  case missingValue(option: String)
  case invalidValue(option: String, value: String, allowed: [String])
  case missingArgument(String)

  var message: String {
    switch self {
    case .unknownCommand(let name): return "unknown command `\(name)`"
    case .unknownFlag(let flag, _): return "unknown option `\(flag)`"
    case .missingValue(let option): return "option `\(option)` needs a value"
    case .invalidValue(let option, let value, _): return "invalid value `\(value)` for `\(option)`"
    case .missingArgument(let what): return "missing \(what)"
    }
  }

  var help: String? {
    switch self {
    case .unknownCommand(let name):
      let candidates = Command.allCases.map(\.rawValue) + ["help"]
      return closest(to: name, in: candidates).map { "did you mean `\($0)`?" }
    case .unknownFlag(let flag, let known):
      let name = String(flag.split(separator: "=", maxSplits: 1).first ?? Substring(flag))
      return closest(to: name, in: known + ["--help"]).map { "did you mean `\($0)`?" }
    case .invalidValue(_, _, let allowed):
      return "expected one of " + allowed.map { "`\($0)`" }.joined(separator: ", ")
    default: return nil
    }
  }

  private func closest(to word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, Suggestions.editDistance(word, $0)) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
    return best.0
  }
}

/// A problem with the user's input files (exit code 1), shown as `path:line:col: message`.
struct UserInputError: Error, CustomStringConvertible {
  var description: String
}
