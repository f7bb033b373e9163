import Foundation
import Perk
import Testing
@testable import PerkSimulator

/// Trace lines come out as when each batch of partitions was loaded and run at once: a batch's
/// customers in id order, each one's lines together, a batch only once all its partitions ran.
@Suite struct TraceOrderTests {
  static func customers(_ ids: [String]) -> [TraceOrder.CustomerLines] {
    ids.map { TraceOrder.CustomerLines(id: $0, lines: ["\($0) 1", "\($0) 2"]) }
  }

  @Test func aBatchsCustomersComeOutMergedByIdOnceItsLastPartitionRan() {
    var order = TraceOrder(batches: [0..<2, 2..<3, 3..<6])
    var out: [String] = []
    let sink: (String) -> Void = { out.append($0) }
    order.add(partition: 0, Self.customers(["b", "d", "f"]), to: sink)
    #expect(out.isEmpty, "held until partition 1, the batch's last, has run")
    order.add(partition: 1, Self.customers(["a", "e"]), to: sink)
    #expect(out == ["a", "b", "d", "e", "f"].flatMap { ["\($0) 1", "\($0) 2"] })
    out = []
    order.add(partition: 2, Self.customers(["c", "a2"]), to: sink)
    #expect(out == ["c 1", "c 2", "a2 1", "a2 2"], "a batch of one partition comes out as it is")
    out = []
    order.add(partition: 3, Self.customers(["m"]), to: sink)
    order.add(partition: 4, [], to: sink)
    #expect(out.isEmpty)
    order.add(partition: 5, Self.customers(["k", "z"]), to: sink)
    #expect(out == ["k", "m", "z"].flatMap { ["\($0) 1", "\($0) 2"] })
  }

  @Test func withoutBatchesEachPartitionComesOutAsItIs() {
    var order = TraceOrder(batches: [])
    var out: [String] = []
    order.add(partition: 0, Self.customers(["b"]), to: { out.append($0) })
    order.add(partition: 1, Self.customers(["a"]), to: { out.append($0) })
    #expect(out == ["b 1", "b 2", "a 1", "a 2"])
  }

  /// A small history fits one batch: over five partitions, run one at a time on two threads,
  /// every customer's lines still come out together and in id order, as over one partition.
  @Test func aSimulatedTraceListsABatchsCustomersInIdOrder() throws {
    var text = "customer,txn,time,sku,category,qty,unit_price\n"
    for c in ["k", "b", "x", "a", "m", "e", "q", "c"] {
      for day in 1...3 { text += "\(c),\(c)-\(day),2026-03-0\(day)T10:00:00,latte,coffee,1,4.50\n" }
    }
    func trace(partitions: Int, threads: Int) throws -> [String] {
      var lines: [String] = []
      _ = try Fixture.simulate(Fixture.bytes(text), threads: threads, partitions: partitions, trace: { lines.append($0) })
      return lines
    }
    let many = try trace(partitions: 5, threads: 2)
    #expect(many == (try trace(partitions: 1, threads: 1)))
    let customers = many.compactMap { line -> String? in
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
      return object["customer"] as? String
    }
    #expect(customers.count == many.count)
    var runs: [String] = []
    for customer in customers where runs.last != customer { runs.append(customer) }
    #expect(runs == ["a", "b", "c", "e", "k", "m", "q", "x"])
  }
}
