import Foundation

/// The character that separates an amount's decimals in text: `4.50` or `4,50`.
public enum DecimalMark: Sendable, Equatable {
  /// `4.50`, `1,234.50` (the default).
  case point
  /// `4,50`, `1.234,50`, as exports from continental Europe write them (`--decimal-comma`).
  case comma

  var byte: UInt8 { self == .point ? 46 : 44 }
  var groupByte: UInt8 { self == .point ? 44 : 46 }
  var character: Character { self == .point ? "." : "," }
  var groupCharacter: Character { self == .point ? "," : "." }
}

/// Why a text is not an amount, for a message that names the fix.
package enum MoneyProblem: Error, Equatable, Sendable {
  case notANumber
  /// A separator only the other decimal mark explains (`4,50` read with a decimal point).
  case otherDecimalMark
  /// Both readings give an amount (`1,234`, `4.500`): 1234 or 1.234, 4.50 or 4500.
  case ambiguous
  /// Grouping separators that do not group exactly three digits (`12,34.50`).
  case badGrouping
  case tooManyDecimals
  case tooLarge

  /// The reason, after "`TEXT` is not an amount in USD: ".
  package func explanation(_ text: String, currency: Currency, mark: DecimalMark) -> String {
    let d = mark.character
    let g = mark.groupCharacter
    let other: DecimalMark = mark == .point ? .comma : .point
    let switchHint = mark == .point
      ? "or, if the file writes decimals with a comma, read it with `--decimal-comma`"
      : "or read the file without `--decimal-comma`"
    let example = "4\(d)" + String(repeating: "5", count: min(1, currency.minorDigits)) + String(repeating: "0", count: max(0, currency.minorDigits - 1))
    switch self {
    case .notANumber:
      return "write digits with `\(d)` before the decimals, such as `\(currency.minorDigits == 0 ? "450" : example)`, "
        + "optionally with `\(currency.symbol.trimmingCharacters(in: .whitespaces))` or `\(currency.code)`"
    case .otherDecimalMark:
      if case .success(let minor) = MoneyText.parse(text, currency: currency, mark: other) {
        return "`\(g)` is not the decimal mark here; write `\(MoneyText.plain(minor, currency: currency, mark: mark))`, \(switchHint)"
      }
      return "`\(g)` is not the decimal mark here, \(switchHint)"
    case .ambiguous:
      let separator = text.contains(g) ? g : d
      return "`\(separator)` could group thousands or mark the decimals; write it with no separator"
        + (currency.minorDigits == 0 ? "" : " or with `\(d)` and \(currency.minorDigits) decimals") + ", \(switchHint)"
    case .badGrouping:
      return "a thousands separator `\(g)` must group exactly three digits and be followed by `\(d)` and the decimals, "
        + "such as `1\(g)234\(d)\(String(repeating: "0", count: max(1, currency.minorDigits)))`"
    case .tooManyDecimals:
      return "\(currency.code) has \(currency.minorDigits) decimal\(currency.minorDigits == 1 ? "" : "s"); more would need rounding"
    case .tooLarge:
      return "it is too large"
    }
  }
}

