/// Where a read keeps the copies of the texts it had to make for one row (`RowText`): memory
/// it owns, emptied when the next row starts, so a row's texts need no reference counting.
///
/// Most rows copy nothing (their texts are the file's bytes in place); a quoted, non-ASCII or
/// JSON field is copied here once.
final class TextArena {
  private var block: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  private var used = 0
  /// Blocks outgrown during the current row, whose texts are still lent out: freed at `reset`.
  private var outgrown: [UnsafeMutablePointer<UInt8>] = []

  init(capacity: Int = 4 << 10) {
    self.capacity = max(64, capacity)
    block = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
  }

  deinit {
    block.deallocate()
    for old in outgrown { old.deallocate() }
  }

  /// Forgets the texts of the previous row (their `RowText`s must no longer be used).
  func reset() {
    used = 0
    if !outgrown.isEmpty {
      for old in outgrown { old.deallocate() }
      outgrown.removeAll(keepingCapacity: true)
    }
  }

  /// A copy of `bytes` that stays valid until `reset`.
  func copy(_ bytes: UnsafeBufferPointer<UInt8>) -> RowText {
    guard let source = bytes.baseAddress, !bytes.isEmpty else { return RowText() }
    if used + bytes.count > capacity {
      outgrown.append(block)
      capacity = max(capacity * 2, bytes.count)
      block = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
      used = 0
    }
    let target = block + used
    target.initialize(from: source, count: bytes.count)
    used += bytes.count
    return RowText(UnsafeBufferPointer(start: target, count: bytes.count))
  }

  /// The text of a field as a row keeps it: its bytes in place, or a copy of its string.
  func keep(_ field: FieldValue) -> RowText {
    field.withBytes { bytes in field.isInPlace ? RowText(bytes) : copy(bytes) }
  }
}
