import Foundation
import PerkRuntime
import Synchronization

/// What to simulate and how.
package struct SimulationOptions: Sendable {
  package var policy: RedemptionPolicy = .none
  package var seed: UInt64 = 1
  /// The first and last local day to simulate; nil takes the history's first and last day.
  package var from: LocalDate?
  package var to: LocalDate?
  package var threads: Int = 1
  /// Run only customers of shard `index` of `count`.
  package var shard: (index: Int, count: Int) = (0, 1)
  package var trace: Bool = false
  /// Partitions of the history between the passes; nil picks one per 8 MB of input.
  package var partitions: Int?
  /// False: every account is brought to every month end, even when nothing is due (the
  /// behaviour the skipping is checked against in tests; see `CustomerRun.closeMonths`).
  var skipsQuietPeriodEnds = true
  /// The most bytes of a partition loaded at once: a larger one is run in pieces of whole
  /// customers (``PartitionStore/forEachPartition(pieceLimit:_:)``). Changes nothing but memory.
  var pieceBytes = Simulator.pieceBytes
  /// The fewest bytes of the history after its header that pass one reads on a thread of its
  /// own (``RangedRead/minimumRangeBytes``); tests make it small. Changes nothing but time.
  var readRangeBytes = RangedRead.minimumRangeBytes

  package init() {}
}

/// What a run produced: metadata plus integer figures that merge exactly across shards.
package struct SimulationResult: Sendable, Equatable {
  package var programName: String
  package var currency: Currency
  package var timeZone: String
  package var pointsWorth: [String: ExactDecimal]
  package var tierNames: [String]
  package var policy: String
  package var seed: UInt64
  package var history: String
  package var rowsRead: Int64
  package var rowsRejected: Int64
  package var rowsOutside: Int64
  package var badRows: [String]
  package var from: LocalDate
  package var to: LocalDate
  package var shardIndex: Int
  package var shardCount: Int
  package var figures: Figures
  /// Per customer, sorted by id.
  package var customers: [CustomerFigure]
  /// The program's budgets the simulation did not apply (`program`, then rule names): budgets
  /// are shared by all customers in time order, and customers are simulated one at a time.
  package var unappliedBudgets: [String] = []
  /// The program's budgets, when the simulation applied them (all customers in time order).
  package var appliedBudgets: [AppliedBudget] = []
  /// The program's rules, in declaration order: those without awards never fired.
  package var ruleNames: [String] = []
  /// The categories and SKUs the program's filters name: those no purchase had are reported.
  package var filteredCategories: [String] = []
  package var filteredSkus: [String] = []
  /// What each rule of ``ruleNames`` listens to (``NeverFiredReason/trigger(_:)``); empty when
  /// read from a report written before reasons were given.
  package var ruleTriggers: [String] = []
  /// The rules whose every effect is `multiply`: their points are awarded under the rules they
  /// multiply, so such a rule fired when the evaluator let it fire, not when it has awards.
  package var multiplyingRules: [String] = []

  /// The rules that gave no award in the run (a multiplying rule: that never fired).
  package var rulesNeverFired: [String] { ruleNames.filter(neverFired) }

  private func neverFired(_ rule: String) -> Bool {
    guard figures.awardsBySource[rule] == nil else { return false }
    return !multiplyingRules.contains(rule) || (figures.ruleTallies[rule]?[NeverFiredReason.key(.fired)] ?? 0) == 0
  }
  /// Why each rule of ``rulesNeverFired`` never fired, by rule (none when the report predates reasons).
  package var neverFiredReasons: [String: NeverFiredReason] {
    var reasons: [String: NeverFiredReason] = [:]
    for (index, rule) in ruleNames.enumerated() where neverFired(rule) {
      reasons[rule] = NeverFiredReason(trigger: index < ruleTriggers.count ? ruleTriggers[index] : nil,
                                       tally: figures.ruleTallies[rule] ?? [:])
    }
    return reasons
  }
  /// `category NAME` and `sku NAME` for each name a filter uses that no purchased line had.
  package var filterNamesNeverSeen: [String] {
    filteredCategories.filter { !figures.categoriesSeen.contains($0) }.map { "category \($0)" }
      + filteredSkus.filter { !figures.skusSeen.contains($0) }.map { "sku \($0)" }
  }
  /// The warnings every report format and standard error show: a name a filter uses that the
  /// history never has (probably a typo, or data the program does not expect), then the rules
  /// that never fired.
  /// A shard sees only some customers, so it warns of nothing; the merged report does.
  package var warnings: [String] {
    guard shardCount == 1 else { return [] }
    return filterNamesNeverSeen.map { name in
      let (field, value) = (name.prefix { $0 != " " }, name.drop { $0 != " " }.dropFirst())
      return "\(field) `\(value)`, which the program's filters name, occurs in no purchase of the history"
    } + (rulesNeverFired.isEmpty ? [] : ["rules that never fired: " + neverFiredList])
  }

  /// `` `x` (its condition never held: 1,234 purchases), `y` ``, in declaration order.
  private var neverFiredList: String {
    let reasons = neverFiredReasons
    return rulesNeverFired.map { rule in "`\(rule)`" + (reasons[rule].map { " (\($0.text))" } ?? "") }.joined(separator: ", ")
  }

  package static func == (a: SimulationResult, b: SimulationResult) -> Bool {
    a.programName == b.programName && a.currency == b.currency && a.timeZone == b.timeZone && a.pointsWorth == b.pointsWorth
      && a.tierNames == b.tierNames && a.policy == b.policy && a.seed == b.seed && a.history == b.history
      && a.rowsRead == b.rowsRead && a.rowsRejected == b.rowsRejected && a.rowsOutside == b.rowsOutside && a.badRows == b.badRows
      && a.from == b.from && a.to == b.to && a.shardIndex == b.shardIndex && a.shardCount == b.shardCount
      && a.figures == b.figures && a.customers == b.customers
      && a.unappliedBudgets == b.unappliedBudgets && a.appliedBudgets == b.appliedBudgets
      && a.ruleNames == b.ruleNames && a.filteredCategories == b.filteredCategories && a.filteredSkus == b.filteredSkus
      && a.ruleTriggers == b.ruleTriggers && a.multiplyingRules == b.multiplyingRules
  }
}

