import Perk
import PerkSource
import PerkSyntax

/// An open document: its text, what the compiler says about it, and the names it declares.
struct Document {
  /// A name a declaration introduces: a points currency, tier, stamp card, rule, reward or rebate.
  struct Symbol {
    var name: String
    /// `rule`, `tier`, `points currency`, …
    var kind: String
    /// Where the name is written in its declaration.
    var nameRange: SourceRange
  }

  let uri: String
  let file: SourceFile
  let compilation: Compilation
  let symbols: [Symbol]
  /// Per rule, where each of its effect clauses starts, in source order (the order lowering
  /// gives the effects).
  let effectOffsets: [String: [Int]]

  init(uri: String, text: String) {
    self.uri = uri
    file = SourceFile(id: 0, path: Document.path(of: uri), text: text)
    compilation = compile([file])
    var diagnostics = Diagnostics()
    let syntax = PerkParser.parse(file, diagnostics: &diagnostics)
    symbols = Document.symbols(of: syntax)
    var effects: [String: [Int]] = [:]
    for case .rule(let rule) in syntax.declarations {
      effects[rule.name.text] = rule.clauses.compactMap { clause in
        guard case .effect(let effect) = clause else { return nil }
        switch effect {
        case .earn(_, _, _, let range), .multiply(_, _, let range), .voucher(_, _, _, let range), .reward(_, let range),
          .earnForReferrer(_, _, _, _, _, let range), .message(_, _, _, let range):
          return range.start
        case .price(let price):
          return price.range.start
        }
      }
    }
    effectOffsets = effects
  }

  /// Which effect of which rule is written on the line holding `offset`, if any.
  func effect(at offset: Int) -> (rule: String, index: Int)? {
    let line = file.line(containing: offset)
    for (rule, offsets) in effectOffsets {
      if let index = offsets.firstIndex(where: { file.line(containing: $0) == line }) { return (rule, index) }
    }
    return nil
  }

  /// `file:///a/b.perk` → `/a/b.perk` (percent escapes decoded), shown in diagnostics' paths.
  static func path(of uri: String) -> String {
    guard uri.hasPrefix("file://") else { return uri }
    return String(uri.dropFirst("file://".count)).removingPercentEncoding ?? uri
  }

  private static func symbols(of syntax: SourceFileSyntax) -> [Symbol] {
    var symbols: [Symbol] = []
    for declaration in syntax.declarations {
      switch declaration {
      case .points(let d): symbols.append(Symbol(name: d.name.text, kind: "points currency", nameRange: d.name.range))
      case .stamps(let d): symbols.append(Symbol(name: d.name.text, kind: "stamp card", nameRange: d.name.range))
      case .rule(let d): symbols.append(Symbol(name: d.name.text, kind: "rule", nameRange: d.name.range))
      case .reward(let d): symbols.append(Symbol(name: d.name.text, kind: "reward", nameRange: d.name.range))
      case .rebate(let d): symbols.append(Symbol(name: d.name.text, kind: "rebate", nameRange: d.name.range))
      case .tiers(let d):
        for clause in d.clauses {
          if case .level(let level) = clause {
            symbols.append(Symbol(name: level.name.text, kind: "tier", nameRange: level.name.range))
          }
        }
      case .program, .test, .invalid: break
      }
    }
    return symbols
  }

  // MARK: - Positions

  /// The byte offset of an LSP position (0-based line, UTF-16 column), clamped to the text.
  func offset(line: Int, character: Int) -> Int { Document.offset(in: file, line: line, character: character) }

  /// The byte offset of an LSP position in `file`, clamped to the text.
  static func offset(in file: SourceFile, line: Int, character: Int) -> Int {
    guard line >= 0 else { return 0 }
    guard line < file.lineStarts.count else { return file.bytes.count }
    let start = file.lineStarts[line]
    var end = start
    while end < file.bytes.count, file.bytes[end] != UInt8(ascii: "\n") { end += 1 }
    var units = 0
    var offset = start
    // A column inside a surrogate pair means the character it is part of.
    for scalar in String(decoding: file.bytes[start..<end], as: UTF8.self).unicodeScalars {
      if units + scalar.utf16.count > character { break }
      units += scalar.utf16.count
      offset += scalar.utf8.count
    }
    return min(offset, end)
  }

  /// The LSP position (0-based line, UTF-16 column) of a byte offset.
  func position(of offset: Int) -> (line: Int, character: Int) {
    let offset = max(0, min(offset, file.bytes.count))
    let line = file.line(containing: offset) - 1
    let start = file.lineStarts[max(0, line)]
    return (max(0, line), String(decoding: file.bytes[start..<offset], as: UTF8.self).utf16.count)
  }

  /// An LSP range.
  func range(_ range: SourceRange) -> [String: Any] {
    let start = position(of: range.start)
    let end = position(of: max(range.start, range.end))
    return [
      "start": ["line": start.line, "character": start.character],
      "end": ["line": end.line, "character": end.character],
    ]
  }

  // MARK: - Names

  /// The declared name written at `offset` (the longest when names overlap), and where it is.
  func symbol(at offset: Int) -> (symbol: Symbol, range: SourceRange)? {
    let line = file.line(containing: offset) - 1
    let start = file.lineStarts[max(0, line)]
    var end = start
    while end < file.bytes.count, file.bytes[end] != UInt8(ascii: "\n") { end += 1 }
    let bytes = Array(file.bytes[start..<end])
    var best: (symbol: Symbol, range: SourceRange)?
    for symbol in symbols {
      let name = Array(symbol.name.utf8)
      guard !name.isEmpty, name.count <= bytes.count else { continue }
      for i in 0...(bytes.count - name.count) where Array(bytes[i..<i + name.count]) == name {
        let before = i == 0 || !Document.isWordByte(bytes[i - 1])
        let after = i + name.count == bytes.count || !Document.isWordByte(bytes[i + name.count])
        guard before, after, start + i <= offset, offset <= start + i + name.count else { continue }
        if best == nil || name.count > best!.symbol.name.utf8.count {
          best = (symbol, SourceRange(file: 0, start: start + i, end: start + i + name.count))
        }
      }
    }
    return best
  }

  private static func isWordByte(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
      || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte >= 0x80
  }

  // MARK: - Declarations

  /// The 0-based line of the declaration that holds `offset`'s line (the nearest line above
  /// it that starts at column 1 with code), if any.
  func declarationLine(containing offset: Int) -> Int? {
    var line = file.line(containing: offset) - 1
    while line >= 0 {
      let text = file.lineText(line + 1)
      if let first = text.first, first != " ", first != "\t", first != "#" { return line }
      line -= 1
    }
    return nil
  }

  /// The text of the declaration starting on 0-based `line`: its first line and the indented
  /// lines under it, without trailing blank lines.
  func declarationText(startingAt line: Int) -> String {
    var lines = [file.lineText(line + 1)]
    var next = line + 1
    while next < file.lineStarts.count {
      let text = file.lineText(next + 1)
      if let first = text.first, first != " ", first != "\t" { break }
      lines.append(text)
      next += 1
    }
    while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
    return lines.joined(separator: "\n")
  }
}
