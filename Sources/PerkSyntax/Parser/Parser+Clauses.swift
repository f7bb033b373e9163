import PerkSource

extension Parser {
  /// ```
  /// program-clause = "currency" WORD | "timezone" zone-name | budget
  ///                | "calendar" "in" "customer" "time" "zones"
  ///                | "thresholds" ( "before" | "after" ) "discounts"
  ///                | "amounts" ( "before" | "include" ) "tax" | return-policy | contact-policy
  ///                | ( "categories" | "skus" ) filter-value { "," filter-value } ;
  /// zone-name      = WORD { "/" WORD } ;
  /// ```
  mutating func parseProgramClause() -> ProgramDeclaration.Clause {
    let start = current
    if consume("currency") != nil {
      guard current.kind == .word else {
        expected("a currency code such as `USD`", after: "`currency`")
        skipLine()
        return .invalid(start.range)
      }
      let code = advance()
      finishLine("the currency")
      return .currency(Name(code.text, range: code.range))
    }
    if consume("timezone") != nil {
      guard !atLineEnd else {
        expected("a time zone such as `America/New_York`", after: "`timezone`")
        skipLine()
        return .invalid(start.range)
      }
      let first = current
      while !atLineEnd, current.kind == .word || current.kind == .slash || current.kind == .plus
        || current.kind == .minus || isNumber(current) { advance() }
      let zoneRange = range(from: first)
      finishLine("the time zone")
      return .timezone(Name(file.text(of: zoneRange), range: zoneRange))
    }
    if at("budget") { return parseProgramBudget() }
    if consume("calendar") != nil {
      for (word, after) in [("in", "`calendar`"), ("customer", "`calendar in`"), ("time", "`calendar in customer`"),
                            ("zones", "`calendar in customer time`")] {
        guard expect(word, after: after) != nil else {
          skipLine()
          return .invalid(start.range)
        }
      }
      let clauseRange = range(from: start)
      return finishLine("the calendar clause") ? .customerCalendar(clauseRange) : .invalid(start.range)
    }
    if at("categories") || at("skus") {
      let field: ItemFilter.Field = at("categories") ? .category : .sku
      advance()
      let (values, complete) = parseFilterValues(field, after: "`\(start.text)`")
      guard complete else {
        skipLine()
        return .invalid(start.range)
      }
      let clauseRange = range(from: start)
      return finishLine("the list") ? .catalog(field: field, values: values, range: clauseRange) : .invalid(start.range)
    }
    if at("thresholds") {
      guard let basis = parseStatedBasis("thresholds", choices: [("before", ThresholdBasisSyntax.beforeDiscounts), ("after", .afterDiscounts)],
                                         last: "discounts") else { return .invalid(start.range) }
      return .thresholds(basis)
    }
    if at("amounts") {
      guard let basis = parseStatedBasis("amounts", choices: [("before", TaxBasisSyntax.beforeTax), ("include", .includeTax)],
                                         last: "tax") else { return .invalid(start.range) }
      return .tax(basis)
    }
    if at("on") {
      guard let policy = parseReturnPolicy() else { return .invalid(start.range) }
      return .onReturn(policy)
    }
    if at("messages") || at("message") || at("quiet") || at("consent") {
      guard let clause = parseContactPolicy() else {
        skipLine()
        return .invalid(start.range)
      }
      return finishLine("the contact policy") ? clause : .invalid(start.range)
    }
    unknownClause(in: "a program", keywords: ["currency", "timezone", "calendar", "budget", "thresholds", "amounts", "on return",
                                              "categories", "skus", "messages", "message costs", "quiet hours", "consent"])
    return .invalid(start.range)
  }