/// SimulationProgress of a run, for a progress bar.
package struct SimulationProgress: Sendable {
  package var phase: String
  package var done: Int64
  package var total: Int64
}

/// Runs a program over a purchase history.
///
/// Pass one streams the file, validates every row and writes it in binary form to a partition
/// chosen by a stable hash of the customer. Pass two loads one partition at a time, groups its
/// rows by customer, orders each customer's events by time (ties in file order) and runs the
/// customers on `threads` threads. Customers are handled in fixed-size chunks whose results are
/// added in chunk order, so the output is the same for any number of threads.
package struct Simulator {
  package let program: Program
  package let options: SimulationOptions

  package init(program: Program, options: SimulationOptions) {
    self.program = program
    self.options = options
  }

  package static let maxBadRowsShown = 20

  /// Input bytes per partition (about 6 MB once encoded).
  static let partitionInput: Int64 = 8 << 20
  /// Encoded bytes of a partition loaded at once (``SimulationOptions/pieceBytes``): about what
  /// a partition of `partitionInput` holds. A short history's partitions are smaller than that
  /// (the count is rounded up); a long one's approach `partitionInput`, and those with a few
  /// long customers exceed it: with 8 MB, the peak at ten times the rows of the same customers
  /// was still 1.11 times the peak at one.
  static let pieceBytes = 6 << 20

  /// The encoded bytes of the neighbouring partitions whose trace lines are ordered together
  /// (`TraceOrder`): the size of the batches pass two once loaded at once, kept so that traces
  /// keep their order. Pass two itself loads one partition at a time.
  static let batchBytes = 12 << 20
  /// The most global runs a program with budgets and referrals gets for its credits to agree
  /// with the transfers released (crediting a referrer changes no budget, so the second agrees
  /// unless a condition reads a balance that a credit changed).
  static let referralRuns = 4

  /// The threads pass one reads on: `threads`, but no more than the processors, nor than 8, nor
  /// so many that the ranges' partition stores open more than 256 files together (each range's
  /// store has a file a partition).
  static func readThreads(_ threads: Int, partitions: Int) -> Int {
    max(1, min(threads, ProcessInfo.processInfo.activeProcessorCount, 8, 256 / max(1, partitions)))
  }

  /// Has glibc hand freed blocks of 128 KB and more straight back to the system.
  ///
  /// By default glibc raises its mmap threshold each time such a block is freed, after which
  /// large blocks come from the threads' heaps and stay resident once freed: pass two's
  /// per-customer arrays (a customer with ten years of purchases has thousands of rows) then
  /// made the peak grow with rows per customer (68 → 93 MB from 1M to 10M rows of the same
  /// customers). A fixed threshold keeps it flat. It is a process-wide setting, made once.
  static func returnLargeBlocksToTheSystem() {
    #if canImport(Glibc)
    _ = fixedMmapThreshold
    #endif
  }

  #if canImport(Glibc)
  /// `mallopt(M_MMAP_THRESHOLD, 128 KB)`, looked up at run time: malloc.h is not part of the
  /// Glibc module. Returns 1 when glibc took the setting, 0 when it is not there.
  private static let fixedMmapThreshold: Int32 = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return 0 }
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in malloc.h
    return unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, 128 << 10)
  }()
  #endif

  /// Runs the simulation. `rejectSink` receives every rejected row of the history (the result
  /// keeps the first `maxBadRowsShown`); an error it throws stops the run.
  package func run(history: InputSource, read: HistoryReadOptions, customers: CustomerTable = CustomerTable(),
                   traceSink: ((String) -> Void)? = nil, rejectSink: ((BadRow) throws -> Void)? = nil,
                   progress: ((SimulationProgress) -> Void)? = nil) throws -> SimulationResult {
    let size = history.size
    Simulator.returnLargeBlocksToTheSystem()
    let partitionCount = options.partitions ?? max(1, Int(size / Simulator.partitionInput) + (size % Simulator.partitionInput > 0 && size > Simulator.partitionInput ? 1 : 0))
    // Pass one's stores, one a range of the history read on its own thread, share 4 MB of write buffers.
    let readThreads = Simulator.readThreads(options.threads, partitions: partitionCount)
    let bufferBytes = (4 << 20) / readThreads
    let store = try PartitionStore(count: partitionCount, bufferBytes: bufferBytes)
    // Referred customers whose referrer is simulated here: run first, for the transfers they release.
    let referrals = ReferralCredits(program: program, customers: customers, shard: options.shard)
    let refereeStore = referrals.needed ? try PartitionStore(count: partitionCount, bufferBytes: bufferBytes) : nil
    var badRows: [String] = []
    let reader = HistoryReader(source: history, options: read, currency: program.currency, zone: program.timeZone)
    // Pass one on `threads` threads, each byte range of the history into partition stores of its
    // own, whose files then follow the first range's in range order: the partitions hold the
    // rows in file order, as one read writes them.
    let (counts, ranges) = try reader.readParsed(threads: readThreads, minimumRangeBytes: options.readRangeBytes, makeSink: { k in
      PassOneRows(store: k == 0 ? store : try PartitionStore(count: partitionCount, bufferBytes: bufferBytes),
                  refereeStore: refereeStore == nil ? nil
                    : k == 0 ? refereeStore : try PartitionStore(count: partitionCount, bufferBytes: bufferBytes),
                  referrals: referrals, shard: options.shard, progress: k == 0 ? progress : nil)
    }, bad: { bad in
      if badRows.count < Simulator.maxBadRowsShown { badRows.append(bad.description) }
      try rejectSink?(bad)
    })
    var minTime: Int64 = .max
    var maxTime: Int64 = .min
    var shardRows: Int64 = 0
    for (k, range) in ranges.enumerated() {
      minTime = min(minTime, range.minTime)
      maxTime = max(maxTime, range.maxTime)
      shardRows += range.shardRows
      guard k > 0 else { continue }
      try store.append(contentsOf: range.store)
      if let refereeStore, let theirs = range.refereeStore { try refereeStore.append(contentsOf: theirs) }
    }
    let shard = options.shard
    // A history with no usable row is a mistake (the wrong file, a failed export), not a report
    // on nothing over 1970-01-01.
    guard counts.read > 0 else {
      throw SimulationInputError("\(history.name): " + (counts.sawHeader ? "the history has a header but no rows" : "the history is empty")
        + "; there is nothing to simulate")
    }
    guard minTime != .max else {
      throw SimulationInputError("\(history.name): none of the history's \(counts.read) row\(counts.read == 1 ? "" : "s") can be used; "
        + "the first rejected: \(badRows.first ?? "?")")
    }
    let zone = program.timeZone
    let from = options.from ?? zone.localTime(of: Instant(secondsSince1970: minTime)).date
    let to = options.to ?? zone.localTime(of: Instant(secondsSince1970: maxTime)).date
    guard from <= to else { throw SimulationInputError("the period is empty: --from \(from) is after --to \(to)") }
    let settings = {
      var settings = RunSettings(policy: options.policy, seed: options.seed, from: from, to: to, trace: options.trace)
      settings.skipsQuietPeriodEnds = options.skipsQuietPeriodEnds
      return settings
    }()
    let start = zone.instant(of: from, secondOfDay: 0)
    let end = zone.instant(of: to.adding(days: 1), secondOfDay: 0)

    var credits: [String: [PointsTransfer]] = [:]
    if let refereeStore {
      credits = try referrals.transfers(from: refereeStore, settings: settings, start: start, end: end, threads: options.threads)
    }
    var figures = Figures()
    // The chunks' figures by id, turned into `figures` once at the end.
    var ledger = FigureLedger(program: program)
    var customerFigures: [CustomerFigure] = []
    var outside: Int64 = 0
    var processed: Int64 = 0
    var simulated: Set<String> = []
    // Budgets are shared by all customers in time order: a program with budgets (and the whole
    // customer base: no shard) runs every customer's events in one global order instead.
    let applyBudgets = !program.budgets.isEmpty && shard.count <= 1
    if applyBudgets {
      var ordered = TimeOrderedRun(program: program, settings: settings, customers: customers, credits: credits,
                                   start: start, end: end)
      if refereeStore != nil {
        // Under budgets a referral rule may be refused, so the transfers found with budgets
        // unspent are a first guess: runs repeat (without the trace) until the transfers the
        // referred customers released are the ones credited, and the one that agrees is kept
        // (or re-run with the trace).
        store.readsOnce = false
        var runs = 0
        while true {
          runs += 1
          try ordered.run(store: store, partitions: partitionCount, traceSink: nil) { done in
            progress?(SimulationProgress(phase: "crediting referrals under budgets", done: done, total: shardRows))
          }
          let released = ordered.released(by: referrals)
          if released == credits || runs == Simulator.referralRuns { break }
          credits = released
          ordered = TimeOrderedRun(program: program, settings: settings, customers: customers, credits: credits, start: start, end: end)
        }
      }
      let ranAlready = refereeStore != nil
      if ranAlready, traceSink != nil {
        ordered = TimeOrderedRun(program: program, settings: settings, customers: customers, credits: credits, start: start, end: end)
      }
      if !ranAlready || traceSink != nil {
        try ordered.run(store: store, partitions: partitionCount, traceSink: traceSink) { done in
          progress?(SimulationProgress(phase: "simulating", done: done, total: shardRows))
        }
      }
      figures = ordered.figures
      customerFigures = ordered.customerFigures
      outside = ordered.outside
    } else {
    var traceOrder = TraceOrder(batches: traceSink == nil ? [] : store.batches(upTo: Simulator.batchBytes))
    // A partition's customers' trace lines, held until its last piece has run.
    var partitionTrace: [TraceOrder.CustomerLines] = []
    var pieces = 0
    try store.forEachPartition(pieceLimit: options.pieceBytes) { partition, groups, last in
      let chunkSize = 64
      let chunkCount = (groups.ids.count + chunkSize - 1) / chunkSize
      let results = Slots<ChunkResult>(count: chunkCount)
      let work: @Sendable (Int) -> Void = { [program, customers, credits] chunk in
        var chunkCustomers: [CustomerFigure] = []
        var chunkTrace: [TraceOrder.CustomerLines] = []
        var chunkOutside: Int64 = 0
        // One run for the chunk's customers, restarted for each (`CustomerRun.restart`): a
        // sparse customer's run is a few events, and making and freeing the run's arrays and
        // ledger per customer cost more than them. Each customer's baskets are found in their
        // rows, read once (`CustomerEvents`), and each event is made only as the run reaches it
        // — a purchase the plan takes not at all: their events and line items all at once were
        // the peak's growth with rows per customer.
        var run: CustomerRun?
        var found = CustomerEvents(groups: groups, currency: program.currency)
        for index in (chunk * chunkSize)..<min(groups.ids.count, (chunk + 1) * chunkSize) {
          let customer = customers.customer(groups.ids[index])
          let outsideHere = found.build(customer: index, profile: customer, program: program, start: start, end: end)
          if run == nil {
            run = CustomerRun(program: program, settings: settings, customer: customer, ledger: FigureLedger(program: program))
          } else {
            run!.restart(customer: customer)
          }
          let customerCredits = credits.isEmpty ? [] : credits[groups.ids[index]] ?? []
          if let outsideHere {
            chunkOutside += outsideHere
            // Moved in and back out: the run holds the only copy of the baskets while it runs.
            run!.run(consume found, credits: customerCredits)
            found = run!.takeCustomerEvents()
          } else {
            // Texts beyond ASCII are matched as strings, from the decoded rows (rare: all at once).
            let built = EventBuilder.events(rows: { groups.forEachRow(of: index, $0) }, customer: customer, program: program,
                                            start: start, end: end)
            chunkOutside += built.outside
            run!.run(built.events, credits: customerCredits)
          }
          chunkCustomers.append(CustomerFigure(id: groups.ids[index], cost: run!.cost, revenue: run!.revenue))
          if !run!.trace.isEmpty { chunkTrace.append(TraceOrder.CustomerLines(id: groups.ids[index], lines: run!.trace)) }
        }
        let chunkFigures = run?.takeLedger() ?? FigureLedger(program: program)
        results.store(chunk, ChunkResult(figures: chunkFigures, customers: chunkCustomers, trace: chunkTrace, outside: chunkOutside))
      }
      Parallel.run(iterations: chunkCount, threads: options.threads, work)
      for chunk in 0..<chunkCount {
        guard let result = results.take(chunk) else { continue }
        ledger.add(result.figures)
        outside += result.outside
        customerFigures.append(contentsOf: result.customers)
        partitionTrace.append(contentsOf: result.trace)
      }
      processed += Int64(groups.rowCount)
      if !credits.isEmpty { simulated.formUnion(groups.ids) }
      pieces += 1
      guard last else { return }
      // Each piece's customers are in id order: merged, the partition's order.
      if pieces > 1 { partitionTrace.sort { $0.id < $1.id } }
      if let traceSink { traceOrder.add(partition: partition, partitionTrace, to: traceSink) }
      partitionTrace = []
      pieces = 0
      progress?(SimulationProgress(phase: "simulating", done: processed, total: shardRows))
    }
    }
    // Referrers with no purchases of their own in the history still receive their credits.
    for id in credits.keys.sorted() where !simulated.contains(id) && !applyBudgets {
      var run = CustomerRun(program: program, settings: settings, customer: customers.customer(id), ledger: consume ledger)
      run.run([], credits: credits[id]!)
      ledger = run.takeLedger()  // moved in and out, as in the chunks above
      customerFigures.append(CustomerFigure(id: id, cost: run.cost, revenue: run.revenue))
      if let traceSink { for line in run.trace { traceSink(line) } }
    }
    customerFigures.sort { $0.id < $1.id }
    // Under budgets the ordered run has the figures and this ledger is empty; otherwise the
    // ledger has them all, and adding them to empty figures only rebuilt every month's
    // dictionaries (360 months for a 30-year history).
    if !applyBudgets { figures = ledger.figures() }
    var worth: [String: ExactDecimal] = [:]
    // A currency without a stated worth is left out: its points' money value is unknown.
    for spec in program.points where spec.worthStated { worth[spec.name] = spec.worthMinor }
    return SimulationResult(
      programName: program.name, currency: program.currency, timeZone: program.timeZone.identifier, pointsWorth: worth,
      tierNames: program.tierNames, policy: options.policy.description, seed: options.seed, history: history.name,
      rowsRead: counts.read, rowsRejected: counts.rejected, rowsOutside: outside, badRows: badRows, from: from, to: to,
      shardIndex: options.shard.index, shardCount: options.shard.count,
      figures: figures, customers: customerFigures,
      unappliedBudgets: applyBudgets ? [] : program.budgets.map(\.name), appliedBudgets: applyBudgets ? program.appliedBudgets : [],
      ruleNames: program.rules.map(\.name), filteredCategories: program.filteredCategories, filteredSkus: program.filteredSkus,
      ruleTriggers: program.rules.map { NeverFiredReason.trigger($0.trigger) },
      multiplyingRules: program.rules.filter { rule in
        !rule.effects.isEmpty && rule.effects.allSatisfy { if case .multiply = $0 { true } else { false } }
      }.map(\.name))
  }
}

