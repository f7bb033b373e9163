import PerkSource

extension Parser {
  /// ```
  /// expression = or-expr ;
  /// or-expr    = and-expr { "or" and-expr } ;
  /// and-expr   = not-expr { "and" not-expr } ;
  /// ```
  /// Precedence climbing over `BinaryOperator.precedence` (Go's `parseBinaryExpr`).
  mutating func parseExpression() -> Expression {
    parseBinary(minimumPrecedence: BinaryOperator.or.precedence)
  }

  mutating func parseBinary(minimumPrecedence: Int) -> Expression {
    guard enterNesting() else { return invalidExpression() }
    defer { depth -= 1 }
    let savedDepth = depth
    defer { depth = savedDepth }
    var left = minimumPrecedence <= BinaryOperator.and.precedence + 1 && at("not") ? parseNot() : parseComparison()
    while !nestingOverflowed {
      guard let op = logicalOperator(), op.precedence >= minimumPrecedence else { return left }
      advance()
      // Each step deepens the tree, so it counts against the nesting limit too.
      guard enterNesting() else { return invalidExpression() }
      let right = parseBinary(minimumPrecedence: op.precedence + 1)
      left = Expression(.binary(op, left, right), range: left.range.union(right.range))
    }
    return left
  }

  func logicalOperator() -> BinaryOperator? {
    if at("or") { return .or }
    if at("and") { return .and }
    return nil
  }

  /// ```
  /// not-expr = "not" not-expr | comparison ;
  /// ```
  mutating func parseNot() -> Expression {
    guard let not = consume("not") else { return parseComparison() }
    guard enterNesting() else { return invalidExpression() }
    defer { depth -= 1 }
    let operand = parseNot()
    return Expression(.unary(.not, operand), range: not.range.union(operand.range))
  }

  /// ```
  /// comparison = additive [ compare-op additive
  ///                       | [ "not" ] "in" additive "to" additive
  ///                       | [ "not" ] "in" additive { "," additive } | "reaches" additive ] ;
  /// compare-op = "=" | "!=" | "<" | "<=" | ">" | ">="
  ///            | "is" [ "not" ] | "is" "at" "least" | "is" "at" "most" | "is" "above" | "is" "below" ;
  /// ```
  mutating func parseComparison() -> Expression {
    let left = parseAdditive()
    if nestingOverflowed { return left }
    var op: BinaryOperator?
    switch current.kind {
    case .equal: op = .equal
    case .notEqual: op = .notEqual
    case .less: op = .less
    case .lessEqual: op = .lessEqual
    case .greater: op = .greater
    case .greaterEqual: op = .greaterEqual
    default: break
    }
    if op != nil {
      advance()
    } else if consume("is") != nil {
      if consume("not") != nil {
        if at("in") { return parseMembership(left, negated: true) }
        op = .notEqual
      } else if at("at"), isWord(peek(), "least") {
        advance(); advance(); op = .greaterEqual
      } else if at("at"), isWord(peek(), "most") {
        advance(); advance(); op = .lessEqual
      } else if consume("above") != nil {
        op = .greater
      } else if consume("below") != nil {
        op = .less
      } else if at("in") {
        return parseMembership(left, negated: false)
      } else {
        op = .equal
      }
    } else if at("in") {
      return parseMembership(left, negated: false)
    } else if at("not"), isWord(peek(), "in") {
      advance()
      return parseMembership(left, negated: true)
    } else if consume("reaches") != nil {
      let target = parseAdditive()
      return Expression(.reaches(left, target: target), range: left.range.union(target.range))
    }
    guard let op else { return left }
    let right = parseAdditive()
    return Expression(.binary(op, left, right), range: left.range.union(right.range))
  }

  mutating func parseMembership(_ subject: Expression, negated: Bool) -> Expression {
    advance()  // in
    let first = parseAdditive()
    if consume("to") != nil {
      let high = parseAdditive()
      return Expression(.between(subject, low: first, high: high, negated: negated), range: subject.range.union(high.range))
    }
    var members = [first]
    while current.kind == .comma, !nestingOverflowed {
      advance()
      members.append(parseAdditive())
    }
    return Expression(.member(subject, of: members, negated: negated), range: subject.range.union(members.last!.range))
  }