/// Reads amounts written as text, exactly, into minor units: no floating point, and no guess.
///
/// Accepted: an optional `-`, the currency's symbol or code before or after the number
/// (`$4.50`, `USD 4.50`, `4,50 €` with a decimal comma), digits, and the decimal mark followed by
/// at most the currency's decimals (more only if they are zeros). Grouping separators are the
/// other mark and are accepted only where they group exactly three digits before the decimal
/// mark (`1,234.50`; `1.234,50` with a decimal comma). Whatever the other convention would read
/// differently is refused rather than guessed: `4,50` (450.00 or 4.50?), `1,234` (1234 or
/// 1.234?), `4.500` in a two-decimal currency (4.50 or 4500?).
package enum MoneyText {
  package static func parse(_ text: String, currency: Currency, mark: DecimalMark) -> Result<Int64, MoneyProblem> {
    var copy = Array(text.utf8)
    return copy.withUnsafeMutableBufferPointer { parse(UnsafeBufferPointer($0), currency: currency, mark: mark) }
  }

  /// A JSON number (`4.5`, `-3`): its point is a decimal point, whatever the mark of text amounts.
  package static func parseJSONNumber(_ text: String, currency: Currency) -> Result<Int64, MoneyProblem> {
    var copy = Array(text.utf8)
    return copy.withUnsafeMutableBufferPointer { buffer in
      let bytes = UnsafeBufferPointer(buffer)
      // The JSON reader already checked the grammar; an exponent is refused (it would scale).
      guard !bytes.contains(where: { $0 == 101 || $0 == 69 }) else { return .failure(.notANumber) }
      var i = 0
      var negative = false
      if i < bytes.count, bytes[i] == 45 { negative = true; i += 1 }
      return digits(bytes, from: i, minorDigits: currency.minorDigits, mark: .point, checkAmbiguity: false).map { negative ? -$0 : $0 }
    }
  }

  package static func parse(_ bytes: UnsafeBufferPointer<UInt8>, currency: Currency, mark: DecimalMark) -> Result<Int64, MoneyProblem> {
    if let minor = plainDecimal(bytes, minorDigits: currency.minorDigits, mark: mark) { return .success(minor) }
    return parseInGeneral(bytes, currency: currency, mark: mark)
  }

  /// `parse` without the one-pass reading of plain decimals: signs, markers, spaces, grouping
  /// and every refusal.
  static func parseInGeneral(_ bytes: UnsafeBufferPointer<UInt8>, currency: Currency, mark: DecimalMark) -> Result<Int64, MoneyProblem> {
    var start = 0
    var end = bytes.count
    func trimSpaces() {
      while start < end, bytes[start] == 32 || bytes[start] == 9 { start += 1 }
      while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 { end -= 1 }
    }
    trimSpaces()
    var negative = false
    if start < end, bytes[start] == 45 { negative = true; start += 1 }
    // One currency marker, before or after the number. Most amounts have none: a digit or a
    // separator at both ends skips the look-up.
    func isNumeric(_ byte: UInt8) -> Bool { (byte >= 48 && byte <= 57) || byte == 44 || byte == 46 }
    if start < end, !isNumeric(bytes[start]), let length = prefixMarker(bytes, start, end, currency) {
      start += length
    } else if start < end, !isNumeric(bytes[end - 1]), let length = suffixMarker(bytes, start, end, currency) {
      end -= length
    }
    trimSpaces()
    if !negative, start < end, bytes[start] == 45 { negative = true; start += 1 }
    guard start < end else { return .failure(.notANumber) }
    return digits(UnsafeBufferPointer(rebasing: bytes[start..<end]), from: 0, minorDigits: currency.minorDigits, mark: mark,
                  checkAmbiguity: true)
      .map { negative ? -$0 : $0 }
  }

  /// The amount of the shape most files write, digits with the decimal mark and at most the
  /// currency's decimals (`11.99`, `4,5` with a decimal comma, `12`), read in one pass; nil for
  /// any other text, which `parse` reads the general way. Its answer is the general way's: no
  /// sign, marker, space or grouping to read, no more decimals than the currency has, never
  /// three decimals where `4.500` is ambiguous (a currency of other than three decimals), and
  /// at most 18 digits once scaled, which cannot overflow.
  static func plainDecimal(_ bytes: UnsafeBufferPointer<UInt8>, minorDigits: Int, mark: DecimalMark) -> Int64? {
    let n = bytes.count
    var value: Int64 = 0
    var i = 0
    while i < n, bytes[i] &- 48 < 10 {
      value = value &* 10 &+ Int64(bytes[i] &- 48)
      i += 1
    }
    let whole = i
    guard whole > 0, whole + minorDigits <= 18 else { return nil }
    var decimals = 0
    if i < n {
      guard bytes[i] == mark.byte else { return nil }
      i += 1
      while i < n, bytes[i] &- 48 < 10 {
        value = value &* 10 &+ Int64(bytes[i] &- 48)
        i += 1
      }
      decimals = i - whole - 1
      guard i == n, decimals > 0, decimals <= minorDigits, decimals != 3 || minorDigits == 3 else { return nil }
    }
    for _ in decimals..<minorDigits { value &*= 10 }
    return value
  }

  /// The length of the currency's code or symbol (without the symbol's trailing space, as in
  /// `CHF `) at the start of `bytes[start..<end]`, if there is one. Read from the strings'
  /// UTF-8 in place: this runs for every amount of a history.
  static func prefixMarker(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ currency: Currency) -> Int? {
    for marker in [currency.code, currency.symbol] {
      let utf8 = marker.utf8
      var length = utf8.count
      while length > 0, utf8[utf8.index(utf8.startIndex, offsetBy: length - 1)] == 32 { length -= 1 }
      guard length > 0, end - start >= length, utf8.prefix(length).elementsEqual(bytes[start..<(start + length)]) else { continue }
      return length
    }
    return nil
  }

  /// The same at the end of `bytes[start..<end]`.
  static func suffixMarker(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ currency: Currency) -> Int? {
    for marker in [currency.code, currency.symbol] {
      let utf8 = marker.utf8
      var length = utf8.count
      while length > 0, utf8[utf8.index(utf8.startIndex, offsetBy: length - 1)] == 32 { length -= 1 }
      guard length > 0, end - start >= length, utf8.prefix(length).elementsEqual(bytes[(end - length)..<end]) else { continue }
      return length
    }
    return nil
  }

  /// Digits with separators from `from` to the end: the magnitude in minor units.
  ///
  /// The text is runs of digits between separators (`,` or `.`): run 0, the middle runs, the
  /// last run. One pass measures them, a second adds up the digits; nothing is allocated.
  static func digits(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, minorDigits: Int, mark: DecimalMark,
                     checkAmbiguity: Bool) -> Result<Int64, MoneyProblem> {
    var separators = 0
    var decimals = 0
    var lastSeparator = -1
    var firstRun = -1
    var run = 0
    var middleRunsAllThree = true
    var emptyLaterRun = false
    var sawDigit = false
    for i in from..<bytes.count {
      let byte = bytes[i]
      if byte == 44 || byte == 46 {
        if separators == 0 { firstRun = run } else {
          if run == 0 { emptyLaterRun = true }
          if run != 3 { middleRunsAllThree = false }
        }
        separators += 1
        if byte == mark.byte { decimals += 1 }
        lastSeparator = i
        run = 0
      } else if byte >= 48, byte <= 57 {
        run += 1
        sawDigit = true
      } else {
        return .failure(.notANumber)
      }
    }
    let lastRun = run
    if separators == 0 { firstRun = run }
    // Only run 0 may be empty (`.50`), and only before a decimal mark.
    guard sawDigit, !emptyLaterRun, separators == 0 || lastRun > 0,
          firstRun > 0 || (separators > 0 && bytes[from + firstRun] == mark.byte) else { return .failure(.notANumber) }
    let groups = separators - decimals
    // All runs after run 0 are three digits long: what grouping by the other convention looks like.
    let laterRunsAllThree = middleRunsAllThree && lastRun == 3
    guard decimals <= 1 else {
      // `1.234.567` with a decimal point: only grouping by the other convention explains it.
      return .failure(groups == 0 && laterRunsAllThree ? .otherDecimalMark : .notANumber)
    }
    if decimals == 1, bytes[lastSeparator] != mark.byte {
      // `1.234,50` read with a decimal point: the other convention, grouped.
      return .failure(.otherDecimalMark)
    }
    let leadingZero = firstRun > 0 && bytes[from] == 48
    if groups > 0 {
      guard decimals == 1 else {
        // `4,50` read with a decimal point; `1,234` could be either; `1,234,567` groups
        // without the decimals that make grouping certain.
        if (1...3).contains(firstRun), laterRunsAllThree { return .failure(groups == 1 && !leadingZero ? .ambiguous : .badGrouping) }
        return .failure(groups == 1 ? .otherDecimalMark : .notANumber)
      }
      // The runs before the decimal mark: run 0 and the middle ones.
      guard (1...3).contains(firstRun), middleRunsAllThree else { return .failure(.badGrouping) }
    } else if decimals == 1, checkAmbiguity, minorDigits != 3, (1...3).contains(firstRun), !leadingZero, lastRun == 3,
              (min(bytes.count, lastSeparator + 1 + minorDigits)..<bytes.count).allSatisfy({ bytes[$0] == 48 }) {
      // `4.500`: four and a half, or four thousand five hundred with the other convention
      // (`4.505` is not four and a half cents: it has too many decimals either way).
      return .failure(.ambiguous)
    }
    var value: Int64 = 0
    func push(_ digit: UInt8) -> Bool {
      let (times, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times.addingReportingOverflow(Int64(digit - 48))
      guard !o1, !o2 else { return false }
      value = sum
      return true
    }
    let fractionStart = decimals == 1 ? lastSeparator + 1 : bytes.count
    for i in from..<(decimals == 1 ? lastSeparator : bytes.count) where bytes[i] != 44 && bytes[i] != 46 {
      guard push(bytes[i]) else { return .failure(.tooLarge) }
    }
    var fractionDigits = 0
    for i in fractionStart..<bytes.count {
      if fractionDigits == minorDigits {
        guard bytes[i] == 48 else { return .failure(.tooManyDecimals) }
        continue
      }
      guard push(bytes[i]) else { return .failure(.tooLarge) }
      fractionDigits += 1
    }
    while fractionDigits < minorDigits {
      guard push(48) else { return .failure(.tooLarge) }
      fractionDigits += 1
    }
    return .success(value)
  }
}

extension MoneyText {
  /// Minor units as plain text with the mark: `4.50`, `1234,00`.
  static func plain(_ minor: Int64, currency: Currency, mark: DecimalMark) -> String {
    let text = Money(minorUnits: minor, currency: currency).decimalString
    return mark == .point ? text : String(text.map { $0 == "." ? "," : $0 })
  }
}