  /// `KEYWORD CHOICE LAST`, such as `thresholds after discounts`: one of two words between fixed
  /// ones. Reports and skips the line when it does not read so.
  mutating func parseStatedBasis<Basis>(_ keyword: String, choices: [(String, Basis)], last: String) -> Located<Basis>? {
    advance()
    let first = current
    guard let (word, basis) = choices.first(where: { at($0.0) }) else {
      expected(choices.map { "`\($0.0) \(last)`" }.joined(separator: " or "), after: "`\(keyword)`")
      skipLine()
      return nil
    }
    advance()
    guard consume(last) != nil else {
      expected("`\(last)`", after: "`\(keyword) \(word)`")
      skipLine()
      return nil
    }
    let basisRange = range(from: first)
    finishLine("the \(keyword) clause")
    return Located(basis, range: basisRange)
  }

  /// ```
  /// points-clause = "worth" MONEY | "round" rounding | expire-clause | spend-clause | hold-clause
  ///               | return-clause ;
  /// rounding      = "down" | "up" | "half" "up" | "half" "even" ;
  /// ```
  mutating func parsePointsClause() -> PointsDeclaration.Clause {
    let start = current
    if consume("worth") != nil {
      let value = parseExpression()
      return finishLine("`worth`") ? .worth(value) : .invalid(start.range)
    }
    if at("round") {
      guard let rounding = parseAmountRounding() else {
        skipLine()
        return .invalid(start.range)
      }
      if let unit = rounding.unit {
        report(.roundingUnitOnPoints, "points round to whole points, not to \(unit.value.rawValue)", at: unit.range,
               label: "a unit is for money amounts", help: "remove `to \(unit.value.rawValue)`: `round \(rounding.mode.value.rawValue)`")
        skipLine()
        return .invalid(start.range)
      }
      finishLine("the rounding")
      return .round(rounding.mode)
    }
    if at("expire") || at("spend") || at("hold") || at("on") { return parsePointsLifeClause() }
    if at("cap") { return parsePointsCap() }
    unknownClause(in: "a points declaration", keywords: ["worth", "round", "expire", "spend", "hold", "on", "cap"])
    return .invalid(start.range)
  }

  /// ```
  /// amount-rounding = "round" rounding [ "to" ( "the" "cent" | "whole" "units" ) ] ;
  /// ```
  mutating func parseAmountRounding() -> AmountRoundingSyntax? {
    let start = advance()  // round
    guard let mode = parseRounding() else { return nil }
    var unit: Located<RoundingUnitSyntax>?
    if consume("to") != nil {
      let unitStart = current
      if consume("the") != nil {
        guard expect("cent", after: "`to the`") != nil else { return nil }
        unit = Located(.cent, range: range(from: unitStart))
      } else if consume("whole") != nil {
        guard expect("units", after: "`to whole`") != nil else { return nil }
        unit = Located(.whole, range: range(from: unitStart))
      } else {
        expected("`the cent` or `whole units`", after: "`to`")
        return nil
      }
    }
    return AmountRoundingSyntax(mode: mode, unit: unit, range: range(from: start))
  }

  mutating func parseRounding() -> Located<RoundingSyntax>? {
    let start = current
    if consume("down") != nil { return Located(.down, range: start.range) }
    if consume("up") != nil { return Located(.up, range: start.range) }
    if consume("half") != nil {
      if consume("up") != nil { return Located(.halfUp, range: range(from: start)) }
      if consume("even") != nil { return Located(.halfEven, range: range(from: start)) }
      expected("`up` or `even`", after: "`round half`")
      return nil
    }
    expected("`down`, `up`, `half up` or `half even`", after: "`round`")
    return nil
  }

  /// ```
  /// window = ( "over" | "in" ) "last" ( DURATION | NUMBER "calendar" calendar-periods )
  ///        | "in" "calendar" period-unit | "this" period-unit ;
  /// ```
  mutating func parseWindow(after context: String) -> WindowSyntax? {
    if at("over") || at("in") {
      let preposition = advance()
      if consume("last") != nil {
        if case .duration(let duration) = current.kind {
          advance()
          return .last(duration)
        }
        if case .number(let n) = current.kind, isWord(peek(), "calendar") {
          guard n.scale == 0 else {
            expected("a whole number of calendar periods", after: "`last`")
            return nil
          }
          advance(); advance()
          return parseCalendarPeriods(count: n.significand)
        }
        expected("a duration such as `12 months`", after: "`last`")
        return nil
      }
      if isWord(preposition, "in"), consume("calendar") != nil {
        return parsePeriodUnit(after: "`in calendar`").map { .calendar($0) }
      }
      expected("`last` or `calendar`", after: "`\(preposition.text)`")
      return nil
    }
    if consume("this") != nil {
      return parsePeriodUnit(after: "`this`").map { .calendar($0) }
    }
    expected("a window such as `over last 12 months` or `this year`", after: context)
    return nil
  }

