/// A set of basket line indexes: the first 64 lines are kept inline, so the usual basket
/// costs no allocation (an array of flags per rule was one, plus a type lookup, per event).
struct LineSet {
  private var low: UInt64 = 0
  /// Lines 64 and up, 64 per word.
  private var high: [UInt64] = []

  /// No lines.
  static let none = LineSet()

  var isEmpty: Bool { low == 0 && high.allSatisfy { $0 == 0 } }

  func contains(_ line: Int) -> Bool {
    if line < 64 { return low & (1 << UInt64(line)) != 0 }
    let word = (line >> 6) - 1
    return word < high.count && high[word] & (1 << UInt64(line & 63)) != 0
  }

  mutating func insert(_ line: Int) {
    if line < 64 {
      low |= 1 << UInt64(line)
      return
    }
    let word = (line >> 6) - 1
    if word >= high.count { high += Array(repeating: 0, count: word - high.count + 1) }
    high[word] |= 1 << UInt64(line & 63)
  }
}
