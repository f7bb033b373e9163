import PerkSource

/// Volume rebates: `rebate NAME` and its clauses.
extension Parser {
  /// The words that start a rebate clause, for did-you-mean help.
  static let rebateClauseKeywords = ["measure", "retroactive", "incremental", "below", "from", "growth", "settle",
                                     "statement", "for", "round"]

  /// Parses a rebate declaration.
  ///
  ///     rebate-decl = "rebate" numbered-name NEWLINE { INDENT rebate-clause NEWLINE } ;
  mutating func parseRebate() -> Declaration {
    let keyword = advance()
    guard let name = requireName(for: "rebate", example: "rebate annual volume", allowingNumbers: true) else {
      skipDeclaration()
      return .invalid(keyword.range)
    }
    finishLine("the rebate name")
    // Bracket lines belong to the `retroactive` or `incremental` line above them.
    var sawMode = false
    let clauses = parseClauseLines { parser in
      let clause = parser.parseRebateClause(afterMode: sawMode)
      if case .brackets = clause { sawMode = true }
      return clause
    }
    return .rebate(RebateDeclaration(name: name, clauses: clauses, range: keyword.range.union(name.range)))
  }

  /// ```
  /// rebate-clause  = "measure" [ "net" ] "spend" [ item-filter ] "per" rebate-period
  ///                | ( "retroactive" | "incremental" )
  ///                | bracket
  ///                | "growth" PERCENT "of" [ "net" ] "spend" "above" "last" period-word
  ///                | ( "settle" | "statement" | "statements" ) "at" "end" "of" rebate-unit
  ///                | "settle" "at" "end" "of" rebate-unit "," "paying" "the" "difference" "to" "date"
  ///                  "," "a" "negative" "difference" "is" negative-policy
  ///                | "for" "segment" filter-value ;
  /// bracket        = ( "below" | "from" ) MONEY [ "at" ] PERCENT ;
  /// rebate-period  = [ "calendar" ] rebate-unit
  ///                | "fiscal" "year" "starting" ( MONTH NUMBER | NUMBER MONTH ) ;
  /// rebate-unit    = "month" | "quarter" | "year" ;
  /// negative-policy = "clawed" "back" | "carried" "forward" | "forgiven" ;
  /// period-word    = "year's" | "quarter's" | "month's" | rebate-unit ;
  /// ```
  mutating func parseRebateClause(afterMode: Bool) -> RebateDeclaration.Clause {
    let start = current
    if consume("measure") != nil {
      _ = consume("net")
      guard expect("spend", after: isWord(tokens[index - 1], "net") ? "`measure net`" : "`measure`") != nil else {
        skipLine()
        return .invalid(start.range)
      }
      let filter = parseItemFilter()
      guard !lineHasError, expect("per", after: "`spend`") != nil, let period = parseRebatePeriod() else {
        skipLine()
        return .invalid(start.range)
      }
      let clauseRange = range(from: start)
      return finishLine("the measure") ? .measure(filter: filter, period: period, range: clauseRange) : .invalid(start.range)
    }
    if at("retroactive") || at("incremental") {
      let word = advance()
      let mode: RebateBracketMode = isWord(word, "retroactive") ? .retroactive : .incremental
      return finishLine("`\(mode.rawValue)`") ? .brackets(Located(mode, range: word.range)) : .invalid(start.range)
    }
    if at("below") || at("from") {
      let word = advance()
      if !afterMode {
        report(.bracketWithoutMode, "bracket line before `retroactive` or `incremental`", at: word.range.union(rangeToLineEnd()),
               label: "this bracket has no mode",
               help: "put a line `retroactive` (the whole volume at the reached rate) or `incremental` (each slice at its own rate) above the brackets")
        skipLine()
        return .invalid(start.range)
      }
      let threshold = parseUnary()
      _ = consume("at")
      let rate = parseUnary()
      let bracket = RebateBracketSyntax(isBelow: isWord(word, "below"), threshold: threshold, rate: rate, range: range(from: start))
      return finishLine("the bracket") ? .bracket(bracket) : .invalid(start.range)
    }
    if consume("growth") != nil {
      let rate = parseUnary()
      guard !lineHasError, expect("of", after: "the growth rate") != nil else {
        skipLine()
        return .invalid(start.range)
      }
      _ = consume("net")
      guard expect("spend", after: "`of`") != nil, expect("above", after: "`spend`") != nil,
            expect("last", after: "`above`") != nil else {
        skipLine()
        return .invalid(start.range)
      }
      let unitToken = current
      var unit: RebatePeriodUnit?
      if current.kind == .word {
        let word = current.text.lowercased()
        for candidate in RebatePeriodUnit.allCases where word == candidate.rawValue || word == candidate.rawValue + "'s" {
          unit = candidate
        }
      }
      guard let unit else {
        expected("`year's`, `quarter's` or `month's`", after: "`last`")
        skipLine()
        return .invalid(start.range)
      }
      advance()
      let clauseRange = range(from: start)
      return finishLine("the growth clause")
        ? .growth(rate: rate, comparedWith: Located(unit, range: unitToken.range), range: clauseRange)
        : .invalid(start.range)
    }
    if at("settle") || at("statement") || at("statements") {
      let word = advance()
      let keyword = word.text.lowercased()
      guard expect("at", after: "`\(keyword)`") != nil, expect("end", after: "`\(keyword) at`") != nil,
            expect("of", after: "`\(keyword) at end`") != nil, let unit = parseRebateUnit(after: "`\(keyword) at end of`")
      else {
        skipLine()
        return .invalid(start.range)
      }
      let located = Located(unit, range: tokens[index - 1].range)
      if keyword == "settle", current.kind == .comma {
        advance()
        guard let negative = parseTrueUpPolicy() else {
          skipLine()
          return .invalid(start.range)
        }
        return finishLine("the true-up policy") ? .trueUp(located, negative: negative) : .invalid(start.range)
      }
      guard finishLine("the \(keyword == "settle" ? "settlement" : "statement") period") else { return .invalid(start.range) }
      return keyword == "settle" ? .settle(located) : .statement(located)
    }
    if consume("for") != nil {
      guard expect("segment", after: "`for`") != nil else {
        skipLine()
        return .invalid(start.range)
      }
      let value: Name
      switch current.kind {
      case .word, .weekday, .month:
        let token = advance()
        value = Name(token.text, range: token.range)
      case .string(let text):
        value = Name(text, range: advance().range)
      default:
        expected("a segment name", after: "`segment`")
        skipLine()
        return .invalid(start.range)
      }
      let clauseRange = range(from: start)
      return finishLine("the segment") ? .segment(value, range: clauseRange) : .invalid(start.range)
    }
    if at("round") {
      guard let rounding = parseAmountRounding() else {
        skipLine()
        return .invalid(start.range)
      }
      return finishLine("the rounding") ? .round(rounding) : .invalid(start.range)
    }
    unknownClause(in: "a rebate", keywords: Parser.rebateClauseKeywords)
    return .invalid(start.range)
  }

