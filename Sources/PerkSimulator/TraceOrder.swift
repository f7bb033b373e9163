/// Puts `perk sim --trace` lines out in their documented order while pass two runs one
/// partition at a time.
///
/// The order is older than one-partition loading: neighbouring partitions were loaded together in
/// batches of up to `Simulator.batchBytes` and each batch's customers sorted by id, so a trace
/// lists a batch's customers in id order, each customer's lines together. Loading a batch at once
/// made its size the run's peak (9 MB for one history, 12 MB for a longer one of the same
/// customers), so partitions are now loaded one by one and only the trace keeps the grouping:
/// each partition's customers (already in id order) are held until the last partition of their
/// batch has run, then put out merged by id. A customer's rows are all in one partition, so the
/// merge gives exactly the batch's order. Without a trace nothing depends on the grouping.
struct TraceOrder {
  /// One customer's trace lines.
  struct CustomerLines {
    let id: String
    let lines: [String]
  }

  /// The batches, as ranges of partitions, in order.
  private let batches: [Range<Int>]
  private var batch = 0
  /// The customers of the current batch's partitions run so far, each partition's in id order.
  private var held: [CustomerLines] = []
  private var partitionsHeld = 0

  init(batches: [Range<Int>]) {
    self.batches = batches
  }

  /// Takes partition `partition`'s customers, in id order, and puts out every line whose batch is
  /// now complete.
  mutating func add(partition: Int, _ customers: [CustomerLines], to sink: (String) -> Void) {
    while batch < batches.count, batches[batch].upperBound <= partition { batch += 1 }
    let batchRange = batch < batches.count ? batches[batch] : partition..<(partition + 1)
    if batchRange.count == 1 {
      for customer in customers { for line in customer.lines { sink(line) } }
      return
    }
    held.append(contentsOf: customers)
    partitionsHeld += 1
    guard partition == batchRange.upperBound - 1 else { return }
    // Each partition's run is sorted already; ids are unique across partitions.
    if partitionsHeld > 1 { held.sort { $0.id < $1.id } }
    for customer in held { for line in customer.lines { sink(line) } }
    held = []
    partitionsHeld = 0
  }
}
