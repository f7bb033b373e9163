extension ProgramTimeZone {
  /// An instant as RFC 3339 local time with seconds and the offset in force then:
  /// `2026-11-03T08:15:00-05:00` (`Z` for a zero offset). The one way outcomes and traces
  /// write a time (docs/interchange.md).
  public func rfc3339(_ instant: Instant) -> String {
    var offset = offset(at: instant.secondsSince1970)
    // RFC 3339 offsets are whole minutes; a historical offset with seconds (local mean time)
    // is written in UTC rather than rounded, so the text names the exact instant.
    if offset % 60 != 0 { offset = 0 }
    let local = instant.secondsSince1970 + offset
    let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    let second = local - day * 86_400
    func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : String(n) }
    var text = "\(LocalDate(dayNumber: day))T\(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60))"
    if offset == 0 { return text + "Z" }
    let minutes = abs(offset) / 60
    text += (offset < 0 ? "-" : "+") + two(minutes / 60) + ":" + two(minutes % 60)
    return text
  }
}
