import PerkSource

/// Price effects (`discount`, `buy … pay for`, `cheapest item … is free`) and the stacking clauses
/// (`priority`, `group`, `best of`, `cap`, `budget`).
extension Parser {
  /// The rule clause keywords this file parses, for "did you mean" suggestions.
  static let promotionClauseKeywords = ["discount", "buy", "cheapest", "priority", "group", "best of", "cap", "budget"]

  /// Parses a price effect or a stacking clause if the line starts with one of their keywords.
  mutating func parsePromotionRuleClause() -> RuleDeclaration.Clause? {
    let start = current
    if at("discount") || at("buy") || at("cheapest") || (at("most") && isWord(peek(), "expensive")) {
      guard let effect = parsePriceEffect() else {
        skipLine()
        return .invalid(start.range)
      }
      return finishLine("the effect") ? .effect(.price(effect)) : .invalid(start.range)
    }
    if at("priority") || at("group") || (at("best") && isWord(peek(), "of")) || at("cap") || at("budget") {
      guard let clause = parseStackingClause() else {
        skipLine()
        return .invalid(start.range)
      }
      return finishLine("the `\(start.text.lowercased())` clause") ? .stacking(clause) : .invalid(start.range)
    }
    return nil
  }

  /// ```
  /// price-effect    = "discount" ( PERCENT | MONEY ) discount-target [ amount-rounding ]
  ///                 | "buy" NUMBER [ item-filter ] "pay" "for" NUMBER [ deal-selection ]
  ///                 | ( "cheapest" | "most" "expensive" ) "item" [ item-filter ] "is" "free" ;
  /// discount-target = "on" "basket" | item-filter | "per" "item" [ item-filter ] ;
  /// ```
  mutating func parsePriceEffect() -> PriceEffectSyntax? {
    let start = current
    if consume("discount") != nil {
      let amount = parseUnary()
      if nestingOverflowed || lineHasError { return nil }
      let target: DiscountTargetSyntax
      if at("on"), isWord(peek(), "basket") {
        advance(); advance()
        target = .basket
      } else if consume("per") != nil {
        guard expect("item", after: "`per`") != nil else { return nil }
        target = .perItem(parseItemFilter())
      } else if let filter = parseItemFilter() {
        target = .lines(filter)
      } else {
        if current.kind != .invalid {
          report(.missingDiscountTarget, "expected what the discount applies to, found \(current.phrase)", at: current.range,
                 label: "`on basket`, `on category …` or `per item` goes here",
                 help: "for example `discount 15% on basket` or `discount $1 per item in category snacks`")
        }
        return nil
      }
      var rounding: AmountRoundingSyntax?
      if at("round") {
        guard let r = parseAmountRounding() else { return nil }
        rounding = r
      }
      return .discount(amount: amount, target: target, rounding: rounding, range: range(from: start))
    }
    if consume("buy") != nil {
      let buy = parseUnary()
      if nestingOverflowed || lineHasError { return nil }
      let filter = parseItemFilter()
      guard at("pay"), isWord(peek(), "for") else {
        if current.kind != .invalid {
          report(.incompleteDeal, "expected `pay for` and a number after the deal, found \(current.phrase)", at: current.range,
                 label: "`pay for N` goes here", help: "for example `buy 3 in category snacks pay for 2`")
        }
        return nil
      }
      advance(); advance()
      let payFor = parseUnary()
      guard let acrossBasket = parseDealSelection() else { return nil }
      return .deal(buy: buy, filter: filter, payFor: payFor, acrossBasket: acrossBasket, range: range(from: start))
    }
    // `cheapest item … is free` or `most expensive item … is free`
    let cheapest = consume("cheapest") != nil
    if !cheapest { advance(); advance() }
    guard expect("item", after: cheapest ? "`cheapest`" : "`most expensive`") != nil else { return nil }
    let filter = parseItemFilter()
    guard expect("is", after: "the item") != nil, expect("free", after: "`is`") != nil else { return nil }
    return .freeItem(cheapest: cheapest, filter: filter, range: range(from: start))
  }

