/// A purchase's awards added up by what a return can reverse: per source (the rule or card that
/// gave them) and kind, in the order they were first given.
struct AwardTotals {
  enum Kind: Hashable {
    case points(String)
    case stamps(String)
    case freeItem(String)
    case discount
    case voucher(String)
    case reward(String)
  }

  struct Key: Hashable {
    var source: String
    var kind: Kind
    /// Whether the kind is money off the basket (what the refund is made of).
    var isMoney: Bool {
      switch kind {
      case .freeItem, .discount: true
      case .points, .stamps, .voucher, .reward: false
      }
    }
  }

  /// How much of one kind: points, stamps or units (`amount`) and their money value in minor units.
  struct Amounts: Equatable {
    var amount: Int64 = 0
    var value: Int64 = 0

    static func - (a: Amounts, b: Amounts) -> Amounts { Amounts(amount: a.amount &- b.amount, value: a.value &- b.value) }

    /// What is left of these amounts after a `share` reversal of what came back: the measured
    /// share of `basis`, rounded so that the part reversed is rounded down; everything once the
    /// whole basket is back, and nothing before that for an award earned on no line.
    func sharedKept(returned: [Int64], basis: ShareBasis?, whole: Bool, record: TransactionRecord) -> Amounts {
      if whole { return Amounts() }
      guard let basis else { return self }
      let (back, total) = basis.measure(returned: returned, record: record)
      guard total > 0 else { return self }
      func kept(_ x: Int64) -> Int64 { x - Int64(clamping: Int128(x) * back / total) }
      return Amounts(amount: kept(amount), value: kept(value))
    }

    /// The amounts in words, for explanations.
    func describe(_ key: Key, money: (Int64) -> Money) -> String {
      switch key.kind {
      case .points(let name): "\(amount) \(name)"
      case .stamps: "\(amount) stamp\(amount == 1 ? "" : "s")"
      case .freeItem(let sku): "\(amount) free \(sku)"
      case .discount: "\(money(value)) off"
      case .voucher(let name): "\(amount) voucher\(amount == 1 ? "" : "s") \"\(name)\""
      case .reward(let name): "\(amount) × \(name)"
      }
    }
  }

  // Keys in the order first given, and their amounts at the same index. A purchase has a
  // handful of awards: a scan finds a key for less than hashing its names did (three hashes
  // of two strings per award, most of a return's recomputation).
  private var order: [Key] = []
  private var totals: [Amounts] = []

  init() {}

  /// Adds up the awards a return can reverse; other kinds (tier changes, rebates) are left out.
  init(_ awards: [Award]) {
    for award in awards {
      switch award.kind {
      case .points(let currency, let amount, let value): add(Key(source: award.source, kind: .points(currency)), amount, value.minorUnits)
      case .stamps(let card, let count): add(Key(source: award.source, kind: .stamps(card)), count, 0)
      case .freeItem(let sku, let value): add(Key(source: award.source, kind: .freeItem(sku)), 1, value.minorUnits)
      case .discount(let value): add(Key(source: award.source, kind: .discount), 0, value.minorUnits)
      case .voucher(let name, let value, _): add(Key(source: award.source, kind: .voucher(name)), 1, value.minorUnits)
      case .reward(let name, let value): add(Key(source: award.source, kind: .reward(name)), 1, value.minorUnits)
      case .tierChange, .rebate, .expired, .released, .redeemed: break
      }
    }
  }

  private mutating func add(_ key: Key, _ amount: Int64, _ value: Int64) {
    guard let index = order.firstIndex(of: key) else {
      order.append(key)
      totals.append(Amounts(amount: amount, value: value))
      return
    }
    totals[index].amount &+= amount
    totals[index].value &+= value
  }

  subscript(key: Key) -> Amounts { order.firstIndex(of: key).map { totals[$0] } ?? Amounts() }

  /// Whether any award came from `source`.
  func hasAwards(from source: String) -> Bool { order.indices.contains { order[$0].source == source && totals[$0] != Amounts() } }

  /// The keys of money off the basket (discounts and free items).
  var moneyKeys: [Key] { order.filter(\.isMoney) }

  /// The keys of both, this one's first, each once.
  func keys(with other: AwardTotals) -> KeyList {
    KeyList(keys: order + other.order.filter { !order.contains($0) })
  }

  /// Keys in the order they were first seen, each once.
  struct KeyList: Sequence {
    var keys: [Key]
    /// These keys, then those of `other` not among them.
    func union(_ other: AwardTotals) -> KeyList { KeyList(keys: keys + other.order.filter { !keys.contains($0) }) }
    func makeIterator() -> IndexingIterator<[Key]> { keys.makeIterator() }
  }
}
