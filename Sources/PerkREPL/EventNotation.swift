/// The REPL's short notation for events, so a designer never writes JSON:
///
///     buy 2 latte @ 4.50 coffee, croissant @ 3.25 pastry
///     return T3 latte          return T3          redeem free drink
///     event referral bob       signup
///
/// Parsing is purely syntactic; prices, categories and names are resolved by the session.
enum EventNotation: Equatable {
  /// One line of `buy`: quantity, SKU, and the price and category when written.
  struct Line: Equatable {
    var quantity: Int64
    var sku: String
    /// The price as typed (`4.50`, `$4.50`), parsed later in the program's currency.
    var price: String?
    var category: String?
    /// Columns of the SKU and of the price in the typed line, for underlines.
    var skuSpan: Range<Int>
    var priceSpan: Range<Int>?
  }

  case buy([Line])
  /// `return T3` (whole: empty lines) or `return T3 latte, 2 muffin`.
  case `return`(original: String, originalSpan: Range<Int>, lines: [Line])
  case redeem(reward: String, span: Range<Int>)
  /// `event NAME…`: the words after `event`, resolved against the program's events later.
  case custom(words: [Token])
  case signup

  /// The largest quantity of one line: a basket, not a warehouse (and the evaluator frees
  /// stamp-card items one unit at a time).
  static let maximumQuantity: Int64 = 10_000

  /// The words that start an event.
  static let keywords = ["buy", "return", "redeem", "event", "signup"]

  /// A word of the typed line with its columns.
  struct Token: Equatable {
    var text: String
    var span: Range<Int>
  }

