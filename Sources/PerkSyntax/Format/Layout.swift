/// The canonical layout of a file's lines (docs/fmt.md): a declaration at column 1, its clauses
/// indented two spaces and the bracket lines under a rebate's `retroactive` four; one blank
/// line between declarations (one-line declarations of one kind written together stay
/// together), at most one inside a declaration; tier and bracket tables aligned in columns;
/// comments on their own lines at the indentation of the code they precede.
struct Layout {
  let lines: [FormatLine]

  /// How deep each line is indented, in steps of two spaces, and which declaration it is in.
  private struct Placement {
    var level = 0
    var declaration: Int?
  }

  func render() -> String {
    let placements = place()
    let rows = alignedRows(placements)
    var output = ""
    var previous: Int?
    for (i, line) in lines.enumerated() where !line.isBlank {
      let placement = placements[i]
      if let previous, blankBefore(i, previous: previous, placements) { output += "\n" }
      var text = rows[i] ?? (line.isCode ? line.code : "")
      if let comment = line.comment { text += text.isEmpty ? comment : "  " + comment }
      output += String(repeating: "  ", count: placement.level) + text + "\n"
      previous = i
    }
    return output
  }

  // MARK: - Indentation

  /// Levels: 0 for a declaration line, 1 for a clause, 2 for a bracket line of a rebate (the
  /// parser reads any indentation as a clause, so a deeper line elsewhere is a clause written
  /// sloppily). A comment takes the level of the code line after it when that is in a
  /// declaration, else stays at 0 (or, if indented, under the line before it).
  private func place() -> [Placement] {
    var placements = Array(repeating: Placement(), count: lines.count)
    var declaration: Int?
    for (i, line) in lines.enumerated() where line.isCode {
      if line.indentation == 0 {
        declaration = i
        placements[i] = Placement(level: 0, declaration: i)
      } else {
        let isBracket = declaration.map { lines[$0].firstKeyword == .rebate } == true && bracketCells(line) != nil
        placements[i] = Placement(level: isBracket ? 2 : 1, declaration: declaration)
      }
    }
    // The code line before each line, found in one pass (a scan per comment would be quadratic).
    var previousCode = [Int?](repeating: nil, count: lines.count)
    var last: Int?
    for i in lines.indices {
      previousCode[i] = last
      if lines[i].isCode { last = i }
    }
    var next: Placement?
    for i in lines.indices.reversed() {
      let line = lines[i]
      if line.isCode {
        next = placements[i]
      } else if line.comment != nil {
        if let next, next.level > 0 {
          placements[i] = next
        } else if line.indentation > 0, let before = previousCode[i], placements[before].level > 0 {
          placements[i] = placements[before]
        } else {
          placements[i] = Placement()
        }
      }
    }
    return placements
  }

  // MARK: - Blank lines

  private func blankBefore(_ i: Int, previous: Int, _ placements: [Placement]) -> Bool {
    let wasBlank = lines[previous + 1..<i].contains { $0.isBlank }
    let here = placements[i]
    let before = placements[previous]
    if here.level == 0 {
      // A declaration (or the comments heading one) after a declaration's lines.
      let previousInDeclaration = before.level > 0 || lines[previous].isCode
      // One-line declarations of one kind written together stay together (a list of rewards).
      if !wasBlank, before.level == 0, lines[previous].isCode, lines[i].isCode,
        let keyword = lines[i].firstKeyword, lines[previous].firstKeyword == keyword
      {
        return false
      }
      return previousInDeclaration || wasBlank
    }
    // No blank between a declaration line and its first clause.
    if before.level == 0, lines[previous].isCode { return false }
    return wasBlank
  }

  // MARK: - Tables

  /// The tier lines of a `tiers` declaration and the bracket lines of a `rebate`, laid out in
  /// aligned columns; nil for every other line.
  private func alignedRows(_ placements: [Placement]) -> [String?] {
    var rows = [String?](repeating: nil, count: lines.count)
    var groups: [Int: [(line: Int, cells: [String])]] = [:]
    var gapsByDeclaration: [Int: [Int]] = [:]
    for (i, line) in lines.enumerated() where line.isCode && placements[i].level > 0 {
      guard let declaration = placements[i].declaration, let keyword = lines[declaration].firstKeyword else { continue }
      let table: (ranges: [Range<Int>], gaps: [Int])?
      switch keyword {
      case .tiers: table = tierCells(line).map { ($0, [2, 4]) }
      case .rebate: table = bracketCells(line).map { ($0, [1, 4]) }
      default: table = nil
      }
      guard let table else { continue }
      let cells = table.ranges.compactMap { line.canonical($0) }
      guard cells.count == table.ranges.count else { continue }
      groups[declaration, default: []].append((i, cells))
      gapsByDeclaration[declaration] = table.gaps
    }
    for (declaration, group) in groups {
      let gaps = gapsByDeclaration[declaration] ?? []
      var widths: [Int] = []
      for row in group {
        for (column, cell) in row.cells.enumerated() {
          if column == widths.count { widths.append(0) }
          widths[column] = max(widths[column], cell.count)
        }
      }
      for row in group {
        var text = ""
        for (column, cell) in row.cells.enumerated() {
          if column > 0 {
            let gap = column - 1 < gaps.count ? gaps[column - 1] : 1
            text += String(repeating: " ", count: widths[column - 1] - row.cells[column - 1].count + gap)
          }
          text += cell
        }
        if lines[row.line].relexes(text, as: lines[row.line].tokens) { rows[row.line] = text }
      }
    }
    return rows
  }

  /// `gold from $500 or 5 visits earn x1.5`: the name, the threshold, the multiplier.
  private func tierCells(_ line: FormatLine) -> [Range<Int>]? {
    guard line.tokens.first?.kind == .word, line.firstKeyword != .keep, line.firstKeyword != .review else { return nil }
    guard let from = line.tokens.indices.first(where: { $0 > 0 && isWord(line.tokens[$0], .from) }) else { return nil }
    if let earn = line.tokens.indices.first(where: { $0 > from + 1 && isWord(line.tokens[$0], .earn) }) {
      return [0..<from, from..<earn, earn..<line.tokens.count]
    }
    return [0..<from, from..<line.tokens.count]
  }

  /// `below €10,000 0%`: the word, the amount, the rate.
  private func bracketCells(_ line: FormatLine) -> [Range<Int>]? {
    guard line.firstKeyword == .below || line.firstKeyword == .from, line.tokens.count >= 3 else { return nil }
    return [0..<1, 1..<2, 2..<line.tokens.count]
  }

  private func isWord(_ token: Token, _ keyword: Keyword) -> Bool {
    token.kind == .word && token.text.lowercased() == keyword.rawValue
  }
}
