import Foundation

/// Where a history (or customers file) comes from: a file read in large chunks, or bytes in memory.
package enum InputSource: Sendable {
  case file(String)
  case bytes(name: String, [UInt8])

  package var name: String {
    switch self {
    case .file(let path): return path
    case .bytes(let name, _): return name
    }
  }

  /// The size in bytes, when known up front (for choosing the number of partitions).
  package var size: Int64 {
    switch self {
    case .file(let path):
      let attributes = try? FileManager.default.attributesOfItem(atPath: path)
      return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    case .bytes(_, let bytes): return Int64(bytes.count)
    }
  }

  /// Calls `body` with each line (without its `\n` or `\r\n`) and its 1-based number; `body`
  /// returns false to stop. Memory is one chunk plus the longest line, whatever the file's size.
  package func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int64) throws -> Bool) throws {
    try withoutActuallyEscaping(body) { body in
      var sink = LineClosure(body: body)
      try forEachLine(into: &sink)
    }
  }

  /// Hands each line (without its `\n` or `\r\n`) and its 1-based number to `sink`, which
  /// returns false to stop; `forEachLine(_:)` for a reader that keeps its state in a value.
  /// Generic rather than a closure: a closure capturing the reader's state had its captures
  /// retained and released at every line.
  func forEachLine<Sink: LineSink>(into sink: inout Sink) throws {
    switch self {
    case .bytes(_, let bytes):
      try bytes.withUnsafeBufferPointer { buffer in
        var carry: [UInt8] = []
        var line: Int64 = 0
        _ = try LineStream.scan(buffer, carry: &carry, line: &line, final: true, into: &sink)
      }
    case .file(let path):
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw SimulationInputError("\(path): no such file")
      }
      guard !isDirectory.boolValue, let handle = FileHandle(forReadingAtPath: path) else {
        throw SimulationInputError("\(path): cannot read file")
      }
      defer { try? handle.close() }
      var carry: [UInt8] = []
      var line: Int64 = 0
      while true {
        let chunk: Data
        do {
          chunk = try handle.read(upToCount: 4 << 20) ?? Data()
        } catch {
          throw SimulationInputError("\(path): cannot read file (\(error.localizedDescription))")
        }
        let final = chunk.isEmpty
        let keepGoing = try chunk.withUnsafeBytes { raw in
          try LineStream.scan(raw.bindMemory(to: UInt8.self), carry: &carry, line: &line, final: final, into: &sink)
        }
        if !keepGoing || final { break }
      }
    }
  }
}

/// What receives the lines of an input (`InputSource.forEachLine(into:)`).
protocol LineSink {
  /// One line, without its `\n` or `\r\n`, valid only during the call, and its 1-based
  /// number; false stops the read.
  mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, number: Int64) throws -> Bool
}

/// A closure as a `LineSink`.
struct LineClosure: LineSink {
  let body: (UnsafeBufferPointer<UInt8>, Int64) throws -> Bool

  func line(_ bytes: UnsafeBufferPointer<UInt8>, number: Int64) throws -> Bool { try body(bytes, number) }
}

enum LineStream {
  /// Splits a chunk into lines; an unfinished last line is kept in `carry` for the next chunk.
  static func scan(_ buffer: UnsafeBufferPointer<UInt8>, carry: inout [UInt8], line: inout Int64, final: Bool,
                   _ body: (UnsafeBufferPointer<UInt8>, Int64) throws -> Bool) throws -> Bool {
    try withoutActuallyEscaping(body) { body in
      var sink = LineClosure(body: body)
      return try scan(buffer, carry: &carry, line: &line, final: final, into: &sink)
    }
  }

  /// `scan(_:carry:line:final:_:)` into a `LineSink`.
  static func scan<Sink: LineSink>(_ buffer: UnsafeBufferPointer<UInt8>, carry: inout [UInt8], line: inout Int64, final: Bool,
                                   into sink: inout Sink) throws -> Bool {
    let n = buffer.count
    guard let base = buffer.baseAddress else { return try finish(carry: &carry, line: &line, final: final, into: &sink) }
    var start = 0
    var index = 0
    // `memchr` finds each line end a word or more at a time.
    while index < n, let found = memchr(base + index, 10, n - index) {
      index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
      line += 1
      if carry.isEmpty {
        // A whole line of this chunk, handed over where it lies (most lines).
        var end = index
        if end > start, base[end - 1] == 13 { end -= 1 }
        if try !sink.line(UnsafeBufferPointer(start: base + start, count: end - start), number: line) { return false }
      } else {
        // The end of a line that began in the previous chunk.
        carry.append(contentsOf: UnsafeBufferPointer(start: base + start, count: index - start))
        if carry.last == 13 { carry.removeLast() }
        let number = line
        let keepGoing = try carry.withUnsafeBufferPointer { try sink.line($0, number: number) }
        carry.removeAll(keepingCapacity: true)
        if !keepGoing { return false }
      }
      index += 1
      start = index
    }
    if start < n { carry.append(contentsOf: UnsafeBufferPointer(start: base + start, count: n - start)) }
    return try finish(carry: &carry, line: &line, final: final, into: &sink)
  }