  /// Splits on spaces; `,` and `@` are tokens of their own; `"oat latte"` is one token.
  static func tokenize(_ line: String) throws(InputProblem) -> [Token] {
    var tokens: [Token] = []
    let chars = Array(line)
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if c == " " || c == "\t" { i += 1; continue }
      if c == "," || c == "@" {
        tokens.append(Token(text: String(c), span: i..<(i + 1)))
        i += 1
        continue
      }
      if c == "\"" {
        var j = i + 1
        while j < chars.count, chars[j] != "\"" { j += 1 }
        guard j < chars.count else {
          throw InputProblem("unterminated string", span: i..<chars.count, help: "close it with `\"`")
        }
        tokens.append(Token(text: String(chars[(i + 1)..<j]), span: i..<(j + 1)))
        i = j + 1
        continue
      }
      var j = i
      while j < chars.count, !" \t,@\"".contains(chars[j]) { j += 1 }
      tokens.append(Token(text: String(chars[i..<j]), span: i..<j))
      i = j
    }
    return tokens
  }

  /// Parses a line whose first word is one of ``keywords``; nil when it is not an event.
  static func parse(_ line: String) throws(InputProblem) -> EventNotation? {
    let tokens = try tokenize(line)
    guard let first = tokens.first, keywords.contains(first.text.lowercased()) else { return nil }
    let rest = Array(tokens.dropFirst())
    let end = line.count
    switch first.text.lowercased() {
    case "buy":
      guard !rest.isEmpty else {
        throw InputProblem("`buy` needs at least one item", span: first.span, help: "write `buy 2 latte @ 4.50 coffee`")
      }
      return .buy(try lines(rest, prices: true, lineEnd: end))
    case "return":
      guard let original = rest.first else {
        throw InputProblem("`return` needs a transaction id", span: first.span,
                           help: "write `return T3` (all of it) or `return T3 latte`")
      }
      return .return(original: original.text, originalSpan: original.span,
                     lines: rest.count > 1 ? try lines(Array(rest.dropFirst()), prices: false, lineEnd: end) : [])
    case "redeem":
      guard let start = rest.first, let last = rest.last else {
        throw InputProblem("`redeem` needs a reward name", span: first.span, help: "write `redeem free drink`")
      }
      return .redeem(reward: rest.map(\.text).joined(separator: " "), span: start.span.lowerBound..<last.span.upperBound)
    case "event":
      guard !rest.isEmpty else {
        throw InputProblem("`event` needs a name", span: first.span, help: "write `event referral`")
      }
      return .custom(words: rest)
    default:
      guard rest.isEmpty else {
        throw InputProblem("`signup` takes nothing after it", span: rest[0].span.lowerBound..<rest[rest.count - 1].span.upperBound)
      }
      return .signup
    }
  }

  /// `[N] [x|×] SKU [@ PRICE] [CATEGORY]`, separated by commas.
  private static func lines(_ tokens: [Token], prices: Bool, lineEnd: Int) throws(InputProblem) -> [Line] {
    var groups: [[Token]] = [[]]
    for token in tokens {
      if token.text == "," { groups.append([]) } else { groups[groups.count - 1].append(token) }
    }
    var result: [Line] = []
    for (index, group) in groups.enumerated() {
      guard !group.isEmpty else {
        let comma = tokens.filter { $0.text == "," }
        let at = index < comma.count ? comma[index].span : (comma.last?.span ?? (lineEnd..<lineEnd))
        throw InputProblem("an item is missing", span: at, label: "nothing before or after this comma")
      }
      var rest = group[...]
      var quantity: Int64 = 1
      if let first = rest.first, first.text.allSatisfy(\.isASCIIDigit) {
        guard let n = Int64(first.text), n > 0, n <= maximumQuantity, rest.count > 1 else {
          throw InputProblem(rest.count > 1 ? "quantity `\(first.text)` must be a whole number from 1 to 10,000" : "an item is missing after `\(first.text)`",
                             span: first.span, help: rest.count > 1 ? nil : "write `\(first.text) latte`")
        }
        quantity = n
        rest = rest.dropFirst()
        if let times = rest.first, times.text == "x" || times.text == "×", rest.count > 1 { rest = rest.dropFirst() }
      }
      guard let sku = rest.first, sku.text != "@" else {
        throw InputProblem("an item needs a SKU before its price", span: group[0].span, help: "write `latte @ 4.50 coffee`")
      }
      rest = rest.dropFirst()
      var line = Line(quantity: quantity, sku: sku.text, price: nil, category: nil, skuSpan: sku.span, priceSpan: nil)
      if let at = rest.first, at.text == "@" || at.text.lowercased() == "at" {
        guard prices else {
          throw InputProblem("a return takes no price", span: at.span, help: "the price is the one paid in the original purchase")
        }
        rest = rest.dropFirst()
        guard let price = rest.first else {
          throw InputProblem("`@` needs a price after it", span: at.span, help: "write `\(sku.text) @ 4.50`")
        }
        line.price = price.text
        line.priceSpan = price.span
        rest = rest.dropFirst()
      }
      if let category = rest.first {
        guard prices else {
          throw InputProblem("a return takes no category", span: category.span,
                             help: "write `return T3 \(quantity > 1 ? "\(quantity) " : "")\(sku.text)`")
        }
        line.category = try categoryName(category)
        rest = rest.dropFirst()
      }
      if let extra = rest.first {
        throw InputProblem("unexpected `\(extra.text)` after the item", span: extra.span,
                           help: "one item is `[QUANTITY] SKU [@ PRICE] [CATEGORY]`; separate items with commas")
      }
      result.append(line)
    }
    return result
  }
}

extension EventNotation {
  /// A category as typed: `coffee`, or `(coffee)` as `perk test` writes it (read as `coffee`,
  /// not as a category whose name has parentheses, which no rule would ever match).
  static func categoryName(_ token: Token) throws(InputProblem) -> String {
    let text = token.text
    guard text.hasPrefix("(") || text.hasSuffix(")") else { return text }
    guard text.count > 2, text.hasPrefix("("), text.hasSuffix(")") else {
      throw InputProblem("category `\(text)` has an unmatched parenthesis", span: token.span,
                         help: "write the category alone (`coffee`) or in parentheses (`(coffee)`)")
    }
    return String(text.dropFirst().dropLast())
  }
}

extension Character {
  var isASCIIDigit: Bool { isASCII && isNumber }
}