/// Pass one's work on each valid row of a history (of one byte range of it, when it is read on
/// several threads): the partitions it is written to and the figures of the rows seen.
struct PassOneRows: ParsedRowSink {
  let store: PartitionStore
  /// Where the rows of referred customers whose referrer is simulated here also go.
  let refereeStore: PartitionStore?
  let referrals: ReferralCredits
  let shard: (index: Int, count: Int)
  let progress: ((SimulationProgress) -> Void)?
  var minTime: Int64 = .max
  var maxTime: Int64 = .min
  /// Rows of this shard's customers.
  var shardRows: Int64 = 0

  init(store: PartitionStore, refereeStore: PartitionStore?, referrals: ReferralCredits, shard: (index: Int, count: Int),
       progress: ((SimulationProgress) -> Void)?) {
    self.store = store
    self.refereeStore = refereeStore
    self.referrals = referrals
    self.shard = shard
    self.progress = progress
  }

  // Inlined into the reader's loop: a call a row.
  @inline(__always)
  mutating func take(_ row: borrowing ParsedRow) throws {
    let seconds = row.time.secondsSince1970
    minTime = min(minTime, seconds)
    maxTime = max(maxTime, seconds)
    if let refereeStore, referrals.creditsHere(referee: row.customer.text) { try refereeStore.append(row) }
    if shard.count > 1, Int(StableHash.fnv1a(row.customer.bytes) % UInt64(shard.count)) != shard.index { return }
    shardRows += 1
    try store.append(row)
    if let progress, shardRows % 65_536 == 0 { progress(SimulationProgress(phase: "reading", done: shardRows, total: 0)) }
  }
}

