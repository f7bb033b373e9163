import Foundation
import Perk
import PerkRuntime
import PerkSource
import PerkCompiler
import PerkOutput
import PerkSyntax

/// A `perk repl` session: the program (a loaded file plus declarations typed at the prompt),
/// the customers and their accounts, the clock, the history of events with undo, and the
/// last outcome.
///
/// Pure and terminal-free: ``handle(_:)`` takes one complete input (a command, an event, an
/// expression, or a whole declaration) and returns the text to print. The terminal and
/// piped drivers only read lines and print.
package struct Session {
  /// How the session reads and writes files (`:load`, `:reload`, `:save`); tests substitute their own.
  package struct FileAccess: Sendable {
    package var read: @Sendable (String) -> String?
    /// Writes a whole file; throws `OutputError` when it cannot.
    package var write: @Sendable (String, String) throws -> Void
    package init(read: @escaping @Sendable (String) -> String?, write: @escaping @Sendable (String, String) throws -> Void) {
      self.read = read
      self.write = write
    }
    /// The real file system; files are written as every output of `perk` is (``OutputFile``).
    package static let disk = FileAccess(
      read: { path in FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } },
      write: { path, text in try OutputFile.write(text, to: path) })
  }

  package var style: ReplStyle
  let files: FileAccess
  /// The file given to `perk repl FILE` or `:load`, and its text as last read.
  var loadedPath: String?
  var loadedText: String?
  /// Declarations typed at the prompt, in order; each compiles as its own `<input N>` file.
  var typed: [String] = []
  /// The compiled program; nil until the sources form an error-free program.
  var program: Program?
  /// The files `program` was compiled from (diagnostic and award locations index them).
  var sources: [SourceFile] = []
  var world: World
  var history: [HistoryEntry] = []
  /// The last checked expression scope and the sources it was built from (a class, so the
  /// cache can fill from non-mutating lookups; keyed by the sources, so copies stay right).
  let scopeCache = ScopeCache()
  /// The clock at the start, for `:reset`.
  var startClock: Instant
  /// Whether any input failed: piped sessions exit with 1 then, so scripts notice.
  package internal(set) var hadError = false
  /// Set by `:quit`.
  package internal(set) var finished = false

  /// A session with no program, its clock at `clock`.
  package init(style: ReplStyle, clock: Instant, files: FileAccess = .disk) {
    self.style = style
    self.files = files
    self.startClock = clock
    self.world = World(clock: clock)
  }

  /// The program's time zone, or UTC before there is a program.
  var timeZone: ProgramTimeZone {
    program?.timeZone ?? ProgramTimeZone(identifier: "UTC")!
  }

  // MARK: - One input

  /// Handles one complete input and returns what to print (ending with a newline, or empty).
  package mutating func handle(_ input: String) -> String {
    let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return "" }
    do {
      if trimmed.hasPrefix(":") { return try command(trimmed) }
      if Self.startsDeclaration(input), !isExpression(trimmed) { return declare(input) }
      if let event = try EventNotation.parse(trimmed) { return try run(event, text: trimmed) }
      return try evaluateExpression(trimmed)
    } catch {
      hadError = true
      return error.render(line: trimmed, style: style)
    }
  }

  /// Records a failure that was reported as text (diagnostics) rather than thrown.
  mutating func failed(_ text: String) -> String {
    hadError = true
    return text
  }

  // MARK: - Declarations

  /// The declaration keywords, for completion (from the keyword table); what opens a
  /// declaration is decided by the parser (see ``startsDeclaration(_:)``).
  package static let declarationKeywords = Keyword.declarations.map(\.rawValue)

  /// Whether `line` starts a declaration: it is at column 1 and the parser reads it as the
  /// start of one (so keywords added to the language later open declarations too).
  package static func startsDeclaration(_ line: String) -> Bool {
    guard let first = line.first, first != " ", first != "\t", first != ":", first != "#" else { return false }
    let word = line.prefix { !$0.isWhitespace }.lowercased()
    if EventNotation.keywords.contains(word) { return false }
    var diagnostics = Diagnostics()
    let syntax = PerkParser.parse(SourceFile(path: "<input>", text: line), diagnostics: &diagnostics)
    return !syntax.declarations.isEmpty
      && !diagnostics.all.contains { $0.code == .unknownDeclaration || $0.code == .unexpectedIndentation }
  }

  /// Whether a line that could start a declaration is rather a valid expression: with a
  /// points currency named `points`, `points balance` is a question, not a declaration.
  package func isExpression(_ line: String) -> Bool {
    guard program != nil, !line.contains("\n") else { return false }
    return expressionScope().compile(line).probe != nil
  }

  /// The program's names for expressions, checked once per version of the sources.
  func expressionScope() -> ExpressionScope {
    if let cached = scopeCache.scope, cached.sources == sources { return cached.scope }
    let scope = ExpressionScope(program: sources)
    scopeCache.scope = (sources, scope)
    return scope
  }

  /// Whether a typed line opens a declaration that continues on the next lines.
  package func opensDeclaration(_ line: String) -> Bool {
    Self.startsDeclaration(line) && !isExpression(line.trimmingCharacters(in: .whitespaces))
  }

  /// The source files for the loaded text plus `typed` declarations.
  func sourceFiles(typed: [String]) -> [SourceFile] {
    var result: [SourceFile] = []
    if let loadedPath, let loadedText { result.append(SourceFile(id: 0, path: loadedPath, text: loadedText)) }
    for (index, text) in typed.enumerated() {
      result.append(SourceFile(id: result.count, path: "<input \(index + 1)>", text: text.hasSuffix("\n") ? text : text + "\n"))
    }
    return result
  }

  /// Adds a typed declaration to the program if the program still compiles; otherwise shows
  /// the diagnostics and leaves everything as it was.
  mutating func declare(_ text: String) -> String {
    let candidate = typed + [text]
    let files = sourceFiles(typed: candidate)
    let compilation = compile(files)
    let newFile = files.count - 1
    let errors = compilation.diagnostics.filter { $0.severity == .error }
    // Building a program at the prompt: declarations may come before `program`.
    let onlyMissingProgram = !errors.isEmpty && errors.allSatisfy { $0.code == .missingProgram }
    guard errors.isEmpty || onlyMissingProgram else {
      let own = errors.filter { $0.range.file == newFile }
      return failed(render(own.isEmpty ? errors : own, files: files))
    }
    typed = candidate
    sources = files
    let kind = text.prefix { !$0.isWhitespace }.lowercased()
    let name = Self.declarationName(text)
    var out = ""
    let warnings = compilation.diagnostics.filter { $0.severity == .warning && $0.range.file == newFile }
    out += render(warnings, files: files)
    if let compiled = compilation.program {
      let first = program == nil
      program = compiled
      out += "added \(kind)\(name.map { " " + style.name($0) } ?? "")\n"
      if first { out += "program ready: \(programSummary())\n" }
    } else {
      out += "added \(kind)\(name.map { " " + style.name($0) } ?? ""); the program needs a `program` declaration before events run\n"
    }
    return out
  }

  /// The name on a declaration's first line (`rule double star tuesday` → `double star tuesday`).
  static func declarationName(_ text: String) -> String? {
    let first = text.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
    var words = first.split(separator: " ").dropFirst()
    if let costs = words.firstIndex(of: "costs") { words = words[..<costs] }
    let name = words.joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    return name.isEmpty ? nil : name
  }

  // MARK: - Loading

  /// Loads a program file, replacing the program and any typed declarations; customers are
  /// kept with new accounts, and the clock and history start over.
  package mutating func load(path: String) -> String {
    guard let text = files.read(path) else {
      return failed(InputProblem("cannot read `\(path)`").render(line: "", style: style))
    }
    let previous = (loadedPath, loadedText, typed, program, sources)
    loadedPath = path
    loadedText = text
    typed = []
    let compiled = recompile()
    guard compiled.ok else {
      // With no program yet, keep the file so `:reload` tries again once it is fixed.
      if previous.3 != nil { (loadedPath, loadedText, typed, program, sources) = previous }
      return failed(compiled.text + (previous.3 == nil ? "fix the file, then `:reload`\n" : "the previous program stays in use\n"))
    }
    resetWorld(keepClock: true)
    return compiled.text + "loaded \(path): \(programSummary())\n"
  }

  /// Compiles the loaded file and typed declarations; on errors keeps the previous program.
  mutating func recompile() -> (ok: Bool, text: String) {
    let files = sourceFiles(typed: typed)
    let compilation = compile(files)
    let renderer = DiagnosticRenderer(files: files, colors: style.enabled)
    guard let compiled = compilation.program else {
      var text = render(compilation.diagnostics, files: files)
      if let summary = renderer.summary(of: compilation.diagnostics) { text += summary + "\n" }
      return (false, text)
    }
    program = compiled
    sources = files
    let warnings = compilation.diagnostics.filter { $0.severity == .warning }
    return (true, render(warnings, files: files))
  }

  /// Diagnostics as `perk check` shows them, without the blank line between them, so they
  /// read like the REPL's other errors.
  func render(_ diagnostics: [Diagnostic], files: [SourceFile]) -> String {
    let renderer = DiagnosticRenderer(files: files, colors: style.enabled)
    return diagnostics.map { renderer.render($0) }.joined()
  }

  /// `program "…" (USD, America/New_York): 1 points currency, 3 tiers, 1 stamp card, 5 rules, 1 reward`.
  func programSummary() -> String {
    guard let program else { return "no program" }
    func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
    let parts = [
      count(program.points.count, "points currency", "points currencies"),
      count(program.tierNames.count, "tier", "tiers"),
      count(program.cards.count, "stamp card", "stamp cards"),
      count(program.rules.count, "rule", "rules"),
      count(program.rewards.count, "reward", "rewards"),
    ]
    return "\"\(program.name)\" (\(program.currency.code), \(program.timeZone.identifier)): " + parts.joined(separator: ", ")
  }

  /// Clears every event: customers keep their profiles with new accounts; the clock goes
  /// back to the start unless `keepClock`.
  mutating func resetWorld(keepClock: Bool) {
    var fresh = World(clock: keepClock ? world.clock : startClock)
    for name in world.order {
      guard var account = world.accounts[name] else { continue }
      account.state = AccountState()
      if let tier = account.startingTier { account.state = startingState(tier: tier, base: account.state, customer: account.customer) ?? account.state }
      fresh.accounts[name] = account
      fresh.order.append(name)
    }
    fresh.current = world.current
    world = fresh
    history = []
  }
}

extension Session {
  /// Sets the clock before anything happens (`perk repl --at`): `text` is `DATE`, `DATE HH:MM`
  /// or `DATETHH:MM`, read in the program's zone. Returns a problem for a malformed value.
  package mutating func setStart(_ text: String) -> String? {
    let parts = text.replacingOccurrences(of: "T", with: " ").split(separator: " ").map(String.init)
    guard (1...2).contains(parts.count), let date = LocalDate(iso: parts[0]) else {
      return "`\(text)` is not a date (write `2026-11-03` or `2026-11-03T09:30`)"
    }
    var minute = 12 * 60
    if parts.count == 2 {
      guard let m = Self.minutes(parts[1]) else { return "`\(parts[1])` is not a time (write `09:30`)" }
      minute = m
    }
    startClock = timeZone.instant(of: date, secondOfDay: Int64(minute) * 60)
    world.clock = startClock
    return nil
  }

  /// The prompt: the current customer's name, or `perk`.
  package var prompt: String { "\(world.current ?? "perk")> " }
}

/// See ``Session/expressionScope()``.
final class ScopeCache: @unchecked Sendable {
  var scope: (sources: [SourceFile], scope: ExpressionScope)?
}
