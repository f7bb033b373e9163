import PerkSource
import PerkSyntax

/// Category and SKU names that are probably typos, since a filter naming a value no basket line
/// has never matches and checks clean otherwise (`cheapest item in category cofee is free`).
///
/// Without a `categories` (or `skus`) list, a name written once that is a likely typo of another
/// name of the same field gets W0116; with a list, a name not on it is E0326.
struct CatalogNames {
  var filters: [ItemFilter]
  var catalog: [ItemFilter.Field: [Name]]

  func report(into diagnostics: inout Diagnostics) {
    for field in [ItemFilter.Field.category, .sku] {
      let uses = uses(of: field)
      if let known = catalog[field] {
        reportUnknown(uses, known: known, field: field, into: &diagnostics)
      } else {
        reportNearDuplicates(uses, field: field, into: &diagnostics)
      }
    }
  }

  /// Each written name once, in source order.
  private func uses(of field: ItemFilter.Field) -> [Name] {
    var seen = Set<SourceRange>()
    var names: [Name] = []
    for filter in filters where filter.field == field {
      for name in filter.values where seen.insert(name.range).inserted { names.append(name) }
    }
    return names.sorted { $0.range < $1.range }
  }

  private func reportUnknown(_ uses: [Name], known: [Name], field: ItemFilter.Field, into diagnostics: inout Diagnostics) {
    let names = known.map(\.text)
    let list = field == .category ? "categories" : "skus"
    for use in uses where !names.contains(use.text) {
      let suggestion = Suggestions.closest(to: use.text, in: names)
      diagnostics.append(Diagnostic(
        .unknownItemName, "unknown \(field.rawValue) `\(use.text)`", at: use.range,
        label: "not in the program's `\(list)`",
        help: suggestion.map { "did you mean `\($0)`?" } ?? "add `\(use.text)` to the `\(list)` clause of `program`"))
    }
  }

  /// Beyond this many distinct names of one field, names are not compared: the comparison is
  /// quadratic, and a program with such a catalog lists its names with `categories` instead.
  static let comparedNames = 500

  /// A name written once whose closest other name (by ``Suggestions/closest(to:in:)``) is written
  /// more often, or earlier: the reference is the name that came first, so two names written once
  /// each give one warning, on the second. Names that differ only in digits (`size10`, `size12`)
  /// are numbered on purpose and never compared.
  private func reportNearDuplicates(_ uses: [Name], field: ItemFilter.Field, into diagnostics: inout Diagnostics) {
    var order: [String] = []
    var count: [String: Int] = [:]
    for use in uses {
      if count[use.text] == nil { order.append(use.text) }
      count[use.text, default: 0] += 1
    }
    guard order.count <= Self.comparedNames else { return }
    let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
    let list = field == .category ? "categories" : "skus"
    for use in uses where count[use.text] == 1 {
      let letters = Self.withoutDigits(use.text)
      let others = order.enumerated().filter { index, name in
        name != use.text && (count[name]! > 1 || index < position[use.text]!)
          && (Self.withoutDigits(name) != letters || name.lowercased() == use.text.lowercased())
      }.map(\.element)
      guard let near = Suggestions.closest(to: use.text, in: others) else { continue }
      diagnostics.append(Diagnostic(
        .similarItemName, "\(field.rawValue) `\(use.text)` is written only here, and `\(near)` elsewhere",
        at: use.range, label: "did you mean `\(near)`?",
        help: "if both are real, list them in `program`: `\(list) \(near), \(use.text)`"))
    }
  }

  private static func withoutDigits(_ name: String) -> String {
    String(name.lowercased().filter { !$0.isNumber })
  }
}
