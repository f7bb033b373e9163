import Foundation

/// Pass one's output: validated rows in compact binary form, split by a stable hash of the
/// customer into partitions small enough to load one at a time.
///
/// This is how memory stays proportional to customers rather than rows: pass two loads one
/// partition, simulates its customers and drops it. One partition stays in memory; more
/// partitions spill to temporary files with a buffer each.
package final class PartitionStore {
  package let count: Int
  private var buffers: [[UInt8]]
  private var handles: [FileHandle?]
  private let directory: URL?
  /// Bytes a partition buffers before writing: 1 MB, less when there are many partitions so
  /// that all buffers together stay within 8 MB (memory must not grow with the history).
  private let flushSize: Int

  /// `count` partitions; more than one uses files in a fresh temporary directory.
  package init(count: Int) throws {
    self.count = max(1, count)
    flushSize = max(64 << 10, min(1 << 20, (8 << 20) / self.count))
    buffers = Array(repeating: [], count: self.count)
    if self.count == 1 {
      handles = [nil]
      directory = nil
      return
    }
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

  /// Appends a row to a partition chosen by the caller (by time, for the time-ordered run).
  package func append(_ row: HistoryRow, toPartition p: Int) throws {
    RowCodec.encode(row, into: &buffers[p])
    if let handle = handles[p], buffers[p].count >= flushSize {
      try write(handle, &buffers[p])
    }
  }

  private func write(_ handle: FileHandle, _ buffer: inout [UInt8]) throws {
    do {
      try handle.write(contentsOf: buffer)
    } catch {
      throw SimulationInputError("cannot write a partition file: \(error.localizedDescription)")
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Calls `body` with each partition's rows grouped by customer, in partition order, one
  /// partition in memory at a time. The rows stay in their compact binary form and are decoded
  /// one customer at a time (`CustomerGroups.rows(of:)`): decoded rows take several times the
  /// memory, and were the whole of the simulator's peak.
  package func forEachPartition(_ body: (Int, CustomerGroups) throws -> Void) throws {
    for p in 0..<count {
      var bytes: [UInt8]
      if let handle = handles[p] {
        try write(handle, &buffers[p])
        buffers[p] = []
        do {
          try handle.seek(toOffset: 0)
          bytes = Array(try handle.readToEnd() ?? Data())
          try handle.truncate(atOffset: 0)
        } catch {
          throw SimulationInputError("cannot read a partition file: \(error.localizedDescription)")
        }
      } else {
        bytes = buffers[p]
        buffers[p] = []
      }
      let groups = try CustomerGroups(encoded: bytes)
      bytes = []
      try body(p, groups)
    }
  }
}
