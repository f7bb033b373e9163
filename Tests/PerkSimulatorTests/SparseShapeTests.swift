import PerkSimulator
import Testing

/// `perk gen --shape sparse`: occasional customers as in the CDNOW history (about 3 purchases
/// each over 18 months, most once or twice), the same bytes for the same seed.
@Test func theSparseShapeIsShapedLikeCDNOW() {
  let generator = HistoryGenerator(customers: 4_000, months: 18, seed: 3, shape: .sparse)
  let bytes = generator.bytes()
  #expect(bytes == generator.bytes())
  let rows = String(decoding: bytes, as: UTF8.self).split(separator: "\n").dropFirst()
  var purchases: [Substring: Set<Substring>] = [:]
  for row in rows where row.hasSuffix(",purchase,") {
    let fields = row.split(separator: ",", omittingEmptySubsequences: false)
    purchases[fields[0], default: []].insert(fields[1])
  }
  let counts = purchases.values.map(\.count)
  let mean = Double(counts.reduce(0, +)) / Double(counts.count)
  #expect(mean > 2 && mean < 4, "\(mean) purchases per customer")
  #expect(counts.filter { $0 <= 2 }.count * 2 > counts.count, "most customers buy once or twice")
  #expect(counts.contains { $0 >= 10 }, "a few regulars")
}
