import Foundation
import Perk
import PerkRuntime
import Testing
@testable import PerkSimulator

/// `perk sim` reads a purchase the plan takes from the partition's encoded rows into a
/// `PlannedBasket` (filter bits by string-table number, no `Event` made); every other way in
/// makes the `Event` and the plan makes the same basket of it. On the same encoded rows the two
/// must give the same result, awards, accounts and figures.
@Suite struct PlannedBasketTests {
  /// Earning on categories and SKUs, negated filters, a stamp card giving free items, tiers,
  /// and conditions on the store, the channel and the basket.
  static let source = """
    program "Basket Shop"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01
      round down
      expire 3 months after earning

    tiers by spend over last 12 months
      green    from $0       earn x1
      gold     from $60      earn x1.5
      keep until next anniversary

    stamps coffee card
      collect 1 per item in category coffee
      every 4 stamps: cheapest item in category coffee is free

    rule base earn
      on purchase
      earn 1 stars per $1 spent not in category giftcard

    rule pastry bonus
      on purchase
      earn 3 stars per $1 spent on category pastry
      replaces base earn for those items

    rule croissant count
      on purchase
      earn 7 stars per item on sku croissant

    rule not a muffin
      on purchase
      earn 2 stars per item not on sku muffin, croissant

    rule airport double
      on purchase
      when store is "airport"
      multiply stars by 2

    rule web voucher
      on purchase
      when channel is "web" and basket total in category coffee >= $5
      give voucher "Web coffee" worth $2
      at most once per 30 days

    reward free pastry costs 100 stars, worth $3
    """

  static var program: Program {
    let compiled = compile(source: source, path: "basket-shop.perk")
    return compiled.program!
  }

  /// Purchases of several rows (some rows with no units), amounts that do not split evenly
  /// over their units, lines in every filter and none, in three stores and two channels; some
  /// returns, rows without a transaction id, baskets refused (a million units, a negative
  /// price) and duplicates (a transaction named as a basket without one is) among them.
  static func rows() -> [HistoryRow] {
    var generator = SplitMix64(seed: 41)
    var rows: [HistoryRow] = []
    var seq: Int64 = 1
    let items = [("latte", "coffee"), ("espresso", "coffee"), ("croissant", "pastry"), ("muffin", "pastry"), ("card-25", "giftcard"), ("mug", "coffee"),
                 ("mug", "")]
    let stores = ["", "airport", "downtown"]
    let start = LocalDate(iso: "2026-01-05")!.dayNumber * 86_400
    for customer in 0..<40 {
      let baskets = customer % 9 == 0 ? 90 : 1 + customer % 6
      var withoutTransaction: Int64?
      for basket in 0..<baskets {
        let time = start + Int64(basket) * 86_400 * Int64(1 + customer % 4) + 3600 * Int64(9 + customer % 8)
        var txn = generator.chance(1, in: 12) ? "" : "c\(customer)-t\(basket)"
        if txn.isEmpty {
          withoutTransaction = seq + 1
        } else if let earlier = withoutTransaction, generator.chance(1, in: 4) {
          txn = "line-\(earlier)"
          withoutTransaction = nil
        }
        let store = stores[Int(generator.below(3))]
        let channel = generator.chance(1, in: 3) ? "web" : ""
        let lineCount = 1 + Int(generator.below(4))
        for _ in 0..<lineCount {
          seq += 1
          let (sku, category) = items[Int(generator.below(UInt64(items.count)))]
          let quantity = generator.chance(1, in: 10) ? 0 : generator.chance(1, in: 60) ? 2_000_000 : Int64(1 + generator.below(5))
          let unit: Int64? = generator.chance(1, in: 2) ? (generator.chance(1, in: 60) ? -100 : 150 + Int64(generator.below(400))) : nil
          rows.append(HistoryRow(customer: "c\(customer)", txn: txn, time: Instant(secondsSince1970: time), seq: seq, kind: .purchase,
                                 sku: sku, category: category, quantity: quantity, unitMinor: unit, totalMinor: 97 + Int64(generator.below(2_000)),
                                 store: store, channel: channel))
        }
        // Now and then a return of part of it.
        if !txn.isEmpty, generator.chance(1, in: 15) {
          seq += 1
          rows.append(HistoryRow(customer: "c\(customer)", txn: "r-\(txn)", time: Instant(secondsSince1970: time + 7_200), seq: seq,
                                 kind: .return, sku: "latte", category: "coffee", quantity: 1, unitMinor: nil, totalMinor: 300,
                                 store: store, channel: channel, originalTxn: txn))
        }
      }
    }
    return rows
  }

