import Foundation
import Perk
import PerkRuntime
import Testing
@testable import PerkSimulator

/// A customer's events are made from basket descriptors only as the run reaches them (and again
/// for a replay): the same events, in the same order, as building them all from the decoded rows.
@Suite struct CustomerEventsTests {
  @Test func eventsMadeOneAtATimeAreTheDecodedRowsEvents() throws {
    let program = Fixture.program()
    let groups = try InPlaceReadingTests.groups(InPlaceReadingTests.rows())
    let start = program.timeZone.instant(of: LocalDate(iso: "2026-02-01")!, secondOfDay: 0)
    let end = program.timeZone.instant(of: LocalDate(iso: "2026-12-01")!, secondOfDay: 0)
    var events = CustomerEvents(groups: groups, currency: program.currency)
    var total = 0
    var outside: Int64 = 0
    var returned = 0
    for index in groups.ids.indices {
      let customer = Customer(id: groups.ids[index], signupDate: index % 4 == 0 ? LocalDate(iso: "2026-03-01") : nil)
      let decoded = EventBuilder.events(rows: groups.rows(of: index), customer: customer, program: program, start: start, end: end)
      let built = events.build(customer: index, profile: customer, program: program, start: start, end: end)
      let found = try #require(built)
      #expect(found == decoded.outside)
      #expect(events.count == decoded.events.count, "customer \(groups.ids[index])")
      // In order, then backwards (a replay makes earlier events again).
      var made: [Event] = []
      for k in 0..<events.count { made.append(events.event(k)) }
      var again: [Event] = []
      for k in (0..<events.count).reversed() { again.append(events.event(k)) }
      #expect(made == decoded.events, "customer \(groups.ids[index])")
      #expect(again == decoded.events.reversed())
      #expect(events.purchasesKeepingRecords() == EvaluationOptions.purchasesKeepingRecords(in: decoded.events))
      #expect(events.baskets.hasReturn == decoded.events.contains { if case .return = $0.kind { true } else { false } })
      returned += events.purchasesKeepingRecords()?.count ?? 0
      total += events.count
      outside += found
    }
    #expect(total == 1_081)
    #expect(outside == 51)
    #expect(returned == 109)
  }

  /// A transaction beyond ASCII leaves no baskets (its rows are matched as strings instead).
  @Test func aTextBeyondASCIIFindsNoBaskets() throws {
    let program = Fixture.program()
    let day = LocalDate(iso: "2026-02-02")!.dayNumber * 86_400 + 15 * 3600
    let rows = [
      HistoryRow(customer: "a", txn: "t1", time: Instant(secondsSince1970: day), seq: 2, kind: .purchase, sku: "latte",
                 category: "coffee", quantity: 1, totalMinor: 450),
      HistoryRow(customer: "a", txn: "t\u{E9}", time: Instant(secondsSince1970: day + 60), seq: 3, kind: .purchase, sku: "muffin",
                 category: "food", quantity: 2, totalMinor: 600),
    ]
    let groups = try InPlaceReadingTests.groups(rows)
    let start = program.timeZone.instant(of: LocalDate(iso: "2026-02-01")!, secondOfDay: 0)
    let end = program.timeZone.instant(of: LocalDate(iso: "2026-03-01")!, secondOfDay: 0)
    var events = CustomerEvents(groups: groups, currency: program.currency)
    let built = events.build(customer: 0, profile: Customer(id: "a"), program: program, start: start, end: end)
    #expect(built == nil)
    #expect(events.count == 0)
  }

