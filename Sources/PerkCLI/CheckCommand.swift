import PerkRuntime
import PerkSource

/// `perk check FILE... [--format text|json] [--strict] [--together] [--as-of DATE]`.
enum CheckCommand {
  enum Format: String, CaseIterable { case text, json }

  static func run(_ args: inout ArgumentList, console: inout Console) throws -> Int32 {
    let formatName = try args.takeOption("--format") ?? "text"
    guard let format = Format(rawValue: formatName) else {
      throw UsageError.invalidValue(option: "--format", value: formatName, allowed: Format.allCases.map(\.rawValue))
    }
    let strict = args.takeFlag("--strict")
    let together = args.takeFlag("--together")
    // The day rules' dates are judged from (W0117); none by default, so a check does not change with the clock.
    let asOf = try args.takeOption("--as-of").map { text in
      guard let date = LocalDate(iso: text), date.isReadable else {
        throw UsageError.invalidValue(option: "--as-of", value: text, allowed: ["yyyy-MM-dd, a year from \(LocalDate.readableYears.lowerBound) to \(LocalDate.readableYears.upperBound)"])
      }
      return date
    }
    let paths = try args.takePositionals(knownFlags: ["--format", "--strict", "--together", "--as-of", "--color"])
    guard !paths.isEmpty else { throw UsageError.missingArgument("a Perk file to check") }

    let files = try InputFiles.sources(paths, console: console)
    // Each file is its own program (so `perk check rules/*.perk` checks every example),
    // unless `--together` says the files form one program, as `perk eval` reads them.
    let diagnostics: [Diagnostic]
    if together {
      diagnostics = Engine.check(files, asOf: asOf)
    } else {
      diagnostics = files.flatMap { file in
        Engine.check([SourceFile(id: 0, path: file.path, bytes: file.bytes)], asOf: asOf).map { d in
          var d = d
          d.range.file = d.range.isValid ? file.id : d.range.file
          d.labels = d.labels.map { label in
            var label = label
            if label.range.isValid { label.range.file = file.id }
            return label
          }
          return d
        }
      }
    }
    let renderer = DiagnosticRenderer(files: files, colors: console.colors)
    switch format {
    case .text:
      console.err(renderer.render(diagnostics))
      if let summary = renderer.summary(of: diagnostics) { console.err(summary + "\n") }
    case .json:
      try console.out(DiagnosticJSON.encode(diagnostics, files: files) + "\n")
      if let summary = DiagnosticRenderer(files: files, colors: false).summary(of: diagnostics) {
        console.err(summary + "\n")
      }
    }
    let errors = diagnostics.contains { $0.severity == .error }
    let warnings = diagnostics.contains { $0.severity == .warning }
    return errors || (strict && warnings) ? 1 : 0
  }
}
