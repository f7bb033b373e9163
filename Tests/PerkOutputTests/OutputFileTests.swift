import Foundation
import Testing
import PerkTestSupport
@testable import PerkOutput

/// `OutputFile` against temporary files, links, FIFOs and device nodes made by the tests
/// (never the machine's own `/dev/null` or `/dev/full`).
@Suite final class OutputFileTests {
  let directory: String

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("perk-output-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: directory) }

  func path(_ name: String) -> String { directory + "/" + name }
  func read(_ name: String) -> String? { FileManager.default.contents(atPath: path(name)).map { String(decoding: $0, as: UTF8.self) } }
  func type(_ name: String) -> mode_t {
    var status = stat()
    return lstat(path(name), &status) == 0 ? status.st_mode & S_IFMT : 0
  }
  func listing() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted() }

  /// A device node of the test's own, or nil (with the reason) when this user may not make one.
  func deviceNode(_ name: String, major: UInt32, minor: UInt32) -> String? {
    let node = path(name)
    // makedev() is a C macro; this is its value for small numbers on Linux.
    return mknod(node, S_IFCHR | 0o666, dev_t(major << 8 | minor)) == 0 ? node : nil
  }

  @Test func aNewFileIsCreatedWithTheUsualPermissions() throws {
    try OutputFile.write("report\n", to: path("new.txt"))
    #expect(read("new.txt") == "report\n")
    #expect(listing() == ["new.txt"])
    let mask = umask(0)
    umask(mask)
    let attributes = try FileManager.default.attributesOfItem(atPath: path("new.txt"))
    #expect((attributes[.posixPermissions] as? Int) == 0o666 & ~Int(mask))
  }

  @Test func aRegularFileIsReplacedWholeAndKeepsItsPermissions() throws {
    _ = FileManager.default.createFile(atPath: path("report.txt"), contents: Data("old report, longer than the new one\n".utf8))
    chmod(path("report.txt"), 0o640)
    try OutputFile.write("new\n", to: path("report.txt"))
    #expect(read("report.txt") == "new\n")
    let attributes = try FileManager.default.attributesOfItem(atPath: path("report.txt"))
    #expect((attributes[.posixPermissions] as? Int) == 0o640)
    #expect(listing() == ["report.txt"])
  }

  @Test func aSymbolicLinkIsKeptAndTheFileItNamesReplaced() throws {
    try "old\n".write(toFile: path("real.txt"), atomically: false, encoding: .utf8)
    try FileManager.default.createDirectory(atPath: path("links"), withIntermediateDirectories: false)
    // A relative link to a relative link: each is read from its own directory.
    symlink("../real.txt", path("links/first"))
    symlink("first", path("links/second"))
    try OutputFile.write("new\n", to: path("links/second"))
    #expect(type("links/second") == S_IFLNK)
    #expect(type("links/first") == S_IFLNK)
    #expect(type("real.txt") == S_IFREG)
    #expect(read("real.txt") == "new\n")
    #expect(listing() == ["links", "real.txt"])
  }

  @Test func aDanglingLinkCreatesTheFileItNames() throws {
    symlink("made.txt", path("link"))
    try OutputFile.write("x\n", to: path("link"))
    #expect(type("link") == S_IFLNK)
    #expect(read("made.txt") == "x\n")
  }

  @Test func aLinkLoopIsAnError() {
    symlink("b", path("a"))
    symlink("a", path("b"))
    #expect(throws: OutputError(path: path("a"), code: ELOOP)) { try OutputFile.write("x", to: path("a")) }
  }

  @Test func aFIFOIsWrittenThroughNotReplaced() throws {
    #expect(mkfifo(path("fifo"), 0o600) == 0)
    let fifo = path("fifo")
    let reader = FIFOReader(fifo)
    try OutputFile.write("through the pipe\n", to: fifo)
    #expect(reader.text() == "through the pipe\n")
    #expect(type("fifo") == S_IFIFO)
    #expect(listing() == ["fifo"])
  }

  @Test func aDeviceIsWrittenThroughNotReplaced() throws {
    guard let null = deviceNode("null", major: 1, minor: 3) else {
      Issue.record("skipped: mknod is not permitted for this user, so no test device node can be made")
      return
    }
    try OutputFile.write("gone\n", to: null)
    #expect(type("null") == S_IFCHR)
    #expect(listing() == ["null"])
  }

  @Test func aFullDeviceIsAnErrorNamingThePathAndTheReason() throws {
    guard let full = deviceNode("full", major: 1, minor: 7) else {
      Issue.record("skipped: mknod is not permitted for this user, so no test device node can be made")
      return
    }
    let error = #expect(throws: OutputError.self) { try OutputFile.write("report\n", to: full) }
    #expect(error?.code == ENOSPC)
    #expect(error?.description == "cannot write \(full): No space left on device")
    #expect(type("full") == S_IFCHR)
  }

  @Test func aDirectoryOrAMissingDirectoryIsAnError() {
    #expect(throws: OutputError(path: directory, code: EISDIR)) { try OutputFile.open(directory) }
    let missing = path("no/such/dir/report.txt")
    let error = #expect(throws: OutputError.self) { try OutputFile.open(missing) }
    #expect(error?.description == "cannot write \(missing): No such file or directory")
  }

  @Test func anOutputNotCommittedLeavesTheTargetAndNoTemporaryFile() throws {
    try "old\n".write(toFile: path("state.json"), atomically: false, encoding: .utf8)
    do {
      let file = try OutputFile.open(path("state.json"))
      try file.write(String(repeating: "x", count: 200_000))
      #expect(listing().count == 2)  // the temporary file beside the target
    }
    #expect(read("state.json") == "old\n")
    #expect(listing() == ["state.json"])
    let discarded = try OutputFile.open(path("other.json"))
    try discarded.write("half")
    discarded.discard()
    #expect(listing() == ["state.json"])
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
    symlink("/dev/stdout", path("out"))
    symlink("out", path("again"))
    #expect(try OutputFile.resolvingLinks(path("again")) == .descriptor(1))
    #expect(try OutputFile.resolvingLinks(path("missing")) == .path(path("missing")))
    #expect(try OutputFile.open(path("again")).isStandardStream)
  }
}
