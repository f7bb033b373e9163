import Synchronization

/// A number no other program made in this process has: what a state's cached working form is
/// tagged with (``WorkingFormCache``). Comparing numbers, not references, keeps no program
/// alive for the states it made (a reloaded `perk serve` drops the old one) and can never
/// mistake a new program for a freed one at the same address.
enum ProgramSerial {
  private static let last = Atomic<UInt64>(0)

  /// The next number (the first is 1).
  static func next() -> UInt64 {
    last.add(1, ordering: .relaxed).newValue
  }
}
