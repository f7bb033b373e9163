/// For each category (or SKU) a program's filters name, the bit set of filters it matches
/// (bit `f` of word `f / 64`): read for every basket line of every purchase.
///
/// A program names a handful of categories, and a line's category is nearly always one of
/// them spelled the same way: comparing it with each name (a small string compares as two
/// words) is cheaper than hashing it for a dictionary, which is kept for programs that name
/// many.
struct FilterMatches: Sendable {
  /// Up to this many names, a name is found by comparing it with each.
  static let namesScanned = 8
  private let names: [String]
  private let matches: [[UInt64]]
  private let byName: [String: [UInt64]]

  init(_ byName: [String: [UInt64]]) {
    self.byName = byName
    names = byName.keys.sorted()
    matches = names.map { byName[$0]! }
  }

  var isEmpty: Bool { names.isEmpty }

  /// The names, sorted.
  var sortedNames: [String] { names }

  /// The bits of the filters `name` matches; nil when no filter names it.
  subscript(name: String) -> [UInt64]? {
    guard names.count <= Self.namesScanned else { return byName[name] }
    for index in names.indices where names[index] == name { return matches[index] }
    return nil
  }
}
