import PerkSource
import PerkSyntax

/// The names each kind of declaration introduces, with integer ids in declaration order.
///
/// Kinds have separate namespaces: a tier and a rule may share a name.
package struct SymbolTable: Sendable {
  package enum Kind: String, Sendable, CaseIterable {
    case points = "points currency"
    case tier
    case stampCard = "stamp card"
    case rule
    case reward
    case rebate
  }
  struct Entry: Sendable {
    var name: String
    var range: SourceRange
  }
  private var entries: [Kind: [Entry]] = [:]

  package init() {}

  /// Declares a name; on a duplicate reports E0306 and returns nil.
  mutating func declare(_ kind: Kind, _ name: Name, diagnostics: inout Diagnostics) -> Int? {
    var list = entries[kind, default: []]
    if let first = list.first(where: { $0.name == name.text }) {
      diagnostics.append(Diagnostic(
        .duplicateDeclaration, "\(kind.rawValue) `\(name.text)` is declared twice", at: name.range,
        label: "declared again here", labels: [.init("first declared here", at: first.range)],
        help: "rename one of them or remove the second declaration"))
      return nil
    }
    list.append(Entry(name: name.text, range: name.range))
    entries[kind] = list
    return list.count - 1
  }

  func id(_ kind: Kind, _ text: String) -> Int? {
    entries[kind, default: []].firstIndex { $0.name == text }
  }

  func names(_ kind: Kind) -> [String] { entries[kind, default: []].map(\.name) }

  func pointsName(_ id: Int) -> String {
    let list = entries[.points, default: []]
    return list.indices.contains(id) ? list[id].name : "?"
  }

  /// Resolves a reference; an unknown name reports its own code with did-you-mean help.
  func resolve(_ kind: Kind, _ name: Name, diagnostics: inout Diagnostics) -> Int? {
    if let id = id(kind, name.text) { return id }
    let code: DiagnosticCode
    switch kind {
    case .points: code = .unknownPointsCurrency
    case .tier: code = .unknownTier
    case .stampCard: code = .unknownStampCard
    case .rule: code = .unknownRule
    case .reward: code = .unknownReward
    case .rebate: code = .unknownRebate
    }
    let candidates = names(kind)
    var help: String?
    if let close = Suggestions.closest(to: name.text, in: candidates) {
      help = "did you mean `\(close)`?"
    } else if candidates.isEmpty {
      help = "no \(kind.rawValue) is declared"
    }
    diagnostics.append(Diagnostic(code, "unknown \(kind.rawValue) `\(name.text)`", at: name.range,
                                  label: "not declared", help: help))
    return nil
  }
}