  /// ```
  /// NUMBER "calendar" ( "week" | "weeks" | "month" | "months" | "quarter" | "quarters" | "year" | "years" | "day" | "days" )
  /// ```
  /// (`days` is read so that the checker can say why it is refused.)
  mutating func parseCalendarPeriods(count: Int64) -> WindowSyntax? {
    for unit in [CalendarPeriodSyntax.day, .week, .month, .quarter, .year] where at(unit.rawValue) || at(unit.rawValue + "s") {
      advance()
      return .lastCalendar(count: count, unit: unit)
    }
    expected("`weeks`, `months`, `quarters` or `years`", after: "`calendar`")
    return nil
  }

  /// ```
  /// period-unit = "day" | "week" | "month" | "year" ;
  /// ```
  mutating func parsePeriodUnit(after context: String) -> DurationUnit? {
    for unit in DurationUnit.allCases where at(unit.rawValue) {
      advance()
      return unit
    }
    // `per calendar year`: a period here is a calendar period already.
    let unit = isWord(current, "calendar") ? DurationUnit.allCases.first { isWord(peek(), $0.rawValue) } : nil
    let keyword = index > 0 ? tokens[index - 1].text : ""
    expected("`day`, `week`, `month` or `year`", after: context,
             help: unit.map { "a period is a calendar period already: write `\(keyword) \($0.rawValue)`" })
    return nil
  }

  /// ```
  /// tiers-clause = tier-level | keep-clause | review-clause ;
  /// tier-level   = WORD "from" threshold [ "or" threshold ] [ "earn" TIMES NUMBER ] ;
  /// threshold    = MONEY | NUMBER "visits" ;
  /// keep-clause  = "keep" ( "for" DURATION [ "from" "reaching" ] | "until" "end" "of" "next" period-unit
  ///                       | "until" "next" "anniversary" ) ;
  /// review-clause = "review" ( "on" "signup" "anniversary" | "at" "start" "of" "each" ( "month" | "quarter" | "year" ) )
  ///                 "," "down" ( "to" "the" "qualified" "level" | "at" "most" "one" "level" ) ;
  /// ```
  mutating func parseTiersClause() -> TiersDeclaration.Clause {
    let start = current
    if at("review") {
      advance()
      guard let review = parseTierReview() else {
        skipLine()
        return .invalid(start.range)
      }
      let reviewRange = range(from: start)
      finishLine("the review clause")
      return .review(Located(review, range: reviewRange))
    }
    if at("keep") {
      advance()
      var keep: TierKeepSyntax?
      if consume("for") != nil {
        if case .duration(let duration) = current.kind {
          advance()
          keep = .forDuration(duration)
          if consume("from") != nil {
            keep = expect("reaching", after: "`from`") != nil ? .forDurationFromReaching(duration) : nil
          }
        } else {
          expected("a duration such as `12 months`", after: "`keep for`")
        }
      } else if consume("until") != nil {
        if consume("next") != nil {
          if expect("anniversary", after: "`keep until next`") != nil { keep = .untilNextAnniversary }
        } else if expect("end", after: "`keep until`") != nil, expect("of", after: "`keep until end`") != nil,
                  expect("next", after: "`keep until end of`") != nil {
          keep = parsePeriodUnit(after: "`keep until end of next`").map { .untilEndOfNext($0) }
        }
      } else {
        expected("`for` or `until`", after: "`keep`")
      }
      guard let keep else {
        skipLine()
        return .invalid(start.range)
      }
      let keepRange = range(from: start)
      finishLine("the keep clause")
      return .keep(Located(keep, range: keepRange))
    }
    guard current.kind == .word || isString(current) else {
      unknownClause(in: "tiers", keywords: ["keep", "review"])
      return .invalid(start.range)
    }
    guard let name = parseName(stoppingAt: ["from"]) else {
      skipLine()
      return .invalid(start.range)
    }
    guard expect("from", after: "the tier name `\(name.text)`") != nil else {
      skipLine()
      return .invalid(start.range)
    }
    var thresholds = [parseThreshold()]
    if consume("or") != nil { thresholds.append(parseThreshold()) }
    var multiplier: Expression?
    if consume("earn") != nil {
      if current.kind == .times || current.kind == .star { advance() }
      multiplier = parseUnary()
    }
    let levelRange = range(from: start)
    finishLine("the tier")
    return .level(TiersDeclaration.Level(name: name, thresholds: thresholds, multiplier: multiplier, range: levelRange))
  }

