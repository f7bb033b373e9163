import PerkSource

/// `test` declarations: scenarios with customers, dated events and expectations.
///
/// Every line of a test starts with `customer`, `on` or `expect`; the words after a customer's
/// name say what happens (`buys`, `returns`, `redeems`, `signs up`, `triggers`) or what is claimed
/// (`earns`, `gets`, `collects`, `moves`, `pays`, `has`, `is rejected`).
extension Parser {
  static let testStepKeywords = Keyword.testSteps.map(\.rawValue)
  static let testEventVerbs = Keyword.testEvents.map(\.rawValue)
  static let testClaimVerbs = Keyword.testClaims.map(\.rawValue)
  static let testCustomerAttributes = ["birthday", "signed", "referred", "segment", "with", "attribute", "timezone"]

  /// Parses a test declaration.
  ///
  ///     test-decl = "test" ( STRING | test-words ) NEWLINE { INDENT test-step NEWLINE } ;
  mutating func parseTest() -> Declaration {
    let keyword = advance()
    let name: Located<String>
    if case .string(let text) = current.kind, isLineEnd(peek()) {
      name = Located(text, range: advance().range)
    } else if !atLineEnd {
      // Any words: the name is the header's text as written, so `8th` or `10 stamps` read as typed.
      let nameRange = rangeToLineEnd()
      while !atLineEnd { advance() }
      name = Located(file.text(of: nameRange).split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " "),
                     range: nameRange)
    } else {
      report(.missingName, "`test` needs a name", at: current.range, help: "for example `test the tenth coffee is free`")
      name = Located("", range: keyword.range)
    }
    finishLine("the test name")
    let steps = parseClauseLines { parser in parser.parseTestStep() }
    return .test(TestDeclaration(name: name, steps: steps, keywordRange: keyword.range, range: keyword.range.union(name.range)))
  }

  func isLineEnd(_ token: Token) -> Bool { token.kind == .newline || token.kind == .endOfFile }

  /// ```
  /// test-step = customer-line | event-line | expect-line ;
  /// ```
  mutating func parseTestStep() -> TestDeclaration.Step {
    let start = current
    let step: TestDeclaration.Step?
    if at("customer") {
      step = parseTestCustomer().map { .customer($0) }
    } else if at("on") {
      step = parseTestEvent().map { .event($0) }
    } else if at("expect") {
      step = parseTestExpectation().map { .expect($0) }
    } else {
      if current.kind != .invalid {
        let word = current.kind == .word ? current.text.lowercased() : ""
        report(.unknownTestStep, "unknown line \(current.phrase) in a test", at: current.range,
               help: Suggestions.closest(to: word, in: Parser.testStepKeywords).map { "did you mean `\($0)`?" }
                 ?? "a test line starts with `customer`, `on` or `expect`")
      }
      skipLine()
      return .invalid(start.range)
    }
    let lineRange = range(from: start)
    if !atLineEnd, !lineHasError, current.kind != .invalid {
      report(.unexpectedTrailingText, "unexpected \(current.phrase) after the test line", at: rangeToLineEnd(),
             label: "not part of the test line",
             help: "separate lines, items and facts with commas (`1 latte at $4.50, 1 muffin at $3.00`); one event or expectation per line")
    }
    let clean = finishLine("the test line")
    if case .customer? = step { return step ?? .invalid(lineRange) }
    guard clean, let step else { return .invalid(lineRange) }
    return step
  }

  // MARK: Customers

  /// ```
  /// customer-line = "customer" customer-name { "," customer-attribute } ;
  /// customer-attribute = "birthday" DATE | "signed" "up" DATE | "referred" "by" customer-name
  ///                    | "segment" name | "with" NUMBER name | "attribute" name STRING
  ///                    | "timezone" zone-name ;
  /// ```
  mutating func parseTestCustomer() -> TestCustomerSyntax? {
    let start = advance()
    guard let name = parseCustomerName(after: "`customer`") else { return nil }
    var attributes: [TestCustomerSyntax.Attribute] = []
    while current.kind == .comma {
      advance()
      // A broken attribute (already reported) still declares the customer, so the lines
      // that name them do not cascade into "unknown customer".
      guard let attribute = parseCustomerAttribute() else { break }
      attributes.append(attribute)
    }
    return TestCustomerSyntax(name: name, attributes: attributes, range: range(from: start))
  }

  /// A customer's name: one word or a string.
  mutating func parseCustomerName(after context: String) -> Name? {
    switch current.kind {
    case .word:
      let token = advance()
      return Name(token.text, range: token.range)
    case .string(let text):
      return Name(text, range: advance().range)
    default:
      expected("a customer's name", after: context)
      return nil
    }
  }

  mutating func parseCustomerAttribute() -> TestCustomerSyntax.Attribute? {
    if consume("birthday") != nil {
      return parseDate(after: "`birthday`").map { .birthday($0) }
    }
    if consume("signed") != nil {
      guard expect("up", after: "`signed`") != nil else { return nil }
      return parseDate(after: "`signed up`").map { .signedUp($0) }
    }
    if consume("referred") != nil {
      guard expect("by", after: "`referred`") != nil else { return nil }
      return parseCustomerName(after: "`referred by`").map { .referredBy($0) }
    }
    if consume("segment") != nil {
      guard let name = parseName(stoppingAt: []) else {
        expected("a segment name", after: "`segment`")
        return nil
      }
      return .segment(name)
    }
    if consume("with") != nil {
      guard let amount = parseCount(what: "a number of points", after: "`with`") else { return nil }
      guard let currency = parseName(stoppingAt: []) else {
        expected("a points currency", after: "the amount")
        return nil
      }
      return .balance(amount: amount, currency: currency)
    }
    if consume("attribute") != nil {
      guard let key = parseName(stoppingAt: []) else {
        expected("an attribute name", after: "`attribute`")
        return nil
      }
      guard case .string(let text) = current.kind else {
        expected("the attribute's value in quotes", after: "the attribute name")
        return nil
      }
      return .attribute(key: key, value: Located(text, range: advance().range))
    }
    if consume("timezone") != nil {
      let first = current
      let firstIndex = index
      while current.kind == .word || current.kind == .slash || current.kind == .plus || current.kind == .minus || isNumber(current) {
        advance()
      }
      guard index > firstIndex else {
        expected("a time zone such as `America/New_York`", after: "`timezone`")
        return nil
      }
      let zoneRange = range(from: first)
      return .timezone(Name(file.text(of: zoneRange), range: zoneRange))
    }
    unknownVerb(in: "a customer line", candidates: Parser.testCustomerAttributes,
                help: "a customer line takes `birthday DATE`, `signed up DATE`, `referred by NAME`, `segment NAME`, `with N POINTS`, `attribute NAME \"VALUE\"` or `timezone ZONE`")
    return nil
  }

  // MARK: Events

  /// ```
  /// event-line = "on" DATE [ TIME ] ( "time" "passes" | customer-name action ) [ "as" WORD ] ;
  /// action     = "buys" purchase-line { "," purchase-line } [ "at" "store" name ] [ "via" name ]
  ///            | "returns" ( return-line { "," return-line } "from" WORD | WORD )
  ///            | "redeems" name | "signs" "up" | "triggers" name | "replays" WORD ;
  /// ```
  mutating func parseTestEvent() -> TestEventSyntax? {
    let start = advance()
    guard let date = parseDate(after: "`on`") else { return nil }
    var time: Located<TimeLiteral>?
    if case .time(let t) = current.kind { time = Located(t, range: advance().range) }
    if at("time"), isWord(peek(), "passes") {
      let first = advance()
      advance()
      return TestEventSyntax(date: date, time: time, customer: nil, action: Located(.timePasses, range: range(from: first)),
                             label: nil, range: range(from: start))
    }
    guard let customer = parseCustomerName(after: "the date") else { return nil }
    let verb = current
    let action: TestActionSyntax
    if consume("buys") != nil {
      var lines: [TestPurchaseLineSyntax] = []
      repeat {
        if !lines.isEmpty { advance() }  // the comma
        guard let line = parsePurchaseLine() else { return nil }
        lines.append(line)
      } while current.kind == .comma
      var store: Name?
      var channel: Name?
      if at("at"), isWord(peek(), "store") {
        advance(); advance()
        guard let name = parseName(stoppingAt: ["via", "as"]) else { expected("a store name", after: "`at store`"); return nil }
        store = name
      }
      if consume("via") != nil {
        guard let name = parseName(stoppingAt: ["as"]) else { expected("a channel such as `app`", after: "`via`"); return nil }
        channel = name
      }
      action = .purchase(lines: lines, store: store, channel: channel)
    } else if consume("returns") != nil {
      if isNumber(current) {
        var lines: [TestReturnLineSyntax] = []
        repeat {
          if !lines.isEmpty { advance() }
          guard let quantity = parseCount(what: "a quantity", after: lines.isEmpty ? "`returns`" : "`,`") else { return nil }
          skipTimesSign()
          guard let sku = parseName(stoppingAt: ["from"]) else { expected("an item", after: "the quantity"); return nil }
          lines.append(TestReturnLineSyntax(quantity: quantity, sku: sku, range: quantity.range.union(sku.range)))
        } while current.kind == .comma
        guard expect("from", after: "the returned items") != nil else { return nil }
        guard let label = parseLabel(after: "`from`") else { return nil }
        action = .return(lines: lines, original: label)
      } else {
        guard let label = parseLabel(after: "`returns`") else { return nil }
        action = .return(lines: [], original: label)
      }
    } else if consume("redeems") != nil {
      guard let reward = parseName(stoppingAt: ["as"], allowingNumbers: true) else {
        expected("a reward", after: "`redeems`")
        return nil
      }
      action = .redemption(reward: reward)
    } else if consume("signs") != nil {
      guard expect("up", after: "`signs`") != nil else { return nil }
      action = .signup
    } else if consume("replays") != nil {
      guard let label = parseLabel(after: "`replays`") else { return nil }
      action = .replay(label)
    } else if consume("triggers") != nil {
      guard let name = parseName(stoppingAt: ["as"], allowingNumbers: true) else {
        expected("an event name such as `referral`", after: "`triggers`")
        return nil
      }
      action = .custom(name)
    } else {
      unknownVerb(in: "an event", candidates: Parser.testEventVerbs,
                  help: "after the customer write " + Keyword.list(Keyword.testEvents.map(\.phrase)))
      return nil
    }
    let actionRange = range(from: verb)
    var label: Name?
    if consume("as") != nil {
      guard let name = parseLabel(after: "`as`") else { return nil }
      label = name
    }
    return TestEventSyntax(date: date, time: time, customer: customer, action: Located(action, range: actionRange),
                           label: label, range: range(from: start))
  }

  /// `7 latte at $4.50 (coffee)`; `7 × latte` also reads.
  mutating func parsePurchaseLine() -> TestPurchaseLineSyntax? {
    let start = current
    guard let quantity = parseCount(what: "a quantity such as `2`", after: "`buys`") else { return nil }
    skipTimesSign()
    guard let sku = parseName(stoppingAt: ["at"]) else {
      expected("an item such as `latte`", after: "the quantity")
      return nil
    }
    guard expect("at", after: "the item") != nil else { return nil }
    guard case .money(let money) = current.kind else {
      expected("a price such as `$4.50`", after: "`at`")
      return nil
    }
    let price = Located(money, range: advance().range)
    var category: Name?
    if current.kind == .leftParen {
      advance()
      guard let name = parseName(stoppingAt: []) else {
        expected("a category", after: "`(`")
        return nil
      }
      category = name
      guard expect(.rightParen, "`)`", after: "the category") != nil else { return nil }
    }
    return TestPurchaseLineSyntax(quantity: quantity, sku: sku, price: price, category: category,
                                  range: range(from: start))
  }

  mutating func skipTimesSign() {
    if current.kind == .times || (isWord(current, "x") && isNameWord(peek())) { advance() }
  }

  /// A transaction label: one word such as `T1`.
  mutating func parseLabel(after context: String) -> Name? {
    switch current.kind {
    case .word:
      let token = advance()
      return Name(token.text, range: token.range)
    case .string(let text):
      return Name(text, range: advance().range)
    default:
      expected("a transaction label such as `T1`", after: context)
      return nil
    }
  }

  // MARK: Expectations

  /// ```
  /// expect-line = "expect" ( "rejected" [ STRING ] | customer-name claim ) ;
  /// claim = "earns" ( NUMBER | "no" ) name [ "from" name ]
  ///       | "loses" NUMBER ( ( "stamp" | "stamps" ) [ "on" name ] | name [ "to" "expiry" ] )
  ///       | "spends" NUMBER name [ "on" name ] | "saves" MONEY [ "from" name ]
  ///       | "gets" NUMBER name "released" | "is" "refunded" MONEY | "is" "told" STRING
  ///       | "is" "sent" ( STRING [ "via" name ] | "nothing" ) | "is" "not" "sent" STRING [ "via" name ]
  ///       | "is" "short" NUMBER name
  ///       | "gets" ( "nothing" [ "free" ] | "no" "voucher" | "voucher" STRING [ "worth" MONEY ] [ "valid" "until" DATE ] | "reward" name | [ NUMBER ] name "free" )
  ///       | "collects" NUMBER ( "stamp" | "stamps" ) [ "on" name ]
  ///       | "moves" "to" "tier" name | "pays" MONEY
  ///       | "has" state-item { "," state-item } | "is" "rejected" [ STRING ] ;
  /// state-item = NUMBER ( "stamp" | "stamps" ) [ "on" name ] | NUMBER name [ "pending" | "expiring" "on" DATE ]
  ///            | "tier" name | "no" "tier" ;
  /// ```
  mutating func parseTestExpectation() -> TestExpectationSyntax? {
    let start = advance()
    if consume("rejected") != nil {
      let reason = parseReason()
      return TestExpectationSyntax(customer: nil, claim: .rejected(reason: reason), range: range(from: start))
    }
    guard let customer = parseCustomerName(after: "`expect`") else { return nil }
    let claim: TestClaimSyntax
    if consume("earns") != nil {
      guard let parsed = parseEarnsClaim() else { return nil }
      claim = parsed
    } else if consume("gets") != nil {
      guard let parsed = parseGetsClaim() else { return nil }
      claim = parsed
    } else if consume("collects") != nil {
      guard let count = parseCount(what: "a number of stamps", after: "`collects`") else { return nil }
      guard consume("stamps") != nil || consume("stamp") != nil else {
        expected("`stamps`", after: "the number")
        return nil
      }
      var card: Name?
      if consume("on") != nil {
        guard let name = parseName(stoppingAt: []) else { expected("a stamp card", after: "`on`"); return nil }
        card = name
      }
      claim = .collects(count: count, card: card)
    } else if consume("moves") != nil {
      guard expect("to", after: "`moves`") != nil, expect("tier", after: "`moves to`") != nil else { return nil }
      guard let name = parseName(stoppingAt: []) else { expected("a tier", after: "`moves to tier`"); return nil }
      claim = .tierChange(to: name)
    } else if consume("pays") != nil {
      guard case .money(let money) = current.kind else {
        expected("an amount such as `$3.00`", after: "`pays`")
        return nil
      }
      claim = .pays(Located(money, range: advance().range))
    } else if consume("has") != nil {
      var items: [TestStateItemSyntax] = []
      repeat {
        if !items.isEmpty { advance() }
        guard let item = parseStateItem() else { return nil }
        items.append(item)
      } while current.kind == .comma
      claim = .state(items)
    } else if consume("accrues") != nil {
      guard let rebate = parseRebateClaim(isStatement: nil) else { return nil }
      claim = .rebate(rebate)
    } else if consume("is") != nil {
      guard let parsed = parseIsClaim() else { return nil }
      claim = parsed
    } else if consume("loses") != nil {
      guard let parsed = parseLosesClaim() else { return nil }
      claim = parsed
    } else if consume("saves") != nil {
      guard case .money(let money) = current.kind else {
        expected("an amount such as `$4.50`", after: "`saves`")
        return nil
      }
      let amount = Located(money, range: advance().range)
      var rule: Name?
      if consume("from") != nil {
        guard let name = parseName(stoppingAt: [], allowingNumbers: true) else { expected("a rule name", after: "`from`"); return nil }
        rule = name
      }
      claim = .saves(amount, rule: rule)
    } else if consume("spends") != nil {
      guard let count = parseCount(what: "a number of points", after: "`spends`") else { return nil }
      guard let currency = parseName(stoppingAt: ["on"]) else {
        expected("a points currency", after: "the number")
        return nil
      }
      var reward: Name?
      if consume("on") != nil {
        guard let name = parseName(stoppingAt: [], allowingNumbers: true) else { expected("a reward", after: "`on`"); return nil }
        reward = name
      }
      claim = .spends(amount: count, currency: currency, reward: reward)
    } else {
      unknownVerb(in: "an expectation", candidates: Parser.testClaimVerbs,
                  help: "after the customer write " + Keyword.list(Keyword.testClaims.map(\.phrase)))
      return nil
    }
    return TestExpectationSyntax(customer: customer, claim: claim, range: range(from: start))
  }

  /// The rest of an `earns` claim: a number or `no`, a currency, `from` a rule.
  mutating func parseEarnsClaim() -> TestClaimSyntax? {
    let amount: Located<Int64>
    if let no = consume("no") {
      amount = Located(0, range: no.range)
    } else {
      guard let count = parseCount(what: "a number of points", after: "`earns`") else { return nil }
      amount = count
    }
    guard let currency = parseName(stoppingAt: ["from"]) else {
      expected("a points currency such as `stars`", after: "the amount")
      return nil
    }
    var rule: Name?
    if consume("from") != nil {
      guard let name = parseName(stoppingAt: [], allowingNumbers: true) else {
        expected("a rule name", after: "`from`")
        return nil
      }
      rule = name
    }
    return .earns(amount: amount, currency: currency, rule: rule)
  }

  /// The rest of a `gets` claim: nothing, a voucher, a reward, a rebate, free or released items.
  mutating func parseGetsClaim() -> TestClaimSyntax? {
    if consume("nothing") != nil {
      return consume("free") != nil ? .nothingFree : .nothing
    } else if at("no"), isWord(peek(), "voucher") {
      advance(); advance()
      return .noVoucher
    } else if consume("voucher") != nil {
      guard case .string(let text) = current.kind else {
        expected("the voucher's name in quotes", after: "`voucher`")
        return nil
      }
      let name = Located(text, range: advance().range)
      var worth: Located<MoneyLiteral>?
      if consume("worth") != nil {
        guard case .money(let money) = current.kind else {
          expected("an amount such as `$5`", after: "`worth`")
          return nil
        }
        worth = Located(money, range: advance().range)
      }
      var validUntil: Located<DateLiteral>?
      if consume("valid") != nil {
        guard expect("until", after: "`valid`") != nil, let date = parseDate(after: "`valid until`") else { return nil }
        validUntil = date
      }
      return .voucher(name: name, worth: worth, validUntil: validUntil)
    } else if consume("reward") != nil {
      guard let name = parseName(stoppingAt: [], allowingNumbers: true) else {
        expected("a reward", after: "`reward`")
        return nil
      }
      return .reward(name)
    } else if (at("rebate") || at("statement")), case .money = peek().kind {
      guard let rebate = parseRebateClaim(isStatement: advance().text.lowercased() == "statement") else { return nil }
      return .rebate(rebate)
    } else {
      var count: Located<Int64>?
      if isNumber(current) {
        guard let c = parseCount(what: "a number of items", after: "`gets`") else { return nil }
        count = c
        skipTimesSign()
      }
      guard let sku = parseName(stoppingAt: ["free", "released"]) else {
        expected("`nothing`, `voucher`, `reward` or an item such as `latte free`", after: "`gets`")
        return nil
      }
      if let count, consume("released") != nil {
        return .released(amount: count, currency: sku)
      } else {
        guard expect("free", after: "the item") != nil else { return nil }
        return .freeItem(count: count, sku: sku)
      }
    }
  }

  /// The rest of an `is` claim: `refunded`, `told`, `rejected` or `short`.
  mutating func parseIsClaim() -> TestClaimSyntax? {
    if consume("refunded") != nil {
      guard case .money(let money) = current.kind else {
        expected("an amount such as `$4.50`", after: "`is refunded`")
        return nil
      }
      return .refunded(Located(money, range: advance().range))
    } else if consume("told") != nil {
      guard case .string(let text) = current.kind else {
        expected("the message in quotes, such as `\"30 stars to free drink\"`", after: "`is told`")
        return nil
      }
      return .told(Located(text, range: advance().range))
    } else if at("sent") || (at("not") && isWord(peek(), "sent")) {
      return parseSentClaim()
    } else if consume("rejected") != nil {
      return .rejected(reason: parseReason())
    } else if consume("short") != nil {
      guard let count = parseCount(what: "a number of points", after: "`is short`") else { return nil }
      guard let currency = parseName(stoppingAt: []) else {
        expected("a points currency", after: "the number")
        return nil
      }
      return .short(amount: count, currency: currency)
    } else {
      expected("`rejected`, `refunded`, `told`, `sent`, `not sent` or `short`", after: "`is`")
      return nil
    }
  }

  /// The rest of an `is sent` / `is not sent` claim: `nothing`, or the message and its channel.
  mutating func parseSentClaim() -> TestClaimSyntax? {
    let negated = consume("not") != nil
    advance()
    if !negated, consume("nothing") != nil { return .sent(text: nil, channel: nil) }
    guard case .string(let text) = current.kind else {
      expected(negated ? "the message in quotes" : "the message in quotes, or `nothing`", after: negated ? "`is not sent`" : "`is sent`")
      return nil
    }
    let message = Located(text, range: advance().range)
    var channel: Name?
    if consume("via") != nil {
      guard current.kind == .word else {
        expected("a channel (`email`, `sms`, `push` or `receipt`)", after: "`via`")
        return nil
      }
      channel = Name(current.text, range: advance().range)
    }
    return .sent(text: message, channel: channel, negated: negated)
  }

  /// The rest of a `loses` claim: points (to expiry) or stamps.
  mutating func parseLosesClaim() -> TestClaimSyntax? {
    guard let count = parseCount(what: "a number of points or stamps", after: "`loses`") else { return nil }
    if consume("stamps") != nil || consume("stamp") != nil {
      var card: Name?
      if consume("on") != nil {
        guard let name = parseName(stoppingAt: []) else { expected("a stamp card", after: "`on`"); return nil }
        card = name
      }
      return .losesStamps(count: count, card: card)
    } else {
      guard let currency = parseName(stoppingAt: ["to"]) else {
        expected("a points currency or `stamps`", after: "the number")
        return nil
      }
      var toExpiry = false
      if consume("to") != nil {
        guard expect("expiry", after: "`to`") != nil else { return nil }
        toExpiry = true
      }
      return .loses(amount: count, currency: currency, toExpiry: toExpiry)
    }
  }

  mutating func parseReason() -> Located<String>? {
    if case .string(let text) = current.kind { return Located(text, range: advance().range) }
    return nil
  }

  mutating func parseStateItem() -> TestStateItemSyntax? {
    let start = current
    if consume("tier") != nil {
      guard let name = parseName(stoppingAt: []) else { expected("a tier", after: "`tier`"); return nil }
      return .tier(name, range: range(from: start))
    }
    if at("no"), isWord(peek(), "tier") {
      advance(); advance()
      return .noTier(range(from: start))
    }
    guard let count = parseCount(what: "a number, `tier NAME` or `no tier`", after: nil) else { return nil }
    if consume("stamps") != nil || consume("stamp") != nil {
      var card: Name?
      if consume("on") != nil {
        guard let name = parseName(stoppingAt: []) else { expected("a stamp card", after: "`on`"); return nil }
        card = name
      }
      return .stamps(count: count, card: card, range: range(from: start))
    }
    guard let currency = parseName(stoppingAt: ["pending", "expiring"]) else {
      expected("a points currency or `stamps`", after: "the number")
      return nil
    }
    if consume("pending") != nil { return .pending(amount: count, currency: currency) }
    if consume("expiring") != nil {
      guard expect("on", after: "`expiring`") != nil, let date = parseDate(after: "`expiring on`") else { return nil }
      return .expiring(amount: count, currency: currency, date: date)
    }
    return .balance(amount: count, currency: currency)
  }

  // MARK: Pieces

  /// A whole, non-negative number.
  mutating func parseCount(what: String, after context: String?) -> Located<Int64>? {
    guard case .number(let number) = current.kind else {
      expected(what, after: context)
      return nil
    }
    guard number.scale == 0 else {
      report(.expectedToken, "expected a whole number, found \(current.phrase)", at: current.range)
      return nil
    }
    return Located(number.significand, range: advance().range)
  }

  mutating func parseDate(after context: String) -> Located<DateLiteral>? {
    guard case .date(let date) = current.kind else {
      expected("a date such as `2026-03-02`", after: context)
      return nil
    }
    return Located(date, range: advance().range)
  }

  /// Reports an unknown word where a test verb or attribute belongs, with did-you-mean.
  mutating func unknownVerb(in context: String, candidates: [String], help: String) {
    if current.kind == .invalid { lineHasError = true; return }
    let word = current.kind == .word ? current.text.lowercased() : ""
    let suggestion = word.isEmpty ? nil : Suggestions.closest(to: word, in: candidates)
    report(.unknownTestVerb, "unknown word \(current.phrase) in \(context)", at: current.range,
           help: suggestion.map { "did you mean `\($0)`?" } ?? help)
  }
}
