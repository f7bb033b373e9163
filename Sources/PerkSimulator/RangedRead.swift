import Foundation
import Synchronization

// Reading a history on several threads (pass one of `perk sim --threads N`): the file after its
// header is cut into byte ranges at line starts, each range is read on a thread of its own into
// a sink of its own, and the ranges' sinks, counts and rejected rows are taken in file order, so
// that what the caller makes of them is what one read of the whole file makes.
//
// A range's first line number is known before it is read (the line ends before it are counted
// first). A range can be read on its own only if it starts between records: a quoted field may
// hold line breaks, and a record may then run on over a range's end. The range before says so
// when it is done (`RecordReader.Reading.endsBetweenRecords`); when it does not, that read is
// carried on over the rest of the file on the calling thread, exactly as one read would go on,
// and the later ranges' reads are dropped. A range that rejects more rows than it may hold is
// read the same way. So the result never depends on where the ranges were cut.

/// The byte ranges and line numbers of a read on several threads, and the constants it uses.
enum RangedRead {
  /// The fewest bytes after the header that make a range of their own
  /// (`SimulationOptions.readRangeBytes`): below it a thread costs more than it saves.
  static let minimumRangeBytes = 1 << 20
  /// The bytes at the start of a file in which the header must end for the rest to be cut into
  /// ranges (blank lines, a byte-order mark and a header spanning lines included).
  static let headerBytes = 1 << 20
  /// The most rejected rows a range read on another thread holds until the ranges before it are
  /// done (memory is bounded by them); a range with more is read again after them.
  static let heldRejectsLimit = 10_000
  /// The bytes of the file a range's read holds at once: one read of the whole file holds
  /// 4 MB, and memory must not grow with the threads.
  static let blockBytes = 1 << 20

  /// Cuts `data` into at most `count` ranges of about equal size, each starting at a line start
  /// (some may be empty: a range that would start inside the previous one's last line).
  static func cut(_ source: InputSource, data: Range<Int64>, count: Int) throws -> [Range<Int64>] {
    var starts: [Int64] = [data.lowerBound]
    let length = data.upperBound - data.lowerBound
    for k in 1..<max(1, count) {
      let target = data.lowerBound + length * Int64(k) / Int64(count)
      starts.append(max(starts[k - 1], try source.lineStart(atOrAfter: target, in: data)))
    }
    return starts.indices.map { k in starts[k]..<(k + 1 < starts.count ? starts[k + 1] : data.upperBound) }
  }
}

extension HistoryReader {
  /// `readParsed(into:bad:)` with the file after its header read on up to `threads` threads in
  /// byte ranges of at least `minimumRangeBytes`, one sink each (`makeSink(k)` for range k,
  /// called on the calling thread). Returns the counts of the whole read and the sinks of the
  /// ranges that were used, in file order: the first has the rows of the first range, each
  /// next one the rows after the previous one's, and together they have every valid row once.
  /// `bad` receives every rejected row in file order, on the calling thread; `--strict` stops at
  /// the first bad row of the file, as one read does.
  ///
  /// A source that cannot be read by range (a pipe), a header not within `RangedRead.headerBytes`
  /// or a short file is read on one thread into `makeSink(0)`.
  func readParsed<Sink: ParsedRowSink>(threads: Int, minimumRangeBytes: Int = RangedRead.minimumRangeBytes,
                                       makeSink: (Int) throws -> Sink, bad: (BadRow) throws -> Void) throws -> (counts: ReadCounts, sinks: [Sink]) {
    guard threads > 1, let size = source.rangeReadableSize else {
      var sink = try makeSink(0)
      let counts = try readParsed(into: &sink, bad: bad)
      return (counts, [sink])
    }
    return try withoutActuallyEscaping(bad) { bad in
      let first = RangeRead(reading: RecordReader.Reading(source: source, format: options.format,
                                                          handler: RowItems(reader: self, sink: try makeSink(0), bad: bad)))
      defer { first.reading.deallocate() }
      // The header (and, in JSON Lines, the first row) on this thread: it decides how every
      // range is read.
      let header = try readHeader(into: first, size: size)
      var ranges = [first]
      defer { for range in ranges.dropFirst() { range.reading.deallocate() } }
      let data = header.end..<size
      let count = min(threads, Int(max(1, (data.upperBound - data.lowerBound) / Int64(max(1, minimumRangeBytes)))))
      guard header.complete, !first.reading.stopped, count > 1 else {
        if !first.reading.stopped { try first.read(source, data, firstLine: header.nextLine, last: true) }
        return try finished([first])
      }
      let bounds = try RangedRead.cut(source, data: data, count: count)
      for k in 1..<bounds.count {
        ranges.append(RangeRead(reading: first.reading.startingAnotherRange(handler: first.reading.handler.forAnotherRange(sink: try makeSink(k)))))
      }
      // Each range's first line: the line ends before it counted first, a range a thread.
      let lineEnds = Slots<Int64>(count: bounds.count)
      let source = self.source
      try RangedRead.onThreadsThrowing(bounds.count - 1) { k in
        lineEnds.store(k, try source.countLineEnds(in: bounds[k], blockSize: RangedRead.blockBytes))
      }
      var lines = [header.nextLine]
      for k in 0..<(bounds.count - 1) {
        guard let ends = lineEnds.take(k) else { throw SimulationInputError("\(source.name): cannot count its lines") }
        lines.append(lines[k] + ends)
      }
      let firstLines = lines
      let stop = RangeStop()
      let readRange = UncheckedBody { k in
        ranges[k].readAlone(source, bounds[k], firstLine: firstLines[k], index: k, last: k == bounds.count - 1, stop: stop)
      }
      RangedRead.onThreads(bounds.count) { k in readRange.call(k) }
      // Taken in file order: a range is used only if the one before it ended between records and
      // it read to its end; otherwise the last used range's read carries on over the rest.
      var used = [first]
      for k in 1..<bounds.count {
        let previous = used.last!
        // A failure or a `--strict` stop: `finished` throws it, and no later range counts.
        if previous.failure != nil || previous.reading.stopped { break }
        let range = ranges[k]
        guard previous.reading.endsBetweenRecords, !range.reading.handler.gaveUp else {
          try previous.read(source, bounds[k].lowerBound..<size, firstLine: firstLines[k], last: true)
          return try finished(used)
        }
        for held in range.reading.handler.heldRejects ?? [] { try bad(held) }
        // Should its read be carried on, its later rejected rows go straight to `bad`.
        range.reading.handler.heldRejects = nil
        used.append(range)
      }
      return try finished(used)
    }
  }

