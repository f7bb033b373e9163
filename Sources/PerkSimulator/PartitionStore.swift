import Foundation

/// Pass one's output: validated rows in compact binary form, split by a stable hash of the
/// customer into partitions small enough to load one at a time.
///
/// This is how memory stays proportional to customers rather than rows: pass two loads one
/// partition, simulates its customers and drops it. One partition stays in memory; more
/// partitions spill to temporary files with a buffer each.
package final class PartitionStore {
  package let count: Int
  // Unchecked: `append`, once a row, is its only writer during a read (and the store is never
  // shared between threads while written); the run-time check cost about 80 instructions a row.
  @exclusivity(unchecked) private var buffers: [WriteBuffer]
  /// The rows of a store of one partition, which has no file.
  @exclusivity(unchecked) private var single: [UInt8] = []
  private var handles: [FileHandle?]
  /// Bytes in each partition's file (its buffer holds the rest: `size(of:)`). Counted when a
  /// buffer is written, not per row: each access to these arrays is checked at run time.
  private var sizes: [Int]
  /// Stores whose partition files follow this store's own, in order
  /// (`append(contentsOf:)`: the byte ranges of a history read on several threads).
  private var followers: [PartitionStore] = []
  private let directory: URL?
  /// Bytes a partition buffers before writing: all buffers together about `bufferBytes` (4 MB
  /// by default) whatever the number of partitions (a longer history has more: memory must not
  /// grow with it), at least 64 KB each. Each buffer is made with room for that and one more row, so that it is written
  /// before it would grow (an array grows by doubling: a buffer written at 1 MB held 2).
  private let flushSize: Int
  /// Room beyond `flushSize` for the row that reaches it; a longer row grows its buffer.
  static let rowRoom = 4 << 10
  /// Whether reading a partition gives its rows away (the file is emptied, an in-memory
  /// partition dropped: they are read once, and kept they would hold the disk or double the
  /// peak). A caller that reads the store again clears it.
  package var readsOnce = true {
    didSet { for follower in followers { follower.readsOnce = readsOnce } }
  }

  /// `count` partitions; more than one uses files in a fresh temporary directory, written
  /// through buffers of about `bufferBytes` together (the stores of a history read on several
  /// threads share 4 MB).
  package init(count: Int, bufferBytes: Int = 4 << 20) throws {
    self.count = max(1, count)
    flushSize = max(64 << 10, bufferBytes / self.count)
    buffers = []
    sizes = Array(repeating: 0, count: self.count)
    if self.count == 1 {
      handles = [nil]
      directory = nil
      return
    }
    let room = flushSize + Self.rowRoom
    buffers = (0..<self.count).map { _ in WriteBuffer(capacity: room) }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perk-sim-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))")
    do {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    } catch {
      throw SimulationInputError("cannot create a temporary directory for partitions: \(error.localizedDescription)")
    }
    directory = dir
    var opened: [FileHandle?] = []
    for index in 0..<self.count {
      let url = dir.appendingPathComponent("p\(index)")
      _ = FileManager.default.createFile(atPath: url.path, contents: nil)
      guard let handle = FileHandle(forUpdatingAtPath: url.path) else {
        throw SimulationInputError("cannot create a partition file in \(dir.path)")
      }
      opened.append(handle)
    }
    handles = opened
  }

  deinit {
    for buffer in buffers { buffer.deallocate() }
    for handle in handles { try? handle?.close() }
    if let directory { try? FileManager.default.removeItem(at: directory) }
  }

  /// The partition of a customer id: independent of the number of threads, so results are too.
  package func partition(of customer: String) -> Int {
    count == 1 ? 0 : Int(StableHash.mix(StableHash.of(customer)) % UInt64(count))
  }

  package func append(_ row: HistoryRow) throws {
    try append(row, toPartition: partition(of: row.customer))
  }

  /// The partition of a customer id given as bytes (the same as `partition(of:)` of its text).
  @inline(__always)
  func partition(ofCustomer bytes: UnsafeBufferPointer<UInt8>) -> Int {
    count == 1 ? 0 : Int(StableHash.mix(StableHash.fnv1a(bytes)) % UInt64(count))
  }

  /// Appends a row as parsed, encoded without making its strings (the bytes of
  /// `append(HistoryRow(row))`).
  func append(_ row: ParsedRow) throws {
    guard count > 1 else { return RowCodec.encode(row, into: &single) }
    let p = partition(ofCustomer: row.customer.bytes)
    let room = RowCodec.maximumSize(row)
    if buffers[p].count &+ room > buffers[p].capacity { buffers[p].grow(toHold: buffers[p].count + room) }
    buffers[p].count &+= RowCodec.encode(row, to: buffers[p].base + buffers[p].count)
    if buffers[p].count >= flushSize { try flush(p) }
  }

  /// Appends a row to a partition chosen by the caller (by time, for the time-ordered run).
  package func append(_ row: HistoryRow, toPartition p: Int) throws {
    guard count > 1 else { return RowCodec.encode(row, into: &single) }
    var bytes: [UInt8] = []
    RowCodec.encode(row, into: &bytes)
    bytes.withUnsafeBufferPointer { buffers[p].append($0) }
    if buffers[p].count >= flushSize { try flush(p) }
  }

  /// Makes `other`'s rows follow this store's rows in every partition, as if appended after
  /// them, without copying them: its files are read after this store's (a history read on
  /// several threads writes each byte range's rows to a store of its own). `other` has as many
  /// partitions and is no longer written; nor is this store afterwards.
  func append(contentsOf other: PartitionStore) throws {
    precondition(other.count == count, "stores of as many partitions")
    if count == 1 {
      single.append(contentsOf: other.single)
      other.single = []
      return
    }
    try finishWriting()
    try other.finishWriting()
    for follower in [other] + other.followers {
      follower.readsOnce = readsOnce
      followers.append(follower)
    }
    other.followers = []
  }

  /// Writes a partition's buffered rows to its file.
  private func flush(_ p: Int) throws {
    guard let handle = handles[p] else { return }
    do {
      try handle.write(contentsOf: UnsafeRawBufferPointer(buffers[p].bytes))
    } catch {
      throw SimulationInputError("cannot write a partition file: \(error.localizedDescription)")
    }
    sizes[p] += buffers[p].count
    buffers[p].count = 0
  }

  /// Bytes written to a partition so far, buffered or in its files.
  private func size(of p: Int) -> Int {
    count == 1 ? single.count : followers.reduce(sizes[p] + buffers[p].count) { $0 + $1.sizes[p] }
  }

  /// The stores whose files hold a partition's rows, in order: this one, then its followers.
  private var filesInOrder: [PartitionStore] { [self] + followers }

  /// Calls `body` with each partition's rows grouped by customer, in partition order, one
  /// partition in memory at a time. The rows stay in their compact binary form and are decoded
  /// one customer at a time (`CustomerGroups.rows(of:)`): decoded rows take several times the
  /// memory, and were the whole of the simulator's peak.
  package func forEachPartition(_ body: (Int, CustomerGroups) throws -> Void) throws {
    try finishWriting()
    for p in 0..<count {
      let groups = try CustomerGroups(encoded: load(p))
      try body(p, groups)
    }
  }

  /// ``forEachPartition(_:)``, but a partition file larger than `pieceLimit` bytes is given in
  /// pieces of whole customers, each at most about `pieceLimit` (and one customer), one piece
  /// in memory at a time; `body` is told whether a piece is its partition's last.
  ///
  /// Partitions are chosen by the history's size, so a longer history of the same customers has
  /// fewer customers a partition and the largest partition grows with rows per customer (219 k
  /// rows for 33 years of 3,488 customers against 108 k for one year): loaded whole, it was the
  /// peak's growth. Which customers share a piece changes nothing but memory: a piece's
  /// customers are in id order like a partition's, and a caller merges a partition's pieces.
  func forEachPartition(pieceLimit: Int, _ body: (_ partition: Int, _ groups: CustomerGroups, _ last: Bool) throws -> Void) throws {
    try finishWriting()
    for p in 0..<count {
      guard handles[p] != nil, pieceLimit > 0, size(of: p) > pieceLimit else {
        try body(p, try CustomerGroups(encoded: load(p)), true)
        continue
      }
      try flush(p)
      buffers[p].free()
      let files = filesInOrder
      // Each customer's bytes and each row's customer, numbered as strings (customers equal as
      // strings, one customer: one piece), in order of first appearance.
      var numbers: [String: Int32] = [:]
      var customerBytes: [Int] = []
      var rowCustomers: [Int32] = []
      try forEachRow(inFilesOf: p, files) { buffer, row, customer in
        let id = String(decoding: UnsafeBufferPointer(rebasing: buffer[customer]), as: UTF8.self)
        let number = numbers[id] ?? {
          numbers[id] = Int32(customerBytes.count)
          customerBytes.append(0)
          return Int32(customerBytes.count - 1)
        }()
        customerBytes[Int(number)] += row.count
        rowCustomers.append(number)
      }
      numbers = [:]
      // Customers in order, a piece closed once it holds its share of the bytes.
      let pieces = min(255, (size(of: p) + pieceLimit - 1) / pieceLimit)
      let share = size(of: p) / pieces
      var piece = [UInt8](repeating: 0, count: customerBytes.count)
      var pieceBytes = [Int](repeating: 0, count: pieces)
      var current = 0
      for customer in customerBytes.indices {
        if pieceBytes[current] > 0, pieceBytes[current] + customerBytes[customer] > share, current < pieces - 1 { current += 1 }
        piece[customer] = UInt8(current)
        pieceBytes[current] += customerBytes[customer]
      }
      let rowPieces = rowCustomers.map { piece[Int($0)] }
      rowCustomers = []
      let used = current + 1
      for k in 0..<used {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(pieceBytes[k])
        var index = 0
        try forEachRow(inFilesOf: p, files) { buffer, row, _ in
          if rowPieces[index] == UInt8(k) { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[row])) }
          index += 1
        }
        try body(p, try CustomerGroups(encoded: bytes), k == used - 1)
      }
      if readsOnce {
        for file in files { try file.empty(p) }
      }
    }
  }

  /// Empties a partition's file (it has been read once).
  private func empty(_ p: Int) throws {
    do {
      try handles[p]!.truncate(atOffset: 0)
    } catch {
      throw SimulationInputError("cannot empty a partition file: \(error.localizedDescription)")
    }
    sizes[p] = 0
  }

  /// `forEachRow(inFile:_:)` over the partition's file in each of `files`, in order.
  private func forEachRow(inFilesOf p: Int, _ files: [PartitionStore],
                          _ body: (UnsafeBufferPointer<UInt8>, Range<Int>, Range<Int>) throws -> Void) throws {
    for file in files { try file.forEachRow(inFile: p, body) }
  }

  /// Reads a flushed partition's file a block at a time and calls `body` with each row: the
  /// block, the row's bytes and its customer's within it.
  private func forEachRow(inFile p: Int, _ body: (UnsafeBufferPointer<UInt8>, Range<Int>, Range<Int>) throws -> Void) throws {
    let descriptor = handles[p]!.fileDescriptor
    let size = sizes[p]
    var block = [UInt8](repeating: 0, count: 1 << 20)
    var filled = 0
    var read = 0
    while true {
      if read < size, filled < block.count {
        let n = block.withUnsafeMutableBufferPointer { buffer in
          pread(descriptor, buffer.baseAddress! + filled, min(buffer.count - filled, size - read), off_t(read))
        }
        if n < 0, errno == EINTR { continue }
        guard n > 0 else {
          throw SimulationInputError("cannot read a partition file: \(String(cString: strerror(n < 0 ? errno : EIO)))")
        }
        filled += n
        read += n
      }
      var offset = 0
      try block.withUnsafeBufferPointer { whole in
        let buffer = UnsafeBufferPointer(rebasing: whole[0..<filled])
        while offset < filled {
          var end = offset
          guard let customer = RowCodec.customerRange(buffer, offset: &end) else { break }
          try body(buffer, offset..<end, customer)
          offset = end
        }
      }
      if read == size, offset == filled { return }
      if offset == 0 {
        // Not one whole row: a row longer than the block grows it; at the file's end, a truncated row.
        guard read < size else { throw SimulationInputError("a partition file is corrupt") }
        if filled == block.count { block.append(contentsOf: repeatElement(0, count: block.count)) }
        continue
      }
      block.withUnsafeMutableBufferPointer { buffer in
        let base = buffer.baseAddress!
        _ = memmove(base, base + offset, filled - offset)
      }
      filled -= offset
    }
  }

  /// Neighbouring partitions grouped while their bytes add up to at most `limit` (a larger
  /// partition is a group of its own), in order; they cover every partition. Groups depend only
  /// on the partitions' sizes, never on the number of threads.
  ///
  /// Pass two once loaded each group at once; it now loads one partition at a time (a group's
  /// size was the run's peak, and it followed how partitions happened to pack), and the groups
  /// only order the trace (`TraceOrder`). Asked before any partition is read.
  package func batches(upTo limit: Int) -> [Range<Int>] {
    var batches: [Range<Int>] = []
    var first = 0
    while first < count {
      var end = first + 1
      var total = size(of: first)
      while end < count, total + size(of: end) <= limit {
        total += size(of: end)
        end += 1
      }
      batches.append(first..<end)
      first = end
    }
    return batches
  }

  /// Writes every partition file's buffered rows and frees the write buffers: pass two only
  /// reads, and the buffers (about 4 MB together) would otherwise stay allocated until each
  /// partition is loaded.
  private func finishWriting() throws {
    for p in 0..<count {
      guard handles[p] != nil else { continue }
      try flush(p)
      buffers[p].free()
    }
  }

  /// Bytes written to all partitions.
  package var totalBytes: Int { (0..<count).reduce(0) { $0 + size(of: $1) } }

  /// A partition's bytes, taken out of the store (its file is emptied).
  private func load(_ p: Int) throws -> [UInt8] {
    guard handles[p] != nil else {
      defer { if readsOnce { single = [] } }
      return single
    }
    try flush(p)
    let files = filesInOrder
    return try [UInt8](unsafeUninitializedCapacity: size(of: p)) { buffer, initialized in
      initialized = 0
      for file in files {
        initialized += try file.take(p, into: UnsafeMutableBufferPointer(rebasing: buffer[initialized...]))
      }
    }
  }

  /// Reads a flushed partition's file into `buffer` (room for all of it) and, when the store
  /// is read once, empties the file; returns the bytes read.
  private func take(_ p: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
    buffers[p].free()
    let size = sizes[p]
    precondition(buffer.count >= size, "room for the partition")
    let descriptor = handles[p]!.fileDescriptor
    var failure: Int32 = 0
    var done = 0
    while done < size {
      let n = pread(descriptor, buffer.baseAddress! + done, size - done, off_t(done))
      if n < 0, errno == EINTR { continue }
      guard n > 0 else {
        failure = n < 0 ? errno : EIO
        break
      }
      done += n
    }
    guard failure == 0, done == size else {
      throw SimulationInputError("cannot read a partition file: \(String(cString: strerror(failure == 0 ? EIO : failure)))")
    }
    guard readsOnce else { return done }
    try empty(p)
    return done
  }
}

