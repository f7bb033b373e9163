import Foundation
import Perk
import Testing
@testable import PerkSimulator

@Suite struct SimulationTests {
  @Test func smallFixtureExactFigures() throws {
    let result = try Fixture.simulate(.file(Fixture.path("small.csv")))
    let f = result.figures
    #expect(result.rowsRead == 9)
    #expect(result.rowsRejected == 2)
    #expect(result.customers.map(\.id) == ["a", "b"])
    #expect(f.purchases == 5)
    #expect(f.returns == 1)
    // 2 × $4.50 + $3.75 + $1,200 − $1,200 returned + $4.50 + $7.50 + $4.50
    #expect(f.revenue == 2925)
    // The money given back: the beans were paid in full (no promotion on them).
    #expect(f.refunds == 120_000)
    // a: 18 (base on $9) + 22 (pastry on $3.75) + 2,400 (beans) + 13 ($4.50 × 2 × 1.5 gold), and the
    // return of the beans takes the 2,400 back; b: 45 + 9.
    #expect(f.points["stars"]?.issued == 2507)
    #expect(f.points["stars"]?.clawedBack == 2400)
    #expect(f.outstanding["stars"] == 107)
    #expect(f.costByKind == ["points": 107])
    // Net of returns: the beans' 2,400 leave `base earn`, which gave them.
    #expect(f.costByRule == ["base earn": 40, "pastry triple": 67])
    #expect(f.returnsCost == -2400)
    #expect(result.customers.map(\.cost) == [53, 54])
    #expect(result.from == Fixture.date("2026-01-05"))
    #expect(result.to == Fixture.date("2026-03-20"))
    // Month ends: a joined in January, b in March; a is gold from February.
    let march = try #require(f.months[2026 * 12 + 2])
    #expect(march.tiers == ["gold": 1, "green": 1])
    #expect(march.knownCustomers == 2)
    #expect(march.closing == ["stars": 107])
    #expect(f.months[2026 * 12 + 0]?.closing == ["stars": 40])
  }

  @Test func asapRedeemsTheCheapestRewardAsSoonAsAffordable() throws {
    let result = try Fixture.simulate(.file(Fixture.path("small.csv")), policy: .asap)
    // a reaches 2,440 stars on t2: 16 free drinks of 150 (2,400), 40 left; the return takes back
    // what it can (40: the balance never goes below zero); then 13 more. b never reaches 150.
    #expect(result.figures.modelledRedemptions == 16)
    #expect(result.figures.rewardsRedeemed == ["free drink": 16])
    #expect(result.figures.rewardsRedeemedWorth == ["free drink": 8000])
    #expect(result.figures.points["stars"]?.redeemed == 2400)
    #expect(result.figures.points["stars"]?.clawedBack == 40)
    #expect(result.figures.outstanding["stars"] == 67)
    let threshold = try Fixture.simulate(.file(Fixture.path("small.csv")), policy: .threshold(3000))
    #expect(threshold.figures.modelledRedemptions == 0)
    let none = try Fixture.simulate(.file(Fixture.path("small.csv")), policy: .none)
    #expect(none.figures.modelledRedemptions == 0)
  }

  @Test func rateIsSeededPerCustomerAndBetweenTheExtremes() throws {
    let history = Fixture.bytes(String(decoding: HistoryGenerator(customers: 40, months: 4, seed: 3, shape: .cafe).bytes(), as: UTF8.self))
    let asap = try Fixture.simulate(history, policy: .asap).figures.modelledRedemptions
    let half = try Fixture.simulate(history, policy: .rate(numerator: 1, denominator: 2)).figures.modelledRedemptions
    let again = try Fixture.simulate(history, policy: .rate(numerator: 1, denominator: 2), threads: 3, partitions: 5).figures.modelledRedemptions
    let zero = try Fixture.simulate(history, policy: .rate(numerator: 0, denominator: 10)).figures.modelledRedemptions
    #expect(asap > 0)
    #expect(half > 0 && half < asap)
    #expect(half == again)
    #expect(zero == 0)
  }

  @Test func unsortedInputIsProcessedInTimeOrderTiesInFileOrder() throws {
    // The second purchase is listed first; welcome back needs ≥ 90 days since the previous purchase.
    let text = """
      customer,txn,time,sku,category,qty,unit_price
      a,late,2026-06-01T10:00:00,latte,coffee,5,4.50
      a,early,2026-01-02T10:00:00,latte,coffee,1,4.50

      """
    var lines: [String] = []
    _ = try Fixture.simulate(Fixture.bytes(text), trace: { lines.append($0) })
    #expect(lines.count == 2)
    #expect(lines[0].contains("\"txn\":\"early\""))
    #expect(lines[1].contains("\"txn\":\"late\""))
    #expect(lines[1].contains("\"rule\":\"welcome back\""))
  }

  @Test func periodBoundsCountRowsOutside() throws {
    let result = try Fixture.simulate(.file(Fixture.path("small.csv")), from: Fixture.date("2026-02-01"), to: Fixture.date("2026-02-28"))
    #expect(result.rowsOutside == 5)
    #expect(result.figures.purchases == 1)
    #expect(result.figures.months.keys.sorted() == [2026 * 12 + 1])
  }