  /// Reads the header of the file (in JSON Lines, its first row) into `first`, from the file's
  /// first `RangedRead.headerBytes`: where the lines after it start and the number of the first
  /// of them; `complete` is false when the header did not end within them (or the read stopped),
  /// and `end` is then where the lines read so far end.
  private func readHeader<Sink>(into first: RangeRead<Sink>, size: Int64) throws -> (complete: Bool, end: Int64, nextLine: Int64) {
    let limit = min(size, Int64(RangedRead.headerBytes))
    var result = (complete: false, end: Int64(0), nextLine: Int64(1))
    try source.forEachBlock(in: 0..<limit, blockSize: Int(limit)) { block, _ in
      var lines = HeaderLines(reading: first.reading, block: block)
      var carry: [UInt8] = []
      var line: Int64 = 0
      do {
        _ = try LineStream.scan(block, carry: &carry, line: &line, final: limit == size, into: &lines)
      } catch {
        first.reading = lines.reading
        throw error
      }
      first.reading = lines.reading
      result = (lines.complete, Int64(lines.end), lines.lastLine + 1)
      return false
    }
    return result
  }

  /// The counts of the ranges used and their sinks, or the error that stopped the read.
  private func finished<Sink>(_ used: [RangeRead<Sink>]) throws -> (counts: ReadCounts, sinks: [Sink]) {
    var counts = ReadCounts()
    for range in used {
      if let failure = range.failure { throw failure }
      if let stopError = range.reading.handler.stopError { throw stopError }
      counts.read += range.reading.handler.counts.read
      counts.rejected += range.reading.handler.counts.rejected
      counts.sawHeader = counts.sawHeader || range.reading.handler.counts.sawHeader
    }
    return (counts, used.map(\.reading.handler.sink))
  }
}

/// One range's read: its state, and the error that ended it.
final class RangeRead<Sink: ParsedRowSink> {
  var reading: RecordReader.Reading<HistoryReader.RowItems<Sink>>
  /// An error thrown while reading (a sink that could not write, `bad` on the calling thread).
  var failure: Error?

  init(reading: RecordReader.Reading<HistoryReader.RowItems<Sink>>) { self.reading = reading }

  /// Reads the lines of `range` on; `last` finishes the file (a quoted field still open).
  func read(_ source: InputSource, _ range: Range<Int64>, firstLine: Int64, last: Bool) throws {
    guard try source.forEachLine(in: range, firstLine: firstLine, blockSize: RangedRead.blockBytes, into: &reading), last else { return }
    try reading.finishInput()
  }

