import Foundation
import PerkRuntime

/// A hand-written end-to-end simulation of the café program over a canonical CSV history, as a
/// performance engineer would write it without Perk: one pass over the file's bytes, integer
/// cents, no Foundation string splitting and no allocation per row, running `HandCafe` on each
/// basket and adding up the cost.
///
/// It relies on what `perk gen` writes (as `HandCDClub` does): a header, then
/// `customer,txn,time,sku,category,qty,unit_price,type,orig_txn` rows, a customer's rows together
/// and in time order, a basket's rows together, times without an offset (the local time, so the
/// local day is the date as written). Rows with a negative quantity (returns) are skipped: the
/// benchmark's histories have none, and the hand-written café does not implement them.
enum HandSim {
  static func run(path: String, zone: ProgramTimeZone) -> HandCafe.Totals {
    guard let data = FileManager.default.contents(atPath: path) else { return HandCafe.Totals() }
    return data.withUnsafeBytes { run($0.bindMemory(to: UInt8.self), zone: zone) }
  }

  static func run(_ text: UnsafeBufferPointer<UInt8>, zone: ProgramTimeZone) -> HandCafe.Totals {
    var totals = HandCafe.Totals()
    let cafe = HandCafe(zone: zone)
    var account = HandCafe.Account()
    let customer = Customer(id: "")
    var lines: [HandCafe.Line] = []
    lines.reserveCapacity(16)
    var customerRange = 0..<0
    var txn = 0..<0
    var day = LocalDate(dayNumber: 0)

    func same(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
      guard a.count == b.count else { return false }
      var i = a.lowerBound, j = b.lowerBound
      while i < a.upperBound {
        if text[i] != text[j] { return false }
        i += 1
        j += 1
      }
      return true
    }

    func equals(_ range: Range<Int>, _ word: StaticString) -> Bool {
      guard range.count == word.utf8CodeUnitCount else { return false }
      let bytes = word.utf8Start
      for k in 0..<range.count where text[range.lowerBound + k] != bytes[k] { return false }
      return true
    }

    func close() {
      guard !lines.isEmpty else { return }
      lines.withUnsafeMutableBufferPointer { buffer in
        cafe.purchase(on: day, lines: buffer, customer: customer, account: &account, totals: &totals)
      }
      lines.removeAll(keepingCapacity: true)
    }

    var index = 0
    // Skip the header.
    while index < text.count, text[index] != 10 { index += 1 }
    index += 1
    while index < text.count {
      // customer,txn,time,sku,category,qty,unit_price,type,orig_txn
      var fields: (Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>) = (0..<0, 0..<0, 0..<0, 0..<0, 0..<0, 0..<0)
      var field = 0
      var start = index
      while index < text.count, text[index] != 10 {
        if text[index] == 44 {
          switch field {
          case 0: fields.0 = start..<index
          case 1: fields.1 = start..<index
          case 2: fields.2 = start..<index
          case 4: fields.3 = start..<index
          case 5: fields.4 = start..<index
          case 6: fields.5 = start..<index
          default: break
          }
          field += 1
          start = index + 1
        }
        index += 1
      }
      index += 1
      guard field >= 7, !fields.4.isEmpty, text[fields.4.lowerBound] != 45 else { continue }
      if !same(fields.0, customerRange) {
        close()
        account = HandCafe.Account()
        customerRange = fields.0
      } else if !same(fields.1, txn) {
        close()
      }
      if lines.isEmpty {
        txn = fields.1
        day = LocalDate(dayNumber: HandCDClub.dayNumber(text, fields.2.lowerBound))
      }
      let kind: HandCafe.Line.Kind = equals(fields.3, "coffee") || equals(fields.3, "tea") ? .cup : equals(fields.3, "pastry") ? .pastry : .other
      lines.append(HandCafe.Line(kind: kind, quantity: HandCDClub.integer(text, fields.4), unit: HandCDClub.cents(text, fields.5)))
    }
    close()
    return totals
  }
}
