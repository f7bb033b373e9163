/// Output lines longer than the terminal, broken at spaces so the terminal never cuts a word:
/// each continuation is indented two columns past the line's own indentation. Colour escapes
/// take no columns. Lines that fit (tables, padded columns) are left exactly as they are; a
/// single word wider than the terminal stays whole.
package enum WordWrap {
  package static func wrap(_ text: String, width: Int) -> String {
    guard width > 0 else { return text }
    return text.split(separator: "\n", omittingEmptySubsequences: false)
      .map { wrapLine(Substring($0), width: width) }.joined(separator: "\n")
  }

  static func wrapLine(_ line: Substring, width: Int) -> String {
    guard columns(line) > width else { return String(line) }
    let indent = line.prefix { $0 == " " }.count
    let continuation = String(repeating: " ", count: min(indent + 2, width / 2))
    var lines: [String] = []
    var current = String(line.prefix(indent))
    var currentColumns = indent
    var hasWord = false
    // Words with the run of spaces before each (kept inside a line, dropped at a break).
    var rest = line.dropFirst(indent)
    while !rest.isEmpty {
      let spaces = rest.prefix { $0 == " " }
      rest = rest.dropFirst(spaces.count)
      let word = rest.prefix { $0 != " " }
      rest = rest.dropFirst(word.count)
      let wordColumns = columns(word)
      if hasWord, currentColumns + spaces.count + wordColumns > width {
        lines.append(current)
        current = continuation + word
        currentColumns = continuation.count + wordColumns
      } else {
        current += spaces + word
        currentColumns += spaces.count + wordColumns
      }
      if !word.isEmpty { hasWord = true }
    }
    lines.append(current)
    return lines.joined(separator: "\n")
  }

  /// Columns on screen: characters outside `ESC [ … letter` sequences.
  static func columns(_ text: Substring) -> Int {
    var count = 0
    var inEscape = false
    for character in text {
      if inEscape {
        if character.isLetter { inEscape = false }
      } else if character == "\u{1B}" {
        inEscape = true
      } else {
        count += 1
      }
    }
    return count
  }
}
