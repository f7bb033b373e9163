/// Finds the closest candidate to a misspelt word, for "did you mean" help.
public enum Suggestions {
  /// The Levenshtein edit distance between two strings, counted in characters.
  ///
  ///     Suggestions.editDistance("kitten", "sitting") // 3
  public static func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.lowercased())
    let y = Array(b.lowercased())
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
      current[0] = i
      for j in 1...y.count {
        let cost = x[i - 1] == y[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[y.count]
  }

  /// The candidate closest to `word`, if it is close enough to be a likely typo.
  ///
  /// Close enough means a distance of at most 1 for words of up to 3 characters,
  /// 2 up to 6, and a third of the length beyond. Ties go to the earlier candidate,
  /// so results are deterministic.
  public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
    let limit = word.count <= 3 ? 1 : (word.count <= 6 ? 2 : max(2, word.count / 3))
    var best: (String, Int)?
    for candidate in candidates where candidate != word {
      let distance = editDistance(word, candidate)
      if distance <= limit, best == nil || distance < best!.1 {
        best = (candidate, distance)
      }
    }
    return best?.0
  }

  /// The one candidate that `word` abbreviates (`Tue` for `Tuesday`), if exactly one starts with it.
  ///
  /// Abbreviations are at least two characters and compared ignoring case; an exact match is no
  /// abbreviation, so the result always differs from `word`.
  public static func expansion(of word: String, in candidates: some Sequence<String>) -> String? {
    let prefix = word.lowercased()
    guard prefix.count >= 2 else { return nil }
    let matches = candidates.filter { $0.lowercased().hasPrefix(prefix) && $0.count > prefix.count }
    return matches.count == 1 ? matches[0] : nil
  }
}
