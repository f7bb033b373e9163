import PerkSource

/// Turns the bytes of a source file into tokens.
///
/// The lexer never stops and never throws (Go's `scanner.Scan`, Zig's tokenizer):
/// a bad character or malformed literal yields one diagnostic and an `.invalid`
/// token covering the bad text, and lexing goes on. The stream always ends with
/// exactly one `.endOfFile` at `bytes.count`.
package struct Lexer {
  // Immutable input.
  private let file: SourceFile
  private let bytes: [UInt8]

  // Scanning state.
  private var offset = 0
  private var lineIndentation = 0
  private var atStartOfLine = true
  /// Where the last token before the newline ended: "found end of line" points there,
  /// not after a trailing comment.
  private var lastTokenEnd = 0

  // Output.
  private var tokens: [Token] = []
  private var diagnostics: [Diagnostic] = []

  private init(file: SourceFile) {
    self.file = file
    self.bytes = file.bytes
  }

  /// Lexes a whole file, appending lexical diagnostics.
  package static func tokenize(_ file: SourceFile, into diagnostics: inout Diagnostics) -> [Token] {
    var lexer = Lexer(file: file)
    lexer.run()
    diagnostics.append(contentsOf: lexer.diagnostics)
    return lexer.tokens
  }

  // MARK: - Driver

  private mutating func run() {
    while offset < bytes.count {
      let start = offset
      lexOne()
      // Always make progress, whatever the branch above did.
      if offset == start { offset += 1 }
    }
    if let last = tokens.last, last.kind != .newline {
      appendNewline()
    }
    tokens.append(Token(kind: .endOfFile, range: range(bytes.count, bytes.count), text: "",
                        isAtStartOfLine: true, indentation: 0))
  }

  private mutating func lexOne() {
    let byte = bytes[offset]
    switch byte {
    case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
      if atStartOfLine { lineIndentation += byte == UInt8(ascii: "\t") ? 4 : (byte == UInt8(ascii: " ") ? 1 : 0) }
      offset += 1
    case UInt8(ascii: "\n"):
      if !atStartOfLine { appendNewline() }
      offset += 1
      atStartOfLine = true
      lineIndentation = 0
    case UInt8(ascii: "#"):
      lexComment()
    case UInt8(ascii: "0")...UInt8(ascii: "9"):
      lexNumberLike()
    case UInt8(ascii: "\""):
      lexString()
    case UInt8(ascii: "$"):
      lexMoney(symbol: "$", symbolLength: 1)
    case 0xE2 where matches([0xE2, 0x82, 0xAC]):  // €
      lexMoney(symbol: "€", symbolLength: 3)
    case 0xC2 where matches([0xC2, 0xA3]):  // £
      lexMoney(symbol: "£", symbolLength: 2)
    case 0xC2 where matches([0xC2, 0xA5]):  // ¥
      lexMoney(symbol: "¥", symbolLength: 2)
    case 0xC3 where matches([0xC3, 0x97]):  // ×
      emit(.times, from: offset, to: offset + 2)
    case _ where isLetter(byte):
      lexWord()
    default:
      lexPunctuation()
    }
  }

  // MARK: - Words

  private static let durationUnits: [String: DurationUnit] = [
    "day": .day, "days": .day, "week": .week, "weeks": .week,
    "month": .month, "months": .month, "year": .year, "years": .year,
  ]
  private static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
  private static let months = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
  ]
  /// ISO codes read as money after a number (`12.50 USD`); the same list as the runtime's
  /// `Currency.known` (a test keeps them equal).
  package static let currencyCodes: Set<String> = [
    "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "PLN", "SEK", "NOK", "DKK", "CZK", "HUF",
    "INR", "CNY", "MXN", "BRL", "ZAR", "SGD", "HKD", "KRW", "TRY", "ILS", "AED", "KWD", "BHD",
  ]

  private mutating func lexWord() {
    let start = offset
    // `x1.5`: a multiplier sign glued to its number.
    if bytes[offset] == UInt8(ascii: "x"), offset + 1 < bytes.count, isDigit(bytes[offset + 1]) {
      emit(.times, from: offset, to: offset + 1)
      return
    }
    while offset < bytes.count, isWordByte(bytes[offset]) { offset += 1 }
    let text = String(decoding: bytes[start..<offset], as: UTF8.self)
    let lower = text.lowercased()
    if let index = Lexer.weekdays.firstIndex(of: lower) {
      emit(.weekday(index + 1), from: start, to: offset)
    } else if let index = Lexer.months.firstIndex(of: lower) {
      emit(.month(index + 1), from: start, to: offset)
    } else {
      emit(.word, from: start, to: offset)
    }
  }

  // MARK: - Numbers, dates, times, durations, percents, money

  /// Reads digits with optional `,` groups of three and one decimal point.
  /// Returns nil (after reporting) when the number is malformed or too large.
  private mutating func readDecimal(grouping: Bool) -> DecimalLiteral? {
    let start = offset
    var digits: [UInt8] = []
    var scale = 0
    var seenPoint = false
    var malformed = false
    while offset < bytes.count {
      let byte = bytes[offset]
      if isDigit(byte) {
        digits.append(byte)
        if seenPoint { scale += 1 }
        offset += 1
      } else if byte == UInt8(ascii: ","), grouping, !seenPoint, isDigitGroup(at: offset + 1) {
        offset += 1
      } else if byte == UInt8(ascii: "."), !seenPoint, offset + 1 < bytes.count, isDigit(bytes[offset + 1]) {
        seenPoint = true
        offset += 1
      } else if byte == UInt8(ascii: "."), !seenPoint, offset + 1 < bytes.count, isDigitOrLetter(bytes[offset + 1]) {
        malformed = true
        offset += 1
      } else {
        break
      }
    }
    if isLetterOrUnderscore(at: offset), !startsUnitOrCode(at: offset) {
      // `12abc`: letters glued to a number.
      while offset < bytes.count, isWordByte(bytes[offset]) { offset += 1 }
      malformed = true
    }
    if malformed {
      report(.malformedNumber, "malformed number `\(text(start, offset))`", start, offset,
             help: "write numbers as digits with an optional decimal point, such as `12` or `4.50`")
      return nil
    }
    var value: Int64 = 0
    for digit in digits {
      let (times10, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times10.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
      if o1 || o2 {
        report(.literalTooLarge, "number `\(text(start, offset))` is too large", start, offset,
               help: "numbers must stay below 9,223,372,036,854,775,807 in their smallest unit")
        return nil
      }
      value = sum
    }
    return DecimalLiteral(significand: value, scale: scale)
  }

  private mutating func lexNumberLike() {
    let start = offset
    if let date = scanDate() { emitDate(date, start: start); return }
    if let time = scanTime() { emitTime(time, start: start); return }
    guard let number = readDecimal(grouping: true) else {
      emit(.invalid, from: start, to: offset)
      return
    }
    if offset < bytes.count, bytes[offset] == UInt8(ascii: "%") {
      offset += 1
      emit(.percent(number), from: start, to: offset)
      return
    }
    // A unit or currency code after one space: `90 days`, `12.50 USD`.
    var look = offset
    while look < bytes.count, bytes[look] == UInt8(ascii: " ") { look += 1 }
    if look > offset, look < bytes.count, isLetter(bytes[look]) {
      var end = look
      while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
      let word = String(decoding: bytes[look..<end], as: UTF8.self)
      if let unit = Lexer.durationUnits[word.lowercased()] {
        offset = end
        if number.scale != 0 {
          report(.malformedNumber, "a duration needs a whole number, found `\(text(start, end))`", start, end,
                 help: "write a whole count, such as `90 days`")
          emit(.invalid, from: start, to: end)
        } else {
          emit(.duration(DurationLiteral(count: number.significand, unit: unit)), from: start, to: end)
        }
        return
      }
      if Lexer.currencyCodes.contains(word) {
        offset = end
        emitMoney(number, currency: .code(word), start: start)
        return
      }
    }
    emit(.number(number), from: start, to: offset)
  }

  private mutating func lexMoney(symbol: String, symbolLength: Int) {
    let start = offset
    offset += symbolLength
    guard offset < bytes.count, isDigit(bytes[offset]) else {
      report(.malformedMoney, "`\(symbol)` must be followed by an amount", start, offset,
             help: "write the amount right after the symbol, such as `\(symbol)4.50`")
      emit(.invalid, from: start, to: offset)
      return
    }
    guard let number = readDecimal(grouping: true) else {
      emit(.invalid, from: start, to: offset)
      return
    }
    emitMoney(number, currency: .symbol(symbol), start: start)
  }

  private mutating func emitMoney(_ number: DecimalLiteral, currency: MoneyLiteral.Currency, start: Int) {
    if number.scale > 4 {
      report(.malformedMoney, "money amount `\(text(start, offset))` has too many decimals", start, offset,
             help: "money amounts have at most 4 decimal places")
      emit(.invalid, from: start, to: offset)
      return
    }
    emit(.money(MoneyLiteral(amount: number, currency: currency)), from: start, to: offset)
  }

  /// `2026-11-22`: exactly four digits, two, two.
  private mutating func scanDate() -> (Int, Int, Int)? {
    let shape: [Bool] = [true, true, true, true, false, true, true, false, true, true]  // digit or '-'
    guard offset + 10 <= bytes.count else { return nil }
    for (i, isDigitPlace) in shape.enumerated() {
      let byte = bytes[offset + i]
      if isDigitPlace ? !isDigit(byte) : byte != UInt8(ascii: "-") { return nil }
    }
    if offset + 10 < bytes.count, isDigitOrLetter(bytes[offset + 10]) { return nil }
    let year = digitsValue(offset, 4)
    let month = digitsValue(offset + 5, 2)
    let day = digitsValue(offset + 8, 2)
    offset += 10
    return (year, month, day)
  }

  private mutating func emitDate(_ date: (Int, Int, Int), start: Int) {
    let (year, month, day) = date
    if month < 1 || month > 12 || day < 1 || day > Lexer.daysIn(month: month, year: year) {
      report(.malformedDate, "`\(text(start, offset))` is not a date", start, offset,
             help: month < 1 || month > 12 ? "months run from 01 to 12" : "that month has \(Lexer.daysIn(month: month, year: year)) days")
      emit(.invalid, from: start, to: offset)
    } else {
      emit(.date(DateLiteral(year: year, month: month, day: day)), from: start, to: offset)
    }
  }

  /// `9:30`, `09:00`: one or two digits, a colon, two digits.
  private mutating func scanTime() -> (Int, Int)? {
    var i = offset
    while i < bytes.count, i - offset < 2, isDigit(bytes[i]) { i += 1 }
    guard i > offset else { return nil }
    guard i + 3 <= bytes.count, bytes[i] == UInt8(ascii: ":"), isDigit(bytes[i + 1]), isDigit(bytes[i + 2]) else { return nil }
    if i + 3 < bytes.count, isDigitOrLetter(bytes[i + 3]) { return nil }
    let hour = digitsValue(offset, i - offset)
    let minute = digitsValue(i + 1, 2)
    offset = i + 3
    return (hour, minute)
  }

  private mutating func emitTime(_ time: (Int, Int), start: Int) {
    if time.0 > 23 || time.1 > 59 {
      report(.malformedTime, "`\(text(start, offset))` is not a time of day", start, offset,
             help: "times run from 00:00 to 23:59")
      emit(.invalid, from: start, to: offset)
    } else {
      emit(.time(TimeLiteral(hour: time.0, minute: time.1)), from: start, to: offset)
    }
  }

  package static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  // MARK: - Comments and strings

  /// A comment runs to the end of the line; its text must be UTF-8 like the rest of the file.
  private mutating func lexComment() {
    var reported = false
    while offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") {
      guard bytes[offset] >= 0x80 else {
        offset += 1
        continue
      }
      let length = utf8SequenceLength(at: offset)
      if length == 0 {
        if !reported { reportInvalidUTF8(at: offset, in: "comment") }
        reported = true
        offset += 1
      } else {
        offset += length
      }
    }
  }

  private mutating func lexString() {
    let start = offset
    offset += 1
    var value: [UInt8] = []
    var bad = false
    var invalidUTF8 = false
    while offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") {
      let byte = bytes[offset]
      if byte == UInt8(ascii: "\"") {
        offset += 1
        if bad {
          emit(.invalid, from: start, to: offset)
        } else {
          emit(.string(String(decoding: value, as: UTF8.self)), from: start, to: offset)
        }
        return
      }
      if byte == UInt8(ascii: "\\"), offset + 1 < bytes.count {
        let escaped = bytes[offset + 1]
        switch escaped {
        case UInt8(ascii: "\""): value.append(escaped)
        case UInt8(ascii: "\\"): value.append(escaped)
        case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
        case UInt8(ascii: "t"): value.append(UInt8(ascii: "\t"))
        default:
          report(.invalidEscape, "unknown escape `\\\(String(decoding: [escaped], as: UTF8.self))` in string",
                 offset, offset + 2, help: "the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`")
          bad = true
        }
        offset += 2
        continue
      }
      if byte >= 0x80 {
        let length = utf8SequenceLength(at: offset)
        if length == 0 {
          // Decoding would put U+FFFD in the name or text silently: an error, reported once
          // per string; the token stays a string (repaired) so that parsing goes on undisturbed.
          if !invalidUTF8 { reportInvalidUTF8(at: offset, in: "string") }
          invalidUTF8 = true
          value.append(bytes[offset])
          offset += 1
          continue
        }
        value.append(contentsOf: bytes[offset..<offset + length])
        offset += length
        continue
      }
      value.append(byte)
      offset += 1
    }
    report(.unterminatedString, "string is not closed", start, offset,
           label: "this string needs a closing `\"` on the same line", help: "add `\"` at the end of the text")
    emit(.invalid, from: start, to: offset)
  }

  // MARK: - Punctuation and bad bytes

  private mutating func lexPunctuation() {
    let start = offset
    let byte = bytes[offset]
    let next: UInt8? = offset + 1 < bytes.count ? bytes[offset + 1] : nil
    let kind: TokenKind?
    var length = 1
    switch byte {
    case UInt8(ascii: "("): kind = .leftParen
    case UInt8(ascii: ")"): kind = .rightParen
    case UInt8(ascii: ","): kind = .comma
    case UInt8(ascii: ":"): kind = .colon
    case UInt8(ascii: "/"): kind = .slash
    case UInt8(ascii: "+"): kind = .plus
    case UInt8(ascii: "-"): kind = .minus
    case UInt8(ascii: "*"): kind = .star
    case UInt8(ascii: "="): kind = .equal
    case UInt8(ascii: "<"):
      if next == UInt8(ascii: "=") { kind = .lessEqual; length = 2 } else { kind = .less }
    case UInt8(ascii: ">"):
      if next == UInt8(ascii: "=") { kind = .greaterEqual; length = 2 } else { kind = .greater }
    case UInt8(ascii: "!") where next == UInt8(ascii: "="):
      kind = .notEqual; length = 2
    default: kind = nil
    }
    if let kind {
      emit(kind, from: start, to: start + length)
      return
    }
    // A character no token starts with: report it whole (one UTF-8 sequence).
    let length8 = utf8SequenceLength(at: start)
    if length8 == 0 {
      reportInvalidUTF8(at: start, in: nil)
      emit(.invalid, from: start, to: start + 1)
      return
    }
    let character = text(start, start + length8)
    report(.invalidCharacter, "unexpected character `\(character)`", start, start + length8,
           help: Lexer.helpForCharacter(character))
    emit(.invalid, from: start, to: start + length8)
  }

  private static func helpForCharacter(_ character: String) -> String {
    switch character {
    case "{", "}", ";": return "Perk uses indentation, not braces or semicolons"
    case "'": return "strings use double quotes: \"text\""
    case "≥": return "write `>=`"
    case "≤": return "write `<=`"
    case "&": return "write `and`"
    case "|": return "write `or`"
    default: return "remove it, or put it inside a string"
    }
  }

  /// E0107 at one bad byte (the first of a string or comment: a Latin-1 file has many).
  private mutating func reportInvalidUTF8(at index: Int, in place: String?) {
    let byte = "0x" + String(bytes[index], radix: 16, uppercase: true)
    report(.invalidUTF8, "invalid UTF-8 byte \(byte)" + (place.map { " in a \($0)" } ?? ""), index, index + 1,
           help: "save the file as UTF-8")
  }

  /// The length of a valid UTF-8 sequence starting here, or 0 if the bytes are not valid
  /// UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF (Unicode table 3-7).
  private func utf8SequenceLength(at index: Int) -> Int {
    let lead = bytes[index]
    let length: Int
    var second: ClosedRange<UInt8> = 0x80...0xBF
    switch lead {
    case 0x00...0x7F: return 1
    case 0xC2...0xDF: length = 2
    case 0xE0: length = 3; second = 0xA0...0xBF
    case 0xED: length = 3; second = 0x80...0x9F
    case 0xE1...0xEF: length = 3
    case 0xF0: length = 4; second = 0x90...0xBF
    case 0xF4: length = 4; second = 0x80...0x8F
    case 0xF1...0xF3: length = 4
    default: return 0
    }
    guard index + length <= bytes.count, second.contains(bytes[index + 1]) else { return 0 }
    for i in 2..<length where bytes[index + i] & 0xC0 != 0x80 { return 0 }
    return length
  }

  // MARK: - Helpers

  private mutating func appendNewline() {
    tokens.append(Token(kind: .newline, range: range(lastTokenEnd, lastTokenEnd), text: "",
                        isAtStartOfLine: false, indentation: lineIndentation))
  }

  private mutating func emit(_ kind: TokenKind, from start: Int, to end: Int) {
    lastTokenEnd = end
    offset = max(offset, end)
    let isFirst = atStartOfLine && kind != .newline
    tokens.append(Token(kind: kind, range: range(start, end), text: kind == .newline ? "" : text(start, end),
                        isAtStartOfLine: isFirst, indentation: lineIndentation))
    if kind != .newline { atStartOfLine = false }
  }

  private mutating func report(_ code: DiagnosticCode, _ message: String, _ start: Int, _ end: Int,
                               label: String? = nil, help: String? = nil) {
    diagnostics.append(Diagnostic(code, message, at: range(start, end), label: label, help: help))
  }

  private func range(_ start: Int, _ end: Int) -> SourceRange { SourceRange(file: file.id, start: start, end: end) }
  private func text(_ start: Int, _ end: Int) -> String { String(decoding: bytes[start..<min(end, bytes.count)], as: UTF8.self) }
  private func matches(_ sequence: [UInt8]) -> Bool {
    offset + sequence.count <= bytes.count && Array(bytes[offset..<offset + sequence.count]) == sequence
  }
  private func digitsValue(_ start: Int, _ count: Int) -> Int {
    bytes[start..<start + count].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
  }
  private func isDigitGroup(at index: Int) -> Bool {
    guard index + 3 <= bytes.count else { return false }
    for i in index..<index + 3 where !isDigit(bytes[i]) { return false }
    return index + 3 == bytes.count || !isDigit(bytes[index + 3])
  }
  private func isLetterOrUnderscore(at index: Int) -> Bool { index < bytes.count && isLetter(bytes[index]) }
  private func startsUnitOrCode(at index: Int) -> Bool { false }
  private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
  private func isLetter(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
      || byte == UInt8(ascii: "_")
  }
  private func isDigitOrLetter(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
  private func isWordByte(_ byte: UInt8) -> Bool {
    isDigitOrLetter(byte) || byte == UInt8(ascii: "'")
  }
}

/// Lexes a whole file into tokens ending with exactly one `.endOfFile` at `file.bytes.count`,
/// appending one diagnostic per lexical error (each error also yields an `.invalid` token).
package func tokenize(_ file: SourceFile, into diagnostics: inout Diagnostics) -> [Token] {
  Lexer.tokenize(file, into: &diagnostics)
}
