import PerkCompiler
import PerkRuntime
import PerkSource

/// The result of compiling a set of `.perk` files: every diagnostic, sorted by position.
///
/// Compilation never throws and never traps on a user's mistake: problems are diagnostics.
public struct Compilation: Sendable {
  /// The files compiled, in the order given; a diagnostic's `range.file` indexes this array.
  public let files: [SourceFile]
  /// Every error and warning, sorted by file and position, exact duplicates removed.
  public let diagnostics: [Diagnostic]
  /// The executable program; nil when any diagnostic is an error.
  public let program: Program?
  /// Whether any diagnostic is an error.
  public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

  /// The location of a diagnostic's primary range, for printing `path:line:column`.
  public func location(of diagnostic: Diagnostic) -> SourceLocation? {
    guard files.indices.contains(diagnostic.range.file) else { return nil }
    return files[diagnostic.range.file].location(of: diagnostic.range.start)
  }
}

/// Compiles files that form one program: lexes, parses and checks all of them, reporting
/// every problem in one run.
///
/// Each file's `id` must be its index in `files`, as ranges refer to files by id. With `asOf`,
/// a rule whose dates all lie before that day is reported as unable to fire (W0117).
public func compile(_ files: [SourceFile], asOf: LocalDate? = nil) -> Compilation {
  var diagnostics = Diagnostics()
  let checked = checkSources(files, asOf: asOf, diagnostics: &diagnostics)
  // Lowering only runs on an error-free program, so it never sees a half-resolved name.
  let program = diagnostics.hasErrors ? nil : buildProgram(checked, files: files)
  return Compilation(files: files, diagnostics: diagnostics.sorted(), program: program)
}

/// Compiles a single program text, such as one typed into a REPL or read from standard input.
public func compile(source: String, path: String = "<input>") -> Compilation {
  compile([SourceFile(id: 0, path: path, text: source)])
}
