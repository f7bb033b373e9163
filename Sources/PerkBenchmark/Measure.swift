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

  /// Peak resident memory of this process since it started its program, in kilobytes.
  ///
  /// On Linux this is `VmHWM` from /proc/self/status: `getrusage`'s `ru_maxrss` survives
  /// `execve`, so a child started by a large parent (as `Process` does, with `posix_spawn`)
  /// would report the parent's peak instead of its own.
  static func peakRSS() -> Int64 {
    #if os(Linux)
      // /proc files report size 0, so they are read with plain read(2) until the end.
      let fd = open("/proc/self/status", O_RDONLY)
      if fd >= 0 {
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
          let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
          if n <= 0 { break }
          bytes.append(contentsOf: chunk[0..<n])
        }
        let status = String(decoding: bytes, as: UTF8.self)
        if let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kilobytes = Int64(line.dropFirst("VmHWM:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") {
          return kilobytes
        }
      }
    #endif
    var usage = rusage()
    #if canImport(Glibc)
      getrusage(RUSAGE_SELF.rawValue, &usage)
      return Int64(usage.ru_maxrss)
    #else
      getrusage(RUSAGE_SELF, &usage)
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