  /// The rest of a review clause after `review` (see ``parseTiersClause()``).
  mutating func parseTierReview() -> TierReviewSyntax? {
    var schedule: TierReviewSyntax.Schedule?
    if consume("on") != nil {
      guard expect("signup", after: "`review on`") != nil, expect("anniversary", after: "`review on signup`") != nil else { return nil }
      schedule = .signupAnniversary
    } else if consume("at") != nil {
      guard expect("start", after: "`review at`") != nil, expect("of", after: "`review at start`") != nil,
            expect("each", after: "`review at start of`") != nil else { return nil }
      for unit in [CalendarPeriodSyntax.month, .quarter, .year] where at(unit.rawValue) {
        advance()
        schedule = .startOf(unit)
      }
      if schedule == nil {
        expected("`month`, `quarter` or `year`", after: "`review at start of each`")
        return nil
      }
    } else {
      expected("`on signup anniversary` or `at start of each …`", after: "`review`")
      return nil
    }
    // The downgrade rule is part of the policy, so it is always stated.
    guard let schedule, expect(.comma, "`,` and the downgrade rule (`down to the qualified level` or `down at most one level`)",
                                after: "the review schedule") != nil,
          expect("down", after: "`,`") != nil else { return nil }
    if consume("to") != nil {
      guard expect("the", after: "`down to`") != nil, expect("qualified", after: "`down to the`") != nil,
            expect("level", after: "`down to the qualified`") != nil else { return nil }
      return TierReviewSyntax(schedule: schedule, downgrade: .toQualified)
    }
    if consume("at") != nil {
      guard expect("most", after: "`down at`") != nil, expect("one", after: "`down at most`") != nil,
            expect("level", after: "`down at most one`") != nil else { return nil }
      return TierReviewSyntax(schedule: schedule, downgrade: .atMostOneLevel)
    }
    expected("`to the qualified level` or `at most one level`", after: "`down`")
    return nil
  }

  mutating func parseThreshold() -> Expression {
    let start = current
    let value = parseUnary()
    if consume("visits") != nil || consume("visit") != nil {
      return Expression(value.kind, range: range(from: start))
    }
    return value
  }

