import Foundation
import Perk
import Testing
@testable import PerkSimulator

/// Pass one's partitions and the batches that order a trace: every row comes back once, grouped
/// by customer in file order, and no batch holds more than its limit unless one partition does.
@Suite struct PartitionStoreTests {
  static func rows(customers: Int, perCustomer: (Int) -> Int) -> [HistoryRow] {
    var rows: [HistoryRow] = []
    var seq: Int64 = 0
    for c in 0..<customers {
      for r in 0..<perCustomer(c) {
        seq += 1
        rows.append(HistoryRow(customer: "c\(c)", txn: "c\(c)-\(r)", time: Instant(secondsSince1970: seq), seq: seq,
                               kind: .purchase, sku: "latte", category: "coffee", quantity: 1, totalMinor: 450))
      }
    }
    return rows
  }

  @Test(arguments: [1, 7])
  func partitionsReturnEveryRowOnceGroupedByCustomerAndBatchesCoverThemWithinTheirLimit(partitions: Int) throws {
    let rows = Self.rows(customers: 60) { $0 % 9 == 0 ? 40 : 1 + $0 % 4 }
    let store = try PartitionStore(count: partitions)
    for row in rows { try store.append(row) }
    var partitionSizes: [Int] = []
    var encoded = [UInt8]()
    for p in 0..<partitions {
      encoded.removeAll()
      for row in rows where store.partition(of: row.customer) == p { RowCodec.encode(row, into: &encoded) }
      partitionSizes.append(encoded.count)
    }
    #expect(store.totalBytes == partitionSizes.reduce(0, +))
    let limit = max(1, store.totalBytes / 3)
    let batches = store.batches(upTo: limit)
    // Neighbouring partitions, every one once, in order; within the limit unless one partition is larger.
    #expect(batches.first?.lowerBound == 0 && batches.last?.upperBound == partitions)
    #expect(zip(batches, batches.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound && !$0.isEmpty })
    for batch in batches {
      let bytes = batch.reduce(0) { $0 + partitionSizes[$1] }
      #expect(bytes <= limit || batch.count == 1)
      if batch.upperBound < partitions { #expect(bytes + partitionSizes[batch.upperBound] > limit) }
    }
    #expect(partitions == 1 ? batches.count == 1 : batches.count > 1 && batches.count < partitions)
    #expect(store.batches(upTo: 1) == (0..<partitions).map { $0..<($0 + 1) })
    var seen: [String: [HistoryRow]] = [:]
    var order: [Int] = []
    try store.forEachPartition { p, groups in
      order.append(p)
      #expect(groups.ids == groups.ids.sorted())
      for index in groups.ids.indices {
        #expect(seen[groups.ids[index]] == nil, "a customer appears in one partition only")
        #expect(store.partition(of: groups.ids[index]) == p)
        seen[groups.ids[index]] = groups.rows(of: index)
      }
    }
    #expect(order == Array(0..<partitions))
    var expected: [String: [HistoryRow]] = [:]
    for row in rows { expected[row.customer, default: []].append(row) }
    #expect(seen == expected)
    #expect(store.totalBytes == 0)
  }

  /// Write buffers written to their files many times, and rows longer than the room a buffer
  /// keeps beyond its flush size (the buffer grows; on Linux into pages mapped anew): every row
  /// comes back whole, in file order, and the store is empty after one read.
  @Test func buffersWrittenManyTimesAndRowsLongerThanTheirRoomComeBackWhole() throws {
    let long = String(repeating: "x", count: 3 * PartitionStore.rowRoom)
    let rows = Self.rows(customers: 30) { _ in 40 }.enumerated().map { index, row in
      var row = row
      if index % 7 == 0 { row.sku = long + "\(index)" }
      return row
    }
    // The least buffer (64 KB a partition): about 1.2 MB of rows are written in many flushes.
    let store = try PartitionStore(count: 3, bufferBytes: 0)
    for row in rows { try store.append(row) }
    var seen: [String: [HistoryRow]] = [:]
    try store.forEachPartition { _, groups in
      for index in groups.ids.indices { seen[groups.ids[index]] = groups.rows(of: index) }
    }
    var expected: [String: [HistoryRow]] = [:]
    for row in rows { expected[row.customer, default: []].append(row) }
    #expect(seen == expected)
    #expect(store.totalBytes == 0)
  }

  /// Read once, a store gives its rows away; a run that reads it again (budgets with
  /// referrals) gets the same rows every time.
  @Test(arguments: [1, 3])
  func aStoreReadAgainGivesTheSameRows(partitions: Int) throws {
    let rows = Self.rows(customers: 12) { 1 + $0 % 3 }
    func read(_ store: PartitionStore) throws -> [HistoryRow] {
      var all: [HistoryRow] = []
      try store.forEachPartition { _, groups in for index in groups.ids.indices { all += groups.rows(of: index) } }
      return all.sorted { $0.seq < $1.seq }
    }
    let kept = try PartitionStore(count: partitions)
    kept.readsOnce = false
    for row in rows { try kept.append(row) }
    #expect(try read(kept) == rows)
    #expect(try read(kept) == rows)
    let once = try PartitionStore(count: partitions)
    for row in rows { try once.append(row) }
    #expect(try read(once) == rows)
    #expect(try read(once).isEmpty)
  }
}
