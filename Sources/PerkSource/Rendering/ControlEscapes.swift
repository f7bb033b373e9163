/// Control characters from the input (ESC, NUL, a stray carriage return…) and bidirectional
/// overrides written as Swift escapes them (`\u{1B}`, `\0`, `\r`, `\u{202E}`), so that a
/// diagnostic quoting a file never sends the terminal a raw escape sequence, nor reorders
/// what is shown, and what is invisible is seen.
package enum ControlEscapes {
  /// `text` with every control character escaped: C0 (U+0000–U+001F), DEL, C1
  /// (U+0080–U+009F) and the bidirectional embeddings, overrides and isolates
  /// (U+202A–U+202E, U+2066–U+2069); a tab too unless `keepingTabs`.
  package static func escaped(_ text: String, keepingTabs: Bool = false) -> String {
    guard text.unicodeScalars.contains(where: { isControl($0) && !(keepingTabs && $0 == "\t") }) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      if isControl(scalar), !(keepingTabs && scalar == "\t") {
        out += scalar.escaped(asASCII: true)
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// The escape of one character when it holds a control character (tabs excepted: the
  /// renderer expands them); nil when it is shown as it is.
  static func escaped(_ character: Character) -> String? {
    guard character != "\t", character.unicodeScalars.contains(where: isControl) else { return nil }
    return escaped(String(character))
  }

  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value)
      || (0x2066...0x2069).contains(scalar.value)
  }
}
