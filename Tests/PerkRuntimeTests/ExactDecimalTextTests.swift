import Testing

@testable import PerkRuntime

/// `ExactDecimal.description` writes numbers instead of editing a string (a till event writes
/// rates and multipliers into its explanations); it must give exactly the text the edits give.
@Suite struct ExactDecimalTextTests {
  @Test func writtenAsTheEditsWriteIt() {
    var significands: [Int64] = [0, 1, 2, 5, 9, 10, 15, 35, 99, 100, 120, 1_000, 1_005, 12_345, 100_000, 123_456_789,
                                 1_000_000_000_000_000_000, 999_999_999_999_999_999, .max, .max - 1, .min + 1, .min]
    var random = SystemRandomNumberGenerator()
    for _ in 0..<400 { significands.append(Int64.random(in: -2_000_000 ... 2_000_000, using: &random)) }
    for _ in 0..<100 { significands.append(Int64.random(in: .min ... .max, using: &random)) }
    significands += significands.map { $0 == .min ? .max : -$0 }
    var compared = 0
    for significand in significands {
      for scale in -3...21 {
        let decimal = ExactDecimal(significand: significand, scale: scale)
        #expect(decimal.description == decimal.editedDescription, "\(significand) × 10^-\(scale)")
        compared += 1
      }
    }
    #expect(compared == 26_100)
  }

  @Test func examples() {
    #expect(ExactDecimal(significand: 15, scale: 1).description == "1.5")
    #expect(ExactDecimal(significand: 2, scale: 0).description == "2")
    #expect(ExactDecimal(significand: 200, scale: 2).description == "2")
    #expect(ExactDecimal(significand: 35, scale: 3).description == "0.035")
    #expect(ExactDecimal(significand: -5, scale: 1).description == "-0.5")
    #expect(ExactDecimal(significand: 0, scale: 4).description == "0")
    #expect(ExactDecimal(significand: 1_050, scale: 2).description == "10.5")
    #expect(ExactDecimal(significand: .min, scale: 2).description == "-92233720368547758.08")
  }
}
