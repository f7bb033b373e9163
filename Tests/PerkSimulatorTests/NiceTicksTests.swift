import Testing
@testable import PerkSimulator

@Suite struct NiceTicksTests {
  @Test func roundStepsOverAPositiveRange() {
    #expect(NiceTicks.ticks(low: 0, high: 1000) == [0, 200, 400, 600, 800, 1000])
    #expect(NiceTicks.ticks(low: 0, high: 1234) == [0, 500, 1000, 1500])
    #expect(NiceTicks.ticks(low: 0, high: 196_168) == [0, 50_000, 100_000, 150_000, 200_000])
    // A range not starting at zero still starts at zero: bars grow from it.
    #expect(NiceTicks.ticks(low: 900, high: 1000) == [0, 200, 400, 600, 800, 1000])
  }

  @Test func aZeroRangeGivesTwoTicks() {
    #expect(NiceTicks.ticks(low: 0, high: 0) == [0, 1])
    #expect(NiceTicks.ticks(low: 500, high: 500) == [0, 100, 200, 300, 400, 500])
    #expect(NiceTicks.ticks(low: -7, high: -7) == [-8, -6, -4, -2, 0])
  }

  @Test func negativeValuesTakeTicksBelowZero() {
    #expect(NiceTicks.ticks(low: -300, high: 700) == [-500, 0, 500, 1000])
    #expect(NiceTicks.ticks(low: -1000, high: -10) == [-1000, -800, -600, -400, -200, 0])
    #expect(NiceTicks.ticks(low: -1, high: 1) == [-1, 0, 1])
  }

  @Test func tinyRangesStepByWholeUnits() {
    #expect(NiceTicks.ticks(low: 0, high: 1) == [0, 1])
    #expect(NiceTicks.ticks(low: 0, high: 3) == [0, 1, 2, 3])
    #expect(NiceTicks.ticks(low: 0, high: 7) == [0, 2, 4, 6, 8])
  }

  @Test func hugeRangesClampInsteadOfOverflowing() {
    let step: Int64 = 2_000_000_000_000_000_000
    #expect(NiceTicks.ticks(low: 0, high: .max) == [0, step, 2 * step, 3 * step, 4 * step, .max])
    let five: Int64 = 5_000_000_000_000_000_000
    #expect(NiceTicks.ticks(low: .min, high: .max) == [.min, -five, 0, five, .max])
  }

  @Test func seededRangesAlwaysGetOneTwoFiveStepsCoveringTheData() {
    var random = SplitMix64(seed: 18_007)
    for _ in 0..<2000 {
      let magnitude = Int64(1) << Int64(random.below(40))
      let a = Int64(random.below(UInt64(magnitude))) - magnitude / 3
      let b = Int64(random.below(UInt64(magnitude))) - magnitude / 3
      let ticks = NiceTicks.ticks(low: min(a, b), high: max(a, b))
      #expect(ticks.count >= 2 && ticks.count <= 6, "\(a)…\(b): \(ticks)")
      #expect(ticks.first! <= min(a, b, 0) && ticks.last! >= max(a, b, 0), "\(a)…\(b): \(ticks)")
      #expect(ticks.contains(0), "\(a)…\(b): \(ticks)")
      let step = ticks[1] - ticks[0]
      #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $1 - $0 == step }, "\(a)…\(b): \(ticks)")
      var mantissa = step
      while mantissa % 10 == 0 { mantissa /= 10 }
      #expect([1, 2, 5].contains(mantissa), "\(a)…\(b): step \(step)")
    }
  }
}
