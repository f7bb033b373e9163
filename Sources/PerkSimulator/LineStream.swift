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
