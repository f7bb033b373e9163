/// Amounts by name — points by currency, stamps by card — as an outcome gives its balances and
/// earnings and a purchase record keeps each line's points.
///
/// Programs nearly always have one currency and a line one card, so the first entry is kept
/// inline and only further ones go to a dictionary: one entry costs no allocation. It reads,
/// compares, hashes and encodes as the dictionary `[String: Int64]` it stands for, and iterates
/// in name order.
public struct NamedAmounts: Hashable, Sendable, Codable, ExpressibleByDictionaryLiteral {
  private var firstName: String?
  private var firstAmount: Int64 = 0
  /// Entries after the first (empty while there is no first).
  private var more: [String: Int64] = [:]

  /// No amounts.
  public init() {}

  /// The amounts of a dictionary.
  public init(_ dictionary: [String: Int64]) {
    for name in dictionary.keys.sorted() { self[name] = dictionary[name] }
  }

  /// The amounts of a literal; a repeated name keeps its last amount.
  public init(dictionaryLiteral elements: (String, Int64)...) {
    for (name, amount) in elements { self[name] = amount }
  }

  /// The amount under a name, nil when there is none; setting nil removes it.
  public subscript(name: String) -> Int64? {
    get {
      if firstName == name { return firstAmount }
      return more.isEmpty ? nil : more[name]
    }
    set {
      if firstName == name {
        if let newValue {
          firstAmount = newValue
        } else if let next = more.keys.min() {
          firstName = next
          firstAmount = more.removeValue(forKey: next)!
        } else {
          firstName = nil
          firstAmount = 0
        }
      } else if firstName == nil {
        if let newValue {
          firstName = name
          firstAmount = newValue
        }
      } else {
        more[name] = newValue
      }
    }
  }

  /// Whether there are no amounts.
  public var isEmpty: Bool { firstName == nil }

  /// The amounts as a dictionary.
  public var dictionary: [String: Int64] {
    var all = more
    if let firstName { all[firstName] = firstAmount }
    return all
  }

  public static func == (a: NamedAmounts, b: NamedAmounts) -> Bool {
    if a.more.isEmpty, b.more.isEmpty { return a.firstName == b.firstName && a.firstAmount == b.firstAmount }
    return a.dictionary == b.dictionary
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(dictionary) }

  /// The amount under a name, or `fallback` when there is none.
  public subscript(name: String, default fallback: Int64) -> Int64 { self[name] ?? fallback }

  /// The names that have an amount, in name order.
  public var names: [String] { entries.map(\.name) }

  /// The amounts in name order.
  public var entries: [(name: String, amount: Int64)] {
    guard let firstName else { return [] }
    if more.isEmpty { return [(firstName, firstAmount)] }
    return dictionary.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  /// Reads the dictionary form `{"name": amount, …}`.
  public init(from decoder: any Decoder) throws {
    self.init(try decoder.singleValueContainer().decode([String: Int64].self))
  }

  /// Writes the dictionary form `{"name": amount, …}`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(dictionary)
  }
}

extension NamedAmounts: Sequence {
  /// The amounts in name order.
  public func makeIterator() -> IndexingIterator<[(name: String, amount: Int64)]> { entries.makeIterator() }
}
