import Foundation
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum Measure {
  /// Nanoseconds of one call.
  static func time(_ body: () throws -> Void) rethrows -> UInt64 {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return DispatchTime.now().uptimeNanoseconds - start
  }

  /// The median of `repetitions` timings (nanoseconds).
  static func median(_ repetitions: Int, _ body: () throws -> Void) rethrows -> UInt64 {
    var samples: [UInt64] = []
    for _ in 0..<max(1, repetitions) { samples.append(try time(body)) }
    samples.sort()
    return samples[samples.count / 2]
  }

  /// Peak resident memory of this process or of its finished children, in kilobytes.
  static func maxRSS(children: Bool) -> Int64 {
    var usage = rusage()
    #if canImport(Glibc)
      getrusage(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue, &usage)
      return Int64(usage.ru_maxrss)
    #else
      getrusage(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue, &usage)
      return Int64(usage.ru_maxrss) / 1024
    #endif
  }

  /// `value` thousandths as `1.234`.
  static func milli(_ thousandths: Int64) -> String {
    let sign = thousandths < 0 ? "-" : ""
    let m = thousandths.magnitude
    let frac = String(m % 1000)
    return sign + String(m / 1000) + "." + String(repeating: "0", count: 3 - frac.count) + frac
  }

  /// a / b in thousandths, rounded.
  static func ratio(_ a: UInt64, _ b: UInt64) -> Int64 {
    guard b > 0 else { return 0 }
    return Int64((a * 1000 + b / 2) / b)
  }
}
