import Foundation
import Perk
import Testing

@testable import PerkSimulator

/// The reader's quick ways with the common shapes of a record (ISO local times read by
/// position through a `WallClock`, one plainness check per record, row kinds matched by bytes)
/// read exactly what the general ways read, and leave to them whatever they refuse.
@Suite struct OnePassRecordTests {
  static let zones = ["America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC", "Pacific/Apia"].map { ProgramTimeZone(identifier: $0)! }

  static let times = [
    "2026-01-05", "2026-01-05T10:00", "2026-01-05T10:00:00", "2026-01-05 10:00:00", "2026-01-05t10:00:00", "2026-01-05X10:00:00",
    "2026-03-08T02:30:00", "2026-03-08T01:59:59", "2026-03-08T03:00:00", "2026-11-01T01:30:00", "2026-11-01T00:59:59",
    "2026-11-01T02:00:00", "2026-10-04T02:15:00", "2026-04-05T01:45:00", "2011-12-30", "2011-12-30T12:00", "2011-12-29T23:59:59",
    "2024-02-29", "2024-02-29T23:59", "2026-02-29", "2026-02-29T10:00", "2000-02-29", "1900-02-29", "2026-13-01", "2026-00-10",
    "2026-01-00", "2026-01-32", "2026-04-31", "1899-12-31", "1900-01-01", "2200-12-31T23:59:59", "2201-01-01", "0000-01-01",
    "9999-12-31", "1969-12-31T23:00:00", "1970-01-01", "2100-01-01T00:00:00", "2026-01-05T24:00", "2026-01-05T23:60",
    "2026-01-05T23:59:60", "2026-01-05T23:59:61", "2026-01-05T09:07:03", "2026-01-05T10:00+05", "2026-01-05T10:00Z",
    "2026-01-05T10:00:00Z", "2026-01-05T10:00:00z", "2026-01-05T10:00:00+01:00", "2026-01-05T10:00:00-0500",
    "2026-01-05T10:00:00.250", "2026-01-05T10:00:00,5", "2026-01-05T10:00:00.", "2026-01-05T1:00:00", "2026-1-05", "+026-01-05",
    "2026-01-05T10:00:0", "2026/01/05", "2026-01-05T10-00", "2026-01-05T10:00:00 ", " 2026-01-05", "２０２６-01-05", "2026-01-0５",
    "2026-01-05T10:00:00\r", "", "2026", "2026-01-05T", "2026-01-05T10", "2026-01-05T10:00:", "2026-01-05T10:00:00:00",
  ]

