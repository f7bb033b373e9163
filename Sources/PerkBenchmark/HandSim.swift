import Foundation
import Perk
import PerkRuntime
import PerkSimulator

/// A hand-written end-to-end simulation of the café program over a canonical CSV history, as a
/// team would write it without Perk: read every row into memory, group by customer, sort by time,
/// run `HandCafe`, add up the cost.
enum HandSim {
  static func run(path: String, zone: ProgramTimeZone, currency: Currency) -> HandCafe.Totals {
    guard let data = FileManager.default.contents(atPath: path) else { return HandCafe.Totals() }
    struct Row { var txn: Substring; var time: Instant; var seq: Int; var line: LineItem; var isReturn: Bool }
    var byCustomer: [Substring: [Row]] = [:]
    let text = String(decoding: data, as: UTF8.self)
    var seq = 0
    for line in text.split(separator: "\n").dropFirst() {
      seq += 1
      let f = line.split(separator: ",", omittingEmptySubsequences: false)
      guard f.count >= 8 else { continue }
      let quantity = Int64(f[5]) ?? 0
      guard let time = TimeFormat.auto.parse(String(f[2]), zone: zone), let price = Money(parsing: String(f[6]), currency: currency) else { continue }
      let item = LineItem(sku: String(f[3]), category: String(f[4]), quantity: abs(quantity), unitPrice: price)
      byCustomer[f[0], default: []].append(Row(txn: f[1], time: time, seq: seq, line: item, isReturn: quantity < 0))
    }
    var totals = HandCafe.Totals()
    let cafe = HandCafe(zone: zone)
    for id in byCustomer.keys.sorted() {
      var rows = byCustomer[id]!.filter { !$0.isReturn }
      rows.sort { $0.time != $1.time ? $0.time < $1.time : $0.seq < $1.seq }
      var account = HandCafe.Account()
      let customer = Customer(id: String(id))
      var index = 0
      while index < rows.count {
        var end = index + 1
        while end < rows.count, rows[end].txn == rows[index].txn { end += 1 }
        let event = Event(kind: .purchase, id: String(rows[index].txn), time: rows[index].time, lines: rows[index..<end].map(\.line))
        cafe.purchase(event, customer: customer, account: &account, totals: &totals)
        index = end
      }
    }
    return totals
  }
}
