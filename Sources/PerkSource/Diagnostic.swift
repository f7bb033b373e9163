/// How serious a diagnostic is.
public enum Severity: String, Sendable, Codable, Comparable {
  /// The program cannot run.
  case error
  /// The program runs, but probably not as intended; fails `perk check --strict`.
  case warning
  /// Extra information attached to another diagnostic.
  case note

  private var rank: Int {
    switch self {
    case .error: return 0
    case .warning: return 1
    case .note: return 2
    }
  }

  /// Errors sort before warnings, warnings before notes.
  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A problem found in a Perk program, with everything needed to show it.
///
/// Messages are one lowercase phrase without a final period, with source text in
/// backticks; a suggestion goes into ``help``, never into the message.
public struct Diagnostic: Hashable, Sendable {
  /// A secondary range with its own short message ("`gold` declared here").
  public struct Label: Hashable, Sendable {
    /// The range the label points at.
    public var range: SourceRange
    /// What the label says.
    public var message: String

    /// Creates a label.
    public init(_ message: String, at range: SourceRange) {
      self.range = range
      self.message = message
    }
  }

  /// The stable code, such as `E0301`.
  public var code: DiagnosticCode
  /// Error, warning or note; defaults to the code's own severity.
  public var severity: Severity
  /// The plain-language message.
  public var message: String
  /// The exact text to underline.
  public var range: SourceRange
  /// A short text printed under the primary underline.
  public var primaryLabel: String?
  /// Secondary ranges with their messages.
  public var labels: [Label]
  /// Extra facts, printed as `= note: …`.
  public var notes: [String]
  /// How to fix it, printed as `= help: …` (did-you-mean suggestions go here).
  public var help: String?

  /// Creates a diagnostic whose severity is the code's own.
  public init(
    _ code: DiagnosticCode,
    _ message: String,
    at range: SourceRange,
    label: String? = nil,
    labels: [Label] = [],
    notes: [String] = [],
    help: String? = nil
  ) {
    self.code = code
    self.severity = code.severity
    self.message = message
    self.range = range
    self.primaryLabel = label
    self.labels = labels
    self.notes = notes
    self.help = help
  }
}

/// An ordered collection of diagnostics from every stage of one compilation.
///
/// Stages append; nothing throws. ``sorted()`` orders by position and drops exact
/// duplicates, as Go's `ErrorList.Sort` and `RemoveMultiples` do.
public struct Diagnostics: Sendable {
  /// Everything reported so far, in the order it was reported.
  public private(set) var all: [Diagnostic] = []
  /// Set after a fatal condition (such as nesting too deep) to drop later reports.
  public var suppressFurtherDiagnostics = false

  /// An empty collection.
  public init() {}

  /// Adds a diagnostic unless reports are suppressed.
  public mutating func append(_ diagnostic: Diagnostic) {
    guard !suppressFurtherDiagnostics else { return }
    all.append(diagnostic)
  }

  /// Adds several diagnostics.
  public mutating func append(contentsOf diagnostics: some Sequence<Diagnostic>) {
    for diagnostic in diagnostics { append(diagnostic) }
  }

  /// Whether any error was reported.
  public var hasErrors: Bool { all.contains { $0.severity == .error } }
  /// The number of errors.
  public var errorCount: Int { all.count { $0.severity == .error } }
  /// The number of warnings.
  public var warningCount: Int { all.count { $0.severity == .warning } }

  /// The diagnostics sorted by file, offset, severity and code, exact duplicates removed.
  ///
  /// - Complexity: O(n log n), so a file with a hundred thousand errors still ends quickly.
  public func sorted() -> [Diagnostic] {
    var result: [Diagnostic] = []
    let ordered = all.enumerated().sorted { a, b in
      let (x, y) = (a.element, b.element)
      if x.range.file != y.range.file { return x.range.file < y.range.file }
      if x.range.start != y.range.start { return x.range.start < y.range.start }
      if x.severity != y.severity { return x.severity < y.severity }
      if x.code != y.code { return x.code.rawValue < y.code.rawValue }
      return a.offset < b.offset
    }
    var seen = Set<Diagnostic>()
    for (_, diagnostic) in ordered where seen.insert(diagnostic).inserted {
      result.append(diagnostic)
    }
    return result
  }
}
