/// Finds the basket an encoded row joins among one customer's baskets so far: the one with the
/// same kind, transaction id, original transaction and name (a row without a transaction id
/// joins none). A customer's first few baskets are scanned, as `EventBuilder.ordered` scans
/// decoded rows; from `scanLimit` baskets on, their keys' hashes go into an open-addressing
/// table. A basket's key is unique among the baskets, so both find the same one.
///
/// Shared by the two builders of a customer's baskets from encoded rows: all events at once
/// (`EventBuilder.events(encoded:…)`) and descriptors made into events later (`EncodedBaskets`).
struct BasketIndex {
  /// The key of a basket: byte ranges in the partition's bytes.
  struct Key {
    var kind: RowKind
    var txn: Range<Int>
    var originalTxn: Range<Int>
    var name: Range<Int>
  }

  static let scanLimit = 16
  /// Basket numbers by hash slot (-1 free); empty while the baskets are scanned.
  private var slots: [Int32] = []
  /// Each basket's key hash (0 without a transaction id), once the table is built.
  private var hashes: [UInt64] = []
  /// Whether each basket has a transaction id (only those are in the table).
  private var keyed: [Bool] = []
  private var indexed = 0

  /// The basket a row of key `row` joins among the `count` baskets whose keys `key` gives, and
  /// the row's key hash (for ``added(_:hash:hasKey:)``); nil when it joins none.
  // Given the key, not the decoded row: the row (some 180 bytes) was copied for the call.
  mutating func find(_ row: Key, in bytes: EncodedBytes, count: Int, key: (Int) -> Key) -> (basket: Int?, hash: UInt64) {
    guard !row.txn.isEmpty else { return (nil, 0) }
    func joins(_ k: Int) -> Bool {
      let other = key(k)
      return other.kind == row.kind && !other.txn.isEmpty && bytes.same(other.txn, row.txn)
        && bytes.same(other.originalTxn, row.originalTxn) && bytes.same(other.name, row.name)
    }
    if count < Self.scanLimit {
      // Newest first: a basket's rows mostly follow one another, and a key is unique among the
      // baskets, so the order finds the same one.
      var k = count - 1
      while k >= 0 {
        if joins(k) { return (k, 0) }
        k -= 1
      }
      return (nil, 0)
    }
    if slots.isEmpty {
      keyed = (0..<count).map { !key($0).txn.isEmpty }
      hashes = (0..<count).map { keyed[$0] ? Self.hash(key($0), in: bytes) : 0 }
      rebuild(room: count + 1, count: count)
    }
    let hash = Self.hash(row, in: bytes)
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot] >= 0 {
      let k = Int(slots[slot])
      if hashes[k] == hash, joins(k) { return (k, hash) }
      slot = (slot + 1) & mask
    }
    return (nil, hash)
  }

  /// Notes basket `k`, just added for a row that joined none (`hash` from ``find``).
  mutating func added(_ k: Int, hash: UInt64, hasKey: Bool) {
    guard !slots.isEmpty else { return }
    hashes.append(hash)
    keyed.append(hasKey)
    guard hasKey else { return }
    if (indexed + 1) * 2 > slots.count { rebuild(room: indexed * 2, count: k + 1) } else { insert(k) }
  }

  private static func hash(_ key: Key, in bytes: EncodedBytes) -> UInt64 {
    var hash = bytes.hash(key.txn, from: 0xCBF2_9CE4_8422_2325 ^ UInt64(key.kind.rawValue))
    hash = bytes.hash(key.originalTxn, from: (hash ^ 0xFF) &* 0x0000_0100_0000_01B3)
    return bytes.hash(key.name, from: (hash ^ 0xFF) &* 0x0000_0100_0000_01B3)
  }

  private mutating func insert(_ k: Int) {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hashes[k]) & mask
    while slots[slot] >= 0 { slot = (slot + 1) & mask }
    slots[slot] = Int32(k)
    indexed += 1
  }

  /// Rebuilds the table with room for `room` baskets with a transaction id (of `count`).
  private mutating func rebuild(room: Int, count: Int) {
    var size = 64
    while size < room * 2 { size *= 2 }
    slots = [Int32](repeating: -1, count: size)
    indexed = 0
    for k in 0..<count where keyed[k] { insert(k) }
  }
}
