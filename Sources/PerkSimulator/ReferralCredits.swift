import PerkRuntime

/// Referral transfers between customers: a referred customer's purchase releases points to the
/// referrer after the hold, and the referrer's account must receive them on that day.
///
/// Customers are simulated one at a time, so the transfers are found first: every referred
/// customer whose referrer is simulated by this run (this shard) is run once on its own, and
/// the transfers its account releases within the period are collected by referrer, in release
/// order. The main pass then credits them to each referrer's account with `Program.credit` at
/// the start of the release day, among the referrer's own events. A referred customer's
/// transfers depend only on its own events, so the first run gives exactly the transfers the
/// main pass sees; shards give the same credits as a single run because every shard reads the
/// whole history.
struct ReferralCredits {
  let program: Program
  let customers: CustomerTable
  let shard: (index: Int, count: Int)
  /// True when the program gives points to referrers and the customers file names referrers.
  let needed: Bool

  init(program: Program, customers: CustomerTable, shard: (index: Int, count: Int)) {
    self.program = program
    self.customers = customers
    self.shard = shard
    let refers = program.rules.contains { rule in
      rule.effects.contains { if case .earnForReferrer = $0 { return true } else { return false } }
    }
    needed = refers && customers.customers.values.contains { !($0.referredBy ?? "").isEmpty }
  }

  /// Whether a row's customer is referred by a customer this run simulates.
  func creditsHere(referee: String) -> Bool {
    guard let referrer = customers.customers[referee]?.referredBy, !referrer.isEmpty else { return false }
    return shard.count <= 1 || Int(StableHash.of(referrer) % UInt64(shard.count)) == shard.index
  }

  /// Runs every referred customer of `store` and returns the transfers released to referrers by
  /// the end of the period, by referrer, in release order (ties by referred customer and transaction).
  func transfers(from store: PartitionStore, settings: RunSettings, start: Instant, end: Instant,
                 threads: Int) throws -> [String: [PointsTransfer]] {
    let quiet = settings.untraced
    var byReferrer: [String: [PointsTransfer]] = [:]
    // Order does not matter here: the transfers are sorted at the end.
    try store.forEachPartition { _, groups in
      let found = Slots<[PointsTransfer]>(count: groups.ids.count)
      Parallel.run(iterations: groups.ids.count, threads: threads) { [program, customers] index in
        let customer = customers.customer(groups.ids[index])
        var strings = StringTable()
        let built = groups.events(of: index, profile: customer, program: program, start: start, end: end, strings: &strings)
        var run = CustomerRun(program: program, settings: quiet, customer: customer, ledger: FigureLedger(program: program))
        run.run(built.events)
        found.store(index, run.released)
      }
      for index in groups.ids.indices { add(found.take(index) ?? [], releasedBy: groups.ids[index], to: &byReferrer) }
    }
    return ReferralCredits.inReleaseOrder(byReferrer)
  }

  /// Files the transfers a referred customer's account released that go to its referrer.
  func add(_ released: [PointsTransfer], releasedBy referee: String, to byReferrer: inout [String: [PointsTransfer]]) {
    for transfer in released where transfer.customer == customers.customers[referee]?.referredBy {
      byReferrer[transfer.customer, default: []].append(transfer)
    }
  }

  /// Each referrer's transfers in release order (ties by referred customer, transaction and rule).
  static func inReleaseOrder(_ byReferrer: [String: [PointsTransfer]]) -> [String: [PointsTransfer]] {
    byReferrer.mapValues { transfers in
      transfers.sorted { ($0.releaseOn, $0.from, $0.sourceTransaction, $0.rule) < ($1.releaseOn, $1.from, $1.sourceTransaction, $1.rule) }
    }
  }
}