  /// Which units a deal frees, if stated; true for `cheapest across [the] basket`, false for
  /// `in groups dearest first` or nothing (the default); nil after an error.
  /// ```
  /// deal-selection = "in" "groups" "dearest" "first" | "cheapest" "across" [ "the" ] "basket" ;
  /// ```
  mutating func parseDealSelection() -> Bool? {
    if consume("in") != nil {
      guard expect("groups", after: "`in`") != nil, expect("dearest", after: "`in groups`") != nil,
            expect("first", after: "`in groups dearest`") != nil else { return nil }
      return false
    }
    if consume("cheapest") != nil {
      guard expect("across", after: "`cheapest`") != nil else { return nil }
      _ = consume("the")
      guard expect("basket", after: "`cheapest across`") != nil else { return nil }
      return true
    }
    return false
  }

  /// ```
  /// stacking-clause = "priority" NUMBER
  ///                 | "group" name
  ///                 | "best" "of" name
  ///                 | cap
  ///                 | "budget" MONEY [ "per" period-unit ] ;
  /// cap             = "cap" [ name ] "at" NUMBER "per" cap-period [ "per" "customer" ] [ [ "," ] "excess" "lost" ] ;
  /// cap-period      = "transaction" | period-unit ;
  /// ```
  mutating func parseStackingClause() -> StackingClauseSyntax? {
    let start = current
    if consume("priority") != nil {
      let value = parseUnary()
      return .priority(value, range: range(from: start))
    }
    if consume("group") != nil {
      guard let name = requireName(for: "group", example: "group weekday deals", allowingNumbers: true) else { return nil }
      return .group(name, range: range(from: start))
    }
    if consume("best") != nil {
      advance()  // of
      guard let name = requireName(for: "best of", example: "best of weekday deals", allowingNumbers: true) else { return nil }
      return .bestOf(name, range: range(from: start))
    }
    if at("cap") {
      return parseCap(namingCurrency: true).map { .cap($0) }
    }
    advance()  // budget
    guard let (amount, period) = parseBudgetBody() else { return nil }
    return .budget(amount: amount, period: period, range: range(from: start))
  }

  /// `cap [CURRENCY] at N per PERIOD [per customer]`; the currency is named only in rules.
  mutating func parseCap(namingCurrency: Bool) -> CapSyntax? {
    let start = advance()  // cap
    var currency: Name?
    if namingCurrency {
      guard let name = requireName(for: "cap", example: "cap stars at 300 per day", stoppingAt: ["at"]) else { return nil }
      currency = name
    }
    guard expect("at", after: currency.map { "`cap \($0.text)`" } ?? "`cap`") != nil else { return nil }
    let amount = parseUnary()
    if nestingOverflowed || lineHasError { return nil }
    guard expect("per", after: "the cap amount") != nil else { return nil }
    let periodStart = current
    let period: CapPeriodSyntax
    if consume("transaction") != nil {
      period = .transaction
    } else if let unit = parsePeriodUnit(after: "`per`") {
      period = .calendar(unit)
    } else {
      return nil
    }
    let periodRange = range(from: periodStart)
    // Caps are always per customer and the excess is always lost; saying so is allowed.
    if at("per"), isWord(peek(), "customer") { advance(); advance() }
    if current.kind == .comma, isWord(peek(), "excess") { advance() }
    if consume("excess") != nil { _ = expect("lost", after: "`excess`") }
    return CapSyntax(currency: currency, amount: amount, period: Located(period, range: periodRange), range: range(from: start))
  }

  /// The part of `budget MONEY [per period-unit]` after the keyword.
  mutating func parseBudgetBody() -> (Expression, Located<CapPeriodSyntax>)? {
    let amount = parseUnary()
    if nestingOverflowed || lineHasError { return nil }
    guard consume("per") != nil else { return (amount, Located(.ever, range: amount.range)) }
    let periodStart = current
    guard let unit = parsePeriodUnit(after: "`per`") else { return nil }
    return (amount, Located(.calendar(unit), range: range(from: periodStart)))
  }

  /// `budget $10,000 per month` in a program declaration.
  mutating func parseProgramBudget() -> ProgramDeclaration.Clause {
    let start = advance()
    guard let (amount, period) = parseBudgetBody() else {
      skipLine()
      return .invalid(start.range)
    }
    let clauseRange = range(from: start)
    return finishLine("the budget") ? .budget(amount: amount, period: period, range: clauseRange) : .invalid(start.range)
  }

  /// `cap at 300 per day` in a points declaration.
  mutating func parsePointsCap() -> PointsDeclaration.Clause {
    let start = current
    guard let cap = parseCap(namingCurrency: false) else {
      skipLine()
      return .invalid(start.range)
    }
    return finishLine("the cap") ? .cap(cap) : .invalid(start.range)
  }
}