/// A partition's rows grouped by customer: ids sorted, each with its rows in file order. The
/// rows are kept encoded (`RowCodec`) and decoded per customer on demand.
package struct CustomerGroups: Sendable {
  let ids: [String]
  /// Where each row starts in `bytes`, customer by customer (32 bits: a partition is far
  /// smaller than 4 GB, and rows are the one thing a partition holds per row).
  private let order: [UInt32]
  private let starts: [Int]
  private let bytes: [UInt8]
  /// Rows in the partition.
  var rowCount: Int { order.count }

  init(encoded bytes: [UInt8]) throws {
    guard bytes.count <= Int(UInt32.max) else { throw SimulationInputError("a partition is larger than 4 GB") }
    // Each row's start and customer (numbered in order of appearance), in one pass.
    var names: [String] = []
    var rowStarts: [UInt32] = []
    var rowCustomers: [Int32] = []
    try bytes.withUnsafeBufferPointer { buffer in
      if try !CustomerGroups.numberByBytes(buffer, names: &names, rowStarts: &rowStarts, rowCustomers: &rowCustomers) {
        names = []
        rowStarts = []
        rowCustomers = []
        try CustomerGroups.numberByStrings(buffer, names: &names, rowStarts: &rowStarts, rowCustomers: &rowCustomers)
      }
    }
    // Customers sorted by id; each one's rows stay in file order (a counting sort).
    let sorted = names.indices.sorted { names[$0] < names[$1] }
    var position = Array(repeating: 0, count: names.count)
    for (rank, number) in sorted.enumerated() { position[number] = rank }
    var starts = Array(repeating: 0, count: names.count + 1)
    for customer in rowCustomers { starts[position[Int(customer)] + 1] += 1 }
    for rank in names.indices { starts[rank + 1] += starts[rank] }
    var next = starts
    var order = [UInt32](repeating: 0, count: rowStarts.count)
    for row in rowStarts.indices {
      let rank = position[Int(rowCustomers[row])]
      order[next[rank]] = rowStarts[row]
      next[rank] += 1
    }
    ids = sorted.map { names[$0] }
    self.order = order
    self.starts = starts
    self.bytes = bytes
  }

  /// Numbers the rows' customers by their bytes, making one string per customer (a table of
  /// customer numbers by hash, not a dictionary keyed by a string made for every row). False,
  /// having numbered nothing, when a customer id is not plain ASCII: ids that differ in bytes
  /// may then be the same string, and `numberByStrings` numbers them as strings.
  private static func numberByBytes(_ buffer: UnsafeBufferPointer<UInt8>, names: inout [String], rowStarts: inout [UInt32],
                                    rowCustomers: inout [Int32]) throws -> Bool {
    let bytes = EncodedBytes(buffer: buffer)
    var slots = [Int32](repeating: -1, count: 1024)
    var keys: [Range<Int>] = []
    var hashes: [UInt64] = []
    var offset = 0
    while offset < buffer.count {
      let start = offset
      guard let customer = RowCodec.customerRange(buffer, offset: &offset) else { throw SimulationInputError("a partition file is corrupt") }
      let hash = bytes.hash(customer)
      var mask = slots.count - 1
      var slot = Int(truncatingIfNeeded: hash) & mask
      var number = -1
      while slots[slot] >= 0 {
        let k = Int(slots[slot])
        if hashes[k] == hash, bytes.same(keys[k], customer) {
          number = k
          break
        }
        slot = (slot + 1) & mask
      }
      if number < 0 {
        guard bytes.isASCII(customer) else { return false }
        number = keys.count
        keys.append(customer)
        hashes.append(hash)
        names.append(bytes.string(customer))
        slots[slot] = Int32(number)
        if keys.count * 2 > slots.count {
          slots = [Int32](repeating: -1, count: slots.count * 2)
          mask = slots.count - 1
          for (k, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(k)
          }
        }
      }
      rowStarts.append(UInt32(start))
      rowCustomers.append(Int32(number))
    }
    return true
  }

  /// Numbers the rows' customers as strings (equal strings, one customer).
  private static func numberByStrings(_ buffer: UnsafeBufferPointer<UInt8>, names: inout [String], rowStarts: inout [UInt32],
                                      rowCustomers: inout [Int32]) throws {
    var numbers: [String: Int] = [:]
    var offset = 0
    while offset < buffer.count {
      let start = offset
      guard let customer = RowCodec.customer(buffer, offset: &offset) else { throw SimulationInputError("a partition file is corrupt") }
      let number = numbers[customer] ?? {
        names.append(customer)
        numbers[customer] = names.count - 1
        return names.count - 1
      }()
      rowStarts.append(UInt32(start))
      rowCustomers.append(Int32(number))
    }
  }

  /// The events of the customer at `customer` in `ids` (`EventBuilder.events(rows:…)` of its
  /// rows), read from the encoded rows in place, with repeated texts' strings from `strings`.
  func events(of customer: Int, profile: Customer, program: Program, start: Instant, end: Instant,
              strings: inout StringTable) -> (events: [Event], outside: Int64) {
    var events: [Event] = []
    let outside = self.events(of: customer, profile: profile, program: program, start: start, end: end, strings: &strings, into: &events)
    return (events, outside)
  }

  /// ``events(of:profile:program:start:end:strings:)`` built in `events` (what it held is
  /// replaced, its storage kept); returns the number of rows outside the period.
  func events(of customer: Int, profile: Customer, program: Program, start: Instant, end: Instant,
              strings: inout StringTable, into events: inout [Event]) -> Int64 {
    let inPlace = withEncodedRows(of: customer) { bytes, rows in
      EventBuilder.events(encoded: bytes, rows: rows, customer: profile, program: program, start: start, end: end, strings: &strings,
                          into: &events)
    }
    if let inPlace { return inPlace }
    let built = EventBuilder.events(rows: { forEachRow(of: customer, $0) }, customer: profile, program: program, start: start, end: end)
    events = built.events
    return built.outside
  }

  /// The number of rows of the customer at `customer` in `ids`.
  func rowCount(of customer: Int) -> Int { starts[customer + 1] - starts[customer] }

  /// Calls `body` with the partition's bytes and where each row of the customer at `customer`
  /// in `ids` starts in them, in file order.
  func withEncodedRows<Result>(of customer: Int, _ body: (EncodedBytes, UnsafeBufferPointer<UInt32>) -> Result) -> Result {
    bytes.withUnsafeBufferPointer { buffer in
      order.withUnsafeBufferPointer { order in
        body(EncodedBytes(buffer: buffer), UnsafeBufferPointer(rebasing: order[starts[customer]..<starts[customer + 1]]))
      }
    }
  }

  /// The rows of the customer at `customer` in `ids`, decoded.
  func rows(of customer: Int) -> [HistoryRow] {
    var rows: [HistoryRow] = []
    forEachRow(of: customer) { rows.append($0) }
    return rows
  }

  /// Decodes the rows of the customer at `customer` in `ids` one at a time, in file order.
  func forEachRow(of customer: Int, _ body: (HistoryRow) -> Void) {
    bytes.withUnsafeBufferPointer { buffer in
      for start in order[starts[customer]..<starts[customer + 1]] {
        var offset = Int(start)
        if let row = RowCodec.decode(buffer, offset: &offset) { body(row) }
      }
    }
  }
}