  /// ```
  /// rebate-period = [ "calendar" ] rebate-unit
  ///               | "fiscal" "year" "starting" ( MONTH NUMBER | NUMBER MONTH ) ;
  /// ```
  mutating func parseRebatePeriod() -> Located<RebatePeriodSyntax>? {
    let start = current
    if consume("fiscal") != nil {
      guard expect("year", after: "`fiscal`") != nil, expect("starting", after: "`fiscal year`") != nil else { return nil }
      let dayStart = current
      var month: Int?
      var day: Int?
      if case .month(let m) = current.kind {
        advance()
        month = m
        if case .number(let n) = current.kind, n.scale == 0 { advance(); day = Int(clamping: n.significand) }
      } else if case .number(let n) = current.kind, n.scale == 0 {
        advance()
        day = Int(clamping: n.significand)
        if case .month(let m) = current.kind { advance(); month = m }
      }
      guard let month, let day else {
        expected("a first day such as `April 1`", after: "`starting`")
        return nil
      }
      let dayRange = range(from: dayStart)
      // 29 February exists one year in four: a year starting on it would have no start in the others.
      let monthName = Parser.monthNames[month - 1]
      if day < 1 || day > (month == 2 ? 28 : LocalCalendar.daysIn(month: month)) {
        report(.invalidFiscalYearStart, "fiscal year cannot start on `\(monthName) \(day)`", at: dayRange,
               label: month == 2 && day == 29 ? "not a day of every year" : "no such day",
               help: month == 2 && day == 29 ? "start the fiscal year on `March 1` instead" : "write a day that exists, such as `\(monthName) 1`")
        return nil
      }
      return Located(RebatePeriodSyntax(unit: .year, fiscalStart: .init(month: month, day: day)), range: range(from: start))
    }
    _ = consume("calendar")
    guard let unit = parseRebateUnit(after: isWord(start, "calendar") ? "`calendar`" : "`per`") else { return nil }
    return Located(RebatePeriodSyntax(unit: unit), range: range(from: start))
  }

