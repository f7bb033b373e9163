import PerkTestSupport
import Testing
@testable import PerkRuntime

/// Records and ids in chunks behave as the arrays they stand for, whatever is appended,
/// dropped, changed or copied.
@Suite struct ChunkedQueueTests {
  static func record(_ n: Int) -> TransactionRecord {
    TransactionRecord(id: "T\(n)", day: LocalDate(dayNumber: Int64(20_000 + n)), lines: [])
  }

  /// From empty, and from a stored array larger than a chunk (kept whole as the first chunk).
  @Test(arguments: [0, 37])
  func appendsDropsAndChangesLikeAnArray(stored: Int) {
    var model: [TransactionRecord] = (0..<stored).map(Self.record)
    var records = ChunkedQueue(model)
    var random = SeededGenerator(state: 42)
    var next = stored
    for step in 0..<2_000 {
      switch Int.random(in: 0..<10, using: &random) {
      case 0..<6:
        records.append(Self.record(next))
        model.append(Self.record(next))
        next += 1
      case 6..<8 where !model.isEmpty:
        let k = Int.random(in: 0...min(model.count, 20), using: &random)
        records.removeFirst(k)
        model.removeFirst(k)
      case 8 where !model.isEmpty:
        let i = Int.random(in: 0..<model.count, using: &random)
        records[i].flatReversed.toggle()
        model[i].flatReversed.toggle()
      default:
        records.removeAll { $0.id.hasSuffix("7") }
        model.removeAll { $0.id.hasSuffix("7") }
      }
      #expect(Array(records) == model && records.array == model, "step \(step)")
      #expect(records.count == model.count && records.first == model.first && records.last == model.last)
    }
  }

  @Test func aCopyIsUnchangedByWhatTheOriginalDoes() {
    var records = ChunkedQueue((0..<40).map(Self.record))
    let copy = records
    records.append(Self.record(40))
    records.removeFirst(17)
    records[0].flatReversed = true
    #expect(Array(copy) == (0..<40).map(Self.record))
    #expect(Array(records.map(\.id)) == (17...40).map { "T\($0)" })
    #expect(records.firstIndex { $0.id == "T20" } == 3)
  }

  @Test func findsAnIdInAnyChunkButNotADroppedOne() {
    var ids = ChunkedQueue((0..<50).map { "T\($0)" })
    ids.removeFirst(20)
    #expect(ids.contains("T20") && ids.contains("T35") && ids.contains("T49"))
    #expect(!ids.contains("T19") && !ids.contains("T3") && !ids.contains("T50"))
    ids.removeFirst(30)
    #expect(ids.isEmpty && !ids.contains("T49"))
  }
}

/// A queue compares, hashes and orders as the array of its elements, however it is chunked.
@Suite struct ChunkedQueueComparisonTests {
  @Test func equalAndHashedAsItsElementsWhateverTheChunks() {
    var grown = ChunkedQueue((0..<5).map { "T\($0)" })
    for n in 5..<60 { grown.append("T\(n)") }
    grown.removeFirst(23)
    let stored = ChunkedQueue((23..<60).map { "T\($0)" })
    #expect(grown == stored)
    #expect(grown.hashValue == stored.hashValue)
    #expect(grown.hashValue == ChunkedQueue(grown.array).hashValue)
    var other = stored
    other[36] = "T99"
    #expect(grown != other)
    other = stored
    other.removeFirst()
    #expect(grown != other && ChunkedQueue<String>() == ChunkedQueue([String]()))
  }

  @Test func sortedIsReadAcrossChunksAndAfterDrops() {
    var days = ChunkedQueue([5, 6, 6])
    for day in [7, 7, 9, 12] { days.append(day) }
    #expect(days.isSorted { $0 })
    for day in 13..<40 { days.append(day) }
    #expect(days.isSorted { $0 })
    days.append(38)  // out of order across the last chunk
    #expect(!days.isSorted { $0 })
    var late = ChunkedQueue([9, 1, 2])
    #expect(!late.isSorted { $0 })
    late.removeFirst()  // the out-of-order one is dropped: only what is left counts
    #expect(late.isSorted { $0 } && ChunkedQueue<Int>().isSorted { $0 })
  }
}