/// One chunk's results, stored by whichever thread ran it and read back in chunk order.
struct ChunkResult: Sendable {
  var figures: FigureLedger
  var customers: [CustomerFigure]
  var trace: [TraceOrder.CustomerLines]
  var outside: Int64
}

/// One value per index, stored by whichever thread computed it and taken back in index order.
final class Slots<Value: Sendable>: Sendable {
  private let slots: Mutex<[Value?]>
  init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }
  func store(_ index: Int, _ value: Value) { slots.withLock { $0[index] = value } }
  func take(_ index: Int) -> Value? { slots.withLock { slots in defer { slots[index] = nil }; return slots[index] } }
}

/// Runs iterations on a fixed number of threads, each taking the next iteration from a shared counter.
enum Parallel {
  static func run(iterations: Int, threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let workers = max(1, min(threads, iterations))
    if workers <= 1 {
      for i in 0..<iterations { body(i) }
      return
    }
    let next = Atomic<Int>(0)
    let group = DispatchGroup()
    let work = Work(body)
    withUnsafePointer(to: next) { pointer in
      nonisolated(unsafe) let counter = pointer
      for _ in 0..<workers {
        group.enter()
        let thread = Thread {
          if let body = work.body {
            while true {
              let i = counter.pointee.wrappingAdd(1, ordering: .relaxed).oldValue
              if i >= iterations { break }
              body(i)
            }
          }
          group.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
      }
      group.wait()
    }
    work.drop()
  }

  /// The body the workers run, let go once they are done. A finished `Thread` keeps its block
  /// until it is torn down, which may be after `run` returns: a block holding the body held
  /// what the body captured (pass two's whole partition of rows) while the next one was loaded,
  /// two at once at the peak.
  private final class Work: Sendable {
    private let held: Mutex<(@Sendable (Int) -> Void)?>
    init(_ body: @escaping @Sendable (Int) -> Void) { held = Mutex(body) }
    var body: (@Sendable (Int) -> Void)? { held.withLock { $0 } }
    func drop() { held.withLock { $0 = nil } }
  }
}
