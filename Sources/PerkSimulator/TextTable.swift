/// An aligned plain-text table: first column left-aligned, the others right-aligned (numbers).
struct TextTable {
  var header: [String]
  var rows: [[String]] = []
  var indent = "  "

  init(_ header: [String]) { self.header = header }

  mutating func add(_ row: [String]) { rows.append(row) }

  func rendered() -> String {
    let all = [header] + rows
    let columns = all.map(\.count).max() ?? 0
    var widths = Array(repeating: 0, count: columns)
    for row in all { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    var out = ""
    for (r, row) in all.enumerated() {
      var line = indent
      for (i, cell) in row.enumerated() {
        let pad = String(repeating: " ", count: widths[i] - cell.count)
        if i > 0 { line += "  " }
        line += i == 0 ? cell + pad : pad + cell
      }
      while line.hasSuffix(" ") { line.removeLast() }
      out += line + "\n"
      if r == 0, !header.isEmpty {
        out += indent + widths.enumerated().map { String(repeating: "-", count: $0.element) }.joined(separator: "  ") + "\n"
      }
    }
    return out
  }
}
