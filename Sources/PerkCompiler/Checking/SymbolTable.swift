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
  /// One kind's names: in declaration order (the ids), and by name. A program generated
  /// from a catalog declares tens of thousands of rules, so neither declaring nor looking
  /// a name up may scan or copy the list (that made checking quadratic: issue 16).
  struct Names: Sendable {
    var entries: [Entry] = []
    var ids: [String: Int] = [:]

    /// Adds a name that is not yet declared; returns its id.
    mutating func append(_ entry: Entry) -> Int {
      ids[entry.name] = entries.count
      entries.append(entry)
      return entries.count - 1
    }
  }
  private var tables: [Kind: Names] = [:]

  package init() {}

  /// Declares a name; on a duplicate reports E0306 and returns nil.
  mutating func declare(_ kind: Kind, _ name: Name, diagnostics: inout Diagnostics) -> Int? {
    if let first = tables[kind]?.ids[name.text] {
      diagnostics.append(Diagnostic(
        .duplicateDeclaration, "\(kind.rawValue) `\(name.text)` is declared twice", at: name.range,
        label: "declared again here", labels: [.init("first declared here", at: tables[kind]!.entries[first].range)],
        help: "rename one of them or remove the second declaration"))
      return nil
    }
    // Modified in place through the subscript's accessor: no copy of the table per name.
    return tables[kind, default: Names()].append(Entry(name: name.text, range: name.range))
  }

  func id(_ kind: Kind, _ text: String) -> Int? {
    tables[kind]?.ids[text]
  }

  func names(_ kind: Kind) -> [String] { tables[kind]?.entries.map(\.name) ?? [] }

  /// How many names of a kind are declared.
  func count(_ kind: Kind) -> Int { tables[kind]?.entries.count ?? 0 }

  func pointsName(_ id: Int) -> String {
    guard let entries = tables[.points]?.entries, entries.indices.contains(id) else { return "?" }
    return entries[id].name
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
