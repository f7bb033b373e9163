/// `--color always|never|auto`.
enum ColorChoice: String, CaseIterable {
  case always, never, auto

  static func parse(_ value: String) throws -> ColorChoice {
    guard let choice = ColorChoice(rawValue: value) else {
      throw UsageError.invalidValue(option: "--color", value: value, allowed: allCases.map(\.rawValue))
    }
    return choice
  }

  /// `auto` colours only when stderr is a terminal, `TERM` is not `dumb` and `NO_COLOR` is unset
  /// (https://no-color.org: any value, even empty, disables colour).
  func enabled(environment: [String: String], stderrIsTerminal: Bool) -> Bool {
    switch self {
    case .always: return true
    case .never: return false
    case .auto:
      return stderrIsTerminal && environment["TERM"] != "dumb" && environment["NO_COLOR"] == nil
    }
  }
}