  /// Each customer's purchases run as the plan from the rows' basket and from the rows' event,
  /// on two accounts: the same result, awards and account after every purchase.
  @Test func aBasketFromTheRowsIsTheEventsBasket() throws {
    let program = Self.program
    #expect(program.hasPurchasePlan)
    let groups = try InPlaceReadingTests.groups(Self.rows())
    let start = program.timeZone.instant(of: LocalDate(iso: "2026-01-01")!, secondOfDay: 0)
    let end = program.timeZone.instant(of: LocalDate(iso: "2027-06-01")!, secondOfDay: 0)
    var options = EvaluationOptions(explanations: false, tillFacts: false)
    options.tallies = true
    options.keepsReturnRecords = false
    var events = CustomerEvents(groups: groups, currency: program.currency)
    var basket = PlannedBasket()
    var purchases = 0
    var refused = 0
    var repeatedSKUs = 0
    var withAwards = 0
    var duplicates = 0
    var sources: Set<Int32> = []
    for index in groups.ids.indices {
      let customer = Customer(id: groups.ids[index], signupDate: LocalDate(iso: "2025-11-20"))
      let outside = events.build(customer: index, profile: customer, program: program, start: start, end: end)
      _ = try #require(outside)
      var fromRows = program.account()
      var fromEvent = program.account()
      for k in 0..<events.count {
        guard let found = events.purchase(k) else { continue }
        let event = events.event(k)
        #expect(events.purchaseID(found) == event.id)
        events.fill(&basket, with: found, id: events.purchaseID(found), program: program)
        #expect(basket.id == event.id && basket.time == event.time && basket.store == event.store && basket.channel == event.channel)
        let gross = event.lines.reduce(Int64(0)) { $0 &+ $1.unitPrice.minorUnits &* $1.quantity }
        #expect(basket.grossMinor == gross, "\(event.id)")
        // A SKU on two lines: an amount split unevenly over its units, or two rows of one SKU.
        if Set(event.lines.map(\.sku)).count < event.lines.count { repeatedSKUs += 1 }
        let rowsResult = Result { () throws(EvaluationError) in
          try program.purchasePlanned(&basket, customer: customer, account: &fromRows, options: options, restoresOnError: true)
        }
        let eventResult = Result { () throws(EvaluationError) in
          try program.purchasePlanned(event, customer: customer, account: &fromEvent, options: options, restoresOnError: true)
        }
        switch (rowsResult, eventResult) {
        case (.success(.purchased(let a)), .success(.purchased(let b))):
          #expect(a.paid == b.paid && a.tierBefore == b.tierBefore && a.tierAfter == b.tierAfter, "\(event.id)")
          purchases += 1
        case (.success(.duplicate), .success(.duplicate)):
          duplicates += 1
        case (.failure(let a), .failure(let b)):
          #expect(a == b, "\(event.id)")
          refused += 1
        default:
          Issue.record("\(event.id): \(rowsResult) from the rows, \(eventResult) from the event")
        }
        #expect(fromRows.plannedAwards.filed == fromEvent.plannedAwards.filed, "\(event.id)")
        #expect(fromRows.plannedAwards.periodEnds == fromEvent.plannedAwards.periodEnds, "\(event.id)")
        if !fromRows.plannedAwards.filed.isEmpty { withAwards += 1 }
        sources.formUnion(fromRows.plannedAwards.filed.map(\.source))
        #expect(program.state(of: fromRows) == program.state(of: fromEvent), "\(event.id)")
      }
    }
    let counts: [Int] = [purchases, refused, duplicates, repeatedSKUs, withAwards]
    #expect(counts == [599, 28, 27, 327, 578])
    // Every rule that gives (the airport's only multiplies), the card's free coffee and a tier change.
    #expect(sources == [0, 1, 2, 3, 5, 6, 7])
  }

  /// Whole runs of each customer — period ends, modelled redemptions after the purchases,
  /// figures — from the rows (the plan given baskets) and from the rows' events: the same
  /// figures, cost, revenue and account.
  @Test func aRunFromTheRowsFilesWhatARunOfTheEventsFiles() throws {
    let program = Self.program
    let groups = try InPlaceReadingTests.groups(Self.rows())
    let from = LocalDate(iso: "2026-01-01")!
    let to = LocalDate(iso: "2027-05-31")!
    let start = program.timeZone.instant(of: from, secondOfDay: 0)
    let end = program.timeZone.instant(of: to.adding(days: 1), secondOfDay: 0)
    let settings = RunSettings(policy: .rate(numerator: 1, denominator: 2), seed: 9, from: from, to: to, trace: false)
    var found = CustomerEvents(groups: groups, currency: program.currency)
    var fromRows: CustomerRun?
    var fromEvents: CustomerRun?
    var revenue: Int64 = 0
    for index in groups.ids.indices {
      let customer = Customer(id: groups.ids[index], signupDate: LocalDate(iso: "2025-11-20"))
      let outside = found.build(customer: index, profile: customer, program: program, start: start, end: end)
      _ = try #require(outside)
      let events = (0..<found.count).map { found.event($0) }
      if fromRows == nil {
        fromRows = CustomerRun(program: program, settings: settings, customer: customer, ledger: FigureLedger(program: program))
        fromEvents = CustomerRun(program: program, settings: settings, customer: customer, ledger: FigureLedger(program: program))
      } else {
        fromRows!.restart(customer: customer)
        fromEvents!.restart(customer: customer)
      }
      fromRows!.run(consume found)
      found = fromRows!.takeCustomerEvents()
      fromEvents!.run(events)
      #expect(fromRows!.cost == fromEvents!.cost, "\(customer.id)")
      #expect(fromRows!.revenue == fromEvents!.revenue, "\(customer.id)")
      #expect(program.state(of: fromRows!.account) == program.state(of: fromEvents!.account), "\(customer.id)")
      revenue += fromRows!.revenue
    }
    let rowsFigures = fromRows!.takeLedger().figures()
    let eventsFigures = fromEvents!.takeLedger().figures()
    #expect(rowsFigures == eventsFigures)
    let counts: [Int64] = [rowsFigures.purchases, rowsFigures.modelledRedemptions, revenue, rowsFigures.rejectedEvents,
                           rowsFigures.duplicateEvents]
    #expect(counts == [599, 387, 1_239_798, 62, 27])
  }
}
