/// A sequence that grows at the end and is dropped from the front — the purchase records an
/// account keeps for returns, its recent transaction ids — stored in chunks.
///
/// In one array, a copy of an account that then added an element copied every element (up to
/// 200 records, each retaining its lines; up to 1,000 ids): the simulator's budget mode
/// evaluates on a copy of each account, and those copies were a sixth of its time. In chunks, a
/// copy shares every chunk but the one a change touches, and the front is dropped a chunk at a
/// time without moving the rest.
///
/// The first chunk is the array the queue was made from, shared, whatever its size (the till's
/// form makes a queue from a stored state on every event); later ones hold 16 elements each.
struct ChunkedQueue<Element>: RandomAccessCollection, MutableCollection {
  static var chunkSize: Int { 16 }
  /// The first chunk has any size; the others but the last hold `chunkSize` elements. The
  /// first begins `head` elements in.
  private var chunks: ArraySlice<[Element]> = []
  /// Elements at the front of the first chunk that were dropped.
  private var head = 0
  /// The number of elements.
  private(set) var count = 0

  init() {}

  /// The elements of `elements`, in order, sharing the array's storage.
  init(_ elements: [Element]) {
    guard !elements.isEmpty else { return }
    chunks = [elements]
    count = elements.count
  }

  /// The elements of `elements`, in order.
  init<Elements: Sequence>(_ elements: Elements) where Elements.Element == Element {
    self.init(Array(elements))
  }

  var startIndex: Int { 0 }
  var endIndex: Int { count }

  /// The elements as one array (the first chunk itself when it holds them all).
  var array: [Element] {
    if head == 0, chunks.count == 1 { return chunks[chunks.startIndex] }
    // Chunk by chunk: element by element, each position was located first (the till's form
    // writes its state's ids and records as arrays on every event).
    var elements: [Element] = []
    elements.reserveCapacity(count)
    for (offset, chunk) in chunks.enumerated() { elements.append(contentsOf: chunk[(offset == 0 ? head : 0)...]) }
    return elements
  }

  subscript(position: Int) -> Element {
    get {
      let (chunk, offset) = locate(position)
      return chunks[chunk][offset]
    }
    set {
      let (chunk, offset) = locate(position)
      chunks[chunk][offset] = newValue
    }
  }

  /// The chunk (an index of `chunks`) and the offset in it of a position.
  private func locate(_ position: Int) -> (chunk: Int, offset: Int) {
    precondition(position >= 0 && position < count, "index out of range")
    let slot = head + position
    let first = chunks[chunks.startIndex].count
    if slot < first { return (chunks.startIndex, slot) }
    let rest = slot - first
    return (chunks.startIndex + 1 + rest / Self.chunkSize, rest % Self.chunkSize)
  }

  mutating func append(_ element: Element) {
    // The last chunk's count is read in place: binding the chunk would share its storage and
    // make the append below copy it.
    if !chunks.isEmpty, chunks[chunks.endIndex - 1].count < Self.chunkSize {
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
    while head >= chunks[chunks.startIndex].count {
      head -= chunks[chunks.startIndex].count
      chunks.removeFirst()
    }
  }

  /// Drops every element, keeping the storage of the first chunk and of the list of chunks: an
  /// account emptied for the simulator's next customer refills them without allocating (or
  /// allocates new ones, if a copy still shares them).
  mutating func removeAllKeepingCapacity() {
    guard !chunks.isEmpty else { return }
    // In place: most customers of a sparse history fill one chunk, and emptying the list of
    // chunks to put the first back cost more than their few elements.
    if chunks.count > 1 { chunks.removeLast(chunks.count - 1) }
    chunks[chunks.startIndex].removeAll(keepingCapacity: true)
    head = 0
    count = 0
  }

  /// Drops the elements that match (rare: the rest are rebuilt).
  mutating func removeAll(where shouldBeRemoved: (Element) throws -> Bool) rethrows {
    self = ChunkedQueue(try filter { try !shouldBeRemoved($0) })
  }
}

extension ChunkedQueue: Sendable where Element: Sendable {}

// Equal and hashed as the arrays of their elements (an ``AccountState`` stores two queues).
extension ChunkedQueue: Equatable where Element: Equatable {
  static func == (a: ChunkedQueue, b: ChunkedQueue) -> Bool {
    a.count == b.count && a.elementsEqual(b)
  }
}

extension ChunkedQueue: Hashable where Element: Hashable {
  func hash(into hasher: inout Hasher) {
    hasher.combine(count)
    for element in self { hasher.combine(element) }
  }
}

extension ChunkedQueue {
  /// Whether the elements' keys never decrease, read chunk by chunk in place (locating each
  /// position, and copying each element out, cost more than the comparison).
  func isSorted<Key: Comparable>(by key: (Element) -> Key) -> Bool {
    var previous: Key?
    for (offset, chunk) in chunks.enumerated() {
      let ordered = chunk[(offset == 0 ? head : 0)...].withUnsafeBufferPointer { elements in
        for index in elements.indices {
          let current = key(elements[index])
          if let before = previous, before > current { return false }
          previous = current
        }
        return true
      }
      if !ordered { return false }
    }
    return true
  }
}

extension ChunkedQueue where Element: Equatable {
  /// Whether an element is there, scanning chunk by chunk (not index by index), each chunk read
  /// in place: a till event looks its transaction id up among the recent ones this way (a
  /// slice of each chunk cost more than the comparisons).
  func contains(_ element: Element) -> Bool {
    var start = head
    for chunk in chunks {
      let found = chunk.withUnsafeBufferPointer { elements in
        var index = start
        while index < elements.count {
          if elements[index] == element { return true }
          index += 1
        }
        return false
      }
      if found { return true }
      start = 0
    }
    return false
  }
}
