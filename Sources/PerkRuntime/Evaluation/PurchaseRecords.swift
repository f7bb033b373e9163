/// The purchase records an account keeps for returns, oldest first, stored in chunks of 16.
///
/// Records are appended at the end and dropped from the front. In one array, a copy of an
/// account that then added a record copied every record (up to 200, each retaining its lines):
/// the simulator's budget mode evaluates on a copy of each account, and that copy was a sixth
/// of its time. In chunks, a copy shares every chunk but the one a change touches, and the
/// front is dropped a chunk at a time without moving the rest.
struct PurchaseRecords: RandomAccessCollection, MutableCollection {
  static let chunkSize = 16
  /// Every chunk but the last is full; the first begins `head` records in.
  private var chunks: ArraySlice<[TransactionRecord]> = []
  /// Records at the front of the first chunk that were dropped.
  private var head = 0
  /// The number of records.
  private(set) var count = 0

  init() {}

  /// The records of `records`, in order.
  init<Records: Sequence>(_ records: Records) where Records.Element == TransactionRecord {
    for record in records { append(record) }
  }

  var startIndex: Int { 0 }
  var endIndex: Int { count }

  subscript(position: Int) -> TransactionRecord {
    get {
      precondition(position >= 0 && position < count, "record index out of range")
      let slot = head + position
      return chunks[chunks.startIndex + slot / Self.chunkSize][slot % Self.chunkSize]
    }
    set {
      precondition(position >= 0 && position < count, "record index out of range")
      let slot = head + position
      chunks[chunks.startIndex + slot / Self.chunkSize][slot % Self.chunkSize] = newValue
    }
  }

  mutating func append(_ record: TransactionRecord) {
    if let last = chunks.last, last.count < Self.chunkSize {
      chunks[chunks.endIndex - 1].append(record)
    } else {
      var chunk: [TransactionRecord] = []
      chunk.reserveCapacity(Self.chunkSize)
      chunk.append(record)
      chunks.append(chunk)
    }
    count += 1
  }

  /// Drops the `k` oldest records.
  mutating func removeFirst(_ k: Int = 1) {
    precondition(k >= 0 && k <= count, "cannot drop more records than there are")
    count -= k
    guard count > 0 else {
      self = PurchaseRecords()
      return
    }
    head += k
    let emptied = head / Self.chunkSize
    if emptied > 0 {
      chunks.removeFirst(emptied)
      head -= emptied * Self.chunkSize
    }
  }

  /// Drops the records that match (records out of day order: rare, so the rest are rebuilt).
  mutating func removeAll(where shouldBeRemoved: (TransactionRecord) throws -> Bool) rethrows {
    self = PurchaseRecords(try filter { try !shouldBeRemoved($0) })
  }
}
