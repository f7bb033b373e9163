/// Row numbers for integer keys (months, days) filed in any order: a key's row is the number of
/// keys filed before it, so rows are appended, never moved, and a ledger holds a row for each
/// key filed rather than for every key from the least to the greatest.
struct RowNumbers {
  /// The key of each row.
  private(set) var keys: [Int] = []
  /// Open addressing by the key's low bits (`row + 1`, 0 when empty): the keys are days or
  /// months, mostly near each other, so neighbours take neighbouring slots.
  private var slots: [Int32] = []
  /// Slots made on the first key (a power of two): enough for what a chunk of customers
  /// files, so that a chunk's ledger seldom rehashes; none for a ledger that files nothing.
  private let firstSlots: Int
  /// Events come in time order, so most look-ups repeat the last key (-1: none yet).
  private var lastKey = 0
  private var lastRow = -1

  init(firstSlots: Int = 64) {
    self.firstSlots = firstSlots
  }

  /// The row of `key`, and whether it was added by this call.
  @inline(__always)
  mutating func row(_ key: Int) -> (row: Int, added: Bool) {
    if key == lastKey, lastRow >= 0 { return (lastRow, false) }
    return find(key)
  }

  private mutating func find(_ key: Int) -> (row: Int, added: Bool) {
    if slots.isEmpty { slots = Array(repeating: 0, count: firstSlots) }
    let mask = slots.count - 1
    var slot = key & mask
    while slots[slot] != 0 {
      let row = Int(slots[slot]) - 1
      if keys[row] == key {
        lastKey = key
        lastRow = row
        return (row, false)
      }
      slot = (slot + 1) & mask
    }
    keys.append(key)
    let row = keys.count - 1
    slots[slot] = Int32(truncatingIfNeeded: row + 1)
    if keys.count * 2 > slots.count { rehash(capacity: slots.count * 2) }
    lastKey = key
    lastRow = row
    return (row, true)
  }

  private mutating func rehash(capacity: Int) {
    slots = Array(repeating: 0, count: capacity)
    let mask = capacity - 1
    for (row, key) in keys.enumerated() {
      var slot = key & mask
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(truncatingIfNeeded: row + 1)
    }
  }
}
