/// A sequence that grows at the end and is dropped from the front — the purchase records an
/// account keeps for returns, its recent transaction ids — stored in chunks of 16.
///
/// In one array, a copy of an account that then added an element copied every element (up to
/// 200 records, each retaining its lines; up to 1,000 ids): the simulator's budget mode
/// evaluates on a copy of each account, and those copies were a sixth of its time. In chunks, a
/// copy shares every chunk but the one a change touches, and the front is dropped a chunk at a
/// time without moving the rest.
struct ChunkedQueue<Element>: RandomAccessCollection, MutableCollection {
  static var chunkSize: Int { 16 }
  /// Every chunk but the last is full; the first begins `head` elements in.
  private var chunks: ArraySlice<[Element]> = []
  /// Elements at the front of the first chunk that were dropped.
  private var head = 0
  /// The number of elements.
  private(set) var count = 0

  init() {}

  /// The elements of `elements`, in order.
  init<Elements: Sequence>(_ elements: Elements) where Elements.Element == Element {
    for element in elements { append(element) }
  }

  var startIndex: Int { 0 }
  var endIndex: Int { count }

  subscript(position: Int) -> Element {
    get {
      precondition(position >= 0 && position < count, "index out of range")
      let slot = head + position
      return chunks[chunks.startIndex + slot / Self.chunkSize][slot % Self.chunkSize]
    }
    set {
      precondition(position >= 0 && position < count, "index out of range")
      let slot = head + position
      chunks[chunks.startIndex + slot / Self.chunkSize][slot % Self.chunkSize] = newValue
    }
  }

  mutating func append(_ element: Element) {
    if let last = chunks.last, last.count < Self.chunkSize {
      chunks[chunks.endIndex - 1].append(element)
    } else {
      var chunk: [Element] = []
      chunk.reserveCapacity(Self.chunkSize)
      chunk.append(element)
      chunks.append(chunk)
    }
    count += 1
  }

  /// Drops the `k` oldest elements.
  mutating func removeFirst(_ k: Int = 1) {
    precondition(k >= 0 && k <= count, "cannot drop more elements than there are")
    count -= k
    guard count > 0 else {
      self = ChunkedQueue()
      return
    }
    head += k
    let emptied = head / Self.chunkSize
    if emptied > 0 {
      chunks.removeFirst(emptied)
      head -= emptied * Self.chunkSize
    }
  }

  /// Drops the elements that match (rare: the rest are rebuilt).
  mutating func removeAll(where shouldBeRemoved: (Element) throws -> Bool) rethrows {
    self = ChunkedQueue(try filter { try !shouldBeRemoved($0) })
  }
}

extension ChunkedQueue: Sendable where Element: Sendable {}

extension ChunkedQueue where Element: Equatable {
  /// Whether an element is there, scanning chunk by chunk (not index by index).
  func contains(_ element: Element) -> Bool {
    for (offset, chunk) in chunks.enumerated() where chunk[(offset == 0 ? head : 0)...].contains(element) { return true }
    return false
  }
}