  /// ```
  /// additive = multiplicative { ( "+" | "-" ) multiplicative } ;
  /// ```
  mutating func parseAdditive() -> Expression {
    let savedDepth = depth
    defer { depth = savedDepth }
    var left = parseMultiplicative()
    while !nestingOverflowed, current.kind == .plus || current.kind == .minus {
      let op: BinaryOperator = advance().kind == .plus ? .add : .subtract
      guard enterNesting() else { return invalidExpression() }
      let right = parseMultiplicative()
      left = Expression(.binary(op, left, right), range: left.range.union(right.range))
    }
    return left
  }

  /// ```
  /// multiplicative = unary { ( "*" | TIMES | "/" ) unary } ;
  /// ```
  mutating func parseMultiplicative() -> Expression {
    let savedDepth = depth
    defer { depth = savedDepth }
    var left = parseUnary()
    while !nestingOverflowed, current.kind == .star || current.kind == .times || current.kind == .slash {
      let op: BinaryOperator = advance().kind == .slash ? .divide : .multiply
      guard enterNesting() else { return invalidExpression() }
      let right = parseUnary()
      left = Expression(.binary(op, left, right), range: left.range.union(right.range))
    }
    return left
  }

  /// ```
  /// unary = "-" unary | primary ;
  /// ```
  mutating func parseUnary() -> Expression {
    guard current.kind == .minus else { return parsePrimary() }
    let minus = advance()
    guard enterNesting() else { return invalidExpression() }
    defer { depth -= 1 }
    let operand = parseUnary()
    return Expression(.unary(.negate, operand), range: minus.range.union(operand.range))
  }

  /// ```
  /// primary = literal | quantity | "(" expression ")" | name ;
  /// literal = MONEY | PERCENT | NUMBER | DATE | TIME | DURATION | STRING
  ///         | WEEKDAY | MONTH | "true" | "false" ;
  /// ```
  mutating func parsePrimary() -> Expression {
    if nestingOverflowed { return invalidExpression() }
    let token = current
    func literal(_ value: Literal) -> Expression {
      Expression(.literal(value), range: token.range)
    }
    switch token.kind {
    case .money(let value): advance(); return literal(.money(value))
    case .percent(let value): advance(); return literal(.percent(value))
    case .number(let value): advance(); return literal(.number(value))
    case .date(let value): advance(); return literal(.date(value))
    case .time(let value): advance(); return literal(.time(value))
    case .duration(let value): advance(); return literal(.duration(value))
    case .string(let value): advance(); return literal(.string(value))
    case .weekday(let value): advance(); return literal(.weekday(value))
    case .month(let value): advance(); return literal(.month(value))
    case .leftParen:
      advance()
      guard enterNesting() else { return invalidExpression(from: token) }
      defer { depth -= 1 }
      let inner = parseExpression()
      if nestingOverflowed { return invalidExpression(from: token) }
      guard current.kind == .rightParen else {
        if current.kind != .invalid {
          report(.unclosedParenthesis, "expected `)` to close `(`, found \(current.phrase)", at: current.range,
                 labels: [Diagnostic.Label("`(` opened here", at: token.range)],
                 help: "add `)` to close the parenthesis")
        }
        return Expression(.invalid, range: token.range.union(inner.range))
      }
      let close = advance()
      return Expression(.parenthesized(inner), range: token.range.union(close.range))
    case .word:
      let word = token.text.lowercased()
      if word == "true" || word == "false" {
        advance()
        return literal(.bool(word == "true"))
      }
      if let quantity = parseQuantity() { return quantity }
      if lineHasError { return invalidExpression(from: token) }
      advance()
      return Expression(.name(Name(token.text, range: token.range)), range: token.range)
    default:
      if token.kind == .invalid {
        lineHasError = true
      } else {
        report(.expectedExpression, "expected an expression, found \(token.phrase)", at: token.range)
      }
      return invalidExpression(from: token)
    }
  }