  /// ```
  /// stamps-clause = "collect" NUMBER "per" ( "item" [ item-filter ] | "visit" )
  ///               | "collect" "spend" [ item-filter ]
  ///               | "every" NUMBER "stamps" ":" card-reward | "every" MONEY "spent" ":" card-reward ;
  /// card-reward   = ( "cheapest" | "most" "expensive" ) "item" [ item-filter ] "is" "free"
  ///               | "reward" name | "voucher" voucher-body ;
  /// ```
  mutating func parseStampsClause() -> StampsDeclaration.Clause {
    let start = current
    if consume("collect") != nil {
      if consume("spend") != nil {
        let filter = parseItemFilter()
        let clauseRange = range(from: start)
        finishLine("the collect clause")
        return .collectSpend(filter: filter, range: clauseRange)
      }
      let count = parseUnary()
      guard expect("per", after: "the number of stamps") != nil else {
        skipLine()
        return .invalid(start.range)
      }
      if consume("item") != nil {
        let filter = parseItemFilter()
        let clauseRange = range(from: start)
        finishLine("the collect clause")
        return .collectPerItem(count: count, filter: filter, range: clauseRange)
      }
      if consume("visit") != nil {
        let clauseRange = range(from: start)
        finishLine("the collect clause")
        return .collectPerVisit(count: count, range: clauseRange)
      }
      expected("`item` or `visit`", after: "`per`")
      skipLine()
      return .invalid(start.range)
    }
    if consume("every") != nil {
      let count = parseUnary()
      let unitWord = consume("spent") != nil ? "`spent`" : "`stamps`"
      guard unitWord == "`spent`" || expect("stamps", after: "the card size") != nil,
            expect(.colon, "`:`", after: unitWord) != nil else {
        skipLine()
        return .invalid(start.range)
      }
      var reward: CardRewardSyntax?
      if consume("cheapest") != nil || (at("most") && isWord(peek(), "expensive")) {
        let cheapest = isWord(tokens[index - 1], "cheapest")
        if !cheapest { advance(); advance() }
        if expect("item", after: cheapest ? "`cheapest`" : "`most expensive`") != nil {
          let filter = parseItemFilter()
          if expect("is", after: "the item") != nil, expect("free", after: "`is`") != nil {
            reward = cheapest ? .cheapestItemFree(filter) : .mostExpensiveItemFree(filter)
          }
        }
      } else if consume("reward") != nil {
        if let name = requireName(for: "reward", example: "reward free drink", allowingNumbers: true) { reward = .reward(name) }
      } else if consume("voucher") != nil {
        if let (name, worth, validFor) = parseVoucherBody(after: "`voucher`") {
          reward = .voucher(name: name, worth: worth, validFor: validFor)
        }
      } else {
        expected("`cheapest item`, `most expensive item`, `reward` or `voucher`", after: "`:`")
      }
      guard let reward else {
        skipLine()
        return .invalid(start.range)
      }
      let clauseRange = range(from: start)
      finishLine("the card reward")
      return .every(count: count, reward: reward, range: clauseRange)
    }
    if at("on") {
      guard let policy = parseStampReturn() else { return .invalid(start.range) }
      return .onReturn(policy)
    }
    unknownClause(in: "a stamp card", keywords: ["collect", "every", "on return"])
    return .invalid(start.range)
  }

  /// ```
  /// item-filter  = [ "not" ] ( "in" | "on" ) ( "category" | "sku" ) filter-value { "," filter-value } ;
  /// filter-value = WORD | STRING ;
  /// ```
  mutating func parseItemFilter() -> ItemFilter? {
    // `not in category giftcard`: three words, so `basket total not in $1 to $5` stays a range.
    let negated = at("not") && (isWord(peek(), "in") || isWord(peek(), "on"))
      && (isWord(peek(2), "category") || isWord(peek(2), "sku"))
    let notToken = negated ? advance() : nil
    guard (at("in") || at("on")) && (isWord(peek(), "category") || isWord(peek(), "sku")) else { return nil }
    let start = notToken ?? advance()
    if notToken != nil { advance() }
    let field: ItemFilter.Field = isWord(advance(), "category") ? .category : .sku
    let (values, complete) = parseFilterValues(field, after: "`\(field.rawValue)`")
    guard complete else { return ItemFilter(field: field, values: values, negated: negated, range: range(from: start)) }
    let filter = ItemFilter(field: field, values: values, negated: negated, range: range(from: start))
    itemFilters.append(filter)
    return filter
  }

  /// The comma-separated category or SKU names of a filter or a `categories`/`skus` list, and
  /// whether the list was complete (a missing name is reported after `first`, or after a comma).
  mutating func parseFilterValues(_ field: ItemFilter.Field, after first: String) -> (values: [Name], complete: Bool) {
    var values: [Name] = []
    repeat {
      if !values.isEmpty { advance() }  // the comma
      switch current.kind {
      case .word, .weekday, .month:
        let token = advance()
        values.append(Name(token.text, range: token.range))
      case .string(let text):
        values.append(Name(text, range: advance().range))
      default:
        expected("a \(field.rawValue) name", after: values.isEmpty ? first : "`,`")
        return (values, false)
      }
    } while current.kind == .comma
    return (values, true)
  }