  /// `rebate-unit = "month" | "quarter" | "year" ;`
  mutating func parseRebateUnit(after context: String) -> RebatePeriodUnit? {
    for unit in RebatePeriodUnit.allCases where at(unit.rawValue) {
      advance()
      return unit
    }
    expected("`month`, `quarter` or `year`", after: context)
    return nil
  }

  /// After `settle at end of UNIT,`: `paying the difference to date, a negative difference is POLICY`.
  private mutating func parseTrueUpPolicy() -> Located<RebateNegativeDifference>? {
    for (word, context) in [("paying", "`settle at end of …,`"), ("the", "`paying`"), ("difference", "`paying the`"),
                            ("to", "`paying the difference`"), ("date", "`paying the difference to`")] {
      guard expect(word, after: context) != nil else { return nil }
    }
    // The policy for a negative difference is required: there is no silent default for money owed back.
    guard expect(.comma, "`,`", after: "`paying the difference to date`") != nil
    else { return nil }
    for (word, context) in [("a", "`paying the difference to date,`"), ("negative", "`a`"), ("difference", "`a negative`"),
                            ("is", "`a negative difference`")] {
      guard expect(word, after: context) != nil else { return nil }
    }
    let first = current
    let policy: RebateNegativeDifference
    if consume("clawed") != nil {
      guard expect("back", after: "`clawed`") != nil else { return nil }
      policy = .clawedBack
    } else if consume("carried") != nil {
      guard expect("forward", after: "`carried`") != nil else { return nil }
      policy = .carriedForward
    } else if consume("forgiven") != nil {
      policy = .forgiven
    } else {
      expected("`clawed back`, `carried forward` or `forgiven`", after: "`a negative difference is`")
      return nil
    }
    return Located(policy, range: first.range.union(tokens[index - 1].range))
  }

  /// A test's rebate claim, after `accrues` (`isStatement` nil), `gets statement` (true) or `gets rebate` (false).
  ///
  ///     rebate-claim = "accrues" MONEY "on" numbered-name
  ///                  | "gets" ( "statement" | "rebate" ) MONEY "from" numbered-name ;
  mutating func parseRebateClaim(isStatement: Bool?) -> RebateClaimSyntax? {
    let keyword = isStatement == nil ? "accrues" : isStatement == true ? "gets statement" : "gets rebate"
    guard case .money(let money) = current.kind else {
      expected("an amount such as `€200.00`", after: "`\(keyword)`")
      return nil
    }
    let amount = Located(money, range: advance().range)
    let preposition = isStatement == nil ? "on" : "from"
    guard expect(preposition, after: "the amount") != nil else { return nil }
    guard let name = parseName(stoppingAt: [], allowingNumbers: true) else {
      expected("a rebate such as `annual volume`", after: "`\(preposition)`")
      return nil
    }
    let phase: RebateClaimSyntax.Phase = isStatement == nil ? .accrual : isStatement == true ? .statement : .settlement
    return RebateClaimSyntax(phase: phase, amount: amount, rebate: name)
  }

  static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                           "October", "November", "December"]
}

/// Day counts for checking a fiscal start (any year but February, which is checked separately).
private enum LocalCalendar {
  static func daysIn(month: Int) -> Int {
    switch month {
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}