  /// At the end of the input, the last line if it has no line end.
  private static func finish<Sink: LineSink>(carry: inout [UInt8], line: inout Int64, final: Bool, into sink: inout Sink) throws -> Bool {
    guard final, !carry.isEmpty else { return true }
    line += 1
    if carry.last == 13 { carry.removeLast() }
    let number = line
    let result = try carry.withUnsafeBufferPointer { try sink.line($0, number: number) }
    carry.removeAll()
    return result
  }
}

// MARK: - Byte ranges

extension InputSource {
  /// The size in bytes when any byte range of the input can be read on its own (bytes in
  /// memory, a regular file); nil for a pipe, a device or a file that cannot be looked at.
  var rangeReadableSize: Int64? {
    switch self {
    case .bytes(_, let bytes): return Int64(bytes.count)
    case .file(let path):
      var info = stat()
      guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
      return Int64(info.st_size)
    }
  }

  /// Calls `body` with the bytes of `range`, in order, in blocks of at most `blockSize` bytes;
  /// `body` is told whether a block is the range's last and returns false to stop.
  func forEachBlock(in range: Range<Int64>, blockSize: Int, _ body: (UnsafeBufferPointer<UInt8>, _ last: Bool) throws -> Bool) throws {
    switch self {
    case .bytes(_, let bytes):
      let clamped = range.clamped(to: 0..<Int64(bytes.count))
      try bytes.withUnsafeBufferPointer { buffer in
        _ = try body(UnsafeBufferPointer(rebasing: buffer[Int(clamped.lowerBound)..<Int(clamped.upperBound)]), true)
      }
    case .file(let path):
      let descriptor = open(path, O_RDONLY)
      // The message of `forEachLine(into:)`, which cannot open it either: the same whatever the threads.
      guard descriptor >= 0 else { throw SimulationInputError("\(path): cannot read file") }
      defer { close(descriptor) }
      let block = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, blockSize))
      defer { block.deallocate() }
      var offset = range.lowerBound
      while true {
        let wanted = Int(min(Int64(blockSize), range.upperBound - offset))
        var filled = 0
        while filled < wanted {
          let n = pread(descriptor, block + filled, wanted - filled, off_t(offset) + off_t(filled))
          if n < 0, errno == EINTR { continue }
          guard n >= 0 else { throw SimulationInputError("\(path): cannot read file (\(String(cString: strerror(errno))))") }
          // A file shortened while it is read ends where it now ends.
          if n == 0 { break }
          filled += n
        }
        offset += Int64(filled)
        let last = filled < wanted || offset >= range.upperBound
        if try !body(UnsafeBufferPointer(start: block, count: filled), last) || last { return }
      }
    }
  }

  /// Hands the lines of `range` to `sink` as `forEachLine(into:)` hands a whole input's,
  /// numbered from `firstLine`, read in blocks of `blockSize` bytes; returns false when the
  /// sink stopped the read. `range` starts at the start of a line; a line it cuts off at its
  /// end is handed over as it is there.
  func forEachLine<Sink: LineSink>(in range: Range<Int64>, firstLine: Int64, blockSize: Int, into sink: inout Sink) throws -> Bool {
    var carry: [UInt8] = []
    var line = firstLine - 1
    var keepGoing = true
    try forEachBlock(in: range, blockSize: blockSize) { block, last in
      keepGoing = try LineStream.scan(block, carry: &carry, line: &line, final: last, into: &sink)
      return keepGoing
    }
    return keepGoing
  }

  /// The number of line ends (`\n`) in `range`, read in blocks of `blockSize` bytes.
  func countLineEnds(in range: Range<Int64>, blockSize: Int) throws -> Int64 {
    var count: Int64 = 0
    try forEachBlock(in: range, blockSize: blockSize) { block, _ in
      count += Int64(LineStream.countLineEnds(block))
      return true
    }
    return count
  }

  /// The first start of a line at or after `offset` within `range` (just after a `\n`), or
  /// `range.upperBound` when no line starts there.
  func lineStart(atOrAfter offset: Int64, in range: Range<Int64>) throws -> Int64 {
    guard offset > range.lowerBound else { return range.lowerBound }
    guard offset < range.upperBound else { return range.upperBound }
    var found = range.upperBound
    var position = offset - 1
    try forEachBlock(in: position..<range.upperBound, blockSize: 64 << 10) { block, _ in
      guard let base = block.baseAddress, let end = memchr(base, 10, block.count) else {
        position += Int64(block.count)
        return true
      }
      found = position + Int64(base.distance(to: end.assumingMemoryBound(to: UInt8.self))) + 1
      return false
    }
    return found
  }
}

extension LineStream {
  /// The number of `\n` bytes in `bytes`.
  static func countLineEnds(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    guard let base = bytes.baseAddress else { return 0 }
    var count = 0
    var index = 0
    while index < bytes.count, let found = memchr(base + index, 10, bytes.count - index) {
      count += 1
      index = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
    }
    return count
  }
}