  /// ```
  /// rule-clause = "on" trigger | "when" expression | effect | limit
  ///             | "replaces" name [ "for" "those" "items" ] | return-policy ;
  /// trigger     = "purchase" | "signup" | "event" name | "signup" "anniversary" | "birthday"
  ///             | DURATION "after" "purchase" [ item-filter ] | DURATION "without" "purchase"
  ///             | DURATION "before" name "expire" | ( "reaching" | "losing" ) "tier" name ;
  /// ```
  mutating func parseRuleClause() -> RuleDeclaration.Clause {
    let start = current
    if at("on"), isWord(peek(), "return") {
      guard let policy = parseReturnPolicy() else { return .invalid(start.range) }
      return .onReturn(policy)
    }
    if consume("on") != nil {
      let triggerStart = current
      var trigger: TriggerSyntax?
      if consume("purchase") != nil {
        trigger = .purchase
      } else if at("signup"), isWord(peek(), "anniversary") {
        advance(); advance()
        trigger = .signupAnniversary
      } else if consume("birthday") != nil {
        trigger = .birthday
      } else if consume("signup") != nil {
        trigger = .signup
      } else if consume("event") != nil {
        if let name = requireName(for: "on event", example: "on event review written", allowingNumbers: true) { trigger = .custom(name) }
      } else if case .duration(let duration) = current.kind {
        trigger = parseContactTrigger(duration)
      } else if at("reaching") || at("losing") {
        trigger = parseTierTrigger()
      } else {
        let suggestion = current.kind == .word ? Suggestions.closest(to: current.text.lowercased(), in: ["purchase", "signup", "event", "birthday"]) : nil
        report(.expectedToken, "expected `purchase`, `signup`, `event NAME`, `birthday` or `signup anniversary` after `on`, found \(current.phrase)",
               at: current.range, help: suggestion.map { "did you mean `\($0)`?" })
      }
      guard let trigger else {
        skipLine()
        return .invalid(start.range)
      }
      let triggerRange = range(from: triggerStart)
      finishLine("the trigger")
      return .trigger(Located(trigger, range: triggerRange))
    }
    if consume("when") != nil {
      let condition = parseExpression()
      return finishLine("the condition") ? .when(condition) : .invalid(start.range)
    }
    if at("earn") || at("multiply") || at("give") || at("send") {
      guard let effect = parseEffect() else {
        skipLine()
        return .invalid(start.range)
      }
      return finishLine("the effect") ? .effect(effect) : .invalid(start.range)
    }
    if at("at"), isWord(peek(), "most") {
      guard let limit = parseLimit() else {
        skipLine()
        return .invalid(start.range)
      }
      return finishLine("the limit") ? .limit(limit) : .invalid(start.range)
    }
    if consume("replaces") != nil {
      guard let name = requireName(for: "replaces", example: "replaces base earn for those items", stoppingAt: ["for"], allowingNumbers: true) else {
        skipLine()
        return .invalid(start.range)
      }
      if consume("for") != nil {
        _ = expect("those", after: "`for`")
        _ = expect("items", after: "`those`")
      }
      let clauseRange = range(from: start)
      finishLine("`replaces`")
      return .replaces(name, range: clauseRange)
    }
    if at("round") {
      guard let rounding = parseAmountRounding() else {
        skipLine()
        return .invalid(start.range)
      }
      return finishLine("the rounding") ? .round(rounding) : .invalid(start.range)
    }
    if at("hold") {
      // `hold 30 days` (Parser+PointsLife.swift reads the same clause on a points declaration).
      guard case .hold(let hold) = parsePointsLifeClause() else { return .invalid(start.range) }
      return .hold(hold)
    }
    if let clause = parsePromotionRuleClause() { return clause }
    unknownClause(in: "a rule", keywords: Parser.ruleClauseKeywords)
    return .invalid(start.range)
  }