  @Test func outputIsIdenticalForAnyThreadCountAndPartitioning() throws {
    let history = Fixture.bytes(String(decoding: HistoryGenerator(customers: 150, months: 3, seed: 11, shape: .cafe).bytes(), as: UTF8.self))
    func run(_ threads: Int, _ partitions: Int?) throws -> (String, [String]) {
      var trace: [String] = []
      let result = try Fixture.simulate(history, policy: .rate(numerator: 7, denominator: 10), threads: threads, partitions: partitions,
                                        trace: { trace.append($0) })
      return (JSONReport.render(result, settings: ReportSettings(), compare: nil, sweep: []), trace)
    }
    let one = try run(1, nil)
    let four = try run(4, nil)
    #expect(one.0 == four.0)
    #expect(one.1 == four.1)
    let partitioned = try run(2, 4)
    #expect(partitioned.0 == one.0)
    #expect(partitioned.1.sorted() == one.1.sorted())
  }

  @Test func shardReportsMergeIntoTheSingleRunReport() throws {
    let history = Fixture.bytes(String(decoding: HistoryGenerator(customers: 90, months: 3, seed: 5, shape: .grocery).bytes(), as: UTF8.self))
    let settings = ReportSettings(budget: 50_000, breakage: (1, 5), top: 5)
    let single = try Fixture.simulate(history, policy: .asap)
    var parts: [SimulationResult] = []
    for k in 0..<3 {
      let shard = try Fixture.simulate(history, policy: .asap, shard: (k, 3))
      #expect(shard.customers.count < single.customers.count)
      // Through the JSON text, as `perk sim merge` reads it.
      let json = JSONReport.render(shard, settings: settings, compare: nil, sweep: [])
      parts.append(try JSONReport.decode(Array(json.utf8), path: "s\(k).json").0)
    }
    let merged = try ShardMerge.merge(parts.reversed())
    #expect(JSONReport.render(merged, settings: settings, compare: nil, sweep: []) == JSONReport.render(single, settings: settings, compare: nil, sweep: []))
    #expect(TextReport.render(merged, settings: settings) == TextReport.render(single, settings: settings))
    #expect(throws: SimulationInputError("missing shard report 2/3")) { _ = try ShardMerge.merge([parts[0], parts[2]]) }
  }

  @Test func redemptionRowsInTheHistoryAreHonoured() throws {
    let text = """
      customer,txn,time,sku,category,qty,unit_price,type,reward
      a,t1,2026-01-02T10:00:00,beans,retail,1,100.00,,
      a,x1,2026-01-03T10:00:00,,,,,redeem,free drink

      """
    let result = try Fixture.simulate(Fixture.bytes(text))
    #expect(result.figures.historyRedemptions == 1)
    #expect(result.figures.points["stars"]?.redeemed == 150)
    #expect(result.figures.outstanding["stars"] == 50)
  }

  @Test func comparisonFindsWinnersAndLosers() throws {
    let a = try Fixture.simulate(.file(Fixture.path("small.csv")))
    let b = try Fixture.simulate(.file(Fixture.path("small.csv")), program: Fixture.program("p1-corner-cafe-punch-card"))
    let diffs = CompareReport.differences(a, b)
    #expect(diffs.map(\.id) == ["a", "b"])
    #expect(diffs.map(\.a) == [53, 54])
  }
}

@Suite struct PolicyAndFormattingTests {
  @Test func policiesParse() {
    #expect(RedemptionPolicy("none") == RedemptionPolicy.none)
    #expect(RedemptionPolicy("asap") == .asap)
    #expect(RedemptionPolicy("threshold:500") == .threshold(500))
    #expect(RedemptionPolicy("rate:0.7") == .rate(numerator: 7, denominator: 10))
    #expect(RedemptionPolicy("rate:70%") == .rate(numerator: 70, denominator: 100))
    #expect(RedemptionPolicy("rate:1.5") == nil)
    #expect(RedemptionPolicy("threshold:-3") == nil)
    #expect(RedemptionPolicy("sometimes") == nil)
    #expect(RedemptionPolicy.rate(numerator: 7, denominator: 10).description == "rate:0.7")
  }

  @Test func percentagesAreExact() {
    #expect(Percent.of(1, 3) == "33.33%")
    #expect(Percent.of(2, 3) == "66.67%")
    #expect(Percent.of(-1, 8) == "-12.50%")
    #expect(Percent.of(5, 0) == "—")
    #expect(Percent.grouped(-1_234_567) == "-1,234,567")
    #expect(Percent.decimal(1, 200, digits: 2) == "0.01")
  }

  @Test func generatorIsDeterministic() {
    let a = HistoryGenerator(customers: 20, months: 2, seed: 9, shape: .wholesale).bytes()
    let b = HistoryGenerator(customers: 20, months: 2, seed: 9, shape: .wholesale).bytes()
    let c = HistoryGenerator(customers: 20, months: 2, seed: 10, shape: .wholesale).bytes()
    #expect(a == b)
    #expect(a != c)
    var generator = SplitMix64(seed: 0)
    #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
  }

  @Test func codecRoundTrips() {
    let row = HistoryRow(customer: "ç-1", txn: "t", time: Instant(secondsSince1970: -5), seq: 42, kind: .return, sku: "s", category: "c",
                         quantity: 3, unitMinor: nil, totalMinor: Int64.max, store: "st", channel: "web", originalTxn: "o", name: "")
    var bytes: [UInt8] = []
    RowCodec.encode(row, into: &bytes)
    var offset = 0
    let decoded = bytes.withUnsafeBufferPointer { RowCodec.decode($0, offset: &offset) }
    #expect(decoded == row)
    #expect(offset == bytes.count)
  }
}
