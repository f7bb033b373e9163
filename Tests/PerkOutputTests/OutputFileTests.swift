import Foundation
import Testing
import PerkTestSupport
@testable import PerkOutput

/// `OutputFile` against temporary files, links, FIFOs and device nodes made by the tests
/// (never the machine's own `/dev/null` or `/dev/full`).
@Suite final class OutputFileTests {
  let scratch: ScratchDirectory

  init() throws { scratch = try ScratchDirectory("perk-output") }

  /// A device node of the test's own, or nil (with the reason) when this user may not make one.
  func deviceNode(_ name: String, major: UInt32, minor: UInt32) -> String? {
    let node = scratch.path(name)
    // makedev() is a C macro; this is its value for small numbers on Linux.
    return mknod(node, S_IFCHR | 0o666, dev_t(major << 8 | minor)) == 0 ? node : nil
  }

  @Test func aNewFileIsCreatedWithTheUsualPermissions() throws {
    try OutputFile.write("report\n", to: scratch.path("new.txt"))
    #expect(scratch.read("new.txt") == "report\n")
    #expect(scratch.listing() == ["new.txt"])
    let mask = umask(0)
    umask(mask)
    let attributes = try FileManager.default.attributesOfItem(atPath: scratch.path("new.txt"))
    #expect((attributes[.posixPermissions] as? Int) == 0o666 & ~Int(mask))
  }

  @Test func aRegularFileIsReplacedWholeAndKeepsItsPermissions() throws {
    _ = FileManager.default.createFile(atPath: scratch.path("report.txt"), contents: Data("old report, longer than the new one\n".utf8))
    chmod(scratch.path("report.txt"), 0o640)
    try OutputFile.write("new\n", to: scratch.path("report.txt"))
    #expect(scratch.read("report.txt") == "new\n")
    let attributes = try FileManager.default.attributesOfItem(atPath: scratch.path("report.txt"))
    #expect((attributes[.posixPermissions] as? Int) == 0o640)
    #expect(scratch.listing() == ["report.txt"])
  }

  @Test func aSymbolicLinkIsKeptAndTheFileItNamesReplaced() throws {
    try "old\n".write(toFile: scratch.path("real.txt"), atomically: false, encoding: .utf8)
    try FileManager.default.createDirectory(atPath: scratch.path("links"), withIntermediateDirectories: false)
    // A relative link to a relative link: each is read from its own directory.
    symlink("../real.txt", scratch.path("links/first"))
    symlink("first", scratch.path("links/second"))
    try OutputFile.write("new\n", to: scratch.path("links/second"))
    #expect(scratch.type("links/second") == S_IFLNK)
    #expect(scratch.type("links/first") == S_IFLNK)
    #expect(scratch.type("real.txt") == S_IFREG)
    #expect(scratch.read("real.txt") == "new\n")
    #expect(scratch.listing() == ["links", "real.txt"])
  }

  @Test func aDanglingLinkCreatesTheFileItNames() throws {
    symlink("made.txt", scratch.path("link"))
    try OutputFile.write("x\n", to: scratch.path("link"))
    #expect(scratch.type("link") == S_IFLNK)
    #expect(scratch.read("made.txt") == "x\n")
  }

  @Test func aLinkLoopIsAnError() {
    symlink("b", scratch.path("a"))
    symlink("a", scratch.path("b"))
    #expect(throws: OutputError(path: scratch.path("a"), code: ELOOP)) { try OutputFile.write("x", to: scratch.path("a")) }
  }

  @Test func aFIFOIsWrittenThroughNotReplaced() throws {
    #expect(mkfifo(scratch.path("fifo"), 0o600) == 0)
    let fifo = scratch.path("fifo")
    let reader = FIFOReader(fifo)
    try OutputFile.write("through the pipe\n", to: fifo)
    #expect(reader.text() == "through the pipe\n")
    #expect(scratch.type("fifo") == S_IFIFO)
    #expect(scratch.listing() == ["fifo"])
  }

  @Test func aDeviceIsWrittenThroughNotReplaced() throws {
    guard let null = deviceNode("null", major: 1, minor: 3) else {
      Issue.record("skipped: mknod is not permitted for this user, so no test device node can be made")
      return
    }
    try OutputFile.write("gone\n", to: null)
    #expect(scratch.type("null") == S_IFCHR)
    #expect(scratch.listing() == ["null"])
  }

  @Test func aFullDeviceIsAnErrorNamingThePathAndTheReason() throws {
    guard let full = deviceNode("full", major: 1, minor: 7) else {
      Issue.record("skipped: mknod is not permitted for this user, so no test device node can be made")
      return
    }
    let error = #expect(throws: OutputError.self) { try OutputFile.write("report\n", to: full) }
    #expect(error?.code == ENOSPC)
    #expect(error?.description == "cannot write \(full): No space left on device")
    #expect(scratch.type("full") == S_IFCHR)
  }

  @Test func aDirectoryOrAMissingDirectoryIsAnError() {
    #expect(throws: OutputError(path: scratch.root, code: EISDIR)) { try OutputFile.open(scratch.root) }
    let missing = scratch.path("no/such/dir/report.txt")
    let error = #expect(throws: OutputError.self) { try OutputFile.open(missing) }
    #expect(error?.description == "cannot write \(missing): No such file or directory")
  }

  @Test func anOutputNotCommittedLeavesTheTargetAndNoTemporaryFile() throws {
    try "old\n".write(toFile: scratch.path("state.json"), atomically: false, encoding: .utf8)
    do {
      let file = try OutputFile.open(scratch.path("state.json"))
      try file.write(String(repeating: "x", count: 200_000))
      #expect(scratch.listing().count == 2)  // the temporary file beside the target
    }
    #expect(scratch.read("state.json") == "old\n")
    #expect(scratch.listing() == ["state.json"])
    let discarded = try OutputFile.open(scratch.path("other.json"))
    try discarded.write("half")
    discarded.discard()
    #expect(scratch.listing() == ["state.json"])
  }

  @Test func theProcessStreamsAreNamedByTheirUsualPaths() {
    #expect(OutputFile.inheritedDescriptor("-") == 1)
    #expect(OutputFile.inheritedDescriptor("/dev/stdout") == 1)
    #expect(OutputFile.inheritedDescriptor("/dev/stderr") == 2)
    #expect(OutputFile.inheritedDescriptor("/dev/fd/7") == 7)
    #expect(OutputFile.inheritedDescriptor("/proc/self/fd/3") == 3)
    #expect(OutputFile.inheritedDescriptor("/dev/null") == nil)
    #expect(OutputFile.inheritedDescriptor("-x") == nil)
  }

  @Test func aClosedStandardStreamIsAnError() {
    #expect(throws: OutputError(path: "/dev/fd/987", code: EBADF)) { try OutputFile.open("/dev/fd/987") }
  }
}

extension OutputFileTests {
  /// A link to `/dev/stdout` is the process's standard output, not the file a shell opened for it.
  @Test func aLinkToStandardOutputIsTheDescriptor() throws {
    symlink("/dev/stdout", scratch.path("out"))
    symlink("out", scratch.path("again"))
    #expect(try OutputFile.resolvingLinks(scratch.path("again")) == .descriptor(1))
    #expect(try OutputFile.resolvingLinks(scratch.path("missing")) == .path(scratch.path("missing")))
    #expect(try OutputFile.open(scratch.path("again")).isStandardStream)
  }
}