  /// ```
  /// effect     = "earn" expression name [ earn-basis ] [ "for" name [ "held" hold-length ] ]
  ///            | "multiply" name "by" expression
  ///            | "give" "voucher" voucher-body
  ///            | "give" "reward" name
  ///            | "send" "message" STRING [ "via" name ] [ "at" TIME ] ;
  /// earn-basis = ( "per" [ "whole" ] MONEY "spent" [ item-filter ] | "per" "item" [ item-filter ] )
  ///              [ ( "before" | "after" ) "discounts" ] ;
  /// ```
  /// `before discounts` (true), `after discounts` or nothing (false, the default); nil after an error.
  mutating func parseEarnAmounts() -> Bool? {
    guard at("before") || at("after") else { return false }
    let before = advance().text.lowercased() == "before"
    guard expect("discounts", after: before ? "`before`" : "`after`") != nil else { return nil }
    return before
  }

  mutating func parseEffect() -> EffectSyntax? {
    let start = advance()
    switch start.text.lowercased() {
    case "earn":
      let amount = parseUnary()
      guard let currency = requireName(for: "earn", example: "earn 2 stars per $1 spent", stoppingAt: ["per", "for"]) else { return nil }
      var basis = EarnBasisSyntax.flat
      if consume("per") != nil {
        if consume("item") != nil {
          let filter = parseItemFilter()
          guard let before = parseEarnAmounts() else { return nil }
          basis = .perItem(filter: filter, beforeDiscounts: before)
        } else {
          let whole = consume("whole") != nil
          let per = parseUnary()
          guard expect("spent", after: "the amount") != nil else { return nil }
          let filter = parseItemFilter()
          guard let before = parseEarnAmounts() else { return nil }
          basis = .perSpend(per: per, whole: whole, filter: filter, beforeDiscounts: before)
        }
      }
      if consume("for") != nil {
        guard let recipient = requireName(for: "earn … for", example: "earn 300 points for referrer", stoppingAt: ["held"]) else { return nil }
        var hold: Located<HoldDuration>?
        if consume("held") != nil {
          guard case .duration(let duration) = current.kind else {
            expected("a duration such as `14 days`", after: "`held`")
            return nil
          }
          let holdStart = advance()
          guard let length = parseHoldCounting(duration) else { return nil }
          hold = Located(length, range: range(from: holdStart))
        }
        return .earnForReferrer(amount: amount, currency: currency, basis: basis, recipient: recipient, hold: hold,
                                range: range(from: start))
      }
      return .earn(amount: amount, currency: currency, basis: basis, range: range(from: start))
    case "send":
      return parseSendMessage(from: start)
    case "multiply":
      guard let currency = requireName(for: "multiply", example: "multiply stars by 2", stoppingAt: ["by"]),
            expect("by", after: "`multiply \(currency.text)`") != nil else { return nil }
      let factor = parseUnary()
      return .multiply(currency: currency, factor: factor, range: range(from: start))
    default:  // give
      if consume("voucher") != nil {
        guard let (name, worth, validFor) = parseVoucherBody(after: "`give voucher`") else { return nil }
        refuseReferrer(what: "a voucher")
        return .voucher(name: name, worth: worth, validFor: validFor, range: range(from: start))
      }
      if consume("reward") != nil {
        guard let name = requireName(for: "give reward", example: "give reward free drink", allowingNumbers: true) else { return nil }
        return .reward(name, range: range(from: start))
      }
      expected("`voucher` or `reward`", after: "`give`")
      return nil
    }
  }

