/// SplitMix64: a small, fast, integer-only pseudo-random generator (Steele, Lea, Flood 2014).
///
/// The simulator and the generator need the same numbers on every machine and in every
/// thread order, so randomness is always an explicit seeded value, never a global source.
package struct SplitMix64: RandomNumberGenerator, Sendable {
  package var state: UInt64

  package init(seed: UInt64) { state = seed }

  package mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform integer in `0..<bound` (multiply-high: no modulo bias worth measuring, no division).
  package mutating func below(_ bound: UInt64) -> UInt64 {
    guard bound > 1 else { return 0 }
    return next().multipliedFullWidth(by: bound).high
  }

  /// True with probability `numerator / denominator`, exactly in integers.
  package mutating func chance(_ numerator: UInt64, in denominator: UInt64) -> Bool {
    below(denominator) < numerator
  }
}

/// FNV-1a over bytes: a stable hash (Swift's `Hasher` is seeded per process, so it cannot
/// decide which shard or partition a customer belongs to).
package enum StableHash {
  package static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01B3
    }
    return hash
  }

  package static func of(_ text: String) -> UInt64 { fnv1a(text.utf8) }

  /// A second, independent mix of the same hash (SplitMix finaliser), so shards and
  /// partitions do not pick the same bits.
  package static func mix(_ value: UInt64) -> UInt64 {
    var generator = SplitMix64(seed: value)
    return generator.next()
  }
}
