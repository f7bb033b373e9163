/// A key press, decoded from the bytes a terminal sends in raw mode.
package enum Key: Equatable, Sendable {
  case character(Character)
  case enter, tab, backspace, delete
  case left, right, up, down, home, end
  case wordLeft, wordRight
  /// Alt-Backspace or Ctrl-W: delete the word before the cursor.
  case deleteWordBackward
  /// Alt-D: delete the word after the cursor.
  case deleteWordForward
  /// Ctrl-K and Ctrl-U.
  case killToEnd, killToStart
  case interrupt  // Ctrl-C
  case endOfInput  // Ctrl-D
  case reverseSearch  // Ctrl-R
  case clearScreen  // Ctrl-L
  case escape
  /// A byte or sequence the editor ignores.
  case ignored
}

/// Turns raw-mode bytes into keys: UTF-8 text, control characters, and the escape sequences
/// of xterm-style terminals (CSI and SS3 arrows, `~` keys, Ctrl/Alt modifiers, Alt-letter).
///
/// Incremental: a sequence split across reads waits for its end. A lone ESC at the end of
/// a read is held until ``flush()`` (the caller knows no more bytes are pending).
package struct KeyDecoder: Sendable {
  private var pending: [UInt8] = []

  package init() {}

  /// Decodes the bytes of one read; keeps an incomplete sequence for the next.
  package mutating func decode(_ bytes: [UInt8]) -> [Key] {
    pending += bytes
    var keys: [Key] = []
    var i = 0
    while i < pending.count {
      guard let (key, length) = Self.key(at: i, in: pending) else { break }
      keys.append(key)
      i += length
    }
    pending.removeFirst(i)
    return keys
  }

  /// Whether bytes are held waiting for the end of a sequence.
  package var hasPending: Bool { !pending.isEmpty }

  /// Emits what is held as keys: a lone ESC is the Escape key; anything else is dropped.
  package mutating func flush() -> [Key] {
    defer { pending = [] }
    return pending == [0x1B] ? [.escape] : (pending.isEmpty ? [] : [.ignored])
  }

  /// The key starting at `i`, and how many bytes it used; nil when the bytes end too early.
  static func key(at i: Int, in b: [UInt8]) -> (Key, Int)? {
    let byte = b[i]
    switch byte {
    case 0x01: return (.home, 1)  // Ctrl-A
    case 0x02: return (.left, 1)  // Ctrl-B
    case 0x03: return (.interrupt, 1)
    case 0x04: return (.endOfInput, 1)
    case 0x05: return (.end, 1)  // Ctrl-E
    case 0x06: return (.right, 1)  // Ctrl-F
    case 0x08, 0x7F: return (.backspace, 1)
    case 0x09: return (.tab, 1)
    case 0x0A, 0x0D: return (.enter, 1)
    case 0x0B: return (.killToEnd, 1)
    case 0x0C: return (.clearScreen, 1)
    case 0x0E: return (.down, 1)  // Ctrl-N
    case 0x10: return (.up, 1)  // Ctrl-P
    case 0x12: return (.reverseSearch, 1)
    case 0x15: return (.killToStart, 1)
    case 0x17: return (.deleteWordBackward, 1)
    case 0x1B: return escape(at: i, in: b)
    case 0x00..<0x20: return (.ignored, 1)
    default: return utf8(at: i, in: b)
    }
  }

  private static func utf8(at i: Int, in b: [UInt8]) -> (Key, Int)? {
    let byte = b[i]
    let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
    guard i + length <= b.count else { return nil }
    let text = String(decoding: b[i..<(i + length)], as: UTF8.self)
    guard let character = text.first, text.count == 1, character != "\u{FFFD}" else { return (.ignored, length) }
    return (.character(character), length)
  }

  private static func escape(at i: Int, in b: [UInt8]) -> (Key, Int)? {
    guard i + 1 < b.count else { return nil }
    let next = b[i + 1]
    switch next {
    case UInt8(ascii: "["), UInt8(ascii: "O"):
      // CSI/SS3: parameters (digits and `;`) then a final byte.
      var j = i + 2
      while j < b.count, (b[j] >= 0x30 && b[j] <= 0x3F) { j += 1 }
      guard j < b.count else { return nil }
      let parameters = String(decoding: b[(i + 2)..<j], as: UTF8.self)
      let final = Character(UnicodeScalar(b[j]))
      let modifier = parameters.split(separator: ";").dropFirst().first.flatMap { Int($0) } ?? 1
      // xterm modifiers: 3 Alt, 5 Ctrl, 7 Ctrl-Alt (any of them makes left/right jump words).
      let word = modifier > 1
      let key: Key
      switch final {
      case "A": key = .up
      case "B": key = .down
      case "C": key = word ? .wordRight : .right
      case "D": key = word ? .wordLeft : .left
      case "H": key = .home
      case "F": key = .end
      case "~":
        switch parameters.split(separator: ";").first ?? "" {
        case "1", "7": key = .home
        case "4", "8": key = .end
        case "3": key = .delete
        default: key = .ignored
        }
      default: key = .ignored
      }
      return (key, j - i + 1)
    case UInt8(ascii: "b"), UInt8(ascii: "B"): return (.wordLeft, 2)
    case UInt8(ascii: "f"), UInt8(ascii: "F"): return (.wordRight, 2)
    case UInt8(ascii: "d"), UInt8(ascii: "D"): return (.deleteWordForward, 2)
    case 0x7F, 0x08: return (.deleteWordBackward, 2)
    case 0x1B: return (.escape, 1)
    default: return (.escape, 1)
    }
  }
}
