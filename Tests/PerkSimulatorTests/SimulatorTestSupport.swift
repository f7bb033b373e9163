import Foundation
import Perk
import PerkTestSupport
@testable import PerkSimulator

enum Fixture {
  static let root = PerkExecutable.repositoryRoot()

  static let cafe = load("cafe")

  static func program(_ name: String = "cafe") -> Program { name == "cafe" ? cafe : load(name) }

  static func load(_ name: String) -> Program {
    let url = root.appendingPathComponent("rules/\(name).perk")
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    return compile(source: text, path: "rules/\(name).perk").program!
  }

  static func path(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../SimulatorFixtures/\(name)").path
  }

  static func bytes(_ text: String, name: String = "<test>") -> InputSource { .bytes(name: name, Array(text.utf8)) }

  /// Reads a history with the café program's currency and zone; returns rows and bad rows.
  static func read(_ source: InputSource, _ options: HistoryReadOptions = HistoryReadOptions()) throws -> ([HistoryRow], [BadRow], ReadCounts) {
    let program = Fixture.program()
    var rows: [HistoryRow] = []
    var bad: [BadRow] = []
    let reader = HistoryReader(source: source, options: options, currency: program.currency, zone: program.timeZone)
    let counts = try reader.read(row: { rows.append($0) }, bad: { bad.append($0) })
    return (rows, bad, counts)
  }

  static func simulate(_ source: InputSource, program: Program = Fixture.program(), policy: RedemptionPolicy = .none,
                       threads: Int = 1, partitions: Int? = nil, shard: (Int, Int) = (0, 1), trace: ((String) -> Void)? = nil,
                       read: HistoryReadOptions = HistoryReadOptions(), from: LocalDate? = nil, to: LocalDate? = nil,
                       customers: CustomerTable = CustomerTable(), readRangeBytes: Int? = nil,
                       rejects: ((BadRow) throws -> Void)? = nil) throws -> SimulationResult {
    var options = SimulationOptions()
    options.policy = policy
    options.threads = threads
    options.partitions = partitions
    options.shard = shard
    options.trace = trace != nil
    options.from = from
    options.to = to
    if let readRangeBytes { options.readRangeBytes = readRangeBytes }
    return try Simulator(program: program, options: options).run(history: source, read: read, customers: customers, traceSink: trace,
                                                                rejectSink: rejects)
  }

  static func date(_ text: String) -> LocalDate { LocalDate(iso: text)! }
}