  /// Reads `range` on its own thread, stopping early once a range before it has stopped (its
  /// own result is then not used); tells the others when it stops.
  func readAlone(_ source: InputSource, _ range: Range<Int64>, firstLine: Int64, index: Int, last: Bool, stop: RangeStop) {
    var lines = StoppableLines(reading: reading, stop: stop, index: index)
    do {
      let finished = try source.forEachLine(in: range, firstLine: firstLine, blockSize: RangedRead.blockBytes, into: &lines)
      reading = lines.reading
      if finished, last { try reading.finishInput() }
    } catch {
      reading = lines.reading
      failure = error
    }
    if reading.stopped || failure != nil { stop.stopped(index) }
  }
}

/// The lowest range whose read stopped (a `--strict` error, too many rejected rows, a failure):
/// the ranges after it are not used, and stop early.
final class RangeStop: Sendable {
  private let first = Atomic<Int>(Int.max)

  func stopped(_ index: Int) {
    var current = first.load(ordering: .relaxed)
    while index < current {
      let (exchanged, original) = first.compareExchange(expected: current, desired: index, ordering: .relaxed)
      if exchanged { return }
      current = original
    }
  }

  func stopsRange(_ index: Int) -> Bool { first.load(ordering: .relaxed) < index }
}

/// The reading of each range, lent to the threads that read them: each thread reads only its
/// own range (its `RangeRead`), and the calling thread touches none until they are all done.
private final class UncheckedBody: @unchecked Sendable {
  private let body: (Int) -> Void

  init(_ body: @escaping (Int) -> Void) { self.body = body }

  func call(_ index: Int) { body(index) }
}

/// A range's lines, stopped when a range before it has stopped.
private struct StoppableLines<Sink: ParsedRowSink>: LineSink {
  var reading: RecordReader.Reading<HistoryReader.RowItems<Sink>>
  let stop: RangeStop
  let index: Int

  mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, number: Int64) throws -> Bool {
    if stop.stopsRange(index) { return false }
    return try reading.line(bytes, number: number)
  }
}

/// The file's first lines, up to the end of its first record, and where they end in `block`.
private struct HeaderLines<Sink: ParsedRowSink>: LineSink {
  var reading: RecordReader.Reading<HistoryReader.RowItems<Sink>>
  let block: UnsafeBufferPointer<UInt8>
  var complete = false
  /// Where the lines handed over so far end, line end included, and the number of the last.
  var end = 0
  var lastLine: Int64 = 0

  mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, number: Int64) throws -> Bool {
    let keepGoing = try reading.line(bytes, number: number)
    lastLine = number
    if let base = block.baseAddress, let start = bytes.baseAddress, start >= base, start <= base + block.count {
      end = base.distance(to: start) + bytes.count
      if end < block.count, block[end] == 13 { end += 1 }
      if end < block.count, block[end] == 10 { end += 1 }
    } else {
      // The file's last line, without a line end, handed over from the stream's own copy.
      end = block.count
    }
    guard keepGoing else { return false }
    if reading.readFirstRecord {
      complete = true
      return false
    }
    return true
  }
}

extension RangedRead {
  /// Runs `body(k)` for k in 0..<count, k = 0 on the calling thread and each other on a thread
  /// of its own, and returns when all are done.
  static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    guard count > 0 else { return }
    let group = DispatchGroup()
    let work = HeldBody(body)
    for k in 1..<count {
      group.enter()
      let thread = Thread {
        work.body?(k)
        group.leave()
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
    body(0)
    group.wait()
    work.drop()
  }

  /// The body the threads run, let go once they are done: a finished `Thread` keeps its block
  /// until it is torn down, which may be after `onThreads` returns, and the body holds the
  /// ranges' reads (and through them the caller's `bad`, which must not outlive the read).
  private final class HeldBody: Sendable {
    private let held: Mutex<(@Sendable (Int) -> Void)?>

    init(_ body: @escaping @Sendable (Int) -> Void) { held = Mutex(body) }

    var body: (@Sendable (Int) -> Void)? { held.withLock { $0 } }

    func drop() { held.withLock { $0 = nil } }
  }

  /// `onThreads(_:_:)` of a body that throws: rethrows the error of the lowest k that threw.
  static func onThreadsThrowing(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
    let errors = Slots<ErrorBox>(count: max(1, count))
    onThreads(count) { k in
      do { try body(k) } catch { errors.store(k, ErrorBox(error: error)) }
    }
    for k in 0..<count { if let box = errors.take(k) { throw box.error } }
  }

  /// An error handed from a thread to the calling one (it is not used on both at once).
  private struct ErrorBox: @unchecked Sendable { let error: Error }
}
