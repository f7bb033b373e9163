import Foundation
import Testing

@testable import PerkRuntime

/// A record keeps its fields in one shared reference: copies must still behave as values, and
/// the record must compare, hash, encode and decode as it did when the fields were its own.
struct TransactionRecordStorageTests {
  static let day = LocalDate(year: 2026, month: 3, day: 2)!

  static func record() -> TransactionRecord {
    TransactionRecord(
      id: "T1", day: day,
      lines: [TransactionRecord.Line(sku: "latte", category: "coffee", quantity: 2, unitMinor: 450, netMinor: 900,
                                     points: ["stars": 18], stamps: ["coffee card": 2]),
              TransactionRecord.Line(sku: "muffin", category: "pastry", quantity: 1, unitMinor: 325, netMinor: 325)],
      flatPoints: ["stars": 5], promotion: PromotionReturnRecord(rules: ["base earn"], freeUnits: [0, 1]))
  }

  @Test func aChangedCopyLeavesTheOriginalAlone() {
    let original = Self.record()
    var copy = original
    copy.lines[0].returned = 1
    copy.flatReversed = true
    copy.flatPoints["stars"] = 7
    copy.promotion?.refundedMinor = 450
    copy.id = "T2"
    copy.day = Self.day.adding(days: 1)
    #expect(original.lines[0].returned == 0)
    #expect(original.flatReversed == false)
    #expect(original.flatPoints["stars"] == 5)
    #expect(original.promotion?.refundedMinor == 0)
    #expect(original.id == "T1")
    #expect(original.day == Self.day)
    #expect(copy.lines[0].returned == 1 && copy.flatReversed && copy.flatPoints["stars"] == 7)
    #expect(copy.promotion?.refundedMinor == 450 && copy.id == "T2" && copy.day == Self.day.adding(days: 1))
    #expect(copy != original)
  }

  @Test func aContextSetOnACopyIsOnlyThere() {
    let original = Self.record()
    var copy = original
    let context = PurchaseContext(time: Instant(secondsSince1970: 1_772_442_000), eligibleRules: ["base earn"], purchaseCount: 3)
    copy.context = context
    #expect(original.context == nil)
    #expect(copy.context == context)
    copy.context = nil
    #expect(copy == original)
  }

  @Test func equalRecordsInSeparateStorageCompareAndHashAlike() {
    let a = Self.record()
    var b = Self.record()
    #expect(a == b)
    #expect(a.hashValue == b.hashValue)
    #expect(Set([a, b]).count == 1)
    b.lines[1].returned = 1
    #expect(a != b)
    b.lines[1].returned = 0
    #expect(a == b && a.hashValue == b.hashValue)
  }

  @Test func encodesUnderTheRecordsKeys() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var record = Self.record()
    record.flatReversed = true
    let text = String(decoding: try encoder.encode(record), as: UTF8.self)
    #expect(text == #"{"day":"2026-03-02","flat_points":{"stars":5},"flat_reversed":true,"id":"T1","#
      + #""lines":[{"category":"coffee","discount_minor":0,"free_units":0,"net_minor":900,"points":{"stars":18},"quantity":2,"#
      + #""returned":0,"sku":"latte","stamps":{"coffee card":2},"unit_minor":450},{"category":"pastry","discount_minor":0,"#
      + #""free_units":0,"net_minor":325,"points":{},"quantity":1,"returned":0,"sku":"muffin","stamps":{},"unit_minor":325}],"#
      + #""promotion":{"free_units":[0,1],"refunded_minor":0,"reversed_points":{},"rules":["base earn"]}}"#)
    let decoded = try JSONTreeDecoder.decode(TransactionRecord.self, from: JSONNode.parse(Array(text.utf8), path: "r.json"),
                                             path: "r.json", what: "the record")
    #expect(decoded == record)
  }

  @Test func strictReadingStillNamesAMissingOrUnknownKey() throws {
    let missing = #"{"day":"2026-03-02","flat_points":{},"id":"T1","lines":[]}"#
    #expect(throws: InputError.self) {
      _ = try JSONTreeDecoder.decode(TransactionRecord.self, from: JSONNode.parse(Array(missing.utf8), path: "r.json"),
                                     path: "r.json", what: "the record")
    }
    do {
      _ = try JSONTreeDecoder.decode(TransactionRecord.self, from: JSONNode.parse(Array(missing.utf8), path: "r.json"),
                                     path: "r.json", what: "the record")
    } catch {
      #expect("\(error)".contains("missing `flat_reversed`"), "\(error)")
    }
    let unknown = #"{"day":"2026-03-02","flat_points":{},"flat_reversed":false,"id":"T1","lines":[],"extra":1}"#
    #expect(throws: InputError.self) {
      _ = try JSONTreeDecoder.decode(TransactionRecord.self, from: JSONNode.parse(Array(unknown.utf8), path: "r.json"),
                                     path: "r.json", what: "the record")
    }
  }
}
