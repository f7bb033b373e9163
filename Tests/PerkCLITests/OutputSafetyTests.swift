import Foundation
import PerkTestSupport
import Testing

/// Every output of `perk` against what a user's path may be: a link, a device node, a FIFO,
/// a missing directory, a full disk, standard output or a closed pipe. The nodes, links and
/// file systems are the tests' own, in temporary directories.
@Suite final class OutputSafetyTests {
  static let root = PerkExecutable.repositoryRoot()
  /// A short simulation (the built-in history takes seconds in a debug build).
  static let sim = ["sim", "rules/cafe.perk", "--history", "Tests/SimulatorFixtures/small.csv", "--threads", "1"]
  let scratch: ScratchDirectory

  init() throws { scratch = try ScratchDirectory("perk-out") }

  func perk(_ arguments: [String], stdin: String = "", standardOutput: PerkExecutable.StandardOutput = .captured) throws -> PerkExecutable.Result {
    try PerkExecutable.run(arguments: arguments, stdin: stdin, currentDirectory: Self.root, standardOutput: standardOutput)
  }

  /// A character device node of the test's own (1,3 is a null device, 1,7 a full one), or
  /// nil, recorded as a skip, when this user may not make device nodes.
  func deviceNode(_ name: String, minor: UInt32) -> String? {
    // makedev(1, minor) for small numbers on Linux (makedev() is a C macro).
    guard mknod(scratch.path(name), S_IFCHR | 0o666, dev_t(1 << 8 | minor)) == 0 else {
      Issue.record("skipped: mknod is not permitted for this user, so no test device node can be made")
      return nil
    }
    return scratch.path(name)
  }

