import PerkRuntime

/// The simulation of a program with budgets: budgets are shared by all customers, so every
/// customer's events run in one global order — by time, then by place in the file — against
/// one `BudgetLedger`.
///
/// Memory still grows with customers, not rows: pass one's customer partitions are re-split
/// by month (each basket goes to the month of its time, so no basket is split), and the months
/// are loaded one at a time, in order, while every customer's account stays in memory. Runs on
/// one thread: the order is the point. Figures are sums (and first days), so adding each
/// customer's figures as it goes gives the same report whatever the order of customers.
final class TimeOrderedRun {
  let program: Program
  let settings: RunSettings
  let customers: CustomerTable
  let credits: [String: [PointsTransfer]]
  let start: Instant
  let end: Instant
  private(set) var figures = Figures()
  private(set) var customerFigures: [CustomerFigure] = []
  private(set) var outside: Int64 = 0
  private var runs: [CustomerRun] = []
  private var index: [String: Int] = [:]
  private var budgets = BudgetLedger()
  /// Every customer's figures: lent to the customer's run for each of its steps (`lend`).
  private var ledger: FigureLedger

  init(program: Program, settings: RunSettings, customers: CustomerTable, credits: [String: [PointsTransfer]],
       start: Instant, end: Instant) {
    self.program = program
    self.settings = settings
    self.customers = customers
    self.credits = credits
    self.start = start
    self.end = end
    ledger = FigureLedger(program: program)
  }

  func run(store: PartitionStore, partitions: Int, traceSink: ((String) -> Void)?, progress: (Int64) -> Void) throws {
    let zone = program.timeZone
    let firstMonth = CustomerRun.monthIndex(settings.from)
    let monthCount = CustomerRun.monthIndex(settings.to) - firstMonth + 1
    let months = try PartitionStore(count: partitions > 1 ? monthCount : 1)
    // Re-split by month: a basket's rows all go to the month of the basket's time (its first row's).
    try store.forEachPartition { _, groups in
      for customer in groups.ids.indices {
        var basketTimes: [EventBuilder.BasketKey: Instant] = [:]
        // Filtered by the customer's own local days; split by the program's months, which
        // only keeps the global time order (the customer's run files their local months).
        let (start, end) = EventBuilder.bounds(start: start, end: end, customer: customers.customer(groups.ids[customer]), program: program)
        for row in groups.rows(of: customer) {
          guard row.time >= start, row.time < end else { outside += 1; continue }
          let key = EventBuilder.BasketKey(row)
          let time = basketTimes[key] ?? row.time
          if basketTimes[key] == nil, !row.txn.isEmpty { basketTimes[key] = time }
          let month = CustomerRun.monthIndex(zone.localTime(of: time).date) - firstMonth
          try months.append(row, toPartition: months.count == 1 ? 0 : min(max(month, 0), months.count - 1))
        }
      }
    }
    var done: Int64 = 0
    var seen: Set<String> = []
    try months.forEachPartition { _, groups in
      var events: [(event: Event, seq: Int64, customer: Int)] = []
      for (position, id) in groups.ids.enumerated() {
        let first = seen.insert(id).inserted
        let built = EventBuilder.ordered(rows: { groups.forEachRow(of: position, $0) }, customer: customers.customer(id), program: program,
                                         start: start, end: end, signup: first)
        let run = account(of: id)
        events.append(contentsOf: built.events.map { ($0.event, $0.seq, run) })
      }
      events.sort { ($0.event.time, $0.seq, runs[$0.customer].customer.id) < ($1.event.time, $1.seq, runs[$1.customer].customer.id) }
      for (event, _, run) in events {
        lend(run)
        runs[run].step(event, budgets: &budgets)
        collect(run, traceSink: traceSink)
      }
      done += Int64(groups.rowCount)
      progress(done)
    }
    // Referrers with no purchases of their own still receive their credits.
    for id in credits.keys.sorted() { _ = account(of: id) }
    for run in runs.indices.sorted(by: { runs[$0].customer.id < runs[$1].customer.id }) {
      lend(run)
      runs[run].finish()
      collect(run, traceSink: traceSink)
      customerFigures.append(CustomerFigure(id: runs[run].customer.id, cost: runs[run].cost, revenue: runs[run].revenue))
    }
    customerFigures.sort { $0.id < $1.id }
    figures = ledger.figures()
  }

  /// The transfers the referred customers' accounts released to their referrers in this run,
  /// by referrer, in release order: what the run should have credited.
  func released(by referrals: ReferralCredits) -> [String: [PointsTransfer]] {
    var byReferrer: [String: [PointsTransfer]] = [:]
    for run in runs { referrals.add(run.released, releasedBy: run.customer.id, to: &byReferrer) }
    return ReferralCredits.inReleaseOrder(byReferrer)
  }

  /// The index of a customer's account, opening it on first sight.
  private func account(of id: String) -> Int {
    if let existing = index[id] { return existing }
    var run = CustomerRun(program: program, settings: settings, customer: customers.customer(id), ledger: FigureLedger(program: program))
    run.sharedBudgets = true
    run.updatesInPlace = false
    run.account.indexesRecentIDs = false
    run.credits = credits[id] ?? []
    index[id] = runs.count
    runs.append(run)
    return runs.count - 1
  }

  /// Lends the run's figures to a customer's run, which files its step in them (`collect` takes them back).
  private func lend(_ run: Int) {
    swap(&ledger, &runs[run].ledger)
  }

  /// Takes the run's figures back from a customer's run, and passes its trace on.
  private func collect(_ run: Int, traceSink: ((String) -> Void)?) {
    swap(&ledger, &runs[run].ledger)
    if let traceSink { for line in runs[run].trace { traceSink(line) } }
    runs[run].trace.removeAll()
  }
}