  /// ```
  /// quantity = "basket" "total" [ item-filter ] | "basket" "items" [ item-filter ]
  ///          | "weekday" | "date" | "time" | "month" | "day" "of" "month"
  ///          | "tier" | "birthday" "month" | "signup" "date" | "segment" | "store" | "channel"
  ///          | "days" "since" "last" "purchase" | "days" "since" "signup"
  ///          | "purchases" "so" "far" | name "balance" | name "stamps"
  ///          | ( "spend" | "visits" ) window
  ///          | "birthday" "within" DURATION | "signup" "anniversary" "within" DURATION
  ///          | "first" "purchase" | "referred" | "visit" "streak" ;
  /// ```
  /// Returns nil, consuming nothing, when the current word starts no quantity.
  mutating func parseQuantity() -> Expression? {
    let start = current
    func done(_ quantity: Quantity) -> Expression {
      Expression(.quantity(quantity), range: range(from: start))
    }
    switch start.text.lowercased() {
    case "basket":
      if isWord(peek(), "total") { advance(); advance(); return done(.basketTotal(parseItemFilter())) }
      if isWord(peek(), "items") { advance(); advance(); return done(.basketItems(parseItemFilter())) }
      advance()
      expected("`total` or `items`", after: "`basket`")
      return invalidExpression(from: start)
    case "weekday": advance(); return done(.weekday)
    case "date": advance(); return done(.date)
    case "time": advance(); return done(.timeOfDay)
    case "month": advance(); return done(.month)
    case "tier": advance(); return done(.tier)
    case "segment": advance(); return done(.segment)
    case "store": advance(); return done(.store)
    case "channel": advance(); return done(.channel)
    case "day" where isWord(peek(), "of"):
      advance(); advance()
      guard expect("month", after: "`day of`") != nil else { return invalidExpression(from: start) }
      return done(.dayOfMonth)
    case "birthday" where isWord(peek(), "month"): advance(); advance(); return done(.birthdayMonth)
    case "birthday" where isWord(peek(), "within"):
      advance(); advance()
      guard let days = parseTriggerDuration(after: "`birthday within`") else { return invalidExpression(from: start) }
      return done(.birthdayWithin(days))
    case "signup" where isWord(peek(), "anniversary"):
      advance(); advance()
      guard expect("within", after: "`signup anniversary`") != nil,
            let days = parseTriggerDuration(after: "`signup anniversary within`") else { return invalidExpression(from: start) }
      return done(.anniversaryWithin(days))
    case "first" where isWord(peek(), "purchase"): advance(); advance(); return done(.firstPurchase)
    case "visit" where isWord(peek(), "streak"): advance(); advance(); return done(.visitStreak)
    case "referred" where !isNameWord(peek()) || ["and", "or", "is", "not", "in", "to", "reaches"].contains(peek().text.lowercased()):
      advance(); return done(.referred)
    case "signup" where isWord(peek(), "date"): advance(); advance(); return done(.signupDate)
    case "days" where isWord(peek(), "since"):
      advance(); advance()
      if consume("signup") != nil { return done(.daysSinceSignup) }
      guard expect("last", after: "`days since`") != nil, expect("purchase", after: "`days since last`") != nil else {
        return invalidExpression(from: start)
      }
      return done(.daysSinceLastPurchase)
    case "purchases" where isWord(peek(), "so"):
      advance(); advance()
      guard expect("far", after: "`purchases so`") != nil else { return invalidExpression(from: start) }
      return done(.purchasesSoFar)
    case "spend", "visits":
      let isSpend = start.text.lowercased() == "spend"
      advance()
      guard let window = parseWindow(after: "`\(start.text)`") else { return invalidExpression(from: start) }
      return done(isSpend ? .spend(window) : .visits(window))
    default:
      break
    }
    // `birthday anniversary within …`: only the signup date has anniversaries.
    if isWord(peek(), "anniversary"), start.kind == .word {
      let suggestion = "signup anniversary"
      report(.unknownAnniversary, "unknown anniversary `\(start.text) anniversary`", at: start.range.union(peek().range),
             label: "not a date Perk knows", help: "did you mean `\(suggestion)`?")
      while !atLineEnd { advance() }
      return invalidExpression(from: start)
    }
    // `NAME balance` and `NAME stamps`: look ahead along the run of words on this line.
    var look = index
    while isNameWord(tokens[look]) {
      let word = tokens[look].text.lowercased()
      if (word == "balance" || word == "stamps"), look > index {
        guard let name = parseName(stoppingAt: ["balance", "stamps"]) else { return nil }
        let isBalance = advance().text.lowercased() == "balance"
        return done(isBalance ? .balance(name) : .stamps(name))
      }
      if ["and", "or", "is", "in", "not", "to"].contains(word) { break }
      look += 1
    }
    return nil
  }
}


extension Parser {
  /// The duration after `within`: a DURATION token such as `7 days`.
  mutating func parseTriggerDuration(after context: String) -> DurationLiteral? {
    if case .duration(let duration) = current.kind {
      advance()
      return duration
    }
    expected("a duration such as `7 days`", after: context)
    return nil
  }
}
