import PerkSource

/// `perk fmt`: the one canonical layout of a Perk file (docs/fmt.md).
///
/// The formatter works on the lexer's tokens line by line, not on the syntax tree, so it has no
/// rule to miss: a construct it knows nothing about (a clause added to the language after it)
/// keeps every token, only its spacing and indentation change. Each line it lays out is lexed
/// again and compared with the original tokens; a line whose tokens would change is kept as
/// written (re-indented). Comments stay on their lines; only lexical errors stop it, since an
/// invalid token has no canonical spelling (parse errors do not: the layout is in the lines).
package enum Formatter {
  /// The formatted text, or why the file was left alone.
  package static func format(_ file: SourceFile) -> Result<String, FormatFailure> {
    var diagnostics = Diagnostics()
    let tokens = Lexer.tokenize(file, into: &diagnostics)
    if diagnostics.hasErrors { return .failure(.lexicalErrors(diagnostics.sorted())) }
    let lines = FormatLine.split(file, tokens: tokens)
    let text = Layout(lines: lines).render()
    // What the parser reads must not change: the tokens, the line breaks, and which lines
    // start at column 1 (the only indentation the parser looks at).
    var again = Diagnostics()
    guard sameLayoutForTheParser(tokens, Lexer.tokenize(SourceFile(path: file.path, text: text), into: &again)) else {
      return .failure(.wouldChangeTokens)
    }
    return .success(text)
  }

  static func sameLayoutForTheParser(_ a: [Token], _ b: [Token]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in
      x.kind == y.kind && FormatLine.spelling(x) == FormatLine.spelling(y) && x.isAtStartOfLine == y.isAtStartOfLine
        && (x.indentation == 0) == (y.indentation == 0)
    }
  }
}

/// Why a file was not formatted.
package enum FormatFailure: Error, Sendable {
  /// The lexer's errors, sorted: an invalid token has no canonical spelling.
  case lexicalErrors([Diagnostic])
  /// The layout would have changed what the parser reads (a bug in the formatter; the file is
  /// left as it is).
  case wouldChangeTokens
}

extension Formatter {
  /// The syntax tree of `file` as `perk fmt` compares it: the parser's dump without source
  /// ranges, so two layouts of the same program are equal.
  package static func syntaxWithoutPositions(_ file: SourceFile) -> String {
    var diagnostics = Diagnostics()
    let syntax = PerkParser.parse(file, diagnostics: &diagnostics)
    return dump(syntax, source: file).split(separator: "\n", omittingEmptySubsequences: false)
      .filter { line in
        let words = line.drop { $0 == " " }.split(separator: " ").map(String.init)
        let value = words.last ?? ""
        // A range is printed `12:3-12:9`, or as its fields when it is an enum's payload.
        let isRangeField = words.count == 2 && ["file:", "start:", "end:"].contains(words[0]) && Int(value) != nil
        return !(value == "<no range>" || isRange(value) || isRangeField)
      }
      .joined(separator: "\n")
  }

  /// `12:3-12:9`.
  private static func isRange(_ text: String) -> Bool {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    return parts.count == 2 && parts.allSatisfy { part in
      let numbers = part.split(separator: ":", omittingEmptySubsequences: false)
      return numbers.count == 2 && numbers.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }
  }
}
