import Foundation
import PerkRuntime

extension Session {
  /// What tab completes at `cursor` in `text`: commands after `:`, customers after `:use`,
  /// `:customer` and `event … `, files after `:load`/`:save`, rewards after `redeem`, SKUs
  /// and categories in `buy`, purchase ids in `return`, and otherwise the program's names
  /// (rules, points currencies, cards, tiers) and quantities.
  package func completions(_ text: String, cursor: Int) -> CompletionOffer? {
    let before = String(text.prefix(cursor))
    let words = before.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    let endsWithSpace = before.last == " "
    // The start of the last word.
    let wordStart = (before.lastIndex(where: { $0 == " " || $0 == "," }).map { before.distance(from: before.startIndex, to: $0) + 1 }) ?? 0
    let first = words.first?.lowercased() ?? ""

    if first.hasPrefix(":"), words.count == 1, !endsWithSpace {
      return CompletionOffer(start: 0, candidates: Self.commands.map { ":" + $0.name })
    }
    let afterFirst = (words.first.map { $0.count + 1 }) ?? 0
    switch first {
    case ":use", ":customer":
      guard words.count == 1 || (words.count == 2 && !endsWithSpace) else { return attributeOffer(before, wordStart) }
      return CompletionOffer(start: afterFirst, candidates: world.order)
    case ":load", ":save":
      return fileOffer(String(before.dropFirst(afterFirst)), start: afterFirst)
    case "redeem":
      return CompletionOffer(start: afterFirst, candidates: program?.rewards.map(\.name) ?? [])
    case "event":
      let events = program.map { customEventNames($0).sorted() } ?? []
      if words.count >= 2, events.contains(where: { before.dropFirst(afterFirst).hasPrefix($0 + " ") }) {
        return CompletionOffer(start: wordStart, candidates: world.order)
      }
      return CompletionOffer(start: afterFirst, candidates: events)
    case "return":
      if words.count == 1 || (words.count == 2 && !endsWithSpace) {
        return CompletionOffer(start: afterFirst, candidates: world.purchases.keys.sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count })
      }
      let id = words[1]
      return CompletionOffer(start: wordStart, candidates: world.purchases[id]?.lines.map(\.sku) ?? [])
    case "buy":
      // After `@ PRICE` comes a category; otherwise a SKU.
      let segment = before[before.index(before.startIndex, offsetBy: max(afterFirst, before.lastIndex(of: ",").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0))...]
      let segmentWords = segment.split(separator: " ").map(String.init)
      let typingNew = endsWithSpace || segmentWords.isEmpty
      let previous = typingNew ? segmentWords.last : segmentWords.dropLast().last
      if let previous, previous != "@", segmentWords.contains("@") || world.skus[previous] != nil {
        return CompletionOffer(start: wordStart, candidates: categories())
      }
      return CompletionOffer(start: wordStart, candidates: world.skus.keys.sorted())
    default:
      return nameOffer(before)
    }
  }

  /// Categories the program names in filters and those seen in purchases.
  func categories() -> [String] {
    var all = Set(world.skus.values.map(\.category))
    for filter in program?.filters ?? [] where filter.field == .category { all.formUnion(filter.values) }
    return all.sorted()
  }

  private func attributeOffer(_ before: String, _ wordStart: Int) -> CompletionOffer? {
    let last = before.split(separator: " ").last.map(String.init) ?? ""
    if before.last == " ", last == "tier" { return CompletionOffer(start: wordStart, candidates: program?.tierNames ?? []) }
    if before.last == " ", last == "referrer" { return CompletionOffer(start: wordStart, candidates: world.order) }
    return CompletionOffer(start: wordStart, candidates: ["birthday", "signup", "segment", "referrer", "tier"])
  }

  /// Paths in the directory typed so far.
  private func fileOffer(_ typed: String, start: Int) -> CompletionOffer? {
    let slash = typed.lastIndex(of: "/")
    let directory = slash.map { String(typed[...$0]) } ?? ""
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory) else { return nil }
    let candidates = names.filter { !$0.hasPrefix(".") }.sorted().map { name -> String in
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: directory + name, isDirectory: &isDirectory)
      return directory + name + (isDirectory.boolValue ? "/" : "")
    }
    return CompletionOffer(start: start, candidates: candidates)
  }

  /// The quantities an expression can read, for completion.
  static let quantityPhrases = [
    "basket total", "basket items", "weekday", "date", "time", "month", "day of month", "tier",
    "birthday month", "signup date", "segment", "days since last purchase", "days since signup",
    "purchases so far", "spend in last 12 months", "visits in last 12 months", "spend this year", "visits this month",
  ]

  /// Names of the program (rules, currencies and their balances, cards and their stamps,
  /// tiers) and quantities, and at the start of the line the words that start an event
  /// (`buy`, `return`, `redeem`, …); the longest typed phrase that starts one of them is completed.
  private func nameOffer(_ before: String) -> CompletionOffer? {
    var names = Self.quantityPhrases
    if let program {
      names += program.ruleNames + program.tierNames
      names += program.pointsCurrencyNames.map { "\($0) balance" }
      names += program.cards.map { "\($0.name) stamps" }
      names += program.rewards.map(\.name)
    }
    names += Self.declarationKeywords
    let characters = Array(before)
    // Word boundaries, leftmost first: the longest phrase that still matches wins.
    var starts = [0]
    for (i, c) in characters.enumerated() where (c == " " || c == "(") && i + 1 <= characters.count { starts.append(i + 1) }
    for start in starts {
      let fragment = String(characters[start...])
      guard !fragment.isEmpty else { continue }
      let matching = (start == 0 ? names + EventNotation.keywords : names).filter { $0.hasPrefix(fragment) }
      if !matching.isEmpty { return CompletionOffer(start: start, candidates: Array(Set(matching)).sorted()) }
    }
    return nil
  }
}
