/// Control characters from the input (ESC, NUL, a stray carriage return…) written as escapes
/// such as `\u{1B}`, so that a diagnostic quoting a file never sends the terminal a raw
/// escape sequence, and what is invisible is seen.
public enum ControlEscapes {
  /// `text` with every control character escaped: C0 (U+0000–U+001F), DEL and C1
  /// (U+0080–U+009F); a tab too unless `keepingTabs`.
  public static func escaped(_ text: String, keepingTabs: Bool = false) -> String {
    guard text.unicodeScalars.contains(where: { isControl($0) && !(keepingTabs && $0 == "\t") }) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      if isControl(scalar), !(keepingTabs && scalar == "\t") { out += escape(scalar) } else { out.unicodeScalars.append(scalar) }
    }
    return out
  }

  /// The escape of one character when it holds a control character (tabs excepted: the
  /// renderer expands them); nil when it is shown as it is.
  static func escaped(_ character: Character) -> String? {
    guard character != "\t", character.unicodeScalars.contains(where: isControl) else { return nil }
    return character.unicodeScalars.map { isControl($0) ? escape($0) : String($0) }.joined()
  }

  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
  }

  private static func escape(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case "\t": return "\\t"
    case "\n": return "\\n"
    case "\r": return "\\r"
    default: return "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }
  }
}