  /// A tiny tmpfs mounted on `name` and filled to its last page (a disk that is full), or nil,
  /// recorded as a skip, when mounting is not permitted. `before` writes files first.
  func fullFileSystem(_ name: String, before: (String) throws -> Void = { _ in }) throws -> String? {
    let mountPoint = scratch.path(name)
    try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: false)
    let mounted = "size=32k".withCString { mount("tmpfs", mountPoint, "tmpfs", 0, $0) } == 0
    guard mounted else {
      Issue.record("skipped: mounting a small tmpfs is not permitted for this user, so no full disk can be made")
      return nil
    }
    try before(mountPoint)
    let filler = open(mountPoint + "/filler", O_WRONLY | O_CREAT, 0o600)
    let page = [UInt8](repeating: 0x2E, count: 4096)
    while page.withUnsafeBytes({ write(filler, $0.baseAddress, $0.count) }) > 0 {}
    close(filler)
    return mountPoint
  }

  func unmount(_ mountPoint: String?) {
    if let mountPoint { umount2(mountPoint, Int32(MNT_DETACH)) }
  }

  // MARK: - Item 6: nothing is destroyed

  @Test func outToADeviceNodeWritesThroughIt() throws {
    guard let null = deviceNode("null", minor: 3) else { return }
    let sim = try perk(Self.sim + ["--out", null])
    #expect(sim.exitCode == 0)
    let gen = try perk(["gen", "--customers", "3", "--out", null])
    #expect(gen.exitCode == 0)
    #expect(gen.stderr == "perk gen: 123 rows written to \(null)\n")
    let eval = try perk(["eval", "rules/cafe.perk", "--event", "rules/examples/cafe-purchase.json", "--out-state", null])
    #expect(eval.exitCode == 0)
    #expect(scratch.type("null") == S_IFCHR)
    #expect(scratch.listing() == ["null"])
  }

  @Test func outThroughALinkReplacesTheFileItNamesAndKeepsTheLink() throws {
    try "old\n".write(toFile: scratch.path("real.txt"), atomically: false, encoding: .utf8)
    chmod(scratch.path("real.txt"), 0o640)
    symlink("real.txt", scratch.path("report.txt"))
    let result = try perk(Self.sim + ["--format", "csv", "--out", scratch.path("report.txt")])
    #expect(result.exitCode == 0)
    #expect(scratch.type("report.txt") == S_IFLNK)
    #expect(scratch.read("real.txt")?.hasPrefix("month,") == true)
    let attributes = try FileManager.default.attributesOfItem(atPath: scratch.path("real.txt"))
    #expect((attributes[.posixPermissions] as? Int) == 0o640)
    #expect(scratch.listing() == ["real.txt", "report.txt"])
  }

  @Test func genOutToAFIFOWritesThroughIt() throws {
    #expect(mkfifo(scratch.path("fifo"), 0o600) == 0)
    let fifo = scratch.path("fifo")
    let reader = FIFOReader(fifo)
    let result = try perk(["gen", "--customers", "3", "--out", fifo])
    #expect(result.exitCode == 0)
    let got = reader.text()
    #expect(got?.hasPrefix("customer,txn,time,sku,category,qty,unit_price,type,orig_txn\n") == true)
    #expect(got?.split(separator: "\n").count == 124)
    #expect(scratch.type("fifo") == S_IFIFO)
  }

  @Test func dashIsStandardOutputForEveryOutput() throws {
    let gen = try perk(["gen", "--customers", "2", "--out", "-"])
    #expect(gen.stdout.hasPrefix("customer,txn,"))
    #expect(gen.stderr == "")
    let eval = try perk(["eval", "rules/cafe.perk", "--event", "rules/examples/cafe-purchase.json", "--out-state", "-"])
    #expect(eval.exitCode == 0)
    // The outcome, then the new state: both on standard output, no file named `-`.
    #expect(eval.stdout.hasPrefix("{\n  \"awards\""))
    #expect(eval.stdout.contains("\n}\n\n{\n  \"balances\" : {"))
    #expect(eval.stdout.hasSuffix("  \"version\" : 2\n}\n"))
    #expect(!FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("-").path))
    let sim = try perk(Self.sim + ["--format", "csv", "--out", "-", "--trace", "-"])
    #expect(sim.stdout.hasPrefix("{\"awards\":"))
    #expect(sim.stdout.contains("\nmonth,"))
  }

  @Test func replSaveThroughALinkKeepsTheLink() throws {
    symlink("saved.perk", scratch.path("session.perk"))
    let result = try perk(["repl", "rules/cafe.perk", "--at", "2026-11-03T10:00"], stdin: ":save \(scratch.path("session.perk"))\n")
    #expect(result.exitCode == 0)
    #expect(scratch.type("session.perk") == S_IFLNK)
    #expect(scratch.read("saved.perk")?.contains("test repl session\n") == true)
  }

  // MARK: - Item 6: the location is checked before a long run

  @Test func simChecksItsOutputsBeforeSimulating() throws {
    for option in ["--out", "--trace"] {
      let result = try perk(Self.sim + [option, scratch.path("missing/report.txt")])
      #expect(result.exitCode == 1)
      // The error comes first: no throughput line, the simulation never ran.
      #expect(result.stderr == "error: cannot write \(scratch.path("missing/report.txt")): No such file or directory\n")
    }
    let directoryTarget = try perk(Self.sim + ["--out", scratch.root])
    #expect(directoryTarget.stderr == "error: cannot write \(scratch.root): Is a directory\n")
  }

  // MARK: - Item 7: a failed write is an error, never a trap

  @Test func standardOutputOnAFullDeviceIsAnError() throws {
    guard let full = deviceNode("full", minor: 7) else { return }
    for arguments in [["check", "--format", "json", "rules/cafe.perk"], ["gen", "--customers", "3"], Self.sim,
                      ["eval", "rules/cafe.perk", "--event", "rules/examples/cafe-purchase.json"], ["demo"], ["test", "rules/cafe.perk"], ["--version"]] {
      let result = try perk(arguments, standardOutput: .path(full))
      #expect(result.exitCode == 1, "\(arguments)")
      #expect(result.signal == nil, "\(arguments)")
      #expect(result.stderr.hasSuffix("error: cannot write standard output: No space left on device\n"), "\(arguments)")
    }
    let repl = try perk(["repl", "rules/cafe.perk"], stdin: "buy 1 latte @ 4.50 coffee\n", standardOutput: .path(full))
    #expect(repl.exitCode == 1)
    #expect(repl.stderr == "error: cannot write standard output: No space left on device\n")
  }

  @Test func outToAFullDeviceIsAnError() throws {
    guard let full = deviceNode("full", minor: 7) else { return }
    for arguments in [["gen", "--customers", "3", "--out", full], Self.sim + ["--out", full],
                      Self.sim + ["--trace", full],
                      ["eval", "rules/cafe.perk", "--event", "rules/examples/cafe-purchase.json", "--out-state", full]] {
      let result = try perk(arguments)
      #expect(result.exitCode == 1, "\(arguments)")
      #expect(result.stderr.hasSuffix("error: cannot write \(full): No space left on device\n"), "\(arguments)")
    }
    let repl = try perk(["repl", "rules/cafe.perk"], stdin: ":save \(full)\n")
    #expect(repl.exitCode == 1)
    #expect(repl.stdout.contains("error: cannot write `\(full)`: No space left on device\n"))
    #expect(scratch.type("full") == S_IFCHR)
  }

  @Test func aFullDiskLeavesTheOldStateWholeAndNoPartialFile() throws {
    _ = try perk(["eval", "rules/cafe.perk", "--event", "rules/examples/cafe-purchase.json", "--out-state", scratch.path("first.json")])
    let oldState = try #require(scratch.read("first.json"))
    let disk = try fullFileSystem("disk") { try oldState.write(toFile: $0 + "/state.json", atomically: false, encoding: .utf8) }
    defer { unmount(disk) }
    guard let disk else { return }
    let eval = try perk(["eval", "rules/cafe.perk", "--event", "rules/examples/cafe-purchase.json", "--state", disk + "/state.json",
                         "--out-state", disk + "/state.json"])
    #expect(eval.exitCode == 1)
    #expect(eval.stderr == "error: cannot write \(disk)/state.json: No space left on device\n")
    #expect(scratch.read("disk/state.json") == oldState)
    let gen = try perk(["gen", "--customers", "50", "--out", disk + "/history.csv"])
    #expect(gen.exitCode == 1)
    #expect(gen.stderr == "error: cannot write \(disk)/history.csv: No space left on device\n")
    #expect(scratch.listing("disk") == ["filler", "state.json"])
  }

  @Test func aStrictRunThatStopsLeavesNoTraceOrReport() throws {
    try "customer,txn,time,sku,category,qty,unit_price\nc1,t1,2026-01-01T10:00,latte,coffee,1,4.50\nc1,t2,bad,latte,coffee,1,4.50\n"
      .write(toFile: scratch.path("bad.csv"), atomically: false, encoding: .utf8)
    try "the previous report\n".write(toFile: scratch.path("report.txt"), atomically: false, encoding: .utf8)
    let result = try perk(["sim", "rules/cafe.perk", "--strict", "--history", scratch.path("bad.csv"), "--trace", scratch.path("trace.jsonl"),
                           "--out", scratch.path("report.txt")])
    #expect(result.exitCode == 1)
    #expect(result.stderr.hasPrefix("error: \(scratch.path("bad.csv")):3: time `bad`"))
    #expect(scratch.listing() == ["bad.csv", "report.txt"])
    #expect(scratch.read("report.txt") == "the previous report\n")
  }

  @Test func aClosedPipeEndsTheCommandQuietly() throws {
    for arguments in [["gen", "--customers", "20000"], Self.sim + ["--trace", "-"], ["check", "--format", "json", "rules/cafe.perk"]] {
      let result = try perk(arguments, standardOutput: .closedPipe)
      // As `cat` ends: by SIGPIPE, with nothing on standard error.
      #expect(result.signal == SIGPIPE, "\(arguments)")
      #expect(result.stderr == "", "\(arguments)")
    }
    // The trace written to a file is committed before the report meets the closed pipe; no temporary file is left.
    let sim = try perk(Self.sim + ["--trace", scratch.path("trace.jsonl")], standardOutput: .closedPipe)
    #expect(sim.signal == SIGPIPE)
    #expect(scratch.listing() == ["trace.jsonl"])
  }
}

/// Standard input that cannot be read (a directory) is an error, not a trap in `FileHandle`.
@Test func unreadableStandardInputIsAnError() throws {
  let process = Process()
  process.executableURL = PerkExecutable.url
  process.arguments = ["check", "-"]
  process.standardInput = FileHandle(forReadingAtPath: FileManager.default.temporaryDirectory.path)
  let error = Pipe()
  process.standardError = error
  try process.run()
  let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  let (status, bySignal) = process.waitForExit()
  #expect(!bySignal)
  #expect(status == 1)
  #expect(message == "error: <stdin>: cannot read: Is a directory\n")
}