  /// ```
  /// limit        = "at" "most" ( "once" | expression [ "times" ] ) [ "per" limit-period ] ;
  ///                (* `times` may be left out only before `per`: `at most 3 per month` *)
  /// limit-period = period-unit | DURATION | "customer" | "birthday" | "signup" "anniversary" ;
  /// ```
  mutating func parseLimit() -> LimitSyntax? {
    let start = advance()
    advance()  // most
    let count: Expression
    if let once = consume("once") {
      count = Expression(.literal(.number(DecimalLiteral(significand: 1, scale: 0))), range: once.range)
    } else {
      count = parseUnary()
      // `at most 3 per month` reads as well as `at most 3 times per month`.
      if !at("per") || lineHasError {
        guard expect("times", after: "the number of times") != nil else { return nil }
      }
    }
    var period = LimitPeriodSyntax.ever
    if consume("per") != nil {
      if consume("customer") != nil {
        period = .ever
      } else if consume("birthday") != nil {
        period = .birthday
      } else if at("signup"), isWord(peek(), "anniversary") {
        advance(); advance()
        period = .anniversary
      } else if case .duration(let duration) = current.kind {
        advance()
        period = .rolling(duration)
      } else if let unit = parsePeriodUnit(after: "`per`") {
        period = .calendar(unit)
      } else {
        return nil
      }
    }
    return LimitSyntax(count: count, period: period, range: range(from: start))
  }

  /// ```
  /// reward-clause = "costs" expression name | "worth" MONEY ;
  /// ```
  mutating func parseRewardClause() -> RewardDeclaration.Clause {
    let clause = parseRewardClauseBody()
    if case .invalid = clause { skipLine() } else { finishLine("the reward clause") }
    return clause
  }

  mutating func parseRewardClauseBody() -> RewardDeclaration.Clause {
    let start = current
    if consume("costs") != nil {
      let amount = parseUnary()
      if case .literal(.money) = amount.kind {
        // `costs $1.50`: one error saying what a cost is, not "needs a name" after the amount.
        report(.rewardCostInMoney, "a reward costs points, not money", at: amount.range, label: "this is money",
               help: "write the points it takes, such as `costs 150 stars`; its value to the customer is `worth \(file.text(of: amount.range))`")
        return .invalid(start.range)
      }
      guard let currency = requireName(for: "costs", example: "costs 150 stars", stoppingAt: []) else { return .invalid(start.range) }
      return .costs(amount: amount, currency: currency, range: range(from: start))
    }
    if consume("worth") != nil {
      return .worth(parseUnary())
    }
    if !lineHasError {
      let word = current.kind == .word ? current.text : ""
      let suggestion = Suggestions.closest(to: word.lowercased(), in: ["costs", "worth"])
      report(.unknownClause, "unknown clause \(current.phrase) in a reward", at: current.range,
             help: suggestion.map { "did you mean `\($0)`?" } ?? "reward clauses start with `costs` or `worth`")
    }
    return .invalid(start.range)
  }
}


extension Parser {
  /// ```
  /// voucher-body = STRING "worth" expression [ "valid" "for" DURATION ] ;
  /// ```
  mutating func parseVoucherBody(after context: String)
    -> (Located<String>, Expression, Located<DurationLiteral>?)?
  {
    guard case .string(let text) = current.kind else {
      expected("the voucher's name in quotes", after: context)
      return nil
    }
    let name = Located(text, range: advance().range)
    guard expect("worth", after: "the voucher's name") != nil else { return nil }
    let worth = parseUnary()
    var validFor: Located<DurationLiteral>?
    if consume("valid") != nil {
      guard expect("for", after: "`valid`") != nil else { return nil }
      guard case .duration(let duration) = current.kind else {
        expected("a duration such as `30 days`", after: "`valid for`")
        return nil
      }
      validFor = Located(duration, range: advance().range)
    }
    return (name, worth, validFor)
  }

  /// `give voucher … for referrer`: only points can go to another account (E0214).
  mutating func refuseReferrer(what: String) {
    guard at("for"), isWord(peek(), "referrer") else { return }
    report(.referrerNeedsPoints, "\(what) cannot go to the referrer", at: current.range.union(peek().range),
           label: "only points go to another account", help: "give the referrer points, such as `earn 300 points for referrer`")
  }
}

extension Parser {
  /// The words a rule clause starts with.
  static let ruleClauseKeywords = ["on", "when", "earn", "multiply", "give", "send", "at most", "replaces", "hold", "round"]
    + Parser.promotionClauseKeywords
}
