import PerkOutput
import PerkScenarios
import PerkSource
import PerkSyntax

/// `perk fmt FILE|DIR... [--check]`: rewrites Perk files in the canonical layout (docs/fmt.md).
enum FmtCommand {
  static let help = """
    perk fmt — lay out Perk files in the one canonical layout

    USAGE:
      perk fmt FILE|DIR... [--check]

    Rewrites each file (a directory: every .perk file under it) in place, only if its layout
    changes: declarations at column 1, clauses
    indented two spaces, one space between words, tier and rebate bracket tables aligned, one
    blank line between declarations; comments stay where they were. A file is replaced whole
    or not at all. Use `-` to read standard input and write the result to standard output.
    A file with lexical errors (a bad character, an unclosed string) is reported and left as
    it is; syntax errors do not stop the formatter (`perk check` reports them).

    OPTIONS:
      --check   Write nothing; list the files that would change and exit 1 if there are any
      --color always|never|auto

    EXIT STATUS:
      0 formatted (or, with --check, every file already is), 1 a file would change with --check,
        a file has lexical errors or cannot be written, 2 usage error

    """

  /// Files up to this many lines also have their syntax trees compared before they are written.
  static let treeCheckLineLimit = 3000

  static func wouldChangeProgram(_ shown: String, console: Console) -> String {
    "\(console.style.error("error")): \(shown): not formatted: the layout would change the program (a bug in `perk fmt`)\n"
  }

  static func run(_ args: inout ArgumentList, console: inout Console) throws -> Int32 {
    let check = args.takeFlag("--check")
    let paths = try args.takePositionals(knownFlags: ["--check", "--color"])
    guard !paths.isEmpty else { throw UsageError.missingArgument("a Perk file to format") }
    var status: Int32 = 0
    // A path that cannot be read is reported and the others are still formatted.
    var files: [String] = []
    for path in paths {
      do {
        files += path == "-" ? ["-"] : try ScenarioFiles.paths(under: path)
      } catch {
        console.err("\(console.style.error("error")): \(error)\n")
        status = 1
      }
    }
    for path in files {
      let shown = path == "-" ? "<stdin>" : path
      let file: SourceFile
      do {
        file = SourceFile(path: shown, bytes: Array(try InputFiles.read(path, console: console)))
      } catch let error as UserInputError {
        console.err("\(console.style.error("error")): \(error.description)\n")
        status = 1
        continue
      }
      switch Formatter.format(file) {
      case .failure(.lexicalErrors(let diagnostics)):
        console.err(DiagnosticRenderer(files: [file], colors: console.colors).render(diagnostics))
        console.err("\(console.style.error("error")): \(shown): not formatted: it has lexical errors\n")
        status = 1
      case .failure(.wouldChangeTokens):
        console.err(Self.wouldChangeProgram(shown, console: console))
        status = 1
      case .success(let text):
        let changed = Array(text.utf8) != file.bytes
        // The layout never changes what a file says; if it ever did, the file is left alone. The
        // formatter compares tokens itself; the tree is compared too where that is quick (the
        // dump is slow on files of thousands of lines).
        if changed, file.lineStarts.count <= Self.treeCheckLineLimit,
          Formatter.syntaxWithoutPositions(file) != Formatter.syntaxWithoutPositions(SourceFile(path: shown, text: text))
        {
          console.err(Self.wouldChangeProgram(shown, console: console))
          status = 1
          continue
        }
        if check {
          if changed {
            console.err("\(shown): not formatted (run `perk fmt \(path)`)\n")
            status = 1
          }
        } else if path == "-" {
          try console.out(text)
        } else if changed {
          do {
            try OutputFile.write(text, to: path)
          } catch {
            console.err("\(console.style.error("error")): \(error)\n")
            status = 1
          }
        }
      }
    }
    return status
  }
}