  /// Two customers with the same purchases, one of them with transaction ids beyond ASCII (its
  /// events built from the decoded rows, all at once) and an error in the middle (the account
  /// rebuilt by replaying the events and modelled redemptions before it, made again from the
  /// rows): the same cost and revenue as each other and as the history without the bad row.
  @Test func aReplayMakesTheSameEventsAsTheFirstRun() throws {
    func history(bad: Bool) -> String {
      var text = "customer,txn,time,sku,category,qty,unit_price,type,orig_txn\n"
      for (customer, suffix) in [("a", ""), ("b", "\u{E9}")] {
        for visit in 1...40 {
          let day = String(format: "2026-%02d-%02dT09:00:00", 1 + visit / 4, 1 + visit % 4 * 7)
          text += "\(customer),t\(visit)\(suffix),\(day),latte,coffee,1,4.50,purchase,\n"
          text += "\(customer),t\(visit)\(suffix),\(day),croissant,pastry,\(1 + visit % 3),3.25,purchase,\n"
          if visit == 9 { text += "\(customer),r9\(suffix),\(day),latte,coffee,-1,4.50,return,t3\(suffix)\n" }
          if bad, visit == 20 { text += "\(customer),x\(suffix),\(day),latte,coffee,2000000000000,4.50,purchase,\n" }
        }
      }
      return text
    }
    let withError = try Fixture.simulate(Fixture.bytes(history(bad: true)), policy: .asap)
    let without = try Fixture.simulate(Fixture.bytes(history(bad: false)), policy: .asap)
    #expect(withError.figures.rejectedEvents == 2)
    #expect(without.figures.rejectedEvents == 0)
    #expect(withError.customers == without.customers)
    #expect(withError.customers.map(\.id) == ["a", "b"])
    #expect(withError.customers[0].cost == withError.customers[1].cost)
    #expect(withError.customers[0].revenue == withError.customers[1].revenue)
    #expect(withError.customers[0].revenue == 43_550)
    #expect(withError.customers[0].cost == 3_221)
    #expect(withError.figures.modelledRedemptions == without.figures.modelledRedemptions)
    #expect(withError.figures.modelledRedemptions == 24)
    // Thrown by the evaluation (not a rejection): the run rebuilds the account from its log.
    #expect(withError.figures.eventProblems == ["a x: the basket has more than 1000000 units; a purchase is at most a million items",
                                                "b x\u{E9}: the basket has more than 1000000 units; a purchase is at most a million items"])
  }

  /// Partitions larger than the piece limit are run in pieces of whole customers: the same
  /// figures, customers and trace lines (in the same order) as each partition run whole.
  @Test func partitionsRunInPiecesGiveTheSameResults() throws {
    let history = Fixture.bytes(String(decoding: HistoryGenerator(customers: 60, months: 14, seed: 5, shape: .cafe).bytes(), as: UTF8.self))
    func simulate(pieceBytes: Int) throws -> (SimulationResult, [String]) {
      var options = SimulationOptions()
      options.policy = .asap
      options.threads = 2
      options.partitions = 3
      options.trace = true
      options.pieceBytes = pieceBytes
      var lines: [String] = []
      let result = try Simulator(program: Fixture.program(), options: options).run(history: history, read: HistoryReadOptions(),
                                                                                 traceSink: { lines.append($0) })
      return (result, lines)
    }
    let (whole, wholeTrace) = try simulate(pieceBytes: 0)
    let (pieces, piecesTrace) = try simulate(pieceBytes: 20_000)
    #expect(pieces.figures == whole.figures)
    #expect(pieces.customers == whole.customers)
    #expect(piecesTrace == wholeTrace)
    #expect(whole.customers.count == 58)
    #expect(wholeTrace.count == 3_986)
    #expect(whole.rowsRead == 6_171)
  }

  /// A partition file larger than the limit comes in pieces of whole customers (each in id
  /// order, together its customers and rows); a smaller one whole.
  @Test func aLargePartitionComesInPiecesOfWholeCustomers() throws {
    let rows = InPlaceReadingTests.rows()
    func pieces(limit: Int) throws -> [(partition: Int, ids: [String], rows: Int, last: Bool)] {
      let store = try PartitionStore(count: 2)
      for row in rows { try store.append(row) }
      var pieces: [(Int, [String], Int, Bool)] = []
      try store.forEachPartition(pieceLimit: limit) { partition, groups, last in
        #expect(groups.ids == groups.ids.sorted())
        var count = 0
        for index in groups.ids.indices { count += groups.rows(of: index).count }
        pieces.append((partition, groups.ids, count, last))
      }
      return pieces
    }
    let whole = try pieces(limit: 1 << 20)
    #expect(whole.map(\.partition) == [0, 1])
    #expect(whole.map(\.last) == [true, true])
    let split = try pieces(limit: 4_000)
    #expect(split.count == 25)
    #expect(split.filter(\.last).map(\.partition) == [0, 1])
    for partition in 0..<2 {
      let parts = split.filter { $0.partition == partition }
      #expect(parts.flatMap(\.ids).sorted() == whole[partition].ids)
      #expect(parts.map(\.rows).reduce(0, +) == whole[partition].rows)
    }
    #expect(whole.map(\.rows).reduce(0, +) == rows.count)
  }
}

/// Pass two reuses the last line's SKU and category numbers when their bytes repeat, and finds a
/// row's basket newest first: texts of the same length that differ, and baskets whose rows
/// interleave, still make the decoded rows' events.
@Suite struct RepeatedTextsTests {
  @Test func alternatingTextsAndInterleavedBasketsMakeTheDecodedEvents() throws {
    let program = Fixture.program()
    let day = LocalDate(iso: "2026-02-02")!.dayNumber * 86_400 + 15 * 3600
    let names = [("ab", "c1"), ("ab", "c1"), ("ac", "c1"), ("ab", "c2"), ("", "c2"), ("abcdefghij", "c2"), ("abcdefghik", "c2"),
                 ("ac", ""), ("ac", "c1")]
    var rows: [HistoryRow] = []
    for (k, (sku, category)) in names.enumerated() {
      rows.append(HistoryRow(customer: "a", txn: "t\(k % 3)", time: Instant(secondsSince1970: day + Int64(k % 3) * 60), seq: Int64(k + 2),
                             kind: .purchase, sku: sku.isEmpty ? "item" : sku, category: category, quantity: Int64(k + 1),
                             totalMinor: Int64(100 * k + 7)))
    }
    let groups = try InPlaceReadingTests.groups(rows)
    let start = program.timeZone.instant(of: LocalDate(iso: "2026-02-01")!, secondOfDay: 0)
    let end = program.timeZone.instant(of: LocalDate(iso: "2026-03-01")!, secondOfDay: 0)
    var events = CustomerEvents(groups: groups, currency: program.currency)
    let customer = Customer(id: "a")
    let decoded = EventBuilder.events(rows: groups.rows(of: 0), customer: customer, program: program, start: start, end: end)
    #expect(events.build(customer: 0, profile: customer, program: program, start: start, end: end) == 0)
    #expect(events.count == 3)
    var made: [Event] = []
    for k in 0..<events.count { made.append(events.event(k)) }
    #expect(made == decoded.events)
    // Each row's SKU, once per row (a row may add two lines).
    let skus = made.map { event in event.lines.map(\.sku).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } } }
    #expect(skus == [["ab", "abcdefghik"], ["ab", "item", "ac"], ["ac", "abcdefghij", "ac"]])
  }
}