  static func bytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    var copy = Array(text.utf8)
    return copy.withUnsafeMutableBufferPointer { body(UnsafeBufferPointer($0)) }
  }

  @Test func localTimesReadAsTheGeneralWayReadsThem() {
    // Every hour of days around clock changes, in file order and shuffled, after the list.
    var texts = Self.times
    for day in ["2026-03-07", "2026-03-08", "2026-03-09", "2026-04-05", "2026-10-04", "2026-11-01", "2026-11-02", "2011-12-29", "2011-12-31"] {
      for hour in 0..<24 {
        for minute in [0, 15, 30, 59] { texts.append(day + "T" + (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute):00") }
      }
    }
    var generator = SplitMix64(seed: 7)
    let shuffled = texts.shuffled(using: &generator)
    for zone in Self.zones {
      var clock = WallClock()
      for text in texts + shuffled + texts {
        let general = TimeFormat.auto.read(text, zone: zone)
        #expect(Self.bytes(text) { TimeFormat.auto.read($0, zone: zone, clock: &clock) } == general, "`\(text)` in \(zone.identifier)")
        if let fast = Self.bytes(text, { TimeFormat.localISO($0, zone: zone, clock: &clock) }) {
          #expect(general == .success(fast), "`\(text)` in \(zone.identifier)")
        }
      }
    }
  }

  @Test func localTimesTakeTheCommonShapes() {
    let zone = ProgramTimeZone(identifier: "America/New_York")!
    var clock = WallClock()
    for text in ["2026-01-05", "2026-01-05T10:00", "2026-01-05T10:00:00", "2026-01-05 10:00:59", "2024-02-29T23:59"] {
      let fast = Self.bytes(text) { TimeFormat.localISO($0, zone: zone, clock: &clock) }
      #expect(fast != nil && TimeFormat.auto.read(text, zone: zone) == .success(fast!), "`\(text)`")
    }
    #expect(Self.bytes("2026-01-05T09:07:03") { TimeFormat.localISO($0, zone: zone, clock: &clock) }?.secondsSince1970
      == LocalDate(iso: "2026-01-05")!.dayNumber * 86_400 + 14 * 3600 + 7 * 60 + 3)
    for text in ["2026-01-05T10:00:00Z", "2026-01-05T10:00+05", "2026-02-29", "1899-12-31", "2026-01-05T23:59:60x"] {
      #expect(Self.bytes(text) { TimeFormat.localISO($0, zone: zone, clock: &clock) } == nil, "`\(text)`")
    }
    // A leap second reads as the minute's last second, as the general way reads it.
    #expect(Self.bytes("2026-01-05T23:59:60") { TimeFormat.localISO($0, zone: zone, clock: &clock) }
      == TimeFormat.auto.parse("2026-01-05T23:59:59", zone: zone))
  }

  @Test func aWallClockGivesTheZonesInstants() {
    var generator = SplitMix64(seed: 11)
    for zone in Self.zones {
      var clock = WallClock()
      var walls: [(LocalDate, Int64)] = []
      let first = LocalDate(iso: "2010-01-01")!.dayNumber
      for _ in 0..<20_000 {
        let day = first + Int64(generator.next() % (20 * 366))
        walls.append((LocalDate(dayNumber: day), Int64(generator.next() % 86_400)))
      }
      for day in ["2026-03-08", "2026-11-01", "2026-04-05", "2026-10-04", "2011-12-29", "2011-12-31"] {
        for second in stride(from: Int64(0), to: 86_400, by: 900) { walls.append((LocalDate(iso: day)!, second)) }
      }
      for (date, second) in walls + walls.reversed() {
        #expect(clock.instant(of: date, secondOfDay: second, zone: zone) == zone.instant(of: date, secondOfDay: second),
                "\(date) + \(second) s in \(zone.identifier)")
      }
      for (year, month, day) in [(2026, 2, 29), (2024, 2, 29), (2024, 2, 29), (2026, 4, 31), (2026, 12, 31), (2026, 0, 1), (2026, 1, 0)] {
        #expect(clock.date(year: year, month: month, day: day) == LocalDate(year: year, month: month, day: day))
      }
    }
  }

  @Test func fieldsOfAPlainRecordAreItsBytes() throws {
    let text = "customer,txn,sku\n a ,t1,x\n\u{E9},t 2 ,y\n"
    var seen: [[String]] = []
    try RecordReader(source: Fixture.bytes(text, name: "plain.csv"), format: nil).forEachItem { item in
      if case .record(let record) = item {
        #expect(record.plain == !record.raw.contains(where: { $0 >= 0x80 }))
        seen.append((0..<record.count).map { record.field($0).text })
        #expect(seen.last == (0..<record.count).map(record.text))
      }
      return true
    }
    #expect(seen == [["a", "t1", "x"], ["\u{E9}", "t 2", "y"]])
  }

  @Test func rowKindsMatchByBytesAsByText() {
    let names = ["", "purchase", "PURCHASE", "Sale", "order", "return", "Refund", "redeem", "REDEMPTION", "signup", "Sign Up", "JOIN",
                 "joined", "purchases", "sign  up", "review written", "x", "redemptions", "returnx", "retur", "r\u{E9}turn", "purchase\u{301}",
                 "\u{212A}", "SIGNUP"]
    for name in names {
      let byText = FieldValue(text: name).kind
      let byBytes = Self.bytes(name) { FieldValue(raw: $0)?.kind ?? byText }
      #expect(byBytes == byText, "`\(name)`")
    }
    #expect(FieldValue(text: "Sign Up").kind == .signup)
    #expect(Self.bytes("Sign Up") { FieldValue(raw: $0)?.kind } == .signup)
    #expect(Self.bytes("REDEMPTION") { FieldValue(raw: $0)?.kind } == .redeem)
    #expect(Self.bytes("") { FieldValue(raw: $0)?.kind } == .purchase)
    #expect(Self.bytes("review") { FieldValue(raw: $0)?.kind } == .some(nil))
  }

  @Test func layoutSlotsArePositionsOfTheirColumns() {
    typealias Layout = HistoryReader.Layout
    #expect([Layout.customer, Layout.txn, Layout.time, Layout.sku, Layout.category, Layout.qty, Layout.unitPrice, Layout.amount,
             Layout.store, Layout.channel, Layout.type, Layout.origTxn, Layout.reward]
      == ["customer", "txn", "time", "sku", "category", "qty", "unit_price", "amount", "store", "channel", "type", "orig_txn", "reward"]
      .map(Layout.slot))
    #expect(ColumnMap.historyColumns.count == 13)
  }
}
