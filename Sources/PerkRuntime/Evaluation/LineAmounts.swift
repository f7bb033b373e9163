/// Points per basket line and currency during one evaluation, in one flat array (an array
/// per line cost an allocation per line on every purchase).
struct LineAmounts: Equatable {
  private(set) var lineCount = 0
  private var currencies = 0
  private var values: [Int64] = []

  init() {}

  init(lines: Int, currencies: Int) {
    reset(lines: lines, currencies: currencies)
  }

  /// All zeros for `lines` lines, keeping the storage already there.
  mutating func reset(lines: Int, currencies: Int) {
    lineCount = lines
    self.currencies = currencies
    values.removeAll(keepingCapacity: true)
    values.append(contentsOf: repeatElement(0, count: lines * currencies))
  }

  /// Amounts given line by line, each row by currency index.
  init(rows: [[Int64]]) {
    self.init(lines: rows.count, currencies: rows.first?.count ?? 0)
    for (line, row) in rows.enumerated() {
      for (currency, amount) in row.enumerated() { self[line, currency] = amount }
    }
  }

  subscript(line: Int, currency: Int) -> Int64 {
    get { values[line * currencies + currency] }
    set { values[line * currencies + currency] = newValue }
  }

  /// The points of one currency over all lines.
  func total(currency: Int) -> Int64 {
    var sum: Int64 = 0
    for line in 0..<lineCount { sum += self[line, currency] }
    return sum
  }
}
