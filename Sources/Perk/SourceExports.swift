import PerkSource

// Re-exports of the source and diagnostic model, so a point-of-sale app needs only `import Perk`.

/// A `.perk` source text with its line table; see ``PerkSource/SourceFile``.
public typealias SourceFile = PerkSource.SourceFile
/// A byte range in one source file; see ``PerkSource/SourceRange``.
public typealias SourceRange = PerkSource.SourceRange
/// A path, line and column for people; see ``PerkSource/SourceLocation``.
public typealias SourceLocation = PerkSource.SourceLocation
/// A problem found in a program, with ranges, labels and help; see ``PerkSource/Diagnostic``.
public typealias Diagnostic = PerkSource.Diagnostic
/// The stable code of a diagnostic, such as `E0301`; see ``PerkSource/DiagnosticCode``.
public typealias DiagnosticCode = PerkSource.DiagnosticCode
/// Error, warning or note; see ``PerkSource/Severity``.
public typealias Severity = PerkSource.Severity
