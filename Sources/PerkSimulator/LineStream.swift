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
    switch self {
    case .bytes(_, let bytes):
      try bytes.withUnsafeBufferPointer { buffer in
        var carry: [UInt8] = []
        var line: Int64 = 0
        _ = try LineStream.scan(buffer, carry: &carry, line: &line, final: true, body)
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
          try LineStream.scan(raw.bindMemory(to: UInt8.self), carry: &carry, line: &line, final: final, body)
        }
        if !keepGoing || final { break }
      }
    }
  }
}

enum LineStream {
  /// Splits a chunk into lines; an unfinished last line is kept in `carry` for the next chunk.
  static func scan(_ buffer: UnsafeBufferPointer<UInt8>, carry: inout [UInt8], line: inout Int64, final: Bool,
                   _ body: (UnsafeBufferPointer<UInt8>, Int64) throws -> Bool) throws -> Bool {
    var start = 0
    var index = 0
    let n = buffer.count
    func emit(_ range: Range<Int>) throws -> Bool {
      line += 1
      var end = range.upperBound
      if carry.isEmpty {
        if end > range.lowerBound, buffer[end - 1] == 13 { end -= 1 }
        return try body(UnsafeBufferPointer(rebasing: buffer[range.lowerBound..<end]), line)
      }
      carry.append(contentsOf: buffer[range])
      if carry.last == 13 { carry.removeLast() }
      defer { carry.removeAll(keepingCapacity: true) }
      return try carry.withUnsafeBufferPointer { try body($0, line) }
    }
    // `memchr` finds each line end a word or more at a time.
    while index < n, let base = buffer.baseAddress, let found = memchr(base + index, 10, n - index) {
      index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
      if try !emit(start..<index) { return false }
      index += 1
      start = index
    }
    if start < n { carry.append(contentsOf: buffer[start..<n]) }
    if final, !carry.isEmpty {
      line += 1
      if carry.last == 13 { carry.removeLast() }
      let result = try carry.withUnsafeBufferPointer { try body($0, line) }
      carry.removeAll()
      return result
    }
    return true
  }
}