/// Rows a partition has not yet written to its file (with one partition, all its rows): memory
/// the store owns and frees, which a row is encoded into where it will stay
/// (`RowCodec.encode(_:to:)`): an array took each row encoded elsewhere and copied it in, with
/// its uniqueness and capacity checked.
///
/// On Linux the bytes are mapped pages of their own (`mmap`), given back to the system when
/// freed. From malloc, a buffer under glibc's mmap threshold (128 KB, fixed by
/// `Simulator.returnLargeBlocksToTheSystem`) is carved from the heap: with pass one on two
/// threads the stores share 4 MB, so each of 24 partitions' buffers is about 91 KB, and the
/// 4.4 MB of them sat in the main heap below blocks allocated after them. Freed after pass one,
/// they could not be trimmed, and the heap stayed about 1.4 MB larger through pass two (the
/// peak of `perk sim` at 10x the rows rose by as much). Mapped, their size no longer decides
/// where they live.
private struct WriteBuffer {
  private(set) var base: UnsafeMutablePointer<UInt8>
  var count = 0
  private(set) var capacity: Int

  init(capacity: Int) {
    (base, self.capacity) = Self.allocate(capacity)
  }

  var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

  /// Makes room for `needed` bytes in all, keeping those written (at least doubling: a single
  /// partition grows row by row).
  mutating func grow(toHold needed: Int) {
    let (moved, larger) = Self.allocate(max(needed, capacity * 2, 64))
    moved.initialize(from: base, count: count)
    Self.release(base, capacity)
    base = moved
    capacity = larger
  }

  mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    if count + bytes.count > capacity { grow(toHold: count + bytes.count) }
    if let source = bytes.baseAddress { (base + count).initialize(from: source, count: bytes.count) }
    count += bytes.count
  }

  /// Gives the memory back for good (the store's `deinit`).
  func deallocate() { Self.release(base, capacity) }

  /// Gives the memory back, leaving an empty buffer (which grows again if written).
  mutating func free() {
    Self.release(base, capacity)
    (base, capacity) = Self.allocate(0)
    count = 0
  }

  /// Memory for at least `bytes` bytes and its capacity (on Linux whole pages: the rest of the
  /// last page is room too). An empty buffer maps nothing.
  private static func allocate(_ bytes: Int) -> (UnsafeMutablePointer<UInt8>, Int) {
    #if canImport(Glibc)
    guard bytes > 0 else { return (.allocate(capacity: 0), 0) }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let length = (bytes + page - 1) / page * page
    guard let mapped = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
          mapped != MAP_FAILED else {
      fatalError("cannot map \(length) bytes for a partition's write buffer: \(String(cString: strerror(errno)))")
    }
    return (mapped.bindMemory(to: UInt8.self, capacity: length), length)
    #else
    return (.allocate(capacity: bytes), bytes)
    #endif
  }

  /// Gives back memory from `allocate(_:)` of that capacity.
  private static func release(_ base: UnsafeMutablePointer<UInt8>, _ capacity: Int) {
    #if canImport(Glibc)
    guard capacity > 0 else { return base.deallocate() }
    munmap(base, capacity)
    #else
    base.deallocate()
    #endif
  }
}
